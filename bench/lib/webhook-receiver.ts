import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Queryable } from '../../src/db/database.ts';
import { summarize, type LatencySummary } from './stats.ts';

/**
 * A webhook receiver on loopback for the bench: answers 200 at once and notes when each event id
 * first arrived (wall clock, ms), so that delays can be measured against the time the server
 * recorded the event (same machine, same clock).
 */
export async function startBenchReceiver() {
  let arrivals = new Map<string, number>();
  let requests = 0;
  let waiter: { n: number; resolve: () => void } | null = null;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const at = Date.now();
      requests++;
      const id = String(JSON.parse(Buffer.concat(chunks).toString('utf8')).id);
      if (!arrivals.has(id)) arrivals.set(id, at);
      res.writeHead(200).end();
      if (waiter && arrivals.size >= waiter.n) waiter.resolve();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    /** First arrival of each event id since the start or the last `nextPhase()`. */
    arrivals: () => arrivals,
    /** Starts counting afresh (a replay sends the same ids again); returns the arrivals so far. */
    nextPhase() {
      const done = arrivals;
      arrivals = new Map();
      return done;
    },
    requests: () => requests,
    /** Resolves once `n` distinct events have arrived; rejects after `timeoutMs`. */
    waitFor(n: number, timeoutMs: number) {
      return new Promise<void>((resolve, reject) => {
        if (arrivals.size >= n) return resolve();
        const timer = setTimeout(
          () => reject(new Error(`webhooks: ${arrivals.size} of ${n} events arrived in ${timeoutMs} ms`)),
          timeoutMs,
        );
        waiter = {
          n,
          resolve: () => {
            clearTimeout(timer);
            waiter = null;
            resolve();
          },
        };
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Events delivered per second over a set of arrivals: (n - 1) over the time from the first to the last. */
export function deliveredPerSecond(arrivalTimes: number[]): number {
  if (arrivalTimes.length < 2) return Number.NaN;
  const seconds = (Math.max(...arrivalTimes) - Math.min(...arrivalTimes)) / 1000;
  return seconds > 0 ? Math.round(((arrivalTimes.length - 1) / seconds) * 10) / 10 : Number.NaN;
}

/**
 * Delay from the time an event was recorded (appointment_events.occurred_at, taken in the change's
 * transaction, so an upper bound of commit-to-receipt by the transaction's own duration) to its
 * first arrival. Read once the server has stopped (a PGlite store belongs to one process).
 */
export async function recordToReceipt(
  db: Queryable,
  tenantId: string,
  arrivals: Map<string, number>,
): Promise<LatencySummary> {
  const { rows } = await db.query<{ id: string; occurred_at: Date }>(
    'SELECT event_id::text AS id, occurred_at FROM appointment_events WHERE tenant_id = $1',
    [tenantId],
  );
  const delays = rows.filter((r) => arrivals.has(r.id)).map((r) => arrivals.get(r.id)! - r.occurred_at.getTime());
  return summarize(delays);
}
