import pg from 'pg';
import type { Database, QueryResult, Queryable } from './database.ts';
import { isConnectionError } from './pg-errors.ts';

// Keep timestamps as Date and bigint counts as numbers, as PGlite returns them.
pg.types.setTypeParser(20, (v) => Number(v));

export interface PostgresOptions {
  connectionString: string;
  maxConnections?: number;
}

/**
 * A PostgreSQL server through a node-postgres pool. Transactions take a dedicated client with
 * `pool.connect()`: `pool.query()` discards its connection whenever a statement fails, which
 * would make every rejected booking cost a new connection.
 */
export function openPostgres(opts: PostgresOptions): Database {
  const pool = new pg.Pool({
    connectionString: opts.connectionString,
    max: opts.maxConnections ?? 10,
    connectionTimeoutMillis: 5000,
    // A server that stops answering (hung, partitioned) must not hang requests: a statement gets
    // this long, then fails as a connection error (503) and its connection is thrown away.
    query_timeout: 10_000,
    keepAlive: true,
  });
  // An idle client losing its server must not crash the process; the next query reports it.
  pool.on('error', () => {});
  const wrap = (q: pg.Pool | pg.PoolClient): Queryable => ({
    async query<T>(sql: string, params?: unknown[]): Promise<QueryResult<T>> {
      const r = params && params.length > 0 ? await q.query(sql, params) : await q.query(sql);
      return { rows: r.rows as T[], rowCount: r.rowCount ?? 0 };
    },
  });
  const root = wrap(pool);
  return {
    kind: 'postgres',
    query: root.query,
    async transaction(fn) {
      const client = await pool.connect();
      let broken = false;
      try {
        await client.query('BEGIN');
        const result = await fn(wrap(client));
        await client.query('COMMIT');
        return result;
      } catch (e) {
        // A connection that failed or timed out is not asked for a ROLLBACK (it would wait again): it is discarded.
        if (isConnectionError(e)) broken = true;
        else {
          try {
            await client.query('ROLLBACK');
          } catch {
            broken = true;
          }
        }
        throw e;
      } finally {
        client.release(broken);
      }
    },
    async exec(sql) {
      await pool.query(sql);
    },
    async ping() {
      await pool.query('select 1');
    },
    async close() {
      if (!pool.ended) await pool.end();
    },
  };
}
