import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { admin } from '../../helpers/test-app.ts';
import { createFieldServiceTest, fixture, type FieldServiceTest } from './field-service.helpers.ts';

const BASE = '/v1/orgs/masmovil/appointments';

describe('a change made over HTTP is recorded with the id of its request', () => {
  let t: FieldServiceTest;
  before(async () => {
    t = await createFieldServiceTest();
  });
  after(() => t.close());

  it("the event's correlationId is the request's x-request-id", async () => {
    const res = await t.inject({
      method: 'POST',
      url: BASE,
      headers: {
        authorization: `Bearer ${t.key}`,
        'content-type': 'application/json',
        'x-request-id': 'req-7f3a-create',
      },
      payload: JSON.stringify(fixture('tmf-create.request')),
    });
    assert.equal(res.statusCode, 201, res.body);
    const id = JSON.parse(res.body).id as string;
    const [created] = (await t.core.booking.getHistory(admin, 'masmovil', id)).items;
    assert.equal(created.type, 'appointment.created');
    assert.equal(created.correlationId, 'req-7f3a-create');
    assert.match(created.actor, /\S/);
  });

  it('a request without one gets a generated id, recorded likewise', async () => {
    const body = fixture('tmf-create.request');
    const res = await t.call('POST', BASE, { ...body, id: `${body.id}-2`, externalId: `${body.externalId}-2` });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const [created] = (await t.core.booking.getHistory(admin, 'masmovil', res.body.id)).items;
    assert.match(created.correlationId ?? '', /^[0-9a-f-]{36}$/);
  });
});
