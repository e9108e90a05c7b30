import { notAllowed, unauthenticated } from '../errors.ts';
import type { Principal } from '../types.ts';

/**
 * The single authorisation choke point: every use case calls `requireAccess` first.
 *
 * Permissions by role: a tenant API key carries `tenant-admin`; JWT roles come from the token.
 * - tenant-admin: everything inside its tenant
 * - scheduler: read and write appointments, holds and slots; read the catalog
 * - viewer: read appointments, slots and the catalog
 * The service operator (ADMIN_TOKEN) may do everything in every tenant.
 */
export type Permission = 'appointments:read' | 'appointments:write' | 'catalog:read' | 'catalog:write';

const ROLE_PERMISSIONS: Record<string, Permission[]> = {
  'tenant-admin': ['appointments:read', 'appointments:write', 'catalog:read', 'catalog:write'],
  scheduler: ['appointments:read', 'appointments:write', 'catalog:read'],
  viewer: ['appointments:read', 'catalog:read'],
};

export const KNOWN_ROLES = Object.keys(ROLE_PERMISSIONS);

export function requireAccess(principal: Principal | null, tenantId: string | null, permission: Permission): Principal {
  if (!principal) throw unauthenticated();
  if (principal.kind === 'admin' || principal.kind === 'system') return principal;
  if (tenantId === null || principal.tenantId !== tenantId) {
    // Same answer whether the tenant exists or not: another tenant's names are not disclosed.
    throw notAllowed('These credentials do not give access to this tenant');
  }
  const granted = principal.roles.some((role) => ROLE_PERMISSIONS[role]?.includes(permission));
  if (!granted) throw notAllowed(`Missing permission ${permission}`);
  return principal;
}

/** Only the service operator (ADMIN_TOKEN) manages tenants and keys across tenants. */
export function requireOperator(principal: Principal | null): Principal {
  if (!principal) throw unauthenticated();
  if (principal.kind !== 'admin' && principal.kind !== 'system') throw notAllowed('Operator credentials required');
  return principal;
}

export const systemPrincipal: Principal = { kind: 'system', tenantId: null, subject: 'system', roles: [] };
