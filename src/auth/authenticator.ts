import { timingSafeEqual } from 'node:crypto';
import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { KNOWN_ROLES } from '../core/access/access.ts';
import { unauthenticated, type CoreError } from '../core/errors.ts';
import type { Principal } from '../core/types.ts';

export interface AuthSettings {
  adminToken: string | null;
  jwt: { secret: string | null; jwksUrl: string | null; issuer: string | null; audience: string | null };
  /** Looks a tenant API key up (the catalog). */
  findApiKey: (key: string) => Promise<Principal | null>;
  /** How long a looked-up key is trusted without asking the database again; revocation takes this long. */
  apiKeyCacheMs?: number;
}

export type AuthResult = { principal: Principal | null; error?: CoreError };
export type Authenticator = (authorization: string | undefined) => Promise<AuthResult>;

const JWT_SHAPE = /^eyJ[\w-]*\.[\w-]+\.[\w-]*$/;
const MAX_CACHED_KEYS = 10_000;

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

  async function fromJwt(token: string): Promise<AuthResult> {
    if (!hsKey && !jwks) return { principal: null, error: unauthenticated('JWTs are not accepted: no JWT_SECRET or JWT_JWKS_URL configured') };
    const options = { issuer: s.jwt.issuer ?? undefined, audience: s.jwt.audience ?? undefined };
    try {
      const { payload } = hsKey ? await jwtVerify(token, hsKey, { ...options, algorithms: ['HS256'] }) : await jwtVerify(token, jwks!, options);
      const tenant = payload.tenant ?? payload.tenantId ?? payload.tid;
      if (typeof tenant !== 'string' || !tenant) return { principal: null, error: unauthenticated('The token has no tenant claim') };
      const rawRoles = Array.isArray(payload.roles) ? payload.roles : ['scheduler'];
      const roles = rawRoles.filter((r): r is string => typeof r === 'string' && KNOWN_ROLES.includes(r));
      return { principal: { kind: 'jwt', tenantId: tenant, subject: `jwt:${payload.sub ?? 'anonymous'}`, roles } };
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
      // A placeholder pasted from an example ("Bearer masmovil.<key from the log>") is a bad credential, not a bad scheme.
      if (/^Bearer\s+\S/i.test(authorization)) return { principal: null, error: unauthenticated('The bearer credential must be one token without spaces: a tenant API key, a JWT or the operator token') };
      return { principal: null, error: unauthenticated('Use the Authorization: Bearer <token> scheme') };
    }
    const token = match[1];
    if (s.adminToken && sameSecret(token, s.adminToken)) return { principal: { kind: 'admin', tenantId: null, subject: 'operator', roles: [] } };
    return JWT_SHAPE.test(token) ? fromJwt(token) : fromApiKey(token);
  };
}
