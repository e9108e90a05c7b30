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
      await db.exec(`CREATE TABLE schema_migrations (version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now());
        INSERT INTO schema_migrations (version) VALUES ('001');
        INSERT INTO tenants VALUES ('old', 'Old', now(), now());
        INSERT INTO appointments (tenant_id, appointment_id, service_ids, status, participants, notes, attributes, version, created_at, updated_at)
          VALUES ('old', 'a-1', '{svc}', 'requested', '[]', '[]', '{}', 2, now(), now());
        INSERT INTO appointment_events (tenant_id, appointment_id, seq, event_type, actor, occurred_at, previous, current)
          VALUES ('old', 'a-1', 1, 'appointment.created', 'x', now(), NULL, '{}'), ('old', 'a-1', 2, 'appointment.updated', 'x', now(), '{}', '{}');`);
      assert.equal((await migrate(db))[0], '002_outbox.sql');
      const { rows } = await db.query<{ seq: number; event_id: string | null; correlation_id: string | null }>(
        `SELECT seq, event_id::text, correlation_id FROM appointment_events ORDER BY seq`,
      );
      assert.deepEqual(rows.map((r) => [r.seq, r.correlation_id]), [
        [1, null],
        [2, null],
      ]);
      assert.ok(rows.every((r) => r.event_id), 'every event has an id');
      assert.notEqual(rows[0].event_id, rows[1].event_id);
      // The sequence stays unique per appointment.
      await assert.rejects(
        db.query(`INSERT INTO appointment_events (tenant_id, appointment_id, seq, event_id, event_type, actor, occurred_at, current)
          VALUES ('old', 'a-1', 2, gen_random_uuid(), 'appointment.updated', 'x', now(), '{}')`),
      );
    } finally {
      await db.close();
      await scratch?.drop();
    }
  });
});
