import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { admin, ADMIN_TOKEN, createTestApp, type TestApp } from '../helpers/test-app.ts';
import { createScenario } from '../helpers/scenario.ts';
import { drain, madrid, loopbackPublisher, startReceiver } from './webhook-helpers.ts';

const T = 'acme';

describe('admin API: /admin/v1/tenants/{t}/webhooks', () => {
  let t: TestApp;
  let key: string;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  const base = `/admin/v1/tenants/${T}/webhooks`;
  const call = (method: string, url: string, payload?: unknown) =>
    t.app.inject({
      method: method as any,
      url,
      headers: { authorization: `Bearer ${key}` },
      ...(payload === undefined ? {} : { payload: payload as any }),
    });

  before(async () => {
    t = await createTestApp({ now: new Date(Math.floor(Date.now() / 1000) * 1000), allowPrivateWebhooks: true });
    await createScenario(t.core, { tenantId: T });
    key = await t.apiKeyFor(T);
    receiver = await startReceiver();
  });
  after(async () => {
    await receiver.close();
    await t.close();
  });

  const publisher = () => loopbackPublisher(t);

  it('creates a subscription with a generated secret shown once, and reads, updates and deletes it', async () => {
    const created = await call('POST', base, { url: receiver.url, events: ['CANCEL', 'CREATE'], description: 'CRM' });
    assert.equal(created.statusCode, 201, created.body);
    const w = created.json();
    assert.match(w.secret, /^whsec_[A-Za-z0-9+/]{43}=$/);
    assert.deepEqual(
      [w.url, w.events, w.description, w.active, w.language],
      [receiver.url, ['CANCEL', 'CREATE'], 'CRM', true, 'en'],
    );

    const one = await call('GET', `${base}/${w.id}`);
    assert.equal(one.statusCode, 200);
    assert.equal(one.json().secret, undefined, 'never shown again');
    const list = await call('GET', base);
    assert.deepEqual(
      list.json().items.map((x: any) => x.id),
      [w.id],
    );
    assert.ok(!list.body.includes('whsec_'));

    const patched = await call('PATCH', `${base}/${w.id}`, { events: null, active: false });
    assert.equal(patched.statusCode, 200);
    assert.deepEqual([patched.json().events, patched.json().active, patched.json().secret], [null, false, undefined]);

    const own = 'whsec_' + Buffer.alloc(32, 7).toString('base64');
    const rotated = await call('PATCH', `${base}/${w.id}`, { secret: own, secretOverlapSeconds: 0 });
    assert.equal(rotated.json().secret, own);
    assert.equal(rotated.json().previousSecretUntil, null);

    assert.equal((await call('DELETE', `${base}/${w.id}`)).statusCode, 204);
    assert.equal((await call('GET', `${base}/${w.id}`)).statusCode, 404);
    assert.equal((await call('DELETE', `${base}/${w.id}`)).statusCode, 404);
  });

  it('refuses bad input with 400 in the admin error format, storing nothing', async () => {
    for (const body of [
      { url: 'ftp://example.com/hook' },
      { url: 'not a url' },
      { url: `https://example.com/${'a'.repeat(2100)}` },
      { url: 'https://example.com/hook', events: ['BOOKED'] },
      { url: 'https://example.com/hook', secret: 'plain-secret' },
      { url: 'https://example.com/hook', secret: 'whsec_short' },
      { url: 'https://example.com/hook', description: 'x'.repeat(501) },
      { url: 'https://example.com/hook', extra: 1 },
    ]) {
      const res = await call('POST', base, body);
      assert.equal(res.statusCode, 400, JSON.stringify(body).slice(0, 80));
      assert.equal(res.json().code, 'INVALID_INPUT');
    }
    const backwards = await call('POST', `${base}/nope/replay`, {
      from: '2030-01-02T00:00:00Z',
      to: '2030-01-01T00:00:00Z',
    });
    assert.equal(backwards.statusCode, 400);
    assert.equal(
      (await call('POST', `${base}/nope/replay`, { from: '2030-01-01T00:00:00Z', to: '2030-01-02T00:00:00Z' }))
        .statusCode,
      404,
    );
    assert.equal(
      (await call('POST', `${base}/nope/replay`, { from: 'yesterday', to: '2030-01-02T00:00:00Z' })).statusCode,
      400,
    );
    assert.equal((await call('GET', base)).json().total, 0);
    assert.equal((await call('PATCH', `${base}/nope`, { active: false })).statusCode, 404);
    const w = (await call('POST', base, { url: 'https://example.com/hook' })).json();
    for (const body of [{ url: 'gopher://x' }, { secretOverlapSeconds: -1 }, { events: [] }, { rotateSecret: 'yes' }]) {
      const res = await call('PATCH', `${base}/${w.id}`, body);
      assert.equal(res.statusCode, 400, JSON.stringify(body));
    }
    assert.equal((await call('GET', `${base}/${w.id}`)).json().url, 'https://example.com/hook', 'unchanged');
    await call('DELETE', `${base}/${w.id}`);
  });

  it('lists deliveries by status and appointment, redelivers one, replays a period in order, and pings', async () => {
    const w = (await call('POST', base, { url: receiver.url })).json();
    const { worker } = publisher();
    const start = t.now();
    const { appointment: a } = await t.core.booking.createAppointment(admin, T, {
      serviceIds: ['install'],
      location: { siteId: 'site-1' },
      start: madrid(t.now(), 2, 9),
    });
    await t.core.booking.changeStatus(admin, T, a.id, { to: 'cancelled' });
    const { appointment: b } = await t.core.booking.createAppointment(admin, T, {
      serviceIds: ['install'],
      location: { siteId: 'site-1' },
      start: madrid(t.now(), 3, 9),
    });

    const pending = await call('GET', `${base}/${w.id}/deliveries?status=pending&appointmentId=${a.id}`);
    assert.equal(pending.statusCode, 200);
    assert.deepEqual(
      pending
        .json()
        .items.map((d: any) => [d.eventType, d.status, d.attempts])
        .sort(),
      [
        ['CANCEL', 'pending', 0],
        ['CREATE', 'pending', 0],
      ],
    );
    await drain(worker);
    assert.equal(receiver.received.length, 3);
    const delivered = (await call('GET', `${base}/${w.id}/deliveries?status=delivered&limit=2`)).json();
    assert.equal(delivered.total, 3);
    assert.equal(delivered.items.length, 2);
    assert.equal((await call('GET', `${base}/${w.id}/deliveries?status=lost`)).statusCode, 400);

    const first = (await call('GET', `${base}/${w.id}/deliveries?appointmentId=${a.id}`))
      .json()
      .items.find((d: any) => d.eventType === 'CREATE');
    const again = await call('POST', `${base}/${w.id}/deliveries/${first.id}/redeliver`);
    assert.equal(again.statusCode, 202);
    assert.equal(again.json().eventId, first.eventId);
    assert.equal(again.json().status, 'pending');
    assert.equal((await call('POST', `${base}/${w.id}/deliveries/${randomUUID()}/redeliver`)).statusCode, 404);
    await drain(worker);
    assert.equal(receiver.received.at(-1)!.body.id, first.eventId, 'the same event, with the same id, again');

    receiver.received.length = 0;
    const replay = await call('POST', `${base}/${w.id}/replay`, {
      from: new Date(start.getTime() - 1000).toISOString(),
      to: new Date(t.now().getTime() + 1000).toISOString(),
    });
    assert.equal(replay.statusCode, 202, replay.body);
    assert.deepEqual(replay.json(), { queued: 3 });
    const pendingMetrics = (
      await t.app.inject({ url: '/metrics', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })
    ).body;
    assert.match(pendingMetrics, /^webhook_pending_deliveries 3$/m, 'the replay waits in the queue');
    assert.match(pendingMetrics, /^webhook_oldest_pending_age_seconds \d/m);
    await drain(worker);
    assert.match(
      (await t.app.inject({ url: '/metrics', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).body,
      /^webhook_pending_deliveries 0$/m,
    );
    const replayed = receiver.received.map((r) => [r.body.data.appointment.id, r.body.data.eventType]);
    assert.equal(replayed.length, 3);
    assert.deepEqual(
      replayed.filter(([id]) => id === a.id),
      [
        [a.id, 'CREATE'],
        [a.id, 'CANCEL'],
      ],
      'in order per appointment',
    );

    const ping = await call('POST', `${base}/${w.id}/ping`);
    assert.equal(ping.statusCode, 202);
    await drain(worker);
    const p = receiver.received.at(-1)!;
    assert.equal(p.body.entity, 'Ping');
    assert.equal(p.body.webhookConfigurationId, w.id);
    assert.doesNotThrow(() => new Webhook(w.secret).verify(p.raw, p.headers as Record<string, string>));
    const pingRow = (await call('GET', `${base}/${w.id}/deliveries?status=delivered`))
      .json()
      .items.find((d: any) => d.id === ping.json().id);
    assert.equal(pingRow.lastResponseStatus, 200);
  });
});

describe('subscription URLs that could never be delivered to, without WEBHOOK_ALLOW_PRIVATE_NETWORKS', () => {
  let t: TestApp;
  const base = `/admin/v1/tenants/${T}/webhooks`;
  const call = (method: string, url: string, payload?: unknown) =>
    t.app.inject({
      method: method as any,
      url,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      ...(payload === undefined ? {} : { payload: payload as any }),
    });
  before(async () => {
    t = await createTestApp();
    await createScenario(t.core, { tenantId: T });
  });
  after(() => t.close());

  it(
    'refuses plain http and literal loopback, private, link-local and mapped addresses with 400 at create, patch ' +
      'and configuration; stores nothing',
    async () => {
      for (const url of [
        'http://example.com/hook',
        'https://127.0.0.1/hook',
        'https://10.1.2.3/hook',
        'https://[::1]/hook',
        'https://169.254.169.254/latest',
        'https://[::ffff:192.168.0.1]/hook',
      ]) {
        const res = await call('POST', base, { url });
        assert.equal(res.statusCode, 400, url);
        assert.equal(res.json().code, 'INVALID_INPUT', url);
        assert.match(res.json().message, /^url cannot be delivered to: /, url);
      }
      assert.equal((await call('GET', base)).json().total, 0);
      const ok = await call('POST', base, { url: 'https://hooks.example.com/in' });
      assert.equal(ok.statusCode, 201, ok.body);
      const patched = await call('PATCH', `${base}/${ok.json().id}`, { url: 'http://hooks.example.com/in' });
      assert.deepEqual([patched.statusCode, patched.json().code], [400, 'INVALID_INPUT']);
      assert.equal(
        (await call('GET', `${base}/${ok.json().id}`)).json().url,
        'https://hooks.example.com/in',
        'unchanged',
      );
      const secret = 'whsec_' + Buffer.alloc(32, 7).toString('base64');
      const put = await call('PUT', '/admin/v1/configuration', {
        tenant: { id: 'cfg-private', name: 'Private' },
        webhooks: [{ id: 'in', url: 'https://192.168.1.10/in', secret }],
      });
      assert.deepEqual([put.statusCode, put.json().code], [400, 'INVALID_INPUT']);
    },
  );
});
