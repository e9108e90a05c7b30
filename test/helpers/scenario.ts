import type { Core } from '../../src/core/core.ts';
import type { ResourceInput, ServiceInput, SiteInput } from '../../src/core/catalog/catalog.types.ts';
import type { WorkingHours } from '../../src/core/types.ts';
import { admin } from './test-app.ts';

/** Readable fixtures: one call builds a tenant with a site, a service and some resources. */
export const weekdays = (start: string, end: string): WorkingHours => ({
  weekly: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [{ start, end }]])),
});

export interface ScenarioOptions {
  tenantId?: string;
  site?: Partial<SiteInput>;
  service?: Partial<ServiceInput>;
  resources?: number;
  resource?: Partial<ResourceInput>;
}

export async function createScenario(core: Core, o: ScenarioOptions = {}) {
  const tenantId = o.tenantId ?? 'acme';
  await core.catalog.createTenant(admin, { id: tenantId, name: `Tenant ${tenantId}` });
  const site = await core.catalog.createSite(admin, tenantId, {
    id: 'site-1',
    name: 'Site 1',
    timeZone: 'Europe/Madrid',
    ...o.site,
  });
  const service = await core.catalog.createService(admin, tenantId, {
    id: 'install',
    name: 'Installation',
    durationMin: 60,
    rules: { minNoticeMin: 60, horizonDays: 60 },
    slotPolicy: {
      kind: 'windows',
      windows: [
        { start: '09:00', end: '11:00' },
        { start: '11:00', end: '13:00' },
      ],
    },
    ...o.service,
  });
  const resourceIds: string[] = [];
  for (let i = 1; i <= (o.resources ?? 2); i++) {
    const r = await core.catalog.createResource(admin, tenantId, {
      id: `tech-${i}`,
      kind: 'technician',
      name: `Technician ${i}`,
      serviceIds: [service.id],
      siteIds: [site.id],
      workingHours: weekdays('08:00', '20:00'),
      ...o.resource,
    });
    resourceIds.push(r.id);
  }
  return { tenantId, site, service, resourceIds };
}
