import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { admin, createTestApp, type TestApp } from '../helpers/test-app.ts';
import { createScenario } from '../helpers/scenario.ts';

const START = new Date('2027-01-05T08:00:00Z'); // 09:00 Madrid
const NOW = new Date('2027-01-04T06:00:00Z');

describe('holds', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp({ now: NOW });
    await createScenario(t.core, { tenantId: 'holds', resources: 1 });
  });
  after(() => t.close());

  const freeAt = async (start: Date) => {
    const r = await t.core.booking.searchSlots(admin, 'holds', {
      serviceIds: ['install'],
      location: { siteId: 'site-1' },
      from: start,
      to: new Date(start.getTime() + 1),
    });
    return r.slots[0].free;
  };
  const hold = (start: Date, ttlSec = 60) =>
    t.core.holds.createHold(admin, 'holds', { serviceIds: ['install'], location: { siteId: 'site-1' }, start, ttlSec });
  const book = (start: Date, extra: object = {}) =>
    t.core.booking.createAppointment(admin, 'holds', {
      serviceIds: ['install'],
      location: { siteId: 'site-1' },
      start,
      ...extra,
    });

  it('takes the capacity while live, and enqueues its expiry job in the same transaction', async () => {
    const h = await hold(START);
    assert.equal(h.status, 'active');
    assert.equal(h.expiresAt.getTime(), NOW.getTime() + 60_000);
    assert.equal(await freeAt(START), 0);
    await assert.rejects(book(START), { code: 'SLOT_UNAVAILABLE' });
    const jobs = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'hold-expiry' AND data->>'holdId' = $1`,
      [h.id],
    );
    assert.equal(jobs.rows[0].n, 1);
  });

  it('stops counting the moment it expires, before any cleanup job ran', async () => {
    t.setNow(new Date(NOW.getTime() + 61_000));
    assert.equal(await freeAt(START), 1);
    const { appointment } = await book(START);
    assert.equal(appointment.status, 'booked');
    t.setNow(NOW);
  });

  it('converts into an appointment atomically, keeping its resource and time', async () => {
    const at = new Date('2027-01-05T10:00:00Z');
    const h = await hold(at);
    const { appointment } = await book(at, { holdId: h.id });
    assert.equal(appointment.resourceId, h.resourceId);
    assert.deepEqual([appointment.start, appointment.end], [h.start, h.end]);
    assert.equal((await t.core.holds.getHold(admin, 'holds', h.id)).status, 'converted');
    await assert.rejects(book(at, { holdId: h.id, id: 'again' }), { code: 'CONFLICT', message: /converted/ });
    assert.equal(await freeAt(at), 0);
  });

  it('frees its slot when released, and cannot be converted after expiry', async () => {
    const at = new Date('2027-01-06T08:00:00Z');
    const released = await hold(at);
    await t.core.holds.releaseHold(admin, 'holds', released.id);
    assert.equal(await freeAt(at), 1);
    const h = await hold(at, 30);
    t.setNow(new Date(NOW.getTime() + 31_000));
    await assert.rejects(book(at, { holdId: h.id }), { code: 'CONFLICT', message: /expired/ });
    t.setNow(NOW);
  });

  it('extends a live hold; the expiry job then leaves it alone until the new expiry', async () => {
    const at = new Date('2027-01-07T08:00:00Z');
    const h = await hold(at, 30);
    t.setNow(new Date(NOW.getTime() + 20_000));
    const extended = await t.core.holds.extendHold(admin, 'holds', h.id, 60);
    assert.equal(extended.expiresAt.getTime(), NOW.getTime() + 80_000);
    t.setNow(new Date(NOW.getTime() + 40_000));
    assert.equal(await t.core.holds.expireHold('holds', h.id), false, 'not expired yet');
    assert.equal(await freeAt(at), 0);
    t.setNow(new Date(NOW.getTime() + 81_000));
    assert.equal(await t.core.holds.expireHold('holds', h.id), true);
    assert.equal((await t.core.holds.getHold(admin, 'holds', h.id)).status, 'expired');
    const live = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM allocations WHERE tenant_id = 'holds' AND hold_id = $1 AND active`,
      [h.id],
    );
    assert.equal(live.rows[0].n, 0);
    t.setNow(NOW);
  });

  it('refuses a time-to-live out of range', async () => {
    await assert.rejects(hold(new Date('2027-01-08T08:00:00Z'), 5), { code: 'INVALID_INPUT', message: /10 to 86400/ });
  });
});
