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
    t.core.booking.createAppointment(admin, 'idem', {
      serviceIds: ['install'],
      location: { siteId: 'site-1' },
      start: START,
      idempotency: { key, fingerprint },
    });

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

describe('a retry after the requested time stopped being bookable', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp({ now: '2027-01-04T06:00:00Z' });
    await createScenario(t.core, { tenantId: 'late', resources: 2 });
  });
  after(() => t.close());

  const create = (opts: { id?: string; key?: string; externalRef?: string }) =>
    t.core.booking.createAppointment(admin, 'late', {
      ...(opts.id ? { id: opts.id } : {}),
      serviceIds: ['install'],
      location: { siteId: 'site-1' },
      start: START,
      ...(opts.key ? { idempotency: { key: opts.key, fingerprint: 'same-body' } } : {}),
      ...(opts.externalRef ? { externalRef: opts.externalRef, exclusiveExternalRef: true } : {}),
    });

  it('is answered as before: the replay of its key, its id taken, its work order booked — not "too soon"', async () => {
    const first = await create({ id: 'late-1', key: 'k-late', externalRef: 'WO-L' });
    // Half an hour before the start: inside the service's 60 minutes of notice.
    t.setNow('2027-01-05T07:30:00Z');
    try {
      const again = await create({ id: 'late-1', key: 'k-late', externalRef: 'WO-L' });
      assert.deepEqual([again.replayed, again.appointment.id], [true, first.appointment.id]);
      await assert.rejects(create({ id: 'late-1' }), {
        code: 'CONFLICT',
        message: 'Appointment late-1 already exists',
      });
      await assert.rejects(create({ id: 'late-2', externalRef: 'WO-L' }), {
        code: 'CONFLICT',
        message: 'Work order WO-L already has the live appointment late-1',
      });
      await assert.rejects(create({ id: 'late-3' }), { code: 'INVALID_INPUT', message: /minutes notice/ });
    } finally {
      t.setNow('2027-01-04T06:00:00Z');
    }
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
    t.core.booking.createAppointment(admin, 'refs', {
      id,
      serviceIds: ['install'],
      location: { siteId: 'site-1' },
      start: START,
      externalRef: 'WO-1',
      exclusiveExternalRef: true,
    });

  it('lets exactly one of concurrent creates for one reference succeed', async () => {
    const results = await Promise.allSettled(['a', 'b', 'c', 'd'].map(create));
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
    for (const r of results)
      if (r.status === 'rejected') assert.match(r.reason.message, /Work order WO-1 already has the live appointment/);
  });

  it('allows a new one once the live one is cancelled', async () => {
    const [live] = (await t.core.booking.listAppointments(admin, 'refs', { externalRef: 'WO-1' })).items;
    await t.core.booking.changeStatus(admin, 'refs', live.id, { to: 'cancelled' });
    assert.equal((await create('e')).appointment.externalRef, 'WO-1');
  });

  const START_2 = new Date('2027-01-05T10:00:00Z');
  const book = (id: string, externalRef: string, start = START) =>
    t.core.booking.createAppointment(admin, 'refs', {
      id,
      serviceIds: ['install'],
      location: { siteId: 'site-1' },
      start,
      externalRef,
      exclusiveExternalRef: true,
    });

  it('refuses changing an appointment to a work order that has a live appointment, and changes nothing', async () => {
    await book('wo2-a', 'WO-2');
    const other = (await book('wo3-a', 'WO-3', START_2)).appointment;
    await assert.rejects(t.core.booking.updateAppointment(admin, 'refs', other.id, { externalRef: 'WO-2' }), {
      code: 'CONFLICT',
      message: 'Work order WO-2 already has the live appointment wo2-a',
    });
    const after = await t.core.booking.getAppointment(admin, 'refs', other.id);
    assert.deepEqual([after.externalRef, after.version], ['WO-3', other.version]);
  });

  it('concurrent changes of two appointments to one free work order: exactly one succeeds', async () => {
    const a = (await book('wo4-a', 'WO-4')).appointment;
    const b = (await book('wo5-a', 'WO-5', START_2)).appointment;
    const results = await Promise.allSettled(
      [a, b].map((x) => t.core.booking.updateAppointment(admin, 'refs', x.id, { externalRef: 'WO-6' })),
    );
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
    for (const r of results)
      if (r.status === 'rejected')
        assert.match(r.reason.message, /Work order WO-6 already has the live appointment wo[45]-a/);
    assert.equal((await t.core.booking.listAppointments(admin, 'refs', { externalRef: 'WO-6' })).total, 1);
  });

  it('refuses reopening an appointment whose work order was booked again', async () => {
    const first = (await book('wo7-a', 'WO-7')).appointment;
    await t.core.booking.changeStatus(admin, 'refs', first.id, { to: 'cancelled' });
    await book('wo7-b', 'WO-7', START_2);
    await assert.rejects(t.core.booking.changeStatus(admin, 'refs', first.id, { to: 'booked' }), {
      code: 'CONFLICT',
      message: 'Work order WO-7 already has the live appointment wo7-b',
    });
    assert.equal((await t.core.booking.getAppointment(admin, 'refs', first.id)).status, 'cancelled');
  });

  it('a reopening racing a new booking of the same work order: exactly one of them is live', async () => {
    const first = (await book('wo8-a', 'WO-8')).appointment;
    await t.core.booking.changeStatus(admin, 'refs', first.id, { to: 'cancelled' });
    const results = await Promise.allSettled([
      t.core.booking.changeStatus(admin, 'refs', first.id, { to: 'booked' }),
      book('wo8-b', 'WO-8', START_2),
      book('wo8-c', 'WO-8', new Date('2027-01-06T08:00:00Z')),
    ]);
    assert.equal(
      results.filter((r) => r.status === 'fulfilled').length,
      1,
      JSON.stringify(results.map((r) => r.status)),
    );
    for (const r of results)
      if (r.status === 'rejected') assert.match(r.reason.message, /Work order WO-8 already has the live appointment/);
    const live = (
      await t.core.booking.listAppointments(admin, 'refs', {
        externalRef: 'WO-8',
        status: ['requested', 'booked', 'in_progress'],
      })
    ).items;
    assert.equal(live.length, 1);
  });

  it('leaves references of appointments not created exclusive alone', async () => {
    const free = (opts: { id: string; start: Date }) =>
      t.core.booking.createAppointment(admin, 'refs', {
        id: opts.id,
        serviceIds: ['install'],
        location: { siteId: 'site-1' },
        start: opts.start,
        externalRef: 'REF-9',
      });
    await free({ id: 'r9-a', start: START });
    await free({ id: 'r9-b', start: START_2 });
    assert.equal((await t.core.booking.listAppointments(admin, 'refs', { externalRef: 'REF-9' })).total, 2);
  });
});
