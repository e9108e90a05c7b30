import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { listHoldEvents } from '../../src/core/events/event.repository.ts';
import type { EventConsumer, RecordedEvent } from '../../src/core/events/event.types.ts';
import { createOutbox } from '../../src/core/events/outbox.ts';
import { createBookingService } from '../../src/core/booking/booking.service.ts';
import { createCatalogCache } from '../../src/core/catalog/catalog.cache.ts';
import type { Principal } from '../../src/core/types.ts';
import { admin, createTestApp, type TestApp } from '../helpers/test-app.ts';
import { createScenario } from '../helpers/scenario.ts';

const NOW = new Date('2027-01-04T06:00:00Z');
const DAY1 = new Date('2027-01-05T08:00:00Z'); // 09:00 Madrid
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('the outbox', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp({ now: NOW });
    await createScenario(t.core, { tenantId: 'ob', resources: 2 });
  });
  after(() => t.close());

  const count = async (sql: string, params: unknown[] = []) => (await t.db.query<{ n: number }>(sql, params)).rows[0].n;
  const book = (id: string, start = DAY1, p: Principal = admin) =>
    t.core.booking.createAppointment(p, 'ob', { id, serviceIds: ['install'], location: { siteId: 'site-1' }, start });

  it('numbers the events of each appointment 1, 2, 3…, each with its own id, actor and correlation id', async () => {
    const caller: Principal = { ...admin, subject: 'ops-desk', correlationId: 'req-42' };
    await book('ob-1', DAY1, caller);
    await book('ob-2');
    await t.core.booking.updateAppointment(caller, 'ob', 'ob-1', { notesToAdd: [{ text: 'gate code 1234' }] });
    await t.core.booking.changeStatus(admin, 'ob', 'ob-1', { to: 'cancelled', reason: 'customer away' });
    const one = (await t.core.booking.getHistory(admin, 'ob', 'ob-1')).items;
    assert.deepEqual(
      one.map((e) => [e.seq, e.type]),
      [
        [1, 'appointment.created'],
        [2, 'appointment.updated'],
        [3, 'appointment.status_changed'],
      ],
    );
    assert.deepEqual(
      one.map((e) => [e.actor, e.correlationId]),
      [
        ['ops-desk', 'req-42'],
        ['ops-desk', 'req-42'],
        ['system', null],
      ],
    );
    for (const e of one) assert.match(e.id, UUID);
    assert.equal(new Set(one.map((e) => e.id)).size, 3);
    assert.deepEqual([one[2].previous?.status, one[2].current.status], ['booked', 'cancelled']);
    const two = (await t.core.booking.getHistory(admin, 'ob', 'ob-2')).items;
    assert.deepEqual(
      two.map((e) => e.seq),
      [1],
    );
  });

  it('hands each event to every consumer inside the transaction that records it', async () => {
    const seen: RecordedEvent[] = [];
    const probe: EventConsumer = {
      name: 'probe',
      async onEvent(tx, e) {
        seen.push(e);
        await t.runtime.jobs.enqueue(tx, 'hold-expiry', { tenantId: 'ob', holdId: `probe-${e.id}` });
      },
    };
    const outbox = createOutbox({ newId: randomUUID, consumers: [probe] });
    const current = await t.core.booking.getAppointment(admin, 'ob', 'ob-2');
    const recorded = await t.db.transaction((tx) =>
      outbox.recordEvent(tx, {
        type: 'appointment.updated',
        actor: 'test',
        correlationId: 'req-1',
        at: NOW,
        previous: current,
        current,
      }),
    );
    assert.equal(recorded.seq, 2);
    assert.deepEqual(seen, [recorded]);
    assert.equal(
      await count(`SELECT count(*)::int AS n FROM pgboss.job WHERE data->>'holdId' = $1`, [`probe-${recorded.id}`]),
      1,
    );

    // Rolled back after the consumer ran: neither the event nor the consumer's job remains.
    await assert.rejects(
      t.db.transaction(async (tx) => {
        const e = await outbox.recordEvent(tx, {
          type: 'appointment.updated',
          actor: 'test',
          correlationId: null,
          at: NOW,
          previous: current,
          current,
        });
        seen.push(e);
        throw new Error('after the event');
      }),
      /after the event/,
    );
    const rolledBack = seen[seen.length - 1];
    assert.equal(
      await count(`SELECT count(*)::int AS n FROM pgboss.job WHERE data->>'holdId' = $1`, [`probe-${rolledBack.id}`]),
      0,
    );

    // A consumer that fails fails the change: the event is not recorded either.
    const failing = createOutbox({
      newId: randomUUID,
      consumers: [{ name: 'broken', onEvent: async () => Promise.reject(new Error('consumer down')) }],
    });
    await assert.rejects(
      t.db.transaction((tx) =>
        failing.recordEvent(tx, {
          type: 'appointment.updated',
          actor: 'test',
          correlationId: null,
          at: NOW,
          previous: current,
          current,
        }),
      ),
      /consumer down/,
    );
    assert.deepEqual(
      (await t.core.booking.getHistory(admin, 'ob', 'ob-2')).items.map((e) => e.seq),
      [1, 2],
    );
  });

  it('the one-statement booking hands its appointment.created to the consumers in the same transaction', async () => {
    const seen: RecordedEvent[] = [];
    const probe: EventConsumer = {
      name: 'probe',
      async onEvent(tx, e) {
        seen.push(e);
        await t.runtime.jobs.enqueue(tx, 'hold-expiry', { tenantId: 'ob', holdId: `probe-${e.id}` });
      },
    };
    const bookingWith = (consumer: EventConsumer) =>
      createBookingService(
        t.runtime.coreDeps,
        createOutbox({ newId: randomUUID, consumers: [consumer] }),
        createCatalogCache(),
      );
    const start = new Date('2027-01-08T08:00:00Z');
    const { appointment } = await bookingWith(probe).createAppointment(admin, 'ob', {
      id: 'ob-3',
      serviceIds: ['install'],
      location: { siteId: 'site-1' },
      start,
    });
    const {
      items: [stored],
    } = await t.core.booking.getHistory(admin, 'ob', 'ob-3');
    assert.deepEqual(seen, [stored]);
    assert.deepEqual(
      [stored.seq, stored.type, stored.current.resourceId],
      [1, 'appointment.created', appointment.resourceId],
    );
    assert.equal(
      await count(`SELECT count(*)::int AS n FROM pgboss.job WHERE data->>'holdId' = $1`, [`probe-${stored.id}`]),
      1,
    );

    // A consumer that fails fails the booking: no appointment, no allocation.
    const broken: EventConsumer = { name: 'broken', onEvent: async () => Promise.reject(new Error('consumer down')) };
    await assert.rejects(
      bookingWith(broken).createAppointment(admin, 'ob', {
        id: 'ob-4',
        serviceIds: ['install'],
        location: { siteId: 'site-1' },
        start,
      }),
      /consumer down/,
    );
    assert.equal(await count(`SELECT count(*)::int AS n FROM appointments WHERE appointment_id = 'ob-4'`), 0);
    assert.equal(await count(`SELECT count(*)::int AS n FROM allocations WHERE appointment_id = 'ob-4'`), 0);
  });

  it('records every change of a hold in its own stream; created and extended holds get their expiry job', async () => {
    const hold = () =>
      t.core.holds.createHold({ ...admin, correlationId: 'req-hold' }, 'ob', {
        serviceIds: ['install'],
        location: { siteId: 'site-1' },
        start: new Date('2027-01-06T08:00:00Z'),
        ttlSec: 60,
      });
    const h = await hold();
    await t.core.holds.extendHold(admin, 'ob', h.id, 120);
    await t.core.holds.releaseHold(admin, 'ob', h.id);
    const events = await listHoldEvents(t.db, 'ob', h.id);
    assert.deepEqual(
      events.map((e) => [e.seq, e.type, e.hold.status]),
      [
        [1, 'hold.created', 'active'],
        [2, 'hold.extended', 'active'],
        [3, 'hold.released', 'released'],
      ],
    );
    assert.equal(events[0].correlationId, 'req-hold');
    assert.equal(events[1].hold.expiresAt.getTime(), NOW.getTime() + 120_000);
    assert.equal(
      await count(`SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'hold-expiry' AND data->>'holdId' = $1`, [
        h.id,
      ]),
      2,
    );

    const c = await hold();
    const { appointment } = await t.core.booking.createAppointment(admin, 'ob', {
      serviceIds: ['install'],
      location: { siteId: 'site-1' },
      start: c.start,
      holdId: c.id,
    });
    const converted = await listHoldEvents(t.db, 'ob', c.id);
    assert.deepEqual(
      converted.map((e) => e.type),
      ['hold.created', 'hold.converted'],
    );
    assert.equal(converted[1].hold.appointmentId, appointment.id);
    assert.deepEqual(
      (await t.core.booking.getHistory(admin, 'ob', appointment.id)).items.map((e) => e.type),
      ['appointment.created'],
    );
  });

  it('records hold.expired once, also when a booking switched the stale hold off first', async () => {
    const at = new Date('2027-01-07T08:00:00Z');
    const h = await t.core.holds.createHold(admin, 'ob', {
      serviceIds: ['install'],
      location: { siteId: 'site-1' },
      start: at,
      resourceId: 'tech-1',
      ttlSec: 10,
    });
    t.setNow(new Date(NOW.getTime() + 11_000));
    try {
      // Takes the expired hold's place on tech-1 before its expiry job ran.
      await t.core.booking.createAppointment(admin, 'ob', {
        serviceIds: ['install'],
        location: { siteId: 'site-1' },
        start: at,
        resourceId: 'tech-1',
      });
      assert.equal(await t.core.holds.expireHold('ob', h.id), true);
      assert.equal(await t.core.holds.expireHold('ob', h.id), false, 'a second run of the job records nothing');
    } finally {
      t.setNow(NOW);
    }
    const events = await listHoldEvents(t.db, 'ob', h.id);
    assert.deepEqual(
      events.map((e) => [e.type, e.actor]),
      [
        ['hold.created', 'system'],
        ['hold.expired', 'system'],
      ],
    );
  });
});
