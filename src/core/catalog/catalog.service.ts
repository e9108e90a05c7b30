import { createHash, randomBytes } from 'node:crypto';
import { CREDENTIAL_ROLES, isCredentialRole, requireAccess, requireOperator } from '../access/access.ts';
import { putConfiguredApplication } from '../applications/application-config.ts';
import { putConfiguredNotifications } from '../notifications/notification-config.ts';
import type { CoreDeps } from '../deps.ts';
import { conflict, invalidInput, notFound } from '../errors.ts';
import type { Page, Principal, Resource, Service, Site, Tenant, TenantSettings } from '../types.ts';
import * as apiKeys from './api-key.repository.ts';
import type { ApiKeyRecord } from './api-key.repository.ts';
import type { ResourceInput, ServiceInput, SiteInput, TenantConfiguration, TenantInput } from './catalog.types.ts';
import { DEFAULT_RULES, DEFAULT_TENANT_SETTINGS } from './catalog.types.ts';
import { validateResource, validateService, validateSite, validateTenant } from './catalog.validation.ts';
import * as resources from './resource.repository.ts';
import * as services from './service.repository.ts';
import { putConfiguredWebhook } from '../webhooks/webhook-config.ts';
import * as sites from './site.repository.ts';
import * as tenants from './tenant.repository.ts';
import type { Queryable } from '../../db/database.ts';
import { pageBounds } from '../paging.ts';

export interface Paging {
  limit?: number;
  offset?: number;
}

export const hashApiKey = (key: string) => createHash('sha256').update(key).digest('hex');

export type CatalogService = ReturnType<typeof createCatalogService>;

/** Tenants, sites, services, resources and API keys: create, read, update, list, and whole-file configuration. */
export function createCatalogService(deps: CoreDeps) {
  const { db } = deps;

  async function requireTenant(q: Queryable, tenantId: string): Promise<Tenant> {
    const t = await tenants.getTenant(q, tenantId);
    if (!t) throw notFound('Tenant', tenantId);
    return t;
  }

  function toSite(tenantId: string, input: SiteInput, existing: Site | null): Site {
    validateSite(input);
    const now = deps.now();
    return {
      tenantId,
      id: input.id,
      name: input.name,
      timeZone: input.timeZone,
      address: input.address ?? null,
      geo: input.geo ?? null,
      serviceArea: input.serviceArea ?? null,
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
    };
  }

  function toService(tenantId: string, input: ServiceInput, existing: Service | null): Service {
    validateService(input);
    const now = deps.now();
    return {
      tenantId,
      id: input.id,
      name: input.name,
      names: input.names ?? {},
      durationMin: input.durationMin,
      bufferBeforeMin: input.bufferBeforeMin ?? 0,
      bufferAfterMin: input.bufferAfterMin ?? 0,
      seats: input.seats ?? 1,
      maxNumberOfReservations: input.maxNumberOfReservations ?? null,
      rules: { ...DEFAULT_RULES, ...input.rules },
      slotPolicy: input.slotPolicy,
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
    };
  }

  async function toResource(
    q: Queryable,
    tenantId: string,
    input: ResourceInput,
    existing: Resource | null,
  ): Promise<Resource> {
    const known = await knownIds(q, tenantId, input.siteIds, input.serviceIds);
    validateResource(input, known);
    const now = deps.now();
    return {
      tenantId,
      id: input.id,
      kind: input.kind,
      name: input.name,
      serviceIds: [...new Set(input.serviceIds)],
      siteIds: [...new Set(input.siteIds)],
      workingHours: input.workingHours,
      timeOff: (input.timeOff ?? []).map((t, i) => ({
        id: t.id ?? `off-${i + 1}`,
        start: t.start,
        end: t.end,
        reason: t.reason ?? null,
      })),
      active: input.active ?? true,
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
    };
  }

  async function knownIds(q: Queryable, tenantId: string, siteIds: string[], serviceIds: string[]) {
    const s = await q.query<{ site_id: string }>(
      'SELECT site_id FROM sites WHERE tenant_id = $1 AND site_id = ANY($2::text[])',
      [tenantId, siteIds],
    );
    const v = await q.query<{ service_id: string }>(
      'SELECT service_id FROM services WHERE tenant_id = $1 AND service_id = ANY($2::text[])',
      [tenantId, serviceIds],
    );
    return { siteIds: new Set(s.rows.map((r) => r.site_id)), serviceIds: new Set(v.rows.map((r) => r.service_id)) };
  }

  /** Generic create / update / upsert over one entity kind, so each kind only says how to read, build and write. */
  function entity<I extends { id: string }, E>(
    what: string,
    get: (q: Queryable, t: string, id: string) => Promise<E | null>,
    build: (q: Queryable, t: string, input: I, existing: E | null) => E | Promise<E>,
    write: (q: Queryable, e: E) => Promise<void>,
    toInput: (e: E) => I,
  ) {
    return {
      async create(p: Principal | null, tenantId: string, input: I): Promise<E> {
        requireAccess(p, tenantId, 'catalog:write');
        return db.transaction(async (tx) => {
          await requireTenant(tx, tenantId);
          if (await get(tx, tenantId, input.id)) throw conflict(`${what} ${input.id} already exists`);
          const e = await build(tx, tenantId, input, null);
          await write(tx, e);
          return e;
        });
      },
      async get(p: Principal | null, tenantId: string, id: string): Promise<E> {
        requireAccess(p, tenantId, 'catalog:read');
        const e = await get(db, tenantId, id);
        if (!e) throw notFound(what, id);
        return e;
      },
      async update(p: Principal | null, tenantId: string, id: string, patch: Partial<I>): Promise<E> {
        requireAccess(p, tenantId, 'catalog:write');
        return db.transaction(async (tx) => {
          const existing = await get(tx, tenantId, id);
          if (!existing) throw notFound(what, id);
          const e = await build(tx, tenantId, { ...toInput(existing), ...patch, id }, existing);
          await write(tx, e);
          return e;
        });
      },
      /** Create or replace, for configuration files: applying the same file twice changes nothing. */
      async put(q: Queryable, tenantId: string, input: I): Promise<E> {
        const existing = await get(q, tenantId, input.id);
        const e = await build(q, tenantId, input, existing);
        await write(q, e);
        return e;
      },
    };
  }

  const site = entity<SiteInput, Site>(
    'Site',
    sites.getSite,
    (_q, t, i, e) => toSite(t, i, e),
    sites.upsertSite,
    (s) => ({
      id: s.id,
      name: s.name,
      timeZone: s.timeZone,
      address: s.address,
      geo: s.geo,
      serviceArea: s.serviceArea,
    }),
  );
  const service = entity<ServiceInput, Service>(
    'Service',
    async (q, t, id) => (await services.getServices(q, t, [id]))[0] ?? null,
    (_q, t, i, e) => toService(t, i, e),
    services.upsertService,
    (s) => ({ ...s }),
  );
  const resource = entity<ResourceInput, Resource>(
    'Resource',
    resources.getResource,
    toResource,
    resources.upsertResource,
    (r) => ({ ...r }),
  );

  const list =
    <E>(
      perm: 'catalog:read',
      fn: (q: Queryable, t: string, l: number, o: number) => Promise<{ items: E[]; total: number }>,
    ) =>
    async (p: Principal | null, tenantId: string, paging: Paging = {}): Promise<Page<E>> => {
      requireAccess(p, tenantId, perm);
      await requireTenant(db, tenantId);
      const { limit, offset } = pageBounds(paging);
      return { ...(await fn(db, tenantId, limit, offset)), limit, offset };
    };

  async function putTenant(q: Queryable, input: TenantInput): Promise<Tenant> {
    validateTenant(input);
    const existing = await tenants.getTenant(q, input.id);
    const now = deps.now();
    const settings = { ...DEFAULT_TENANT_SETTINGS, ...existing?.settings, ...input.settings };
    const t: Tenant = {
      id: input.id,
      name: input.name,
      settings,
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
    };
    await tenants.upsertTenant(q, t);
    return t;
  }

  async function issueApiKey(q: Queryable, tenantId: string, label: string | null, roles: string[]) {
    const secret = randomBytes(24).toString('base64url');
    const key = `${tenantId}.${secret}`;
    const record: ApiKeyRecord = {
      tenantId,
      keyId: deps.newId(),
      label,
      roles,
      createdAt: deps.now(),
      revokedAt: null,
    };
    await apiKeys.insertApiKey(q, record, hashApiKey(key));
    return { record, key };
  }

  return {
    async createTenant(p: Principal | null, input: TenantInput): Promise<Tenant> {
      requireOperator(p);
      return db.transaction(async (tx) => {
        if (await tenants.getTenant(tx, input.id)) throw conflict(`Tenant ${input.id} already exists`);
        return putTenant(tx, input);
      });
    },
    async getTenant(p: Principal | null, tenantId: string): Promise<Tenant> {
      requireAccess(p, tenantId, 'catalog:read');
      return requireTenant(db, tenantId);
    },
    async updateTenant(
      p: Principal | null,
      tenantId: string,
      patch: { name?: string; settings?: TenantInput['settings'] },
    ): Promise<Tenant> {
      requireOperator(p);
      return db.transaction(async (tx) => {
        const t = await requireTenant(tx, tenantId);
        return putTenant(tx, {
          id: t.id,
          name: patch.name ?? t.name,
          ...(patch.settings ? { settings: patch.settings } : {}),
        });
      });
    },
    /** The tenant's own booking rules, for the facades that apply them to whoever may book. */
    async getTenantSettings(p: Principal | null, tenantId: string): Promise<TenantSettings> {
      requireAccess(p, tenantId, 'appointments:read');
      return (await requireTenant(db, tenantId)).settings;
    },
    async listTenants(p: Principal | null, paging: Paging = {}): Promise<Page<Tenant>> {
      requireOperator(p);
      const { limit, offset } = pageBounds(paging);
      return { ...(await tenants.listTenants(db, limit, offset)), limit, offset };
    },

    createSite: site.create,
    getSite: site.get,
    updateSite: site.update,
    listSites: list('catalog:read', sites.listSites),
    createService: service.create,
    getService: service.get,
    updateService: service.update,
    listServices: list('catalog:read', services.listServices),
    createResource: resource.create,
    getResource: resource.get,
    updateResource: resource.update,
    listResources: list('catalog:read', resources.listResources),

    /** Returns the key in clear once; only its hash is kept. */
    async createApiKey(p: Principal | null, tenantId: string, input: { label?: string | null; roles?: string[] }) {
      requireAccess(p, tenantId, 'catalog:write');
      const roles = input.roles ?? ['tenant-admin'];
      const unknown = roles.find((r) => !isCredentialRole(r));
      if (unknown !== undefined)
        throw invalidInput(
          `A key's roles are ${CREDENTIAL_ROLES.join(', ')}; not ${JSON.stringify(unknown.slice(0, 40))}`,
          [{ field: 'roles', message: 'unknown role' }],
        );
      return db.transaction(async (tx) => {
        await requireTenant(tx, tenantId);
        return issueApiKey(tx, tenantId, input.label ?? null, roles);
      });
    },
    async listApiKeys(p: Principal | null, tenantId: string): Promise<ApiKeyRecord[]> {
      requireAccess(p, tenantId, 'catalog:write');
      await requireTenant(db, tenantId);
      return apiKeys.listApiKeys(db, tenantId);
    },
    async revokeApiKey(p: Principal | null, tenantId: string, keyId: string): Promise<void> {
      requireAccess(p, tenantId, 'catalog:write');
      if (!(await apiKeys.revokeApiKey(db, tenantId, keyId, deps.now()))) throw notFound('API key', keyId);
    },

    /** Resolves a presented key to its tenant principal, or null when unknown or revoked. */
    async authenticateApiKey(key: string): Promise<Principal | null> {
      const dot = key.indexOf('.');
      if (dot <= 0) return null;
      const rec = await apiKeys.findActiveApiKey(db, key.slice(0, dot), hashApiKey(key));
      return rec
        ? { kind: 'api-key', tenantId: rec.tenantId, subject: `api-key:${rec.keyId}`, roles: rec.roles }
        : null;
    },

    /**
     * Applies a whole tenant configuration idempotently (create or replace each entity). When the
     * tenant has no API key yet, one is issued and returned in clear, once.
     */
    async applyConfiguration(
      p: Principal | null,
      doc: TenantConfiguration,
    ): Promise<{ tenant: Tenant; newApiKey: string | null }> {
      requireOperator(p);
      return db.transaction(async (tx) => {
        const tenant = await putTenant(tx, doc.tenant);
        for (const s of doc.sites ?? []) await site.put(tx, tenant.id, s);
        for (const s of doc.services ?? []) await service.put(tx, tenant.id, s);
        for (const r of doc.resources ?? []) await resource.put(tx, tenant.id, r);
        for (const w of doc.webhooks ?? []) await putConfiguredWebhook(tx, tenant.id, w, deps.now(), deps.webhooks);
        const checkOptions = { icalLinks: deps.notifications.publicBaseUrl !== null };
        for (const n of doc.notifications ?? [])
          await putConfiguredNotifications(tx, tenant.id, n, deps.now(), checkOptions);
        for (const a of doc.applications ?? [])
          await putConfiguredApplication(tx, tenant.id, a, deps.now(), checkOptions);
        const newApiKey =
          (await apiKeys.countApiKeys(tx, tenant.id)) === 0
            ? (await issueApiKey(tx, tenant.id, 'initial', ['tenant-admin'])).key
            : null;
        return { tenant, newApiKey };
      });
    },

    async isEmpty(): Promise<boolean> {
      return (await tenants.listTenants(db, 1, 0)).items.length === 0;
    },
  };
}
