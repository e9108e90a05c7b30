/**
 * The roles of the documented API ("Required authorization") and who holds them. A JWT carries
 * them itself (AGENT, SUPERVISOR, CLIENT_SERVICE, ADMIN, CUSTOMER; the authenticator strips ROLE_).
 * A tenant API key is a back-office system, not a person: `tenant-admin` keys act as SUPERVISOR,
 * CLIENT_SERVICE and ADMIN, `scheduler` keys (and JWTs) as SUPERVISOR and CLIENT_SERVICE, `viewer`
 * as none; no key is an AGENT (an agent is a resource, named by a token's sub) nor a CUSTOMER.
 */
import type { FastifyRequest } from 'fastify';
import type { CoreRole } from '../../core/access/access.ts';
import { notAllowed, unauthenticated } from '../../core/errors.ts';
import type { Principal } from '../../core/types.ts';

export type VideoRole = 'AGENT' | 'SUPERVISOR' | 'CLIENT_SERVICE' | 'ADMIN' | 'CUSTOMER';

/**
 * What each of these roles may do in the core; this API narrows further by the role itself. A
 * CUSTOMER token reads only the call its conferenceId claim names.
 */
export const VIDEO_TOKEN_ROLES: Readonly<Record<VideoRole, CoreRole>> = {
  AGENT: 'scheduler',
  SUPERVISOR: 'scheduler',
  CLIENT_SERVICE: 'scheduler',
  ADMIN: 'tenant-admin',
  CUSTOMER: 'appointment-guest',
};
const isVideoRole = (r: string): r is VideoRole => Object.hasOwn(VIDEO_TOKEN_ROLES, r);
const ROLES_OF_GENERIC: Record<string, VideoRole[]> = {
  'tenant-admin': ['SUPERVISOR', 'CLIENT_SERVICE', 'ADMIN'],
  scheduler: ['SUPERVISOR', 'CLIENT_SERVICE'],
};

/** This API's roles of a principal: a token's own names, or those a core role (an API key's) stands for. */
export function videoRolesOf(p: Principal): Set<VideoRole> {
  const roles = new Set<VideoRole>();
  for (const r of p.grantedRoles ?? p.roles) {
    if (isVideoRole(r)) roles.add(r);
    else for (const mapped of ROLES_OF_GENERIC[r] ?? []) roles.add(mapped);
  }
  return roles;
}

/** Who is calling; 401 without credentials. */
export function principalOf(req: FastifyRequest): Principal {
  if (!req.principal) throw unauthenticated('Missing credentials: send Authorization: Bearer <JWT>');
  return req.principal;
}

/** The tenant of a request's credentials (every operation with credentials acts in the caller's own tenant). */
export function tenantOf(req: FastifyRequest): string {
  const p = principalOf(req);
  if (p.tenantId === null) throw notAllowed('These credentials name no tenant: use a tenant JWT or API key');
  return p.tenantId;
}

/**
 * onRequest hook of an operation: before the body is read, invalid credentials or none → 401,
 * valid ones without one of the roles → 403.
 */
export const requireRoles =
  (...allowed: VideoRole[]) =>
  async (req: FastifyRequest) => {
    if (req.authError) throw req.authError;
    tenantOf(req);
    const held = videoRolesOf(principalOf(req));
    if (!allowed.some((r) => held.has(r))) throw notAllowed(`This operation requires the role ${allowed.join(' or ')}`);
  };

/** The AGENT's own id (its resource), when the caller is an AGENT (a JWT's sub). */
export const agentIdOf = (p: Principal): string | null => (videoRolesOf(p).has('AGENT') ? (p.userId ?? null) : null);
