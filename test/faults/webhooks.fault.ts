/**
 * Webhook delivery across server processes on one PostgreSQL: two servers send each event once
 * (one attempt each, no duplicate), and a server killed with SIGKILL in the middle of a send loses
 * nothing: a restarted server sends the event again once the dead one's lease has run out.
 * Events are queued by the test process through the outbox consumer until the outbox does it.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { admin } from '../helpers/test-app.ts';
import { createScenario } from '../helpers/scenario.ts';
import { openRuntime } from '../../bench/lib/in-process.ts';
import { createEventFeeder, madrid, startReceiver } from '../webhooks/webhook-helpers.ts';
import { createStore, KINDS } from './lib/fault-harness.ts';

const T = 'hooks';
const env = { WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true', WEBHOOK_TIMEOUT_MS: '2000', WEBHOOK_RETRY_SCHEDULE: '1s,1s,1s' };

test('webhooks: two servers send each event once; a server killed mid-send loses nothing', { skip: !KINDS.includes('postgres'), timeout: 240_000 }, async (t) => {
  const store = await createStore('postgres');
  const rt = await openRuntime(store);
  let hang: string | null = null;
  let onRequest: (id: string) => void = () => {};
  const receiver = await startReceiver((r) => {
    onRequest(r.body.id);
    return r.body.id === hang ? 'hang' : 200;
  });
  /** Resolves when `pred` holds for the requests received so far. */
  const until = (pred: () => boolean) =>
    new Promise<void>((resolve) => {
      if (pred()) return resolve();
      onRequest = () => setImmediate(() => pred() && resolve());
    });
  const rows = () => rt.db.query<{ event_id: string; status: string; attempts: number }>('SELECT event_id, status, attempts FROM webhook_deliveries').then((r) => r.rows);
  /** Waits for the servers to record every outcome (they answer the receiver first). */
  const settled = async (n: number) => {
    for (let i = 0; i < 600; i++) {
      const r = await rows();
      if (r.length === n && r.every((d) => d.status !== 'pending')) return r;
      await delay(100);
    }
    throw new Error('deliveries did not settle');
  };
  try {
    await createScenario(rt.core, { tenantId: T, resources: 2 });
    await rt.core.webhooks.createSubscription(admin, T, { url: receiver.url });
    const feeder = createEventFeeder(rt, rt.webhooks.consumer);
    const now = new Date();
    const ids: string[] = [];
    const book = async (day: number) => {
      const { appointment } = await rt.core.booking.createAppointment(admin, T, { serviceIds: ['install'], location: { siteId: 'site-1' }, start: madrid(now, day, 9) });
      return appointment;
    };

    const servers = [await store.start({ env }), await store.start({ env })];
    for (let day = 2; day < 22; day++) {
      const a = await book(day);
      await rt.core.booking.updateAppointment(admin, T, a.id, { notesToAdd: [{ text: 'n' }] });
      await feeder.feed(T, a.id);
      ids.push(feeder.eventId(T, a.id, 1)!, feeder.eventId(T, a.id, 2)!);
    }
    await until(() => new Set(receiver.received.map((r) => r.body.id)).size === ids.length);
    const done = await settled(ids.length);
    assert.deepEqual(done.filter((d) => d.status !== 'delivered' || d.attempts !== 1), [], 'each delivered at its first attempt');
    assert.equal(receiver.received.length, ids.length, 'no event sent twice');
    for (const s of servers) await s.stop('SIGTERM');

    const doomed = await store.start({ env });
    const a = await book(30);
    await feeder.feed(T, a.id);
    hang = feeder.eventId(T, a.id, 1)!;
    await until(() => receiver.received.some((r) => r.body.id === hang));
    await doomed.stop('SIGKILL');
    t.diagnostic('server killed while the receiver held the request open; starting another');
    const survivor = await store.start({ env });
    const eventId = hang;
    hang = null;
    await until(() => receiver.received.filter((r) => r.body.id === eventId).length === 2);
    const after = await settled(ids.length + 1);
    assert.deepEqual(after.find((d) => d.event_id === eventId), { event_id: eventId, status: 'delivered', attempts: 2 });
    await survivor.stop('SIGTERM');
  } finally {
    await receiver.close();
    await rt.close();
    await store.dispose();
  }
});
