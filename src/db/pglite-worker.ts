import { parentPort, workerData } from 'node:worker_threads';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { serializeError, type WorkerReply, type WorkerRequest, type WorkerStarted } from './pglite-protocol.ts';

/**
 * The thread that owns PGlite. WASM Postgres computes synchronously, so on the main thread every
 * statement froze the HTTP server; here it only occupies this thread. PGlite's own mutexes keep
 * its single session in order: a statement without `tx` waits for the open transaction, and
 * concurrent `begin`s queue, exactly as they did in-process.
 */
const port = parentPort!;
const { dataDir, initOnly } = workerData as { dataDir: string | null; initOnly: boolean };

const SHARED_BUFFERS = '16MB';
const ROLLBACK = Symbol('rollback');
/** Open transactions by the id of their `begin`: the PGlite handle and how to finish it. */
const open = new Map<number, { tx: Transaction; finish(commit: boolean): void }>();
/** Requests running now (a transaction counts while open); `ping` runs SQL only when it is the only one. */
let busy = 0;

const reply = (m: WorkerReply) => port.postMessage(m);
const fail = (id: number, e: unknown) => reply({ id, ok: false, error: serializeError(e) });

let pg: PGlite;
try {
  pg = await PGlite.create(dataDir ?? undefined, {
    extensions: { btree_gist },
    // Postgres's 128 MB default of shared buffers is allocated and zeroed in the WASM heap at
    // start, most of the idle footprint; the embedded service's working set is far smaller, and
    // pages beyond it are still in the operating system's file cache.
    startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${SHARED_BUFFERS}`],
  });
  // The main thread ends an initialising thread once it has answered.
  if (initOnly) await pg.close();
  port.postMessage({ started: true } satisfies WorkerStarted);
  port.on('message', (m: WorkerRequest) => {
    busy++;
    handle(m).finally(() => busy--);
  });
} catch (e) {
  // The main thread terminates this thread on this answer (exiting here could lose the message).
  port.postMessage({ started: false, error: serializeError(e) } satisfies WorkerStarted);
}

async function handle(m: WorkerRequest): Promise<void> {
  try {
    switch (m.op) {
      case 'query': {
        const q = m.tx === undefined ? pg : open.get(m.tx)?.tx;
        if (!q) throw new Error(`transaction ${m.tx} is not open`);
        const r = await q.query(m.sql, m.params);
        return reply({ id: m.id, ok: true, result: { rows: r.rows, rowCount: r.affectedRows ?? r.rows.length } });
      }
      case 'exec':
        await pg.exec(m.sql);
        return reply({ id: m.id, ok: true });
      case 'begin':
        return await begin(m.id);
      case 'end': {
        const t = open.get(m.tx);
        if (!t) throw new Error(`transaction ${m.tx} is not open`);
        ends.set(m.tx, m.id);
        return t.finish(m.commit);
      }
      case 'ping':
        // While statements run, this answer itself shows the database thread is alive and
        // responsive; a SQL ping would wait for the open transaction to end.
        if (busy === 1) await pg.query('select 1');
        return reply({ id: m.id, ok: true });
      case 'close':
        if (!pg.closed) await pg.close();
        return reply({ id: m.id, ok: true });
    }
  } catch (e) {
    fail(m.id, e);
  }
}

/** The id of the `end` request of each transaction being finished, answered when PGlite is done. */
const ends = new Map<number, number>();

function begin(id: number): Promise<void> {
  return new Promise<void>((opened) => {
    busy++;
    let started = false;
    pg.transaction(
      (tx) =>
        new Promise<void>((commit, rollback) => {
          started = true;
          open.set(id, { tx, finish: (ok) => (ok ? commit() : rollback(ROLLBACK)) });
          reply({ id, ok: true });
          opened();
        }),
    )
      .then(
        () => reply({ id: ends.get(id)!, ok: true }),
        (e) => {
          // A failure before the callback ran (BEGIN itself) answers the `begin`, later ones the `end`.
          if (!started) return fail(id, e);
          if (e === ROLLBACK) reply({ id: ends.get(id)!, ok: true });
          else fail(ends.get(id)!, e);
        },
      )
      .finally(() => {
        open.delete(id);
        ends.delete(id);
        busy--;
        opened();
      });
  });
}
