/**
 * Connections are bounded (issue 13, finding 7): idle and partial requests are closed, their number
 * is capped, and requests are shed with 503 + Retry-After under pressure. Real HTTP on loopback;
 * the limits are shortened so that each case ends within a second.
 */
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import type { SecuritySettings } from '../../../src/api/http/security.ts';
import { ADMIN_TOKEN, createTestApp, type TestApp } from '../../helpers/test-app.ts';

const withServer = async (security: Partial<SecuritySettings>, run: (port: number, t: TestApp) => Promise<void>) => {
  const t = await createTestApp({ security });
  try {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    await run((t.app.server.address() as AddressInfo).port, t);
  } finally {
    await t.close();
  }
};

/** A raw client connection: what it received, and a promise of the moment the server closes it. */
async function open(port: number) {
  const socket: Socket = connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  let received = '';
  const waiters: Array<() => void> = [];
  socket.on('data', (chunk) => {
    received += chunk.toString();
    for (const w of waiters.splice(0)) w();
  });
  socket.on('error', () => {}); // a reset by the server is one of the outcomes under test
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  return {
    socket,
    closed,
    received: () => received,
    /** Resolves when `count` complete responses have arrived. */
    async responses(count: number) {
      while ((received.match(/HTTP\/1\.1 \d{3}/g) ?? []).length < count)
        await new Promise<void>((r) => waiters.push(r));
    },
  };
}

const GET_HEALTH = 'GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n';

describe('connection limits', { timeout: 120_000 }, () => {
  // One server for the timeouts (short, so that each case ends within a second), one for the cap.
  const timeouts = { keepAliveTimeoutMs: 200, headersTimeoutMs: 300, requestTimeoutMs: 600, maxRequestsPerSocket: 2 };

  it('closes idle keep-alive connections, partial requests, and connections past maxRequestsPerSocket', async () => {
    await withServer({ connections: timeouts }, async (port) => {
      const idle = await open(port);
      idle.socket.write(GET_HEALTH);
      await idle.responses(1);
      assert.match(idle.received(), /^HTTP\/1\.1 200/);
      await idle.closed;

      // Headers that never finish: a 408 or a bare close, never a served request.
      const slowHeaders = await open(port);
      slowHeaders.socket.write('GET /health HTTP/1.1\r\nHost: localhost\r\nX-Slow: 1');
      await slowHeaders.closed;
      assert.doesNotMatch(slowHeaders.received(), /HTTP\/1\.1 [25]\d\d/);

      // A body that never finishes.
      const slowBody = await open(port);
      slowBody.socket.write(
        'POST /admin/v1/tenants HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ' +
          '100\r\n\r\n{"id":',
      );
      await slowBody.closed;
      assert.doesNotMatch(slowBody.received(), /HTTP\/1\.1 [25]\d\d/);

      const busy = await open(port);
      busy.socket.write(GET_HEALTH);
      await busy.responses(1);
      busy.socket.write(GET_HEALTH);
      await busy.responses(2);
      assert.match(
        busy.received().split('HTTP/1.1 200').at(-1) ?? '',
        /connection: close/i,
        'the second answer says the connection closes',
      );
      await busy.closed;
    });
  });

  it('refuses connections beyond maxConnections', async () => {
    await withServer({ connections: { maxConnections: 2 } }, async (port) => {
      const held = [await open(port), await open(port)];
      for (const c of held) {
        c.socket.write(GET_HEALTH);
        await c.responses(1);
      }
      const third = await open(port);
      third.socket.write(GET_HEALTH);
      await third.closed;
      assert.equal(third.received(), '', 'the third connection was dropped unanswered');
      for (const c of held) c.socket.destroy();
    });
  });
});

describe('load shedding', { timeout: 60_000 }, () => {
  /**
   * A request to a server just started as a start goes (route schemas compiled, demo data loaded): the event
   * loop blocked in 300 ms spells until a sample says the delay is over `limitMs`, then listening.
   */
  async function requestRightAfterStart(t: TestApp, limitMs: number): Promise<Response> {
    for (let i = 0; i < 30 && t.app.memoryUsage().eventLoopDelay <= limitMs; i++) {
      const until = Date.now() + 300;
      while (Date.now() < until);
      await new Promise((r) => setImmediate(r));
    }
    assert.ok(t.app.memoryUsage().eventLoopDelay > limitMs, 'a sample over the limit is in effect');
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = t.app.server.address() as AddressInfo;
    return fetch(`http://127.0.0.1:${port}/admin/v1/tenants`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  }

  it('serves the first requests of a server whose start blocked the event loop: that delay is not load', async () => {
    const t = await createTestApp({ security: { pressure: { maxEventLoopDelayMs: 100, sampleIntervalMs: 1000 } } });
    try {
      const res = await requestRightAfterStart(t, 100);
      assert.equal(res.status, 200, await res.text());
    } finally {
      await t.close();
    }
  });

  it('still sheds a just-started server whose heap is over its limit', async () => {
    const t = await createTestApp({
      security: { pressure: { maxEventLoopDelayMs: 100, maxHeapUsedBytes: 1, sampleIntervalMs: 1000 } },
    });
    try {
      const res = await requestRightAfterStart(t, 100);
      assert.equal(res.status, 503);
      assert.equal(res.headers.get('retry-after'), '10');
    } finally {
      await t.close();
    }
  });

  it('answers 503 with Retry-After, in the format of the API that owns the path, under pressure', async () => {
    // Any heap is over a 1-byte limit: the first sample puts the service under pressure.
    const t = await createTestApp({ security: { pressure: { maxHeapUsedBytes: 1, sampleIntervalMs: 10 } } });
    try {
      while (!t.app.isUnderPressure()) await new Promise((r) => setTimeout(r, 10));
      const admin = await t.app.inject('/admin/v1/tenants');
      assert.equal(admin.statusCode, 503);
      assert.equal(admin.headers['retry-after'], '10');
      assert.deepEqual(admin.json(), {
        code: 'UNAVAILABLE',
        message: 'The service is overloaded; retry later',
        details: [],
      });

      const tmf = await t.app.inject('/v1/orgs/t1/appointments/x');
      assert.equal(tmf.statusCode, 503);
      assert.equal(tmf.headers['retry-after'], '10');
      assert.deepEqual(tmf.json(), {
        componentMsg: 'The service is overloaded; retry later',
        id: 'MM0000008',
        msg: 'Service unavailable',
        status: 503,
      });

      const ext = await t.app.inject('/v1/orgs/t1/ext/task/x');
      assert.equal(ext.statusCode, 503);
      assert.equal(ext.headers['retry-after'], '10');
      assert.deepEqual([ext.json().code, ext.json().status], ['503', 'SERVICE_UNAVAILABLE']);

      // The probes and metrics still answer: a busy process is alive, and operators need to see it.
      for (const url of ['/health', '/health/live', '/health/ready'])
        assert.equal((await t.app.inject(url)).statusCode, 200, url);
      const metrics = await t.app.inject({ url: '/metrics', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
      assert.equal(metrics.statusCode, 200);
    } finally {
      await t.close();
    }
  });
});
