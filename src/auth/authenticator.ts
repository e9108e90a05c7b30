import { timingSafeEqual } from 'node:crypto';
import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey, type JWTVerifyOptions } from 'jose';
import { CREDENTIAL_ROLES, isCredentialRole, type CoreRole } from '../core/access/access.ts';
import { unauthenticated, type CoreError } from '../core/errors.ts';
import type { Principal } from '../core/types.ts';

export interface AuthSettings {
  adminToken: string | null;
  jwt: { secret: string | null; jwksUrl: string | null; issuer: string | null; audience: string | null };
  /** Looks a tenant API key up (the catalog). */
  findApiKey: (key: string) => Promise<Principal | null>;
  /** How long a looked-up key is trusted without asking the database again; revocation takes this long. */
  apiKeyCacheMs?: number;
  /** Longest JWT lifetime accepted, in seconds (JWT_MAX_TTL); 24 h by default. */
  jwtMaxTtlSeconds?: number;
  /** The injected clock: token expiry is checked against it. */
  now?: () => Date;
  /**
   * Role names a token may carry besides the core roles, each with the core role it acts as: the
   * roles of the identity providers the registered APIs speak (src/api/registry.ts).
   */
  tokenRoles?: Readonly<Record<string, CoreRole>>;
}

export type AuthResult = { principal: Principal | null; error?: CoreError };
export type Authenticator = (authorization: string | undefined) => Promise<AuthResult>;

const JWT_SHAPE = /^eyJ[\w-]*\.[\w-]+\.[\w-]*$/;
const MAX_CACHED_KEYS = 10_000;
/** Clock skew allowed between the token issuer and us, in seconds. */
const CLOCK_SKEW_S = 60;

/** Spring-style issuers prefix roles with ROLE_ (ROLE_AGENT): the same role as AGENT. */
const withoutPrefix = (role: string) => (role.startsWith('ROLE_') ? role.slice(5) : role);

/** A token's roles read as core roles, and as it named them when those are an API's own names. */
type TokenRoles = { roles: string[]; grantedRoles?: string[] };

/**
 * The roles: the `roles` claim, else `authorities` (Spring style). Absent both means `scheduler`
 * (documented); a string is one role; an array lists roles. Anything else, or a role we do not
 * know, refuses the token: a typo or a foreign role never turns into more rights than the issuer wrote.
 */
function rolesOf(claim: unknown, aliases: Readonly<Record<string, CoreRole>>): TokenRoles | { problem: string } {
  if (claim === undefined) return { roles: ['scheduler'] };
  const list = typeof claim === 'string' ? [claim] : claim;
  if (!Array.isArray(list) || !list.every((r): r is string => typeof r === 'string'))
    return { problem: 'The roles claim must be a role name or a list of role names' };
  const granted = [...new Set(list.map(withoutPrefix))];
  const coreRoleOf = (r: string): CoreRole | undefined =>
    isCredentialRole(r) ? r : Object.hasOwn(aliases, r) ? aliases[r] : undefined;
  const unknown = granted.filter((r) => coreRoleOf(r) === undefined);
  if (unknown.length)
    return {
      problem:
        `Unknown role ${JSON.stringify(unknown[0].slice(0, 40))} in the roles claim (known: ` +
        `${[...CREDENTIAL_ROLES, ...Object.keys(aliases)].join(', ')}, with or without ROLE_)`,
    };
  const roles = [...new Set(granted.map((r) => coreRoleOf(r)!))];
  return granted.every(isCredentialRole) ? { roles } : { roles, grantedRoles: granted };
}

/**
 * jose checks the signature, `exp` (required), `nbf` and the skew. Its `maxTokenAge` measures the
 * age since `iat` and needs `iat`, so it bounds neither a token issued now that expires in 2286
 * nor one without `iat`: the lifetime and a future `iat` are checked here.
 */
function lifetimeProblem(payload: { exp?: number; iat?: number }, nowS: number, maxTtlS: number): string | null {
  if (payload.iat !== undefined && payload.iat > nowS + CLOCK_SKEW_S) return 'Invalid token: "iat" is in the future';
  const lifetime = payload.iat !== undefined ? payload.exp! - payload.iat : payload.exp! - nowS - CLOCK_SKEW_S;
  if (lifetime > maxTtlS) return `Invalid token: it lives longer than the ${maxTtlS} s allowed (JWT_MAX_TTL)`;
  return null;
}

const sameSecret = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/**
 * Bearer credentials → principal: the operator's ADMIN_TOKEN, a tenant API key, or a JWT
 * (HS256 secret or a JWKS URL) whose `tenant` claim names the tenant and `roles` its roles.
 */
export function createAuthenticator(s: AuthSettings): Authenticator {
  const hsKey = s.jwt.secret ? new TextEncoder().encode(s.jwt.secret) : null;
  const jwks: JWTVerifyGetKey | null = s.jwt.jwksUrl ? createRemoteJWKSet(new URL(s.jwt.jwksUrl)) : null;
  const cacheMs = s.apiKeyCacheMs ?? 10_000;
  const keyCache = new Map<string, { principal: Principal | null; until: number }>();
  const maxTtlS = s.jwtMaxTtlSeconds ?? 86_400;
  const clock = s.now ?? (() => new Date());
  const tokenRoles = s.tokenRoles ?? {};

  async function fromJwt(token: string): Promise<AuthResult> {
    if (!hsKey && !jwks)
      return {
        principal: null,
        error: unauthenticated('JWTs are not accepted: no JWT_SECRET or JWT_JWKS_URL configured'),
      };
    const now = clock();
    const options: JWTVerifyOptions = {
      issuer: s.jwt.issuer ?? undefined,
      audience: s.jwt.audience ?? undefined,
      requiredClaims: ['exp'],
      clockTolerance: CLOCK_SKEW_S,
      currentDate: now,
    };
    try {
      const { payload } = hsKey
        ? await jwtVerify(token, hsKey, { ...options, algorithms: ['HS256'] })
        : await jwtVerify(token, jwks!, options);
      const tooLong = lifetimeProblem(payload, Math.floor(now.getTime() / 1000), maxTtlS);
      if (tooLong) return { principal: null, error: unauthenticated(tooLong) };
      const tenant = payload.tenant ?? payload.tenantId ?? payload.tid;
      if (typeof tenant !== 'string' || !tenant)
        return { principal: null, error: unauthenticated('The token has no tenant claim') };
      const granted = rolesOf('roles' in payload ? payload.roles : payload.authorities, tokenRoles);
      if ('problem' in granted) return { principal: null, error: unauthenticated(granted.problem) };
      return {
        principal: {
          kind: 'jwt',
          tenantId: tenant,
          subject: `jwt:${payload.sub ?? 'anonymous'}`,
          roles: granted.roles,
          ...(granted.grantedRoles ? { grantedRoles: granted.grantedRoles } : {}),
          ...(typeof payload.sub === 'string' && payload.sub ? { userId: payload.sub } : {}),
          ...(typeof payload.conferenceId === 'string' && payload.conferenceId
            ? { conferenceId: payload.conferenceId }
            : {}),
        },
      };
    } catch (e) {
      return { principal: null, error: unauthenticated(`Invalid token: ${(e as Error).message}`) };
    }
  }

  async function fromApiKey(key: string): Promise<AuthResult> {
    const now = Date.now(); // cache bookkeeping only; no business rule depends on it
    const hit = keyCache.get(key);
    let principal = hit && hit.until > now ? hit.principal : undefined;
    if (principal === undefined) {
      principal = await s.findApiKey(key);
      if (keyCache.size >= MAX_CACHED_KEYS) keyCache.clear();
      keyCache.set(key, { principal, until: now + cacheMs });
    }
    return principal ? { principal } : { principal: null, error: unauthenticated('Unknown or revoked API key') };
  }

  return async (authorization) => {
    if (!authorization) return { principal: null };
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!match) {
      // A placeholder pasted from an example ("Bearer masmovil.<key from the log>") is a bad credential, not a bad
      // scheme.
      if (/^Bearer\s+\S/i.test(authorization))
        return {
          principal: null,
          error: unauthenticated(
            'The bearer credential must be one token without spaces: a tenant API key, a JWT or the operator token',
          ),
        };
      return { principal: null, error: unauthenticated('Use the Authorization: Bearer <token> scheme') };
    }
    const token = match[1];
    if (s.adminToken && sameSecret(token, s.adminToken))
      return { principal: { kind: 'admin', tenantId: null, subject: 'operator', roles: [] } };
    return JWT_SHAPE.test(token) ? fromJwt(token) : fromApiKey(token);
  };
}
