import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import type { Database } from '../../src/db/database.ts';
import { migrate } from '../../src/db/migrate.ts';
import { openPglite } from '../../src/db/pglite.ts';
import { openPostgres } from '../../src/db/postgres.ts';
import { createScratchDatabase } from '../helpers/test-db.ts';

describe('002_outbox on a database that already has events', () => {
  it('gives every existing event its own id and keeps its sequence numbers', async () => {
    const scratch = await createScratchDatabase();
    const db: Database = scratch ? openPostgres({ connectionString: scratch.url }) : await openPglite(null);
    try {
      await db.exec(await readFile(new URL('../../src/db/migrations/001_init.sql', import.meta.url), 'utf8'));
      await db.exec(`CREATE TABLE schema_migrations (version text PRIMARY KEY, applied_at timestamptz NOT NULL
        DEFAULT now());
        INSERT INTO schema_migrations (version) VALUES ('001');
        INSERT INTO tenants VALUES ('old', 'Old', now(), now());
        INSERT INTO appointments (tenant_id, appointment_id, service_ids, status, participants, notes, attributes,
        version, created_at, updated_at)
          VALUES ('old', 'a-1', '{svc}', 'requested', '[]', '[]', '{}', 2, now(), now());
        INSERT INTO appointment_events (tenant_id, appointment_id, seq, event_type, actor, occurred_at, previous,
        current)
          VALUES ('old', 'a-1', 1, 'appointment.created', 'x', now(), NULL, '{}'), ('old', 'a-1', 2,
          'appointment.updated', 'x', now(), '{}', '{}');`);
      // 002 first; later migrations (003_webhooks…) follow on the same run.
      assert.equal((await migrate(db))[0], '002_outbox.sql');
      const { rows } = await db.query<{ seq: number; event_id: string | null; correlation_id: string | null }>(
        `SELECT seq, event_id::text, correlation_id FROM appointment_events ORDER BY seq`,
      );
      assert.deepEqual(
        rows.map((r) => [r.seq, r.correlation_id]),
        [
          [1, null],
          [2, null],
        ],
      );
      assert.ok(
        rows.every((r) => r.event_id),
        'every event has an id',
      );
      assert.notEqual(rows[0].event_id, rows[1].event_id);
      // The sequence stays unique per appointment.
      await assert.rejects(
        db.query(`INSERT INTO appointment_events (tenant_id, appointment_id, seq, event_id, event_type, actor,
          occurred_at, current)
          VALUES ('old', 'a-1', 2, gen_random_uuid(), 'appointment.updated', 'x', now(), '{}')`),
      );
    } finally {
      await db.close();
      await scratch?.drop();
    }
  });
});

describe('004 on a database whose work orders were booked before it', () => {
  it(
    'marks the oldest live appointment of each field-service work order exclusive, even where an older build let ' +
      'two live ones in',
    async () => {
      const scratch = await createScratchDatabase();
      const db: Database = scratch ? openPostgres({ connectionString: scratch.url }) : await openPglite(null);
      try {
        await db.exec(await readFile(new URL('../../src/db/migrations/001_init.sql', import.meta.url), 'utf8'));
        await db.exec(`CREATE TABLE schema_migrations (version text PRIMARY KEY, applied_at timestamptz NOT NULL
        DEFAULT now());
        INSERT INTO schema_migrations (version) VALUES ('001');
        INSERT INTO tenants VALUES ('old', 'Old', now(), now());
        INSERT INTO appointments (tenant_id, appointment_id, service_ids, status, external_ref, participants,
        notes, attributes, version, created_at, updated_at) VALUES
          ('old', 'a-1', '{svc}', 'requested', 'WO-1', '[]', '[]', '{"tmf646": {}}', 1, '2026-01-01', now()),
          ('old', 'a-2', '{svc}', 'requested', 'WO-1', '[]', '[]', '{"tmf646": {}}', 1, '2026-01-02', now()),
          ('old', 'a-3', '{svc}', 'cancelled', 'WO-1', '[]', '[]', '{"tmf646": {}}', 1, '2025-12-01', now()),
          ('old', 'a-4', '{svc}', 'requested', 'REF', '[]', '[]', '{}', 1, '2026-01-01', now());`);
        assert.ok((await migrate(db)).includes('004_booking_round_trip.sql'));
        const { rows } = await db.query<{ appointment_id: string; exclusive_ref: boolean }>(
          'SELECT appointment_id, exclusive_ref FROM appointments ORDER BY appointment_id',
        );
        assert.deepEqual(
          rows.map((r) => [r.appointment_id, r.exclusive_ref]),
          [
            ['a-1', true],
            ['a-2', false],
            ['a-3', true],
            ['a-4', false],
          ],
        );
        // From now on the index refuses a second live one: reopening the cancelled appointment.
        await assert.rejects(db.query(`UPDATE appointments SET status = 'booked' WHERE appointment_id = 'a-3'`), {
          code: '23505',
        });
      } finally {
        await db.close();
        await scratch?.drop();
      }
    },
  );
});
