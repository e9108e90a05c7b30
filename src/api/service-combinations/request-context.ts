/**
 * The headers every operation of this API needs, checked before the body is read:
 * - credentials (`Authorization: Bearer` API key or JWT): none or invalid → 401;
 * - `X-TENANT-ID`: missing → 400; another tenant's credentials, or a tenant that does not exist →
 *   403, the same answer, so tenant names do not leak;
 * - `Accept-Language`: missing or naming no language → 400 (the seed says it is required).
 * The core checks the tenant again in every use case.
 */
import type { FastifyRequest } from 'fastify';
import type { Core } from '../../core/core.ts';
import { CoreError, invalidInput, notAllowed, unauthenticated } from '../../core/errors.ts';
import { refuseForeignCredentials } from '../http/tenant-credentials.ts';
import { parseAcceptLanguage } from './language.ts';

export interface RequestContext {
  tenantId: string;
  /** Preferred languages, canonical tags, most preferred first. */
  languages: string[];
}

const contexts = new WeakMap<FastifyRequest, RequestContext>();

export const SEED_LANGUAGES = ['en_US', 'en_UK', 'fr_FR', 'nl_NL', 'de_DE', 'it_IT', 'ES_es'];
const TENANT_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

const header = (req: FastifyRequest, name: string) => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

export function requestContextHook(core: Core) {
  return async function checkHeaders(req: FastifyRequest): Promise<void> {
    if (req.authError) throw req.authError;
    if (!req.principal) throw unauthenticated('Missing credentials: send Authorization: Bearer <API key or JWT>');
    const tenantId = header(req, 'x-tenant-id')?.trim();
    if (!tenantId)
      throw invalidInput('The X-TENANT-ID header is required', [{ field: 'X-TENANT-ID', message: 'is required' }]);
    // Not a tenant id at all: no tenant of that name can exist, the same answer as an unknown one.
    if (!TENANT_ID.test(tenantId)) throw notAllowed('These credentials do not give access to this tenant');
    refuseForeignCredentials(req, tenantId);
    if (req.principal.tenantId === null) await requireExistingTenant(core, req, tenantId);
    const languages = parseAcceptLanguage(header(req, 'accept-language'));
    if (!languages)
      throw invalidInput(
        `The Accept-Language header is required: one of ${SEED_LANGUAGES.join(', ')} or a language tag`,
        [{ field: 'Accept-Language', message: 'is required' }],
      );
    contexts.set(req, { tenantId, languages });
  };
}

/** The operator's credentials pass any tenant: an unknown one is refused like another tenant's. */
async function requireExistingTenant(core: Core, req: FastifyRequest, tenantId: string): Promise<void> {
  try {
    await core.catalog.getTenant(req.principal, tenantId);
  } catch (e) {
    if (e instanceof CoreError && e.code === 'NOT_FOUND')
      throw notAllowed('These credentials do not give access to this tenant');
    throw e;
  }
}

/** The checked headers of a request that passed the hook. */
export function contextOf(req: FastifyRequest): RequestContext {
  const c = contexts.get(req);
  if (!c) throw new Error('service-combinations: request context missing (hook not run)');
  return c;
}
