/**
 * The catalog is read from memory, per process: a change made through another process on the same
 * database (on PostgreSQL, a second runtime with its own pool; on PGlite, a second core over the
 * same database, which is all one embedded database allows) is seen by this one's next booking
 * and slot search.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createCore, type Core } from '../../src/core/core.ts';
import { startRuntime, type Runtime } from '../../src/runtime.ts';
import { createScenario, weekdays } from '../helpers/scenario.ts';
import { admin } from '../helpers/test-app.ts';
import { createScratchDatabase, serverUrl } from '../helpers/test-db.ts';

const START = new Date('2027-01-05T08:00:00Z');
const LATER = new Date('2027-01-05T10:00:00Z');
const FROM = new Date('2027-01-05T00:00:00Z');
const TO = new Date('2027-01-06T00:00:00Z');

const runtimeOn = (databaseUrl: string | null, now: () => Date) =>
  startRuntime({
    config: {
      databaseUrl,
      dataDir: '',
      adminToken: 'x'.repeat(32),
      jwt: { secret: 'y'.repeat(40), jwksUrl: null, issuer: null, audience: null },
      piiHashKey: 'test-pii-key',
    },
    log: { info() {}, warn() {}, error() {} },
    now,
    inMemory: true,
    runWorkers: false,
  });

describe('the catalog in memory, changed by another process', () => {
  const now = () => new Date('2027-01-04T06:00:00Z');
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  let a: Runtime;
  let other: Runtime | null = null;
  let b: Core;
  before(async () => {
    scratch = await createScratchDatabase();
    a = await runtimeOn(scratch?.url ?? null, now);
    // PostgreSQL: a second runtime with its own pool on the same database. PGlite: a second core over the same
    // database.
    other = scratch ? await runtimeOn(scratch.url, now) : null;
    b = other?.core ?? createCore(a.coreDeps);
    await createScenario(a.core, { tenantId: 'cc', resources: 2 });
  });
  after(async () => {
    await other?.close();
    await a.close();
    await scratch?.drop();
  });

  const bookThroughB = (id: string, start: Date, serviceIds = ['install']) =>
    b.booking.createAppointment(admin, 'cc', { id, serviceIds, location: { siteId: 'site-1' }, start });

  it('runs B as a process apart from A', () => {
    assert.notEqual(b, a.core);
    if (serverUrl) assert.notEqual(other!.db, a.db);
  });

  it(
    "a service created through A can be booked through B at once (B had the tenant's catalog in memory " + 'already)',
    async () => {
      assert.equal((await bookThroughB('b-1', START)).appointment.resourceId !== null, true);
      await assert.rejects(bookThroughB('b-2', START, ['repair']), {
        code: 'INVALID_INPUT',
        message: /Unknown service repair/,
      });
      await a.core.catalog.createService(admin, 'cc', {
        id: 'repair',
        name: 'Repair',
        durationMin: 60,
        rules: { minNoticeMin: 60, horizonDays: 60 },
        slotPolicy: {
          kind: 'windows',
          windows: [
            { start: '09:00', end: '11:00' },
            { start: '11:00', end: '13:00' },
          ],
        },
      });
      await a.core.catalog.updateResource(admin, 'cc', 'tech-1', { serviceIds: ['install', 'repair'] });
      await a.core.catalog.updateResource(admin, 'cc', 'tech-2', { serviceIds: ['install', 'repair'] });
      assert.equal((await bookThroughB('b-3', LATER, ['repair'])).appointment.serviceIds[0], 'repair');
    },
  );

  it("working hours shortened through A take the time away in B's next slot search and booking", async () => {
    const before = await b.booking.searchSlots(admin, 'cc', {
      serviceIds: ['install'],
      location: { siteId: 'site-1' },
      from: FROM,
      to: TO,
    });
    const at = (r: typeof before, start: Date) => r.slots.find((s) => s.start.getTime() === start.getTime());
    assert.equal(at(before, LATER)?.free, 1, 'one technician left at 11:00 Madrid (the other took the repair)');
    for (const id of ['tech-1', 'tech-2'])
      await a.core.catalog.updateResource(admin, 'cc', id, { workingHours: weekdays('08:00', '10:00') });
    const after = await b.booking.searchSlots(admin, 'cc', {
      serviceIds: ['install'],
      location: { siteId: 'site-1' },
      from: FROM,
      to: TO,
    });
    assert.equal(at(after, LATER)?.free ?? 0, 0, 'nobody works at 11:00 Madrid any more');
    await assert.rejects(bookThroughB('b-4', LATER), { message: 'The requested time is no longer available' });
  });

  it('a webhook subscription created through A gets the delivery of the next booking made through B', async () => {
    for (const id of ['tech-1', 'tech-2'])
      await a.core.catalog.updateResource(admin, 'cc', id, { workingHours: weekdays('08:00', '18:00') });
    const first = await b.booking.createAppointment(admin, 'cc', {
      id: 'b-5',
      serviceIds: ['install'],
      location: { siteId: 'site-1' },
      start: new Date('2027-01-06T08:00:00Z'),
    });
    assert.equal(first.replayed, false, 'B books without subscribers first (its catalog copy says none)');
    const sub = await a.core.webhooks.createSubscription(admin, 'cc', { url: 'https://hooks.example.com/cc' });
    const booked = await b.booking.createAppointment(admin, 'cc', {
      id: 'b-6',
      serviceIds: ['install'],
      location: { siteId: 'site-1' },
      start: new Date('2027-01-06T10:00:00Z'),
    });
    const { items } = await a.core.webhooks.listDeliveries(admin, 'cc', sub.id, {});
    assert.deepEqual(
      items.map((d) => d.appointmentId),
      [booked.appointment.id],
      'the booking through B queued its delivery: B saw the subscription although its catalog copy predates it',
    );
  });
});
