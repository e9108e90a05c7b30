import type { Queryable } from '../../db/database.ts';
import { getTenant } from '../catalog/tenant.repository.ts';
import { notFound } from '../errors.ts';
import type { Principal } from '../types.ts';
import { requireAccess, type Permission } from './access.ts';

/**
 * The access check of every tenant-scoped use case, plus, for the operator's credentials (which
 * pass any tenant), that the tenant exists: a tenant's own credentials prove that already.
 */
export function tenantAccess(db: Queryable) {
  return async function access(
    p: Principal | null,
    tenantId: string,
    permission: Permission | Permission[],
  ): Promise<Principal> {
    const principal = requireAccess(p, tenantId, permission);
    if (principal.tenantId === null && !(await getTenant(db, tenantId))) throw notFound('Tenant', tenantId);
    return principal;
  };
}

export type TenantAccess = ReturnType<typeof tenantAccess>;
