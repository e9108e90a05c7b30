import type { FastifyRequest } from 'fastify';
import { notAllowed, unauthenticated } from '../../core/errors.ts';

/**
 * The edge check every API runs on request, before the body is read: credentials that were sent
 * but are invalid, none at all on a tenant's path, or another tenant's. The core checks again in
 * every use case; this only makes the answer not depend on whether the body was valid.
 */
export function refuseForeignCredentials(req: FastifyRequest, tenantId: string | undefined): void {
  if (req.authError) throw req.authError;
  if (tenantId === undefined) return;
  if (!req.principal) throw unauthenticated('Missing credentials: send Authorization: Bearer <API key or JWT>');
  if (req.principal.tenantId !== null && req.principal.tenantId !== tenantId)
    throw notAllowed('These credentials do not give access to this tenant');
}
