/** Idempotency-Key on the creates of both field-service APIs. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createFieldServiceTest, fixture, type FieldServiceTest, type Json } from './field-service.helpers.ts';

const BASE = '/v1/orgs/masmovil/appointments';
const create = (id: string): Json => ({ ...fixture('tmf-create.request'), id, externalId: id });

describe('Idempotency-Key on creates', () => {
  let t: FieldServiceTest;
  before(async () => {
    t = await createFieldServiceTest({ technicians: 3 });
  });
  after(() => t.close());

  const post = (body: Json, key?: string) =>
    t.inject({ method: 'POST', url: BASE, headers: { authorization: `Bearer ${t.key}`, ...(key ? { 'idempotency-key': key } : {}) }, payload: body });

  it('a retry with the same key and body gets the same 201 answer and books once', async () => {
    const first = await post(create('IDEM_1'), 'retry-1');
    const again = await post(create('IDEM_1'), 'retry-1');
    assert.equal(first.statusCode, 201, first.body);
    assert.equal(again.statusCode, 201, again.body);
    assert.deepEqual(again.json(), first.json());
    const list = await t.call('GET', `${BASE}?externalId=IDEM_1`);
    assert.equal(list.body.length, 1);
  });

  it('the same key with another body is a 409 in the documented error body, and writes nothing', async () => {
    const res = await post(create('IDEM_2'), 'retry-1');
    assert.equal(res.statusCode, 409);
    assert.deepEqual(Object.keys(res.json()).sort(), ['componentMsg', 'id', 'msg', 'status']);
    assert.match(res.json().componentMsg, /Idempotency-Key/);
    assert.equal((await t.call('GET', `${BASE}/IDEM_2`)).status, 404);
  });

  it('without a key, the same body twice is a conflict on the id (409)', async () => {
    assert.equal((await post(create('IDEM_3'))).statusCode, 201);
    assert.equal((await post(create('IDEM_3'))).statusCode, 409);
  });

  it('an empty or oversized key is a 400', async () => {
    assert.equal((await post(create('IDEM_4'), 'x'.repeat(300))).statusCode, 400);
  });
});
