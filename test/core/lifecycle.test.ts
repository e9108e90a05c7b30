import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { admin, createTestApp, type TestApp } from '../helpers/test-app.ts';
import { createScenario } from '../helpers/scenario.ts';

const NINE = new Date('2027-01-05T08:00:00Z'); // 09:00 Madrid
const ELEVEN = new Date('2027-01-05T10:00:00Z'); // 11:00 Madrid

describe('appointment lifecycle', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp({ now: '2027-01-04T06:00:00Z' });
    await createScenario(t.core, { tenantId: 'life', resources: 2 });
  });
  after(() => t.close());

  const b = () => t.core.booking;
  const book = (id: string, start = NINE, extra: object = {}) =>
    b().createAppointment(admin, 'life', {
      id,
      serviceIds: ['install'],
      location: { siteId: 'site-1' },
      start,
      ...extra,
    });
  const free = async (start: Date) =>
    (
      await b().searchSlots(admin, 'life', {
        serviceIds: ['install'],
        location: { siteId: 'site-1' },
        from: start,
        to: new Date(start.getTime() + 1),
      })
    ).slots[0].free;

  it('reschedules under the same id, re-checking the new time and freeing the old one', async () => {
    await book('move-me');
    const moved = await b().rescheduleAppointment(admin, 'life', 'move-me', { start: ELEVEN });
    assert.equal(moved.id, 'move-me');
    assert.deepEqual([moved.start, moved.version], [ELEVEN, 2]);
    assert.equal(await free(NINE), 2);
    assert.equal(await free(ELEVEN), 1);
    await book('other-1', ELEVEN);
    await assert.rejects(
      b().rescheduleAppointment(admin, 'life', 'other-1', { start: new Date('2027-01-05T08:30:00Z') }),
      { code: 'INVALID_INPUT' },
    );
    // A failed move keeps the appointment where it was.
    assert.deepEqual((await b().getAppointment(admin, 'life', 'other-1')).start, ELEVEN);
    assert.equal(await free(ELEVEN), 0);
  });

  it('refuses a stale version (optimistic concurrency)', async () => {
    const a = await b().getAppointment(admin, 'life', 'move-me');
    await b().updateAppointment(admin, 'life', 'move-me', {
      expectedVersion: a.version,
      notesToAdd: [{ text: 'first' }],
    });
    await assert.rejects(
      b().updateAppointment(admin, 'life', 'move-me', { expectedVersion: a.version, notesToAdd: [{ text: 'lost' }] }),
      {
        code: 'CONFLICT',
        message: /changed meanwhile/,
      },
    );
    assert.deepEqual(
      (await b().getAppointment(admin, 'life', 'move-me')).notes.map((n) => n.text),
      ['first'],
    );
  });

  it('reassigns to another free technician, and refuses a busy one', async () => {
    await book('solo', new Date('2027-01-06T08:00:00Z'), { resourceId: 'tech-1' });
    const moved = await b().reassignAppointment(admin, 'life', 'solo', { resourceId: 'tech-2' });
    assert.equal(moved.resourceId, 'tech-2');
    await book('blocker', new Date('2027-01-06T08:00:00Z'), { resourceId: 'tech-1' });
    await assert.rejects(b().reassignAppointment(admin, 'life', 'solo', { resourceId: 'tech-1' }), {
      code: 'SLOT_UNAVAILABLE',
    });
    assert.equal((await b().getAppointment(admin, 'life', 'solo')).resourceId, 'tech-2');
  });

  it('moves through the state machine: start, complete; no-show and reopen; illegal moves refused', async () => {
    await book('flow', new Date('2027-01-07T08:00:00Z'));
    assert.equal((await b().changeStatus(admin, 'life', 'flow', { to: 'in_progress' })).status, 'in_progress');
    assert.equal((await b().changeStatus(admin, 'life', 'flow', { to: 'completed' })).status, 'completed');
    await assert.rejects(b().changeStatus(admin, 'life', 'flow', { to: 'booked' }), {
      code: 'INVALID_INPUT',
      message: /completed to booked/,
    });

    await book('absent', new Date('2027-01-07T10:00:00Z'));
    await b().changeStatus(admin, 'life', 'absent', { to: 'no_show' });
    assert.equal(await free(new Date('2027-01-07T10:00:00Z')), 2);
    const reopened = await b().changeStatus(admin, 'life', 'absent', { to: 'booked' });
    assert.equal(reopened.status, 'booked');
    assert.equal(await free(new Date('2027-01-07T10:00:00Z')), 1);
    const history = (await b().getHistory(admin, 'life', 'absent')).items;
    assert.deepEqual(
      history.map((e) => [e.previous?.status ?? null, e.current.status]),
      [
        [null, 'booked'],
        ['booked', 'no_show'],
        ['no_show', 'booked'],
      ],
    );
  });

  it('keeps a request without a time, then books it by giving it one', async () => {
    const { appointment } = await b().createAppointment(admin, 'life', {
      id: 'task-1',
      serviceIds: ['install'],
      location: {},
      status: 'requested',
      requestedPeriod: { start: new Date('2027-01-08T00:00:00Z'), end: new Date('2027-01-09T00:00:00Z') },
      externalRef: 'Y360852',
    });
    assert.deepEqual([appointment.status, appointment.start, appointment.siteId], ['requested', null, null]);
    const booked = await b().rescheduleAppointment(admin, 'life', 'task-1', {
      start: new Date('2027-01-08T08:00:00Z'),
      location: { siteId: 'site-1' },
    });
    assert.equal(booked.status, 'booked');
    assert.equal(booked.siteId, 'site-1');
  });

  it('lists with filters, paging and sorting', async () => {
    const all = await b().listAppointments(admin, 'life', { sort: 'start', order: 'asc', limit: 100 });
    const starts = all.items.map((a) => a.start?.getTime() ?? Infinity);
    assert.deepEqual(
      starts,
      [...starts].sort((x, y) => x - y),
    );
    const page = await b().listAppointments(admin, 'life', { limit: 2, offset: 1, sort: 'start' });
    assert.deepEqual(
      page.items.map((a) => a.id),
      all.items.slice(1, 3).map((a) => a.id),
    );
    assert.equal(page.total, all.total);
    const byRef = await b().listAppointments(admin, 'life', { externalRef: 'Y360852' });
    assert.deepEqual(
      byRef.items.map((a) => a.id),
      ['task-1'],
    );
    const day = await b().listAppointments(admin, 'life', {
      from: new Date('2027-01-07T00:00:00Z'),
      to: new Date('2027-01-08T00:00:00Z'),
      status: ['booked'],
    });
    assert.deepEqual(
      day.items.map((a) => a.id),
      ['absent'],
    );
  });
});

describe('several services in one visit', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp({ now: '2027-01-04T06:00:00Z' });
    await createScenario(t.core, {
      tenantId: 'combo',
      resources: 1,
      service: { id: 'account', durationMin: 30, bufferAfterMin: 10, slotPolicy: { kind: 'grid', stepMin: 15 } },
    });
    await t.core.catalog.createService(admin, 'combo', {
      id: 'card',
      name: 'Card',
      durationMin: 15,
      slotPolicy: { kind: 'grid', stepMin: 15 },
    });
    await t.core.catalog.updateResource(admin, 'combo', 'tech-1', {
      serviceIds: ['account', 'card'],
      workingHours: { weekly: { tue: [{ start: '09:00', end: '10:00' }] } },
    });
  });
  after(() => t.close());

  it('books them in sequence on one resource, with the gap between them, inside working hours', async () => {
    const r = await t.core.booking.searchSlots(admin, 'combo', {
      serviceIds: ['account', 'card'],
      location: { siteId: 'site-1' },
      from: new Date('2027-01-05T00:00:00Z'),
      to: new Date('2027-01-06T00:00:00Z'),
    });
    // 30 min + 10 min gap + 15 min = 55 min, plus nothing after: only the 09:00 start fits in 09:00–10:00 Madrid.
    assert.deepEqual(
      r.slots.map((s) => [s.start.toISOString(), s.end.toISOString()]),
      [['2027-01-05T08:00:00.000Z', '2027-01-05T08:55:00.000Z']],
    );
    const { appointment } = await t.core.booking.createAppointment(admin, 'combo', {
      serviceIds: ['account', 'card'],
      location: { siteId: 'site-1' },
      start: r.slots[0].start,
    });
    assert.deepEqual(appointment.serviceIds, ['account', 'card']);
    assert.equal(appointment.end?.toISOString(), '2027-01-05T08:55:00.000Z');
  });
});
