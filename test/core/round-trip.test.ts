/**
 * What a running server pays per request once a tenant's catalog is in memory: a booking with a
 * time is one statement (no transaction of its own), a slot search one statement. Counted on the
 * database the core is built over.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createCore, type Core } from '../../src/core/core.ts';
import type { Database, Queryable } from '../../src/db/database.ts';
import type { Principal } from '../../src/core/types.ts';
import { createScenario } from '../helpers/scenario.ts';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';

const key: Principal = { kind: 'api-key', tenantId: 'rt', subject: 'key:rt', roles: ['tenant-admin'] };

/** The same database, every statement recorded (BEGIN and COMMIT of a transaction included). */
function recording(db: Database): { db: Database; sql: string[] } {
  const sql: string[] = [];
  const wrap = (q: Queryable): Queryable => ({
    query: (text, params) => {
      sql.push(text);
      return q.query(text, params);
    },
  });
  const recorded: Database = {
    ...db,
    query: wrap(db).query,
    transaction: (fn) => {
      sql.push('BEGIN');
      return db.transaction((tx) => fn(wrap(tx))).finally(() => sql.push('COMMIT'));
    },
  };
  return { db: recorded, sql };
}

describe('one round trip per booking and per slot search', () => {
  let t: TestApp;
  let core: Core;
  let sql: string[];
  before(async () => {
    t = await createTestApp({ now: '2027-01-04T06:00:00Z' });
    await createScenario(t.core, { tenantId: 'rt', resources: 3 });
    const r = recording(t.db);
    core = createCore({ ...t.runtime.coreDeps, db: r.db });
    sql = r.sql;
  });
  after(() => t.close());

  const book = (id: string, start: string, extra = {}) =>
    core.booking.createAppointment(key, 'rt', {
      id,
      serviceIds: ['install'],
      location: { siteId: 'site-1' },
      start: new Date(start),
      customer: { name: 'Ada', personalId: '12345678Z' },
      externalRef: `WO-${id}`,
      exclusiveExternalRef: true,
      idempotency: { key: `k-${id}`, fingerprint: 'f' },
      ...extra,
    });

  it(
    'books with one statement once the catalog is in memory, ' + 'customer, work order and Idempotency-Key included',
    async () => {
      await book('rt-1', '2027-01-05T08:00:00Z');
      sql.length = 0;
      const { appointment } = await book('rt-2', '2027-01-05T10:00:00Z');
      assert.equal(sql.length, 1, sql.join('\n'));
      assert.match(sql[0], /book_appointment/);
      const stored = await t.core.booking.getAppointment(key, 'rt', 'rt-2');
      assert.deepEqual(
        [stored.resourceId, stored.customerId, stored.externalRef],
        [appointment.resourceId, appointment.customerId, 'WO-rt-2'],
      );
      assert.equal(
        stored.customerId,
        (await t.core.booking.getAppointment(key, 'rt', 'rt-1')).customerId,
        'the same customer, found by document',
      );
    },
  );

  it('searches slots with one statement', async () => {
    sql.length = 0;
    const found = await core.booking.searchSlots(key, 'rt', {
      serviceIds: ['install'],
      location: { siteId: 'site-1' },
      from: new Date('2027-01-05T00:00:00Z'),
      to: new Date('2027-01-06T00:00:00Z'),
    });
    assert.equal(sql.length, 1, sql.join('\n'));
    assert.deepEqual(
      found.slots.map((s) => s.free),
      [2, 2],
      'three technicians, one booked in each window',
    );
  });
});
