/** What every route of this API shares: its tag, its documented errors, and the request's tenant, languages and lookup. */
import type { FastifyRequest } from 'fastify';
import type { Core } from '../../core/core.ts';
import { createLookup } from './appointment.mapper.ts';
import { ErrorBody } from './combinations.schemas.ts';
import { contextOf } from './request-context.ts';

export const tags = ['Service combinations'];

export const errors = {
  400: ErrorBody,
  401: ErrorBody,
  403: ErrorBody,
  404: ErrorBody,
  409: ErrorBody,
  503: ErrorBody,
};

/** The checked headers of the request and a lookup of the catalog and customers it reads. */
export function setupOf(core: Core, req: FastifyRequest) {
  const ctx = contextOf(req);
  return { ...ctx, lookup: createLookup(core, req.principal, ctx.tenantId) };
}
