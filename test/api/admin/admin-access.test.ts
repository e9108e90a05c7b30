import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SignJWT } from 'jose';
import { admin, createTestApp, JWT_SECRET, type TestApp } from '../../helpers/test-app.ts';
import { createScenario } from '../../helpers/scenario.ts';

/** Tokens are checked against the app's clock (createTestApp's default), so they are issued by it too. */
const APP_NOW_S = Date.parse('2027-01-04T06:00:00Z') / 1000;
const jwt = (claims: Record<string, unknown>, expiresInS = 300, secret = JWT_SECRET) =>
  new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('user-1')
    .setIssuedAt(APP_NOW_S)
    .setExpirationTime(APP_NOW_S + expiresInS)
    .sign(new TextEncoder().encode(secret));

describe('admin API: tenant isolation and credentials', () => {
  let t: TestApp;
  let keyA: string;
  let keyB: string;
  let routes: Array<{ method: string; url: string }>;
  before(async () => {
    t = await createTestApp();
    await createScenario(t.core, { tenantId: 'tenant-a', resources: 1 });
    await createScenario(t.core, { tenantId: 'tenant-b', resources: 1 });
    keyA = await t.apiKeyFor('tenant-a');
    keyB = await t.apiKeyFor('tenant-b');
    await t.core.holds.createHold(admin, 'tenant-a', {
      serviceIds: ['install'],
      location: { siteId: 'site-1' },
      start: new Date('2027-01-05T08:00:00Z'),
    });
    // Every tenant-scoped admin route, as the OpenAPI document lists them, with tenant A's ids filled in.
    const doc = (await t.app.inject('/openapi.json')).json();
    const ids: Record<string, string> = {
      tenantId: 'tenant-a',
      id: 'site-1',
      holdId: 'any',
      appointmentId: 'any',
      keyId: 'any',
    };
    routes = Object.entries<Record<string, unknown>>(doc.paths)
      .filter(([path]) => path.startsWith('/admin/v1/tenants/{tenantId}'))
      .flatMap(([path, ops]) =>
        Object.keys(ops).map((m) => ({ method: m.toUpperCase(), url: path.replace(/\{(\w+)\}/g, (_, k) => ids[k]) })),
      );
  });
  after(() => t.close());

  it('covers every tenant-scoped admin route', () => {
    assert.ok(routes.length >= 20, `found ${routes.length} routes`);
  });

  it("refuses another tenant's key on every route with 403, changing nothing", async () => {
    const before = (await t.db.query('SELECT count(*)::int AS n FROM sites')).rows[0].n;
    for (const r of routes) {
      const res = await t.app.inject({
        method: r.method as any,
        url: r.url,
        headers: { authorization: `Bearer ${keyB}` },
        payload: r.method === 'GET' || r.method === 'DELETE' ? undefined : {},
      });
      assert.equal(res.statusCode, 403, `${r.method} ${r.url}: ${res.body}`);
      assert.equal(res.json().code, 'NOT_ALLOWED');
    }
    assert.equal((await t.db.query('SELECT count(*)::int AS n FROM sites')).rows[0].n, before);
  });

  it('refuses every route without credentials (401)', async () => {
    for (const r of routes) {
      const res = await t.app.inject({ method: r.method as any, url: r.url });
      assert.equal(res.statusCode, 401, `${r.method} ${r.url}`);
    }
  });

  it("lets a tenant's own key read its data, and not list tenants or create them", async () => {
    const own = await t.app.inject({
      url: '/admin/v1/tenants/tenant-a/sites',
      headers: { authorization: `Bearer ${keyA}` },
    });
    assert.equal(own.statusCode, 200);
    assert.deepEqual(
      own.json().items.map((s: { id: string }) => s.id),
      ['site-1'],
    );
    const list = await t.app.inject({ url: '/admin/v1/tenants', headers: { authorization: `Bearer ${keyA}` } });
    assert.equal(list.statusCode, 403);
  });

  it('refuses an unknown or revoked API key with 401', async () => {
    const bad = await t.app.inject({
      url: '/admin/v1/tenants/tenant-a/sites',
      headers: { authorization: 'Bearer tenant-a.not-a-real-key' },
    });
    assert.equal(bad.statusCode, 401);
    const { record, key } = await t.core.catalog.createApiKey(admin, 'tenant-a', { label: 'short-lived' });
    await t.core.catalog.revokeApiKey(admin, 'tenant-a', record.keyId);
    const revoked = await t.app.inject({
      url: '/admin/v1/tenants/tenant-a/sites',
      headers: { authorization: `Bearer ${key}` },
    });
    assert.equal(revoked.statusCode, 401);
    assert.match(revoked.json().message, /revoked/);
  });

  it('issues keys only with the core roles a key may carry (an API’s role names are for tokens)', async () => {
    const count = async () => (await t.core.catalog.listApiKeys(admin, 'tenant-a')).length;
    const before = await count();
    for (const roles of [['ADMIN'], ['viewer', 'AGENT'], ['appointment-guest'], ['verified-customer']])
      await assert.rejects(t.core.catalog.createApiKey(admin, 'tenant-a', { roles }), { code: 'INVALID_INPUT' });
    assert.equal(await count(), before, 'no key issued');
  });

  it("accepts a tenant's JWT, and refuses it for another tenant, expired, or badly signed", async () => {
    const url = '/admin/v1/tenants/tenant-a/appointments';
    const ok = await t.app.inject({
      url,
      headers: { authorization: `Bearer ${await jwt({ tenant: 'tenant-a', roles: ['viewer'] })}` },
    });
    assert.equal(ok.statusCode, 200, ok.body);
    const other = await t.app.inject({
      url,
      headers: { authorization: `Bearer ${await jwt({ tenant: 'tenant-b', roles: ['viewer'] })}` },
    });
    assert.equal(other.statusCode, 403);
    const expired = await t.app.inject({
      url,
      headers: { authorization: `Bearer ${await jwt({ tenant: 'tenant-a' }, -120)}` },
    });
    assert.equal(expired.statusCode, 401);
    const forged = await t.app.inject({
      url,
      headers: { authorization: `Bearer ${await jwt({ tenant: 'tenant-a' }, 300, 'x'.repeat(40))}` },
    });
    assert.equal(forged.statusCode, 401);
    assert.match(forged.json().message, /Invalid token/);
  });

  it('a viewer JWT may read but not write', async () => {
    const token = await jwt({ tenant: 'tenant-a', roles: ['viewer'] });
    const res = await t.app.inject({
      method: 'POST',
      url: '/admin/v1/tenants/tenant-a/holds',
      headers: { authorization: `Bearer ${token}` },
      payload: { serviceIds: ['install'], siteId: 'site-1', start: '2027-01-05T10:00:00Z' },
    });
    assert.equal(res.statusCode, 403);
    assert.match(res.json().message, /appointments:write/);
  });
});
