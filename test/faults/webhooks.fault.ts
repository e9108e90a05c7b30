/**
 * Webhooks across real server processes on one PostgreSQL, every change made through the
 * field-service API: two servers send each event once (one attempt each, no duplicate); a server
 * SIGKILLed with a send in flight and a later event of the same appointment pending behind it, or
 * right after a booking's commit, loses nothing: a restarted server sends every event, in order.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { fieldServicePath } from '../../bench/lib/booking-paths.ts';
import { addDays, listWindows, periodStart, tenantConfig } from '../../bench/lib/fixtures.ts';
import { HttpClient } from '../../bench/lib/http-client.ts';
import { openRuntime } from '../../bench/lib/in-process.ts';
import { startReceiver } from '../webhooks/webhook-helpers.ts';
import { admin, createStore, KINDS, putTenant } from './lib/fault-harness.ts';

const TIMEOUT_MS = 2000;
const env = {
  WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
  WEBHOOK_TIMEOUT_MS: String(TIMEOUT_MS),
  WEBHOOK_RETRY_SCHEDULE: '1s,1s,1s',
};

test('webhooks through the API: two servers send each event once; a server killed between commit and delivery loses ' +
  'nothing', {
  skip: !KINDS.includes('postgres'),
  timeout: 300_000,
}, async (t) => {
  const store = await createStore('postgres');
  /** Appointment ids whose CREATE the receiver holds open (never answers). */
  const hangOn = new Set<string>();
  let onRequest: () => void = () => {};
  const receiver = await startReceiver((r) => {
    setImmediate(onRequest);
    return r.body.data?.eventType === 'CREATE' && hangOn.has(r.body.data.appointment.id) ? 'hang' : 200;
  });
  /** Resolves when `pred` holds for the requests received so far. */
  const until = (pred: () => boolean) =>
    new Promise<void>((resolve) => {
      if (pred()) return resolve();
      onRequest = () => pred() && resolve();
    });
  const sent = (appointmentId: string) =>
    receiver.received.filter((r) => r.body.data.appointment.id === appointmentId).map((r) => r.body.data.eventType);
  let rt: Awaited<ReturnType<typeof openRuntime>> | null = null;
  try {
    let server = await store.start({ env });
    const second = await store.start({ env });
    const doc = tenantConfig('hooks', 4);
    const tenantId = doc.tenant.id;
    const apiKey = await putTenant(new HttpClient(server.url), doc);
    rt = await openRuntime(store);
    const rows = () =>
      rt!.db
        .query<{
          event_id: string;
          appointment_id: string;
          seq: number;
          status: string;
          attempts: number;
          lease_until: Date | null;
        }>('SELECT event_id, appointment_id, seq, status, attempts, lease_until FROM webhook_deliveries')
        .then((r) => r.rows);
    /** Waits for the servers to record every outcome (they answer the receiver first). */
    const settled = async (n: number) => {
      for (let i = 0; i < 900; i++) {
        const r = await rows();
        if (r.length === n && r.every((d) => d.status !== 'pending')) return r;
        await delay(100);
      }
      throw new Error('deliveries did not settle');
    };
    const sub = await new HttpClient(server.url).request('POST', `/admin/v1/tenants/${tenantId}/webhooks`, {
      headers: admin,
      body: { url: receiver.url },
    });
    assert.equal(sub.status, 201, sub.text);
    const now = new Date();
    const windows = listWindows(doc, periodStart(now, 2), addDays(periodStart(now, 2), 60), now);
    let w = 0;
    const book = async (http: HttpClient, key: string) => {
      const r = await fieldServicePath.book(http, tenantId, apiKey, windows[w++], key);
      assert.equal(r.status, 201, r.text);
      return r.body.id as string;
    };
    const cancel = async (http: HttpClient, id: string) => {
      const r = await http.request('PATCH', `/v1/orgs/${tenantId}/appointments/${id}`, {
        headers: { authorization: `Bearer ${apiKey}` },
        body: { status: 'cancelled' },
      });
      assert.equal(r.status, 200, r.text);
    };

    // Two servers, each booking and cancelling half of 20 appointments: 40 events, each sent once.
    const https = [new HttpClient(server.url), new HttpClient(second.url)];
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) {
      const id = await book(https[i % 2], `two-${i}`);
      await cancel(https[(i + 1) % 2], id);
      ids.push(id);
    }
    await until(() => receiver.received.length >= 40);
    const done = await settled(40);
    assert.deepEqual(
      done.filter((d) => d.status !== 'delivered' || d.attempts !== 1),
      [],
      'each delivered at its first attempt',
    );
    assert.equal(receiver.received.length, 40, 'no event sent twice');
    for (const id of ids) assert.deepEqual(sent(id), ['CREATE', 'CANCEL'], 'in order');
    await second.stop('SIGTERM');

    // Killed with a send in flight (the receiver holds the CREATE open) and the CANCEL pending behind it.
    let http = new HttpClient(server.url);
    hangOn.add('kill-1');
    const held = await book(http, 'kill-1');
    await until(() => sent(held).length === 1);
    await cancel(http, held);
    await server.stop('SIGKILL');
    // Killed right after a booking's commit (its 201), before or during its first send.
    server = await store.start({ env });
    http = new HttpClient(server.url);
    const justBooked = await book(http, 'kill-2');
    await server.stop('SIGKILL');
    t.diagnostic('two servers killed: one mid-send, one right after a commit; starting another');

    hangOn.clear();
    const restartedAt = Date.now();
    const survivor = await store.start({ env });
    // What the dead processes held comes back when their leases run out: within a minute.
    for (const d of await rows())
      if (d.lease_until)
        assert.ok(
          d.lease_until.getTime() <= restartedAt + 60_000,
          'a lease outlives the restart by less than a minute',
        );
    await until(() => sent(held).length === 3 && sent(justBooked).length >= 1);
    t.diagnostic(`pending deliveries resumed ${Date.now() - restartedAt} ms after the restart`);
    const after = await settled(43);
    assert.deepEqual(
      sent(held),
      ['CREATE', 'CREATE', 'CANCEL'],
      'the CREATE again (the receiver never answered it), then the CANCEL',
    );
    assert.deepEqual(
      after
        .filter((d) => d.appointment_id === held)
        .sort((a, b) => a.seq - b.seq)
        .map((d) => [d.seq, d.status, d.attempts]),
      [
        [1, 'delivered', 2],
        [2, 'delivered', 1],
      ],
    );
    assert.deepEqual(after.find((d) => d.appointment_id === justBooked)?.status, 'delivered');
    assert.deepEqual(
      [...new Set(sent(justBooked))],
      ['CREATE'],
      'nothing lost (sent once, or twice if the kill cut its first send)',
    );
    await survivor.stop('SIGTERM');
  } finally {
    await receiver.close();
    await rt?.close();
    await store.dispose();
  }
});
