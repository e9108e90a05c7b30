/**
 * The one seam through which all SQL runs (as in pg-boss / graphile-worker): PGlite in-process or a
 * PostgreSQL server behind the same small interface, so every repository and the job queue run
 * unchanged on both.
 */
export interface QueryResult<T> {
  rows: T[];
  rowCount: number;
}

export interface Queryable {
  query<T = Record<string, any>>(sql: string, params?: unknown[]): Promise<QueryResult<T>>;
}

export interface Database extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /** Runs `fn` in one transaction: commit when it resolves, roll back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Runs a script of several statements (migrations, pg-boss DDL). No parameters. */
  exec(sql: string): Promise<void>;
  /** Throws when the database does not answer. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Errors a driver raises when the database cannot be reached at all (as opposed to a rejected statement). */
export function isConnectionError(e: unknown): boolean {
  const err = e as { code?: string; message?: string } | null;
  if (!err) return false;
  const code = err.code ?? '';
  if (['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH'].includes(code)) return true;
  // Class 08: connection exception; 57P01-03: admin shutdown, crash shutdown, cannot connect now.
  if (/^08/.test(code) || ['57P01', '57P02', '57P03'].includes(code)) return true;
  const msg = err.message ?? '';
  return /Connection terminated|connection timeout|Client has encountered a connection error|timeout exceeded when trying to connect|Query read timeout/i.test(msg);
}
