import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { countOverlaps } from '../../src/core/booking/allocation.repository.ts';
import { admin, createTestApp, type TestApp } from '../helpers/test-app.ts';
import { createScenario } from '../helpers/scenario.ts';

const TEN = new Date('2027-01-05T09:00:00Z'); // 10:00 Madrid

describe('a service with seats (several customers, one resource, one slot)', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp({ now: '2027-01-04T06:00:00Z' });
    await createScenario(t.core, {
      tenantId: 'class',
      resources: 1,
      service: { id: 'workshop', durationMin: 60, seats: 3, slotPolicy: { kind: 'grid', stepMin: 30 } },
    });
    await t.core.catalog.createService(admin, 'class', {
      id: 'private',
      name: 'Private session',
      durationMin: 60,
      slotPolicy: { kind: 'grid', stepMin: 30 },
    });
    await t.core.catalog.updateResource(admin, 'class', 'tech-1', { serviceIds: ['workshop', 'private'] });
  });
  after(() => t.close());

  const slot = async (serviceId: string, start: Date) =>
    (
      await t.core.booking.searchSlots(admin, 'class', {
        serviceIds: [serviceId],
        location: { siteId: 'site-1' },
        from: start,
        to: new Date(start.getTime() + 1),
      })
    ).slots[0];
  const book = (serviceId: string, start: Date) =>
    t.core.booking.createAppointment(admin, 'class', {
      serviceIds: [serviceId],
      location: { siteId: 'site-1' },
      start,
    });

  it('counts capacity in seats and fills them concurrently, exactly', async () => {
    assert.deepEqual(await slot('workshop', TEN).then((s) => [s.capacity, s.free, s.occupied]), [3, 3, 0]);
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => book('workshop', TEN)));
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 3);
    for (const r of results) if (r.status === 'rejected') assert.equal(r.reason.code, 'SLOT_UNAVAILABLE');
    assert.deepEqual(await slot('workshop', TEN).then((s) => [s.capacity, s.free, s.occupied]), [3, 0, 3]);
  });

  it(
    'keeps other sessions off the resource: an overlapping ' + 'start of the same service, or another service',
    async () => {
      const halfPast = new Date(TEN.getTime() + 30 * 60_000);
      assert.equal((await slot('workshop', halfPast))?.free ?? 0, 0);
      await assert.rejects(book('workshop', halfPast), { code: 'SLOT_UNAVAILABLE' });
      await assert.rejects(book('private', TEN), { code: 'SLOT_UNAVAILABLE' });
      assert.equal(await countOverlaps(t.db, 'class'), 0, 'only the seats of one session share the time');
    },
  );

  it('gives a seat back when one participant cancels', async () => {
    const [one] = (await t.core.booking.listAppointments(admin, 'class', { status: ['booked'] })).items;
    await t.core.booking.changeStatus(admin, 'class', one.id, { to: 'cancelled' });
    assert.equal((await slot('workshop', TEN)).free, 1);
    await book('workshop', TEN);
    await assert.rejects(book('workshop', TEN), { code: 'SLOT_UNAVAILABLE' });
  });
});

describe('the overlap check that tests and benchmarks rely on', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp({ now: '2027-01-04T06:00:00Z' });
    await createScenario(t.core, { tenantId: 'check', resources: 1 });
  });
  after(() => t.close());

  it('counts a clash when one exists (constraint removed to create one), and none otherwise', async () => {
    const insert = (id: string, session: string, seat: number, from: string, to: string) =>
      t.db.query(
        `INSERT INTO allocations (tenant_id, allocation_id, resource_id, during, session_key, seat, appointment_id,
          active)
         VALUES ('check', $1, 'tech-1', tstzrange($2, $3), $4, $5, 'x', true)`,
        [id, from, to, session, seat],
      );
    await insert('a', 'a', 1, '2027-01-05T08:00:00Z', '2027-01-05T10:00:00Z');
    await insert('b', 'b', 1, '2027-01-05T10:00:00Z', '2027-01-05T12:00:00Z');
    assert.equal(await countOverlaps(t.db, 'check'), 0, 'touching is not overlapping');
    await t.db.query('ALTER TABLE allocations DROP CONSTRAINT allocations_no_overlap');
    await insert('c', 'c', 2, '2027-01-05T09:00:00Z', '2027-01-05T09:30:00Z');
    assert.ok((await countOverlaps(t.db, 'check')) > 0);
  });
});
