import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { admin, createTestApp, type TestApp } from '../helpers/test-app.ts';
import { createScenario } from '../helpers/scenario.ts';

// Europe/Madrid is UTC+1 in January: the 09:00–11:00 window of Tue 2027-01-05 is 08:00Z–10:00Z.
const WINDOW_START = new Date('2027-01-05T08:00:00Z');
const WINDOW_END = new Date('2027-01-05T10:00:00Z');

describe('booking through the core', () => {
  let t: TestApp;
  let s: Awaited<ReturnType<typeof createScenario>>;
  before(async () => {
    t = await createTestApp({ now: '2027-01-04T06:00:00Z' });
    s = await createScenario(t.core, { resources: 2 });
  });
  after(() => t.close());

  const search = () =>
    t.core.booking.searchSlots(admin, s.tenantId, {
      serviceIds: ['install'],
      location: { siteId: 'site-1' },
      from: WINDOW_START,
      to: WINDOW_END,
    });
  const book = (extra: object = {}) =>
    t.core.booking.createAppointment(admin, s.tenantId, {
      serviceIds: ['install'],
      location: { siteId: 'site-1' },
      start: WINDOW_START,
      ...extra,
    });

  it('lowers free capacity by one per booking and refuses the booking past capacity', async () => {
    assert.deepEqual(
      (await search()).slots.map((x) => [x.free, x.occupied]),
      [[2, 0]],
    );
    const first = await book();
    assert.equal(first.appointment.status, 'booked');
    assert.deepEqual([first.appointment.start, first.appointment.end], [WINDOW_START, WINDOW_END]);
    assert.deepEqual(
      (await search()).slots.map((x) => [x.free, x.occupied]),
      [[1, 1]],
    );
    await book();
    await assert.rejects(book(), { code: 'SLOT_UNAVAILABLE' });
    assert.deepEqual(
      (await search()).slots.map((x) => [x.free, x.occupied]),
      [[0, 2]],
    );
  });

  it('gives the place back when an appointment is cancelled, and keeps the history', async () => {
    const list = await t.core.booking.listAppointments(admin, s.tenantId, { status: ['booked'] });
    const victim = list.items[0];
    const cancelled = await t.core.booking.changeStatus(admin, s.tenantId, victim.id, {
      to: 'cancelled',
      reason: 'customer asked',
    });
    assert.equal(cancelled.status, 'cancelled');
    assert.equal(cancelled.version, victim.version + 1);
    assert.deepEqual(
      (await search()).slots.map((x) => [x.free, x.occupied]),
      [[1, 1]],
    );
    const history = (await t.core.booking.getHistory(admin, s.tenantId, victim.id)).items;
    assert.deepEqual(
      history.map((e) => e.type),
      ['appointment.created', 'appointment.status_changed'],
    );
    assert.equal(history[1].previous?.status, 'booked');
    assert.equal(history[1].current.status, 'cancelled');
  });

  it('rejects a start in the past, off the windows, or an end that does not match', async () => {
    await assert.rejects(book({ start: new Date('2027-01-03T08:00:00Z') }), { code: 'INVALID_INPUT', message: /past/ });
    await assert.rejects(book({ start: new Date('2027-01-05T08:30:00Z') }), {
      code: 'INVALID_INPUT',
      message: /not a bookable time/,
    });
    await assert.rejects(book({ end: new Date('2027-01-05T09:00:00Z') }), {
      code: 'INVALID_INPUT',
      message: /end does not match/,
    });
  });
});
