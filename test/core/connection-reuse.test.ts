import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Database } from '../../src/db/database.ts';
import { openPostgres } from '../../src/db/postgres.ts';
import { createScratchDatabase } from '../helpers/test-db.ts';

/**
 * A refused statement (a booking refused by the database, a duplicate key) is an everyday answer,
 * not a broken connection: the connection goes back to the pool. Only a connection that failed is
 * replaced. PostgreSQL only: PGlite has a single session.
 */
describe('PostgreSQL connections outlive refused statements', { skip: !process.env.TEST_DATABASE_URL }, () => {
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  let db: Database;
  before(async () => {
    scratch = await createScratchDatabase();
    // One connection, so "the same connection" is observable as the same backend.
    db = openPostgres({ connectionString: scratch!.url, maxConnections: 1 });
  });
  after(async () => {
    await db.close();
    await scratch?.drop();
  });

  const backend = async () => (await db.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;

  it('keeps the connection after a statement fails, raises or rolls back a transaction', async () => {
    const pid = await backend();
    await assert.rejects(db.query('SELECT 1 / 0'), { code: '22012' });
    await assert.rejects(
      db.query(`DO $$ BEGIN RAISE EXCEPTION 'no candidate is free' USING ERRCODE = 'SB003'; END $$`),
      { code: 'SB003' },
    );
    await assert.rejects(
      db.transaction(async (tx) => {
        await tx.query('SELECT 1');
        await tx.query('SELECT 1 / 0');
      }),
      { code: '22012' },
    );
    assert.equal(await backend(), pid, 'the same backend answers');
  });

  it('replaces a connection whose backend went away', async () => {
    const pid = await backend();
    await assert.rejects(db.query('SELECT pg_terminate_backend(pg_backend_pid())'), { code: '57P01' });
    const next = await backend();
    assert.notEqual(next, pid);
  });

  it('replaces the connection after a failed script, which may have left a transaction open', async () => {
    await assert.rejects(db.exec('BEGIN; SELECT 1 / 0;'), { code: '22012' });
    assert.equal((await db.query<{ one: number }>('SELECT 1 AS one')).rows[0].one, 1);
  });
});
