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
 * A PostgreSQL server through a node-postgres pool. Nothing runs through `pool.query()`: it
 * discards its connection whenever a statement fails, so every refused booking (a raised SB003,
 * a unique violation) would cost a new connection: a new backend, its plans compiled again.
 * Under 200 clients racing for one slot that churn, not the database, was the bottleneck, and
 * waits for a connection ran past the pool's timeout (503). Here a connection is thrown away
 * only when the connection itself failed.
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
  const wrap = (q: pg.PoolClient): Queryable => ({
    async query<T>(sql: string, params?: unknown[]): Promise<QueryResult<T>> {
      const r = params && params.length > 0 ? await q.query(sql, params) : await q.query(sql);
      return { rows: r.rows as T[], rowCount: r.rowCount ?? 0 };
    },
  });
  /** `fn` on a connection of the pool, which goes back to the pool unless `discard` says the failure left it unusable. */
  async function withClient<T>(
    fn: (client: pg.PoolClient) => Promise<T>,
    discard: (e: unknown) => boolean = isConnectionError,
  ): Promise<T> {
    const client = await pool.connect();
    let broken = false;
    try {
      return await fn(client);
    } catch (e) {
      broken = discard(e);
      throw e;
    } finally {
      client.release(broken);
    }
  }
  return {
    kind: 'postgres',
    query: <T>(sql: string, params?: unknown[]) => withClient((client) => wrap(client).query<T>(sql, params)),
    async transaction(fn) {
      let rollbackFailed = false;
      return withClient(
        async (client) => {
          await client.query('BEGIN');
          try {
            const result = await fn(wrap(client));
            await client.query('COMMIT');
            return result;
          } catch (e) {
            // A connection that failed or timed out is not asked for a ROLLBACK (it would wait again): it is discarded.
            if (!isConnectionError(e))
              await client.query('ROLLBACK').catch(() => {
                rollbackFailed = true;
              });
            throw e;
          }
        },
        (e) => isConnectionError(e) || rollbackFailed,
      );
    },
    async exec(sql) {
      // A script may open a transaction of its own: after a failure its connection is not trusted again.
      await withClient(
        (client) => client.query(sql),
        () => true,
      );
    },
    async ping() {
      await withClient((client) => client.query('select 1'));
    },
    async close() {
      if (!pool.ended) await pool.end();
    },
  };
}
