/**
 * The messages between the main thread (pglite.ts) and the thread that owns PGlite
 * (pglite-worker.ts). Every request carries an id; the worker answers each id exactly once.
 */
export type WorkerRequest =
  /** `tx` names an open transaction (the id of its `begin`); without it the statement queues behind any open one. */
  | { id: number; op: 'query'; sql: string; params: unknown[]; tx?: number }
  | { id: number; op: 'exec'; sql: string }
  /** Answered once the transaction holds the database; its id names the transaction. */
  | { id: number; op: 'begin' }
  /** Commits (or rolls back) transaction `tx`; answered once that is done. */
  | { id: number; op: 'end'; tx: number; commit: boolean }
  | { id: number; op: 'ping' }
  | { id: number; op: 'close' };

export type WorkerReply =
  | { id: number; ok: true; result?: { rows: unknown[]; rowCount: number } }
  | { id: number; ok: false; error: SerializedError };

/** First message of the worker: PGlite is open, or why it is not. */
export type WorkerStarted = { started: true } | { started: false; error: SerializedError };

/**
 * An error as plain data: its message plus the PostgreSQL fields (code, constraint, detail, severity...) the core maps.
 */
export interface SerializedError {
  message: string;
  fields: Record<string, unknown>;
}

export function serializeError(e: unknown): SerializedError {
  if (!(e instanceof Error)) return { message: String(e), fields: {} };
  const fields: Record<string, unknown> = { name: e.name };
  for (const [k, v] of Object.entries(e)) {
    // Only plain values cross the thread boundary; `params` echoes our own input and is left behind.
    if (k !== 'params' && (v === null || ['string', 'number', 'boolean'].includes(typeof v))) fields[k] = v;
  }
  return { message: e.message, fields };
}

export function deserializeError(s: SerializedError): Error {
  return Object.assign(new Error(s.message), s.fields);
}
