import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { randomUUID } from 'node:crypto';
import { createConsumers } from '../../src/core/events/consumers.ts';
import { createOutbox } from '../../src/core/events/outbox.ts';
import { admin, createTestApp, type TestApp } from '../helpers/test-app.ts';
import { createScenario } from '../helpers/scenario.ts';

const START = new Date('2027-01-05T08:00:00Z');

describe('a change and its outgoing work commit together', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp({ now: '2027-01-04T06:00:00Z' });
    await createScenario(t.core, { tenantId: 'tx', resources: 1 });
  });
  after(() => t.close());

  const count = async (sql: string, params: unknown[] = []) => (await t.db.query<{ n: number }>(sql, params)).rows[0].n;

  it('a rolled-back transaction leaves no event and no job', async () => {
    const { appointment } = await t.core.booking.createAppointment(admin, 'tx', {
      id: 'a-1',
      serviceIds: ['install'],
      location: { siteId: 'site-1' },
      start: START,
    });
    const eventsBefore = await count(`SELECT count(*)::int AS n FROM appointment_events WHERE tenant_id = 'tx'`);
    const jobsBefore = await count(`SELECT count(*)::int AS n FROM pgboss.job`);
    await assert.rejects(
      t.db.transaction(async (tx) => {
        const outbox = createOutbox({ newId: randomUUID, consumers: createConsumers(t.runtime.coreDeps) });
        await outbox.recordEvent(tx, {
          type: 'appointment.updated',
          actor: 'test',
          correlationId: null,
          at: t.now(),
          previous: appointment,
          current: appointment,
        });
        await t.runtime.jobs.enqueue(tx, 'hold-expiry', { tenantId: 'tx', holdId: 'nope' });
        throw new Error('boom after the writes');
      }),
      /boom/,
    );
    assert.equal(await count(`SELECT count(*)::int AS n FROM appointment_events WHERE tenant_id = 'tx'`), eventsBefore);
    assert.equal(await count(`SELECT count(*)::int AS n FROM pgboss.job`), jobsBefore);
  });

  it('a refused booking writes nothing: no appointment, no customer, no event, no allocation', async () => {
    const tables = ['appointments', 'customers', 'appointment_events', 'allocations'];
    const before = await Promise.all(
      tables.map((tb) => count(`SELECT count(*)::int AS n FROM ${tb} WHERE tenant_id = 'tx'`)),
    );
    await assert.rejects(
      t.core.booking.createAppointment(admin, 'tx', {
        serviceIds: ['install'],
        location: { siteId: 'site-1' },
        start: START,
        customer: { name: 'Ana', personalId: '12345678Z' },
      }),
      { code: 'SLOT_UNAVAILABLE' },
    );
    const afterCounts = await Promise.all(
      tables.map((tb) => count(`SELECT count(*)::int AS n FROM ${tb} WHERE tenant_id = 'tx'`)),
    );
    assert.deepEqual(afterCounts, before);
  });

  it('a failed hold leaves no expiry job behind', async () => {
    const jobsBefore = await count(`SELECT count(*)::int AS n FROM pgboss.job`);
    await assert.rejects(
      t.core.holds.createHold(admin, 'tx', { serviceIds: ['install'], location: { siteId: 'site-1' }, start: START }),
      { code: 'SLOT_UNAVAILABLE' },
    );
    assert.equal(await count(`SELECT count(*)::int AS n FROM pgboss.job`), jobsBefore);
  });
});
