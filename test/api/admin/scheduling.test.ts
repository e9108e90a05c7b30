import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { admin, createTestApp, type TestApp } from '../../helpers/test-app.ts';
import { createScenario } from '../../helpers/scenario.ts';

describe('admin API: slots and holds over HTTP', () => {
  let t: TestApp;
  let headers: Record<string, string>;
  before(async () => {
    t = await createTestApp({ now: '2027-01-04T06:00:00Z' });
    await createScenario(t.core, { tenantId: 'shop', resources: 1 });
    headers = { authorization: `Bearer ${await t.apiKeyFor('shop')}` };
  });
  after(() => t.close());

  const slots = async () =>
    (
      await t.app.inject({
        url:
          '/admin/v1/tenants/shop/slots?serviceIds=install&siteId=site-1' +
          '&from=2027-01-05T00:00:00Z&to=2027-01-06T00:00:00Z',
        headers,
      })
    ).json();

  it('lists the windows of a day in UTC with free capacity', async () => {
    const body = await slots();
    assert.equal(body.timeZone, 'Europe/Madrid');
    assert.deepEqual(
      body.slots.map((s: any) => [s.start, s.end, s.free]),
      [
        ['2027-01-05T08:00:00.000Z', '2027-01-05T10:00:00.000Z', 1],
        ['2027-01-05T10:00:00.000Z', '2027-01-05T12:00:00.000Z', 1],
      ],
    );
  });

  it('holds, reads, extends and releases a slot', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/admin/v1/tenants/shop/holds',
      headers,
      payload: { serviceIds: ['install'], siteId: 'site-1', start: '2027-01-05T08:00:00Z', ttlSec: 120 },
    });
    assert.equal(created.statusCode, 201, created.body);
    const hold = created.json();
    assert.equal(hold.expiresAt, '2027-01-04T06:02:00.000Z');
    assert.equal((await slots()).slots[0].free, 0);
    const extended = await t.app.inject({
      method: 'POST',
      url: `/admin/v1/tenants/shop/holds/${hold.id}/extend`,
      headers,
      payload: { ttlSec: 600 },
    });
    assert.equal(extended.json().expiresAt, '2027-01-04T06:10:00.000Z');
    const released = await t.app.inject({ method: 'DELETE', url: `/admin/v1/tenants/shop/holds/${hold.id}`, headers });
    assert.equal(released.json().status, 'released');
    assert.equal((await slots()).slots[0].free, 1);
    const again = await t.app.inject({ method: 'DELETE', url: `/admin/v1/tenants/shop/holds/${hold.id}`, headers });
    assert.equal(again.statusCode, 409);
  });

  it('takes a hold to move one appointment (forAppointmentId), refused for an unknown one', async () => {
    const hold = (forAppointmentId: string) =>
      t.app.inject({
        method: 'POST',
        url: '/admin/v1/tenants/shop/holds',
        headers,
        payload: { serviceIds: ['install'], siteId: 'site-1', start: '2027-01-05T10:00:00Z', forAppointmentId },
      });
    const malformed = await t.app.inject({
      method: 'POST',
      url: '/admin/v1/tenants/shop/holds',
      headers,
      payload: { serviceIds: ['install'], siteId: 'site-1', start: '2027-01-05T10:00:00Z', forAppointmentId: 42 },
    });
    assert.equal(malformed.statusCode, 400);
    assert.equal(malformed.json().code, 'INVALID_INPUT');
    assert.ok(malformed.json().details.some((d: { field: string }) => d.field.includes('forAppointmentId')));
    const unknown = await hold('no-such-appointment');
    assert.equal(unknown.statusCode, 404, unknown.body);
    assert.equal((await slots()).slots[1].free, 1, 'nothing held');
    await t.core.booking.createAppointment(admin, 'shop', {
      id: 'to-move',
      serviceIds: ['install'],
      location: { siteId: 'site-1' },
      start: new Date('2027-01-05T08:00:00Z'),
    });
    const created = await hold('to-move');
    assert.equal(created.statusCode, 201, created.body);
    assert.equal(created.json().forAppointmentId, 'to-move');
    const read = await t.app.inject({ url: `/admin/v1/tenants/shop/holds/${created.json().id}`, headers });
    assert.equal(read.json().forAppointmentId, 'to-move');
    await t.app.inject({ method: 'DELETE', url: `/admin/v1/tenants/shop/holds/${created.json().id}`, headers });
    await t.core.booking.changeStatus(admin, 'shop', 'to-move', { to: 'completed' });
    const completed = await hold('to-move');
    assert.equal(completed.statusCode, 400, 'a completed appointment cannot move');
    assert.equal((await slots()).slots[1].free, 1, 'nothing held');
  });

  it('rejects a period that ends before it starts, and an unknown status filter', async () => {
    const bad = await t.app.inject({
      url:
        '/admin/v1/tenants/shop/slots?serviceIds=install&siteId=site-1' +
        '&from=2027-01-06T00:00:00Z&to=2027-01-05T00:00:00Z',
      headers,
    });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.json().message, /end after it starts/);
    const status = await t.app.inject({ url: '/admin/v1/tenants/shop/appointments?status=booked,lost', headers });
    assert.equal(status.statusCode, 400);
    assert.match(status.json().message, /Unknown status lost/);
  });
});
