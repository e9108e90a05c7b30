import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * The suite runs on PGlite in memory by default; with TEST_DATABASE_URL it runs on that PostgreSQL
 * server, in a fresh database per test app (dropped on close), so tests never see each other's rows.
 */
export const serverUrl = process.env.TEST_DATABASE_URL || null;

export async function createScratchDatabase(): Promise<{ url: string; drop(): Promise<void> } | null> {
  if (!serverUrl) return null;
  const name = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
