import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SignJWT, type JWTPayload } from 'jose';
import { TOKEN_ROLES } from '../../src/api/registry.ts';
import { createAuthenticator } from '../../src/auth/authenticator.ts';
import { createTestApp, JWT_SECRET, type TestApp } from '../helpers/test-app.ts';
import { createScenario } from '../helpers/scenario.ts';

/** The injected clock, far from the real one: expiry is judged by it, not by the machine's. */
const NOW_S = Date.parse('2031-05-01T10:00:00Z') / 1000;
const HOUR = 3600;
const key = new TextEncoder().encode(JWT_SECRET);

/** A token with exactly the claims given (no defaults: the cases are about missing ones). */
const token = (claims: JWTPayload) => new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(key);
const valid = (extra: JWTPayload = {}) => token({ tenant: 't1', sub: 'u1', iat: NOW_S, exp: NOW_S + HOUR, ...extra });

/** As the server makes it: the role names of the served APIs' identity providers known. */
const authenticator = (jwtMaxTtlSeconds?: number, tokenRoles = TOKEN_ROLES) =>
  createAuthenticator({
    adminToken: null,
    jwt: { secret: JWT_SECRET, jwksUrl: null, issuer: null, audience: null },
    findApiKey: async () => null,
    now: () => new Date(NOW_S * 1000),
    jwtMaxTtlSeconds,
    tokenRoles,
  });
const authenticate = authenticator();
const bearer = async (t: Promise<string>) => authenticate(`Bearer ${await t}`);

describe('JWT roles claim', () => {
  it('takes a string as one role, a list as roles, and no claim as scheduler (documented)', async () => {
    assert.deepEqual((await bearer(valid({ roles: 'viewer' }))).principal?.roles, ['viewer']);
    assert.deepEqual((await bearer(valid({ roles: ['viewer', 'scheduler'] }))).principal?.roles, [
      'viewer',
      'scheduler',
    ]);
    assert.deepEqual((await bearer(valid())).principal?.roles, ['scheduler']);
    assert.deepEqual((await bearer(valid({ roles: [] }))).principal?.roles, [], 'an empty list grants nothing');
  });

  it('refuses unknown roles and malformed claims instead of granting a default', async () => {
    for (const roles of ['admin', ['viewer', 'wizard'], 42, { viewer: true }, [1], null, true]) {
      const { principal, error } = await bearer(valid({ roles: roles as never }));
      assert.equal(principal, null, `roles ${JSON.stringify(roles)}`);
      assert.equal(error?.code, 'UNAUTHENTICATED', `roles ${JSON.stringify(roles)}`);
    }
    assert.match((await bearer(valid({ roles: ['viewer', 'wizard'] }))).error?.message ?? '', /Unknown role "wizard"/);
  });
});

describe('JWT roles of the video-call API (Spring style)', () => {
  it('takes AGENT, SUPERVISOR, CLIENT_SERVICE, ADMIN, CUSTOMER with or without ROLE_, in roles or authorities', async () => {
    const all = ['AGENT', 'SUPERVISOR', 'CLIENT_SERVICE', 'ADMIN', 'CUSTOMER'];
    const everyRole = (await bearer(valid({ roles: all.map((r) => `ROLE_${r}`) }))).principal;
    assert.deepEqual(everyRole?.grantedRoles, all, 'the names as the token wrote them, for the video-call API');
    assert.deepEqual(everyRole?.roles, ['scheduler', 'tenant-admin', 'appointment-guest'], 'read as core roles');
    assert.deepEqual((await bearer(valid({ authorities: ['ROLE_AGENT', 'SUPERVISOR'] }))).principal?.grantedRoles, [
      'AGENT',
      'SUPERVISOR',
    ]);
    assert.deepEqual((await bearer(valid({ roles: ['ROLE_AGENT', 'AGENT'] }))).principal?.grantedRoles, ['AGENT']);
    assert.deepEqual(
      (await bearer(valid({ roles: 'viewer', authorities: ['ADMIN'] }))).principal?.roles,
      ['viewer'],
      'roles wins over authorities',
    );
  });

  it('are unknown to an authenticator that serves no API naming them', async () => {
    const coreOnly = authenticator(undefined, {});
    const { principal, error } = await coreOnly(`Bearer ${await valid({ roles: ['AGENT'] })}`);
    assert.equal(principal, null);
    assert.match(error?.message ?? '', /Unknown role "AGENT"/);
  });

  it('keeps the sub as the user id and a CUSTOMER token’s conferenceId', async () => {
    const { principal } = await bearer(
      token({
        tid: 't2',
        sub: 'agent-9',
        roles: ['ROLE_CUSTOMER'],
        conferenceId: 'c-1',
        iat: NOW_S,
        exp: NOW_S + HOUR,
      }),
    );
    assert.equal(principal?.tenantId, 't2');
    assert.equal(principal?.userId, 'agent-9');
    assert.equal(principal?.conferenceId, 'c-1');
  });

  it('refuses unknown Spring roles, the internal verified-customer role, and appointment-guest by its core name', async () => {
    for (const roles of [
      ['ROLE_WIZARD'],
      ['role_agent'],
      ['verified-customer'],
      ['ROLE_verified-customer'],
      ['appointment-guest'],
    ]) {
      const { principal, error } = await bearer(valid({ roles }));
      assert.equal(principal, null, JSON.stringify(roles));
      assert.equal(error?.code, 'UNAUTHENTICATED');
    }
    assert.equal((await bearer(valid({ authorities: 'ROLE_WIZARD' }))).principal, null);
  });
});

describe('JWT lifetime', () => {
  const refused = async (t: Promise<string>, why: RegExp) => {
    const { principal, error } = await bearer(t);
    assert.equal(principal, null);
    assert.equal(error?.code, 'UNAUTHENTICATED');
    assert.match(error?.message ?? '', why);
  };

  it('requires an expiry', async () => {
    await refused(token({ tenant: 't1', iat: NOW_S }), /"exp"/);
  });

  it(
    'refuses a lifetime beyond JWT_MAX_TTL (24 h by ' + 'default), measured from iat or, without it, from now',
    async () => {
      await refused(valid({ exp: Date.parse('2286-11-20T17:46:39Z') / 1000 }), /longer than/);
      await refused(valid({ exp: NOW_S + 25 * HOUR }), /longer than/);
      await refused(token({ tenant: 't1', exp: NOW_S + 25 * HOUR }), /longer than/);
      assert.ok((await bearer(valid({ exp: NOW_S + 24 * HOUR }))).principal);
      assert.ok((await bearer(token({ tenant: 't1', exp: NOW_S + 23 * HOUR }))).principal);
      // A token issued two hours ago for a day is still valid for 22 hours.
      assert.ok((await bearer(valid({ iat: NOW_S - 2 * HOUR, exp: NOW_S + 22 * HOUR }))).principal);
    },
  );

  it('honours a shorter JWT_MAX_TTL', async () => {
    const strict = authenticator(HOUR);
    assert.ok((await strict(`Bearer ${await valid({ exp: NOW_S + HOUR })}`)).principal);
    assert.match(
      (await strict(`Bearer ${await valid({ exp: NOW_S + 2 * HOUR })}`)).error?.message ?? '',
      /longer than the 3600 s/,
    );
  });

  it('refuses iat in the future beyond a minute of clock skew, and tolerates less', async () => {
    await refused(valid({ iat: NOW_S + 10 * 60, exp: NOW_S + HOUR }), /"iat" is in the future/);
    assert.ok((await bearer(valid({ iat: NOW_S + 30, exp: NOW_S + HOUR }))).principal);
  });

  it('judges expiry by the injected clock, with a minute of skew', async () => {
    await refused(valid({ iat: NOW_S - 2 * HOUR, exp: NOW_S - 2 * 60 }), /"exp"/);
    assert.ok((await bearer(valid({ iat: NOW_S - HOUR, exp: NOW_S - 30 }))).principal, 'within the skew');
    // Valid by the machine's clock (issued now, for an hour) but long expired by the service's clock.
    const wall = Math.floor(Date.now() / 1000);
    await refused(valid({ iat: wall, exp: wall + HOUR }), /"exp"/);
  });
});

describe('JWT roles over HTTP', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp({ now: new Date(NOW_S * 1000) });
    await createScenario(t.core, { tenantId: 't1', resources: 1 });
  });
  after(() => t.close());

  const hold = async (jwt: string) =>
    t.app.inject({
      method: 'POST',
      url: '/admin/v1/tenants/t1/holds',
      headers: { authorization: `Bearer ${jwt}` },
      payload: { serviceIds: ['install'], siteId: 'site-1', start: '2031-05-02T10:00:00Z' },
    });

  it('a viewer named by a string may read but not write', async () => {
    const viewer = await valid({ roles: 'viewer' });
    const read = await t.app.inject({
      url: '/admin/v1/tenants/t1/appointments',
      headers: { authorization: `Bearer ${viewer}` },
    });
    assert.equal(read.statusCode, 200, read.body);
    const write = await hold(viewer);
    assert.equal(write.statusCode, 403, write.body);
    assert.match(write.json().message, /appointments:write/);
  });

  it('an unknown role is a 401 in the API format', async () => {
    const res = await hold(await valid({ roles: 'superuser' }));
    assert.equal(res.statusCode, 401);
    assert.equal(res.json().code, 'UNAUTHENTICATED');
    assert.match(res.json().message, /Unknown role "superuser"/);
  });
});
