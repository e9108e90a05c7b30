/**
 * What every API shares at the edge (issue 13, finding 8): /metrics credentials, headers, CORS, rate limit, request
 * ids.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ADMIN_TOKEN, createTestApp, type TestApp } from '../../helpers/test-app.ts';
import { createScenario } from '../../helpers/scenario.ts';

const METRICS_TOKEN = 'metrics-token-0123456789';
const TMF = '/v1/orgs/t1/appointments';
const EXT = '/v1/orgs/t1/ext';
const ADMIN = '/admin/v1/tenants/t1/appointments';

/**
 * Three apps, as few as the cases allow: the defaults of a production start (rate limit 600 a
 * minute, no METRICS_TOKEN, CORS off), one configured (METRICS_TOKEN, CORS_ORIGINS), one with a
 * tiny rate limit.
 */
let plain: TestApp;
let configured: TestApp;
let limited: TestApp;
let tenantKey: string;
before(async () => {
  plain = await createTestApp({ security: { rateLimitPerMinute: 600 } });
  configured = await createTestApp({
    security: { metricsToken: METRICS_TOKEN, corsOrigins: ['https://crm.example.com'] },
  });
  limited = await createTestApp({ security: { rateLimitPerMinute: 3 } });
  for (const t of [plain, configured, limited]) await createScenario(t.core, { tenantId: 't1', resources: 1 });
  tenantKey = await configured.apiKeyFor('t1');
});
after(async () => {
  for (const t of [plain, configured, limited]) await t?.close();
});

describe('/metrics and /health', () => {
  const metrics = (token?: string, t = configured) =>
    t.app.inject({ url: '/metrics', headers: token ? { authorization: `Bearer ${token}` } : {} });

  it('answers to METRICS_TOKEN and to the operator only', async () => {
    const anonymous = await metrics();
    assert.equal(anonymous.statusCode, 401);
    assert.equal(anonymous.json().code, 'UNAUTHENTICATED');
    assert.doesNotMatch(anonymous.body, /booking/);
    assert.equal((await metrics('wrong-token-0123456789')).statusCode, 401);
    assert.equal((await metrics(tenantKey)).statusCode, 403, "a tenant's key does not read every tenant's counters");
    const withToken = await metrics(METRICS_TOKEN);
    assert.equal(withToken.statusCode, 200);
    assert.match(withToken.body, /# TYPE /);
    assert.equal((await metrics(ADMIN_TOKEN)).statusCode, 200);
  });

  it('without METRICS_TOKEN, only the operator reads /metrics', async () => {
    assert.equal((await metrics(undefined, plain)).statusCode, 401);
    assert.equal((await metrics(METRICS_TOKEN, plain)).statusCode, 401);
    assert.equal((await metrics(ADMIN_TOKEN, plain)).statusCode, 200);
  });

  it('/health stays public', async () => {
    const res = await configured.app.inject('/health');
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().status, 'ok');
  });
});

describe('security headers', () => {
  it('every response carries helmet headers and a content security policy', async () => {
    for (const url of ['/health', '/admin/v1/tenants', `${TMF}/x`, '/nowhere']) {
      const res = await plain.app.inject(url);
      assert.equal(res.headers['x-content-type-options'], 'nosniff', url);
      assert.ok(res.headers['x-frame-options'], url);
      assert.match(String(res.headers['content-security-policy']), /default-src 'self'/, url);
    }
  });

  it('the policy allows everything /docs loads: same-origin scripts and styles, no inline scripts', async () => {
    const t = plain;
    const redirect = await t.app.inject('/docs');
    const page =
      redirect.statusCode === 200
        ? redirect
        : await t.app.inject(new URL(String(redirect.headers.location), 'http://x/docs/').pathname);
    assert.equal(page.statusCode, 200);
    const csp = String(page.headers['content-security-policy']);
    const directive = (name: string) =>
      csp
        .split(';')
        .map((d) => d.trim().split(/\s+/))
        .find(([n]) => n === name)
        ?.slice(1) ?? [];
    assert.ok(directive('script-src').includes("'self'"), csp);
    assert.ok(
      directive('style-src').includes("'self'") && directive('style-src').includes("'unsafe-inline'"),
      'swagger-ui styles inline',
    );
    assert.ok(directive('img-src').includes('data:'), 'swagger-ui draws icons as data: images');
    assert.ok(directive('connect-src').includes("'self'"), 'swagger-ui fetches the document and tries requests');
    assert.doesNotMatch(csp, /upgrade-insecure-requests/, 'the docs work over plain HTTP too');
    const scripts = [...page.body.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    assert.ok(scripts.length > 0);
    const base = new URL(page.raw.req.url ?? '/docs/', 'http://service');
    for (const [, attrs, inline] of scripts) {
      assert.equal(inline.trim(), '', 'no inline script (script-src forbids it)');
      const src = /src="([^"]+)"/.exec(attrs)?.[1];
      assert.ok(src);
      const url = new URL(src, base);
      assert.equal(url.origin, 'http://service', `${src} is same-origin`);
      assert.equal((await t.app.inject(url.pathname)).statusCode, 200, `${url.pathname} is served`);
    }
    for (const [, href] of page.body.matchAll(/<link[^>]*href="([^"]+)"/g))
      assert.equal(new URL(href, base).origin, 'http://service');
  });
});

describe('CORS', () => {
  const preflight = (t: TestApp, origin: string) =>
    t.app.inject({
      method: 'OPTIONS',
      url: `${TMF}/x`,
      headers: {
        origin,
        'access-control-request-method': 'PATCH',
        'access-control-request-headers': 'authorization,content-type',
      },
    });

  it('is off by default: no CORS headers for any origin', async () => {
    const res = await plain.app.inject({ url: '/health', headers: { origin: 'https://crm.example.com' } });
    assert.equal(res.headers['access-control-allow-origin'], undefined);
    assert.equal((await preflight(plain, 'https://crm.example.com')).headers['access-control-allow-origin'], undefined);
  });

  it('with CORS_ORIGINS, allows exactly those origins', async () => {
    const ok = await preflight(configured, 'https://crm.example.com');
    assert.equal(ok.statusCode, 204);
    assert.equal(ok.headers['access-control-allow-origin'], 'https://crm.example.com');
    assert.match(String(ok.headers['access-control-allow-methods']), /PATCH/);
    const get = await configured.app.inject({ url: '/health', headers: { origin: 'https://crm.example.com' } });
    assert.equal(get.headers['access-control-allow-origin'], 'https://crm.example.com');
    assert.match(String(get.headers['access-control-expose-headers']), /x-request-id/);
    const other = await preflight(configured, 'https://evil.example.com');
    assert.equal(other.headers['access-control-allow-origin'], undefined);
  });
});

describe('rate limit', () => {
  it('answers 429 with Retry-After in the format of the API that owns the path, per credential', async () => {
    const keyA = await limited.apiKeyFor('t1');
    const keyB = await limited.apiKeyFor('t1');
    const call = (url: string, key: string) => limited.app.inject({ url, headers: { authorization: `Bearer ${key}` } });
    for (let i = 0; i < 3; i++) assert.notEqual((await call(ADMIN, keyA)).statusCode, 429);

    const admin = await call(ADMIN, keyA);
    assert.equal(admin.statusCode, 429);
    assert.ok(Number(admin.headers['retry-after']) > 0);
    assert.deepEqual(Object.keys(admin.json()).sort(), ['code', 'details', 'message']);
    assert.equal(admin.json().code, 'RATE_LIMITED');

    const tmf = await call(`${TMF}/x`, keyA);
    assert.equal(tmf.statusCode, 429);
    assert.ok(Number(tmf.headers['retry-after']) > 0);
    assert.deepEqual(Object.keys(tmf.json()).sort(), ['componentMsg', 'id', 'msg', 'status']);
    assert.equal(tmf.json().status, 429);

    const ext = await call(`${EXT}/task/x`, keyA);
    assert.equal(ext.statusCode, 429);
    assert.deepEqual([ext.json().code, ext.json().status], ['429', 'TOO_MANY_REQUESTS']);

    assert.equal((await call(ADMIN, keyB)).statusCode, 200, 'another credential has its own budget');
  });

  it('counts requests without valid credentials per client address', async () => {
    const from = (remoteAddress: string, i: number) =>
      limited.app.inject({ url: ADMIN, remoteAddress, headers: { authorization: `Bearer guessed-key-${i}` } });
    for (let i = 0; i < 3; i++) assert.equal((await from('10.0.0.1', i)).statusCode, 401);
    assert.equal((await from('10.0.0.1', 3)).statusCode, 429, 'guessing keys is limited by address');
    assert.equal((await from('10.0.0.2', 4)).statusCode, 401, 'another address has its own budget');
  });

  it('the default (600 a minute) lets one integration send a burst of 100 concurrent requests', async () => {
    const key = await plain.apiKeyFor('t1');
    const codes = await Promise.all(
      Array.from({ length: 100 }, () =>
        plain.app.inject({ url: ADMIN, headers: { authorization: `Bearer ${key}` } }).then((r) => r.statusCode),
      ),
    );
    assert.deepEqual([...new Set(codes)], [200]);
  });
});

describe('x-request-id', () => {
  const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

  it('is echoed when short and plain', async () => {
    for (const id of ['abc-123', 'trace:01HZX.7_a', 'x'.repeat(64)]) {
      const res = await plain.app.inject({ url: '/health', headers: { 'x-request-id': id } });
      assert.equal(res.headers['x-request-id'], id);
    }
  });

  it('is replaced by a fresh uuid when long, odd or absent, on every kind of response', async () => {
    for (const id of ['x'.repeat(65), 'a b', 'id\u00e9', '<script>', 'a,b', '']) {
      const res = await plain.app.inject({ url: '/health', headers: { 'x-request-id': id } });
      assert.match(String(res.headers['x-request-id']), UUID, JSON.stringify(id));
    }
    const first = await plain.app.inject('/nowhere');
    const second = await plain.app.inject(`${TMF}/x`);
    const badUrl = await plain.app.inject('/v1/orgs/%E0%A4%A/appointments');
    for (const res of [first, second, badUrl])
      assert.match(String(res.headers['x-request-id']), UUID, `${res.statusCode}`);
    assert.notEqual(first.headers['x-request-id'], second.headers['x-request-id']);
  });
});
