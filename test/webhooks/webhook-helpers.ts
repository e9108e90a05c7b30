import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { DateTime } from 'luxon';
import type { Core } from '../../src/core/core.ts';
import type { Database } from '../../src/db/database.ts';
import { createWebhookPublisher } from '../../src/outbound/webhooks/webhook-publisher.ts';
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
      res
        .writeHead(status, {
          'content-type': 'text/plain',
          ...(status >= 300 && status < 400 ? { location: `http://127.0.0.1:${port}/redirected` } : {}),
        })
        .end(status >= 300 ? 'x'.repeat(10_000) : 'ok');
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

/** The ids of an appointment's recorded events, by seq (index 0 is seq 1): what receivers see as `id`. */
export async function eventIds(t: { core: Core }, tenantId: string, appointmentId: string): Promise<string[]> {
  return (await t.core.booking.getHistory(admin, tenantId, appointmentId, { limit: 100 })).items.map((e) => e.id);
}

/** A window start `days` ahead at `hour` local time in Madrid (the scenario's site). */
export const madrid = (from: Date, days: number, hour: number) =>
  DateTime.fromJSDate(from)
    .setZone('Europe/Madrid')
    .plus({ days })
    .set({ hour, minute: 0, second: 0, millisecond: 0 })
    .toJSDate();

/** Runs the worker until a round claims nothing. */
export async function drain(worker: { runOnce(): Promise<number> }, rounds = 100) {
  for (let i = 0; i < rounds; i++) if ((await worker.runOnce()) === 0) return;
  throw new Error('worker did not drain');
}

/** The webhook publisher of a test app, retrying once after 1 s, allowed to reach receivers on loopback. */
export const loopbackPublisher = (t: { db: Database; now(): Date }) =>
  createWebhookPublisher({
    db: t.db,
    now: t.now,
    newId: randomUUID,
    log: { info() {}, warn() {}, error() {} },
    config: { retryScheduleMs: [1000], timeoutMs: 2000, allowPrivateNetworks: true },
  });
