import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { DateTime } from 'luxon';
import type { EventConsumer } from '../../src/core/events/event.types.ts';
import type { Core } from '../../src/core/core.ts';
import type { Database } from '../../src/db/database.ts';
import { admin } from '../helpers/test-app.ts';

export interface Received {
  headers: http.IncomingHttpHeaders;
  raw: string;
  body: any;
}

/** A real HTTP receiver on loopback. `answer` decides each response's status (200 by default). */
export async function startReceiver(answer: (r: Received) => number | 'hang' = () => 200) {
  const received: Received[] = [];
  const accepted: Received[] = [];
  let decide = answer;
  let port = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const r: Received = { headers: req.headers, raw, body: JSON.parse(raw) };
      received.push(r);
      const status = decide(r);
      if (status === 'hang') return;
      if (status >= 200 && status < 300) accepted.push(r);
      res.writeHead(status, { 'content-type': 'text/plain', ...(status >= 300 && status < 400 ? { location: `http://127.0.0.1:${port}/redirected` } : {}) }).end(status >= 300 ? 'x'.repeat(10_000) : 'ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    port,
    /** Every request, answered or not. */
    received,
    /** Requests answered with a 2xx. */
    accepted,
    answer(fn: typeof answer) {
      decide = fn;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Until the core's outbox calls consumers itself: feeds the appointment's recorded history to the
 * consumer, each event in its own transaction as the outbox will, skipping what was fed already.
 */
export function createEventFeeder(t: { core: Core; db: Database }, consumer: EventConsumer) {
  const fed = new Map<string, number>();
  const ids = new Map<string, string>();
  return {
    async feed(tenantId: string, appointmentId: string, correlationId: string | null = null) {
      const history = await t.core.booking.getHistory(admin, tenantId, appointmentId);
      for (const e of history) {
        const key = `${tenantId}/${appointmentId}`;
        if (e.seq <= (fed.get(key) ?? 0)) continue;
        const id = randomUUID();
        ids.set(`${key}/${e.seq}`, id);
        await t.db.transaction((tx) => consumer.onEvent(tx, { ...e, id, correlationId }));
        fed.set(key, e.seq);
      }
    },
    eventId: (tenantId: string, appointmentId: string, seq: number) => ids.get(`${tenantId}/${appointmentId}/${seq}`),
  };
}

/** A window start `days` ahead at `hour` local time in Madrid (the scenario's site). */
export const madrid = (from: Date, days: number, hour: number) =>
  DateTime.fromJSDate(from).setZone('Europe/Madrid').plus({ days }).set({ hour, minute: 0, second: 0, millisecond: 0 }).toJSDate();

/** Runs the worker until a round claims nothing. */
export async function drain(worker: { runOnce(): Promise<number> }, rounds = 100) {
  for (let i = 0; i < rounds; i++) if ((await worker.runOnce()) === 0) return;
  throw new Error('worker did not drain');
}
