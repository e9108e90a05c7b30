import type { Queryable } from '../../db/database.ts';
import type { Resource, Service, Site } from '../types.ts';
import { hasNotificationSettings } from '../notifications/notification.repository.ts';
import { activeSubscriptions } from '../webhooks/subscription.repository.ts';
import { listActiveResources } from './resource.repository.ts';
import { listAllServices } from './service.repository.ts';
import { listAllSites } from './site.repository.ts';
import { getTenant } from './tenant.repository.ts';

/** What a booking or a slot search reads of a tenant's catalog, as of one catalog version. */
export interface TenantCatalog {
  tenantId: string;
  /** `catalog_versions.version` when it was read (0: no catalog write yet). */
  version: number;
  services: ReadonlyMap<string, Service>;
  sites: ReadonlyMap<string, Site>;
  /** Sites with a service area, by id: the territories an address resolves to. */
  territories: readonly Site[];
  /** Active resources, by id. */
  resources: readonly Resource[];
  /** Whether the tenant has an active webhook subscription (its events then need a transaction to queue deliveries). */
  hasWebhookSubscribers: boolean;
  /** Whether a service of the tenant has notification settings (a new appointment then takes their snapshot). */
  hasNotificationSettings: boolean;
  /** The tenant's settings.defaultPhoneCountry: customer phone numbers without a prefix are read in it. */
  defaultPhoneCountry: string | null;
}

/** Tenants whose catalog is kept at once; the least recently used goes first. */
const MAX_TENANTS = 1000;

export type CatalogCache = ReturnType<typeof createCatalogCache>;

/**
 * The catalog (services, sites, territories, active resources with their time off) per tenant,
 * in memory. Every catalog write bumps the tenant's version (a trigger, migration 004), in this
 * process or any other on the same database; a copy is used only after its version was compared,
 * by one indexed read (`current`), or inside the booking statement itself (`cached` + the
 * statement's own check).
 */
export function createCatalogCache() {
  const copies = new Map<string, TenantCatalog>();

  async function readVersion(q: Queryable, tenantId: string): Promise<number> {
    const { rows } = await q.query<{ version: number }>('SELECT version FROM catalog_versions WHERE tenant_id = $1', [
      tenantId,
    ]);
    return rows[0] ? Number(rows[0].version) : 0;
  }

  function keep(c: TenantCatalog): TenantCatalog {
    copies.delete(c.tenantId);
    copies.set(c.tenantId, c);
    if (copies.size > MAX_TENANTS) copies.delete(copies.keys().next().value!);
    return c;
  }

  /**
   * Reads the whole catalog of a tenant. The version is read first: a write in between only makes the copy look older
   * than it is.
   */
  async function load(q: Queryable, tenantId: string, version?: number): Promise<TenantCatalog> {
    const v = version ?? (await readVersion(q, tenantId));
    const [services, sites, resources] = [
      await listAllServices(q, tenantId),
      await listAllSites(q, tenantId),
      await listActiveResources(q, tenantId),
    ];
    const subscribers = await activeSubscriptions(q, tenantId);
    const notifies = await hasNotificationSettings(q, tenantId);
    const tenant = await getTenant(q, tenantId);
    return keep({
      tenantId,
      version: v,
      services: new Map(services.map((s) => [s.id, s])),
      sites: new Map(sites.map((s) => [s.id, s])),
      territories: sites.filter((s) => s.serviceArea),
      resources,
      hasWebhookSubscribers: subscribers.length > 0,
      hasNotificationSettings: notifies,
      defaultPhoneCountry: tenant?.settings.defaultPhoneCountry ?? null,
    });
  }

  return {
    /** The catalog as of now: one read of the version when the copy is current, the whole catalog otherwise. */
    async current(q: Queryable, tenantId: string): Promise<TenantCatalog> {
      const version = await readVersion(q, tenantId);
      const copy = copies.get(tenantId);
      return copy && copy.version === version ? keep(copy) : load(q, tenantId, version);
    },
    /** The copy without a check (a statement that compares the version itself), loaded when absent. */
    async cached(q: Queryable, tenantId: string): Promise<TenantCatalog> {
      const copy = copies.get(tenantId);
      return copy ? keep(copy) : load(q, tenantId);
    },
    /** Forgets a tenant's copy (its version was found to have moved). */
    forget(tenantId: string): void {
      copies.delete(tenantId);
    },
  };
}
