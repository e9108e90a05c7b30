import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Database, QueryResult, Queryable } from './database.ts';
import { deserializeError, type WorkerReply, type WorkerRequest, type WorkerStarted } from './pglite-protocol.ts';

// Node 20 does not pass tsx's loader on to worker threads: the thread registers it, then loads the TypeScript entry.
const WORKER_ENTRY = new URL('./pglite-worker.ts', import.meta.url).href;
const TSX_API = import.meta.resolve('tsx/esm/api');
const BOOTSTRAP =
  `import(${JSON.stringify(TSX_API)}).then(({ register }) => { register(); return ` +
  `import(${JSON.stringify(WORKER_ENTRY)}); })`;

type Request = WorkerRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

/**
 * Embedded PostgreSQL (WASM), run in its own thread (pglite-worker.ts) so that statements never
 * block the event loop that serves HTTP. `dataDir` null keeps everything in memory (tests). PGlite
 * runs one statement at a time, so concurrent callers queue; a transaction holds the whole
 * database. A transaction's callback runs here and sends each statement to the worker, which
 * holds the transaction open until the callback settles.
 *
 * PGlite's own `worker` export expects a browser Web Worker (navigator.locks, tab leader
 * election), which Node's worker_threads do not provide; this small protocol does the same job.
 */
export async function openPglite(dataDir: string | null): Promise<Database> {
  // A new folder is created (initdb) in a thread of its own that then ends: creating runs a second,
  // temporary Postgres whose memory would otherwise stay in the database thread until its next GC.
  if (dataDir !== null && !existsSync(join(dataDir, 'PG_VERSION')))
    await (await startWorker(dataDir, true)).terminate();
  const worker = await startWorker(dataDir, false);
  const pending = new Map<number, { resolve(r: WorkerReply & { ok: true }): void; reject(e: Error): void }>();
  let nextId = 1;
  let stopped: Error | null = null;

  // Like the in-process PGlite, an idle database does not keep the process alive; a pending call does.
  const holdProcess = () => (pending.size > 0 ? worker.ref() : worker.unref());

  worker.on('error', (e) =>
    stop(Object.assign(new Error(`the embedded database thread failed: ${e.message}`), { code: '57P02' })),
  );
  worker.on('exit', () => stop(Object.assign(new Error('the embedded database thread stopped'), { code: '57P02' })));
  worker.on('message', (m: WorkerReply) => {
    const call = pending.get(m.id);
    if (!call) return;
    pending.delete(m.id);
    holdProcess();
    if (m.ok) call.resolve(m);
    else call.reject(deserializeError(m.error));
  });

  /** Fails every call in flight and every later one with a connection-class error (the API answers 503). */
  function stop(reason: Error) {
    stopped ??= reason;
    for (const call of pending.values()) call.reject(stopped);
    pending.clear();
  }

  function call(request: Request): Promise<WorkerReply & { ok: true }> {
    if (stopped) return Promise.reject(stopped);
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      holdProcess();
      worker.postMessage({ ...request, id });
    });
  }

  const queryable = (tx?: number): Queryable => ({
    async query<T>(sql: string, params: unknown[] = []): Promise<QueryResult<T>> {
      const r = await call({ op: 'query', sql, params, tx });
      return r.result as QueryResult<T>;
    },
  });

  return {
    kind: 'pglite',
    query: queryable().query,
    async transaction(fn) {
      const { id } = await call({ op: 'begin' });
      let result: Awaited<ReturnType<typeof fn>>;
      try {
        result = await fn(queryable(id));
      } catch (e) {
        await call({ op: 'end', tx: id, commit: false }).catch(() => {});
        throw e;
      }
      await call({ op: 'end', tx: id, commit: true });
      return result;
    },
    async exec(sql) {
      await call({ op: 'exec', sql });
    },
    async ping() {
      await call({ op: 'ping' });
    },
    async close() {
      if (!stopped) {
        await call({ op: 'close' }).catch(() => {});
        stop(Object.assign(new Error('the embedded database is closed'), { code: '08003' }));
      }
      await worker.terminate();
    },
  };
}

/** A thread with PGlite open on `dataDir` (or only initialised, when `initOnly`), once it has said so. */
async function startWorker(dataDir: string | null, initOnly: boolean): Promise<Worker> {
  const worker = new Worker(BOOTSTRAP, { eval: true, workerData: { dataDir, initOnly } });
  let onMessage!: (m: WorkerStarted) => void, onError!: (e: Error) => void, onExit!: (code: number) => void;
  try {
    await new Promise<void>((resolve, reject) => {
      onMessage = (m) => (m.started ? resolve() : reject(deserializeError(m.error)));
      onError = reject;
      onExit = (code) => reject(new Error(`the embedded database thread exited with code ${code} while starting`));
      worker.once('message', onMessage).once('error', onError).once('exit', onExit);
    });
  } catch (e) {
    await worker.terminate();
    throw e;
  } finally {
    worker.off('message', onMessage).off('error', onError).off('exit', onExit);
  }
  return worker;
}
