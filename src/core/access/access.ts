import { notAllowed, unauthenticated } from '../errors.ts';
import type { Principal } from '../types.ts';

/**
 * The single authorisation choke point: every use case calls `requireAccess` first.
 *
 * Permissions by core role: a tenant API key carries `tenant-admin` (or a narrower role it was
 * issued with); a JWT's roles are read as core roles by the authenticator (an API may name the
 * roles of its clients' identity provider and the core role each acts as: src/api/http/api-facade.ts).
 * - tenant-admin: everything inside its tenant
 * - scheduler: read and write appointments, holds and slots; read the catalog
 * - viewer: read appointments, slots and the catalog
 * - appointment-guest: only the one appointment its credential names (`Principal.conferenceId`)
 * - verified-customer: a customer who proved an address with a one-time code: books appointments
 *   and reads its own; never accepted from a token (the API that checked the code grants it).
 * The service operator (ADMIN_TOKEN) may do everything in every tenant.
 */
export type Permission =
  | 'appointments:read'
  | 'appointments:write'
  | 'catalog:read'
  | 'catalog:write'
  /** Book a new appointment (nothing else is written). */
  | 'appointments:book'
  /** Read only the appointment the principal is bound to (Principal.conferenceId). */
  | 'appointments:own';

export type CoreRole = 'tenant-admin' | 'scheduler' | 'viewer' | 'appointment-guest';

/**
 * The core roles an API key or a token may name. `appointment-guest` is only what an API's own role
 * stands for (the video-call CUSTOMER, bound to one call by its token).
 */
export const CREDENTIAL_ROLES: readonly CoreRole[] = ['tenant-admin', 'scheduler', 'viewer'];

/** The role of a principal made after a one-time code was verified (never read from a token). */
export const VERIFIED_CUSTOMER_ROLE = 'verified-customer';

const ROLE_PERMISSIONS: Record<string, Permission[]> = {
  'tenant-admin': ['appointments:read', 'appointments:write', 'catalog:read', 'catalog:write'],
  scheduler: ['appointments:read', 'appointments:write', 'catalog:read'],
  viewer: ['appointments:read', 'catalog:read'],
  'appointment-guest': ['appointments:own'],
  [VERIFIED_CUSTOMER_ROLE]: ['appointments:book', 'appointments:own'],
};

export const isCredentialRole = (role: string): role is CoreRole =>
  (CREDENTIAL_ROLES as readonly string[]).includes(role);

/** Whether the principal's roles grant the permission (tenant and operator checks aside). */
export const hasPermission = (principal: Principal, permission: Permission): boolean =>
  principal.kind === 'admin' ||
  principal.kind === 'system' ||
  principal.roles.some((role) => ROLE_PERMISSIONS[role]?.includes(permission));

/** Passes when the principal may act in the tenant with one of the permissions given. */
export function requireAccess(
  principal: Principal | null,
  tenantId: string | null,
  permission: Permission | Permission[],
): Principal {
  if (!principal) throw unauthenticated();
  if (principal.kind === 'admin' || principal.kind === 'system') return principal;
  if (tenantId === null || principal.tenantId !== tenantId) {
    // Same answer whether the tenant exists or not: another tenant's names are not disclosed.
    throw notAllowed('These credentials do not give access to this tenant');
  }
  const wanted = Array.isArray(permission) ? permission : [permission];
  if (!wanted.some((w) => hasPermission(principal, w))) throw notAllowed(`Missing permission ${wanted.join(' or ')}`);
  return principal;
}

/**
 * Whether the principal may read this appointment: any with appointments:read, else only the one
 * it is bound to (an appointment guest's conferenceId).
 */
export const mayReadAppointment = (principal: Principal, appointmentId: string): boolean =>
  hasPermission(principal, 'appointments:read') ||
  (hasPermission(principal, 'appointments:own') && principal.conferenceId === appointmentId);

/** Only the service operator (ADMIN_TOKEN) manages tenants and keys across tenants. */
export function requireOperator(principal: Principal | null): Principal {
  if (!principal) throw unauthenticated();
  if (principal.kind !== 'admin' && principal.kind !== 'system') throw notAllowed('Operator credentials required');
  return principal;
}

export const systemPrincipal: Principal = { kind: 'system', tenantId: null, subject: 'system', roles: [] };
