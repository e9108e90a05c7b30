import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import type { Database, QueryResult, Queryable } from './database.ts';

/**
 * Embedded PostgreSQL (WASM). `dataDir` null keeps everything in memory (tests). PGlite runs one
 * statement at a time, so concurrent callers queue; a transaction holds the whole database.
 */
export async function openPglite(dataDir: string | null): Promise<Database> {
  const pg = await PGlite.create(dataDir ?? undefined, { extensions: { btree_gist } });
  const wrap = (q: Pick<PGlite, 'query'>): Queryable => ({
    async query<T>(sql: string, params: unknown[] = []): Promise<QueryResult<T>> {
      const r = await q.query<T>(sql, params as any[]);
      return { rows: r.rows, rowCount: r.affectedRows ?? r.rows.length };
    },
  });
  const root = wrap(pg);
  return {
    kind: 'pglite',
    query: root.query,
    transaction: (fn) => pg.transaction((tx) => fn(wrap(tx))),
    async exec(sql) {
      await pg.exec(sql);
    },
    async ping() {
      await pg.query('select 1');
    },
    async close() {
      if (!pg.closed) await pg.close();
    },
  };
}
