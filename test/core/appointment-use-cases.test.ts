import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { listHoldEvents } from '../../src/core/events/event.repository.ts';
import type { Principal } from '../../src/core/types.ts';
import { admin, createTestApp, type TestApp } from '../helpers/test-app.ts';
import { createScenario } from '../helpers/scenario.ts';

const NOW = new Date('2027-01-04T06:00:00Z');
// Windows of the scenario's service: 09:00-11:00 and 11:00-13:00 Madrid (UTC+1).
const D1_0900 = new Date('2027-01-05T08:00:00Z');
const D1_1100 = new Date('2027-01-05T10:00:00Z');
const D2_0900 = new Date('2027-01-06T08:00:00Z');
const D2_1100 = new Date('2027-01-06T10:00:00Z');
const D1 = { from: new Date('2027-01-05T00:00:00Z'), to: new Date('2027-01-06T00:00:00Z') };

describe('appointment use cases the next facades need', () => {
  let t: TestApp;
  const TENANT = 'uc';
  before(async () => {
    t = await createTestApp({ now: NOW });
    await createScenario(t.core, { tenantId: TENANT, resources: 2 });
    await createScenario(t.core, { tenantId: 'other', resources: 1 });
  });
  after(() => t.close());

  const book = (id: string, start: Date, extra: object = {}) =>
    t.core.booking
      .createAppointment(admin, TENANT, {
        id,
        serviceIds: ['install'],
        location: { siteId: 'site-1' },
        start,
        ...extra,
      })
      .then((r) => r.appointment);
  const freeAt = async (start: Date) =>
    (
      await t.core.booking.searchSlots(admin, TENANT, {
        serviceIds: ['install'],
        location: { siteId: 'site-1' },
        from: start,
        to: new Date(start.getTime() + 1),
      })
    ).slots[0].free;
  const types = async (id: string) => (await t.core.booking.getHistory(admin, TENANT, id)).items.map((e) => e.type);
  const otherTenant: Principal = { kind: 'api-key', tenantId: 'other', subject: 'key:other', roles: ['tenant-admin'] };

  describe('finding by external reference', () => {
    it("finds the reference's live appointment, else its latest one, else none", async () => {
      await book('wo-a', D2_0900, { externalRef: 'WO-1' });
      await t.core.booking.changeStatus(admin, TENANT, 'wo-a', { to: 'cancelled' });
      t.setNow(new Date(NOW.getTime() + 1000));
      try {
        await book('wo-b', D2_1100, { externalRef: 'WO-1' });
        assert.equal((await t.core.booking.findByExternalRef(admin, TENANT, 'WO-1'))?.id, 'wo-b');
        await t.core.booking.changeStatus(admin, TENANT, 'wo-b', { to: 'cancelled' });
        t.setNow(new Date(NOW.getTime() + 2000));
        // Both cancelled: the latest created.
        assert.equal((await t.core.booking.findByExternalRef(admin, TENANT, 'WO-1'))?.id, 'wo-b');
        await t.core.booking.rescheduleAppointment(admin, TENANT, 'wo-a', { start: D2_0900 });
        // wo-a reopened: live wins over latest.
        assert.equal((await t.core.booking.findByExternalRef(admin, TENANT, 'WO-1'))?.id, 'wo-a');
      } finally {
        t.setNow(NOW);
      }
      assert.equal(await t.core.booking.findByExternalRef(admin, TENANT, 'WO-unknown'), null);
      await assert.rejects(t.core.booking.findByExternalRef(otherTenant, TENANT, 'WO-1'), { code: 'NOT_ALLOWED' });
    });
  });

  describe('participants', () => {
    it('adds, lists and removes participants, each change an event of its own', async () => {
      const a = await book('p-1', D1_0900);
      const added = await t.core.booking.addParticipant(admin, TENANT, 'p-1', {
        participant: { role: 'agent', id: 'agent-7', name: 'Ana' },
        expectedVersion: a.version,
      });
      assert.equal(added.version, a.version + 1);
      await t.core.booking.addParticipant(admin, TENANT, 'p-1', {
        participant: { role: 'guest', id: 'guest-1', email: 'g@example.com' },
      });
      assert.deepEqual(
        (await t.core.booking.listParticipants(admin, TENANT, 'p-1')).map((p) => [p.role, p.id]),
        [
          ['agent', 'agent-7'],
          ['guest', 'guest-1'],
        ],
      );
      await t.core.booking.removeParticipant(admin, TENANT, 'p-1', { participantId: 'guest-1' });
      assert.deepEqual(
        (await t.core.booking.listParticipants(admin, TENANT, 'p-1')).map((p) => p.id),
        ['agent-7'],
      );
      assert.deepEqual(await types('p-1'), [
        'appointment.created',
        'appointment.participant_added',
        'appointment.participant_added',
        'appointment.participant_removed',
      ]);
    });

    it(
      'refuses a second participant with the same id, an ' + 'unknown one, and a stale version, changing nothing',
      async () => {
        const before = await t.core.booking.getAppointment(admin, TENANT, 'p-1');
        await assert.rejects(
          t.core.booking.addParticipant(admin, TENANT, 'p-1', { participant: { role: 'guest', id: 'agent-7' } }),
          { code: 'CONFLICT' },
        );
        await assert.rejects(t.core.booking.removeParticipant(admin, TENANT, 'p-1', { participantId: 'nobody' }), {
          code: 'NOT_FOUND',
        });
        await assert.rejects(
          t.core.booking.addParticipant(admin, TENANT, 'p-1', {
            participant: { role: 'guest', id: 'g-2' },
            expectedVersion: before.version - 1,
          }),
          { code: 'CONFLICT', message: /changed meanwhile/ },
        );
        await assert.rejects(t.core.booking.listParticipants(admin, TENANT, 'missing'), { code: 'NOT_FOUND' });
        const after = await t.core.booking.getAppointment(admin, TENANT, 'p-1');
        assert.equal(after.version, before.version);
      },
    );
  });

  describe('counts', () => {
    it('counts appointments by status over a period, optionally of one resource', async () => {
      // Day 1 so far: p-1 (booked). Add one more booked, one cancelled, one request without a time.
      const b = await book('c-1', D1_1100);
      const c = await book('c-2', D1_1100);
      await t.core.booking.changeStatus(admin, TENANT, 'c-2', { to: 'cancelled' });
      await t.core.booking.createAppointment(admin, TENANT, {
        serviceIds: ['install'],
        location: { siteId: 'site-1' },
        status: 'requested',
      });
      const all = await t.core.booking.countAppointments(admin, TENANT, D1);
      assert.deepEqual(all, { requested: 0, booked: 2, in_progress: 0, completed: 0, cancelled: 1, no_show: 0 });
      const ofB = await t.core.booking.countAppointments(admin, TENANT, { ...D1, resourceId: b.resourceId! });
      const ofC = await t.core.booking.countAppointments(admin, TENANT, { ...D1, resourceId: c.resourceId! });
      assert.notEqual(b.resourceId, c.resourceId);
      assert.equal(ofB.booked + ofC.booked, 2);
      assert.equal(ofB.cancelled + ofC.cancelled, 1);
      // Half-open: a period ending when the first window starts holds nothing of that day.
      const empty = await t.core.booking.countAppointments(admin, TENANT, { from: D1.from, to: D1_0900 });
      assert.equal(
        Object.values(empty).reduce((x, y) => x + y, 0),
        0,
      );
    });

    it('counts the live appointments of a resource or a participant that overlap a period', async () => {
      const p1 = await t.core.booking.getAppointment(admin, TENANT, 'p-1');
      const c1 = await t.core.booking.getAppointment(admin, TENANT, 'c-1');
      const count = (f: { resourceId?: string; participantId?: string; from?: Date; to?: Date }) =>
        t.core.booking.countOverlapping(admin, TENANT, { from: f.from ?? D1.from, to: f.to ?? D1.to, ...f });
      const byResource =
        (await count({ resourceId: p1.resourceId! })) +
        (p1.resourceId === c1.resourceId ? 0 : await count({ resourceId: c1.resourceId! }));
      assert.equal(byResource, 2, 'the cancelled c-2 does not count');
      assert.equal(await count({ participantId: 'agent-7' }), 1);
      await t.core.booking.addParticipant(admin, TENANT, 'c-1', { participant: { role: 'agent', id: 'agent-7' } });
      assert.equal(await count({ participantId: 'agent-7' }), 2);
      assert.equal(
        await count({ participantId: 'agent-7', resourceId: p1.resourceId! }),
        p1.resourceId === c1.resourceId ? 2 : 1,
      );
      // Only what overlaps: the 09:00 window alone.
      assert.equal(await count({ participantId: 'agent-7', from: D1_0900, to: D1_1100 }), 1);
      await t.core.booking.changeStatus(admin, TENANT, 'c-1', { to: 'cancelled' });
      assert.equal(await count({ participantId: 'agent-7' }), 1);
    });

    it('refuses a period that is empty or too long, and a count of nobody', async () => {
      await assert.rejects(t.core.booking.countAppointments(admin, TENANT, { from: D1.to, to: D1.from }), {
        code: 'INVALID_INPUT',
      });
      await assert.rejects(
        t.core.booking.countAppointments(admin, TENANT, {
          from: D1.from,
          to: new Date(D1.from.getTime() + 400 * 86_400_000),
        }),
        { code: 'INVALID_INPUT', message: /366 days/ },
      );
      await assert.rejects(t.core.booking.countOverlapping(admin, TENANT, D1), { code: 'INVALID_INPUT' });
      await assert.rejects(t.core.booking.countAppointments(otherTenant, TENANT, D1), { code: 'NOT_ALLOWED' });
    });
  });

  describe('rescheduling onto a hold', () => {
    const D3_0900 = new Date('2027-01-07T08:00:00Z');
    const D3_1100 = new Date('2027-01-07T10:00:00Z');
    const hold = (start: Date, extra: object = {}) =>
      t.core.holds.createHold(admin, TENANT, {
        serviceIds: ['install'],
        location: { siteId: 'site-1' },
        start,
        ttlSec: 60,
        ...extra,
      });

    it("takes the hold's time and resource, frees the old time, with one event, atomically", async () => {
      const a = await book('r-1', D3_0900, { resourceId: 'tech-1' });
      const h = await hold(D3_1100, { resourceId: 'tech-2' });
      assert.deepEqual([await freeAt(D3_0900), await freeAt(D3_1100)], [1, 1]);
      const moved = await t.core.booking.rescheduleOntoHold(admin, TENANT, 'r-1', {
        holdId: h.id,
        expectedVersion: a.version,
      });
      assert.deepEqual(
        [moved.start, moved.end, moved.resourceId, moved.status, moved.version],
        [h.start, h.end, 'tech-2', 'booked', a.version + 1],
      );
      assert.deepEqual(
        [await freeAt(D3_0900), await freeAt(D3_1100)],
        [2, 1],
        'old time free again, the hold time taken once',
      );
      const held = await t.core.holds.getHold(admin, TENANT, h.id);
      assert.deepEqual([held.status, held.appointmentId], ['converted', 'r-1']);
      assert.deepEqual(await types('r-1'), ['appointment.created', 'appointment.rescheduled']);
      assert.deepEqual(
        (await listHoldEvents(t.db, TENANT, h.id)).map((e) => e.type),
        ['hold.created', 'hold.converted'],
      );
      const live = await t.db.query<{ resource_id: string; hold_id: string | null }>(
        `SELECT resource_id, hold_id FROM allocations WHERE tenant_id = $1 AND appointment_id = 'r-1' AND active`,
        [TENANT],
      );
      assert.deepEqual(live.rows, [{ resource_id: 'tech-2', hold_id: null }]);
    });

    it('refuses a used or expired hold, a stale version and a finished appointment, changing nothing', async () => {
      const a = await t.core.booking.getAppointment(admin, TENANT, 'r-1');
      const used = (
        await t.db.query<{ hold_id: string }>(
          `SELECT hold_id FROM holds WHERE tenant_id = $1 AND appointment_id = 'r-1'`,
          [TENANT],
        )
      ).rows[0].hold_id;
      await assert.rejects(t.core.booking.rescheduleOntoHold(admin, TENANT, 'r-1', { holdId: used }), {
        code: 'CONFLICT',
        message: /converted/,
      });
      await assert.rejects(t.core.booking.rescheduleOntoHold(admin, TENANT, 'r-1', { holdId: 'no-such-hold' }), {
        code: 'NOT_FOUND',
      });
      const h = await hold(D3_0900, { ttlSec: 10 });
      await assert.rejects(
        t.core.booking.rescheduleOntoHold(admin, TENANT, 'r-1', { holdId: h.id, expectedVersion: a.version - 1 }),
        { code: 'CONFLICT', message: /changed meanwhile/ },
      );
      t.setNow(new Date(NOW.getTime() + 11_000));
      try {
        await assert.rejects(t.core.booking.rescheduleOntoHold(admin, TENANT, 'r-1', { holdId: h.id }), {
          code: 'CONFLICT',
          message: /expired/,
        });
      } finally {
        t.setNow(NOW);
      }
      await t.core.booking.changeStatus(admin, TENANT, 'r-1', { to: 'completed' });
      const h2 = await hold(D3_0900);
      await assert.rejects(t.core.booking.rescheduleOntoHold(admin, TENANT, 'r-1', { holdId: h2.id }), {
        code: 'INVALID_INPUT',
        message: /completed/,
      });
      assert.equal((await t.core.holds.getHold(admin, TENANT, h2.id)).status, 'active');
      const after = await t.core.booking.getAppointment(admin, TENANT, 'r-1');
      assert.deepEqual([after.start, after.resourceId, after.status], [a.start, 'tech-2', 'completed']);
    });

    it('two appointments racing onto one hold: one gets it, the other stays where it was', async () => {
      const x = await book('race-x', new Date('2027-01-09T08:00:00Z'), { resourceId: 'tech-1' });
      const y = await book('race-y', new Date('2027-01-09T08:00:00Z'), { resourceId: 'tech-2' });
      const h = await hold(new Date('2027-01-09T10:00:00Z'));
      const results = await Promise.allSettled(
        [x, y].map((a) => t.core.booking.rescheduleOntoHold(admin, TENANT, a.id, { holdId: h.id })),
      );
      assert.deepEqual(results.map((r) => r.status).sort(), ['fulfilled', 'rejected']);
      const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      assert.equal(lost.reason.code, 'CONFLICT');
      const winner = (results.find((r) => r.status === 'fulfilled') as PromiseFulfilledResult<{ id: string }>).value.id;
      const loser = winner === 'race-x' ? y : x;
      const after = await t.core.booking.getAppointment(admin, TENANT, loser.id);
      assert.deepEqual([after.start, after.resourceId, after.version], [loser.start, loser.resourceId, loser.version]);
      assert.equal((await t.core.holds.getHold(admin, TENANT, h.id)).appointmentId, winner);
    });

    it('refuses a hold taken for other services', async () => {
      await t.core.catalog.createService(admin, TENANT, {
        id: 'repair',
        name: 'Repair',
        durationMin: 60,
        rules: { minNoticeMin: 60, horizonDays: 60 },
        slotPolicy: { kind: 'windows', windows: [{ start: '15:00', end: '17:00' }] },
      });
      await t.core.catalog.updateResource(admin, TENANT, 'tech-1', { serviceIds: ['install', 'repair'] });
      const a = await book('r-2', new Date('2027-01-08T08:00:00Z'));
      const h = await t.core.holds.createHold(admin, TENANT, {
        serviceIds: ['repair'],
        location: { siteId: 'site-1' },
        start: new Date('2027-01-08T14:00:00Z'),
      });
      await assert.rejects(t.core.booking.rescheduleOntoHold(admin, TENANT, 'r-2', { holdId: h.id }), {
        code: 'INVALID_INPUT',
        message: /other services/,
      });
      assert.equal((await t.core.holds.getHold(admin, TENANT, h.id)).status, 'active');
      assert.equal((await t.core.booking.getAppointment(admin, TENANT, 'r-2')).version, a.version);
    });
  });
});
