import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { admin, createTestApp, type TestApp } from '../helpers/test-app.ts';
import { createScenario } from '../helpers/scenario.ts';

const START = new Date('2027-01-05T08:00:00Z');

describe('Idempotency-Key on creates', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp({ now: '2027-01-04T06:00:00Z' });
    await createScenario(t.core, { tenantId: 'idem', resources: 3 });
  });
  after(() => t.close());

  const create = (key: string, fingerprint: string) =>
    t.core.booking.createAppointment(admin, 'idem', { serviceIds: ['install'], location: { siteId: 'site-1' }, start: START, idempotency: { key, fingerprint } });

  it('same key and body: the same appointment back, booked once', async () => {
    const first = await create('k-1', 'body-a');
    const again = await create('k-1', 'body-a');
    assert.equal(first.replayed, false);
    assert.equal(again.replayed, true);
    assert.equal(again.appointment.id, first.appointment.id);
    assert.equal((await t.core.booking.listAppointments(admin, 'idem', {})).total, 1);
  });

  it('same key, other body: a conflict, and nothing booked', async () => {
    await assert.rejects(create('k-1', 'body-b'), { code: 'CONFLICT', message: /Idempotency-Key/ });
    assert.equal((await t.core.booking.listAppointments(admin, 'idem', {})).total, 1);
  });

  it('concurrent retries with one key create one appointment', async () => {
    const results = await Promise.all(Array.from({ length: 10 }, () => create('k-2', 'body-c')));
    assert.equal(new Set(results.map((r) => r.appointment.id)).size, 1);
    assert.equal(results.filter((r) => !r.replayed).length, 1);
    assert.equal((await t.core.booking.listAppointments(admin, 'idem', {})).total, 2);
  });
});

describe('one live appointment per client reference, when asked', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp({ now: '2027-01-04T06:00:00Z' });
    await createScenario(t.core, { tenantId: 'refs', resources: 5 });
  });
  after(() => t.close());

  const create = (id: string) =>
    t.core.booking.createAppointment(admin, 'refs', { id, serviceIds: ['install'], location: { siteId: 'site-1' }, start: START, externalRef: 'WO-1', exclusiveExternalRef: true });

  it('lets exactly one of concurrent creates for one reference succeed', async () => {
    const results = await Promise.allSettled(['a', 'b', 'c', 'd'].map(create));
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
    for (const r of results) if (r.status === 'rejected') assert.match(r.reason.message, /Work order WO-1 already has the live appointment/);
  });

  it('allows a new one once the live one is cancelled', async () => {
    const [live] = (await t.core.booking.listAppointments(admin, 'refs', { externalRef: 'WO-1' })).items;
    await t.core.booking.changeStatus(admin, 'refs', live.id, { to: 'cancelled' });
    assert.equal((await create('e')).appointment.externalRef, 'WO-1');
  });
});
