import {
  searchSlots,
  type EngineResource,
  type Slot,
  type SlotQuery,
} from '../../src/core/availability/slot-engine.ts';
import type { Queryable } from '../../src/db/database.ts';

/**
 * Bench tenants: one territory (a postal code and an address prefix, as the field-service API
 * resolves them), one windowed service like the operator's installation, N technicians working
 * every day. The document is the PUT /admin/v1/configuration (and CONFIG_FILE) format.
 */
export const SERVICE_ID = 'installation';
export const SITE_ID = 'territory';
export const POSTAL_CODE = '28001';
export const ADDRESS_ID = '28001000000001 001A';
export const TIME_ZONE = 'Europe/Madrid';
const WINDOWS = [
  { start: '09:00', end: '11:00' },
  { start: '11:00', end: '13:00' },
  { start: '13:00', end: '15:00' },
  { start: '15:00', end: '17:00' },
  { start: '17:00', end: '19:00' },
];
const WORK = [{ start: '09:00', end: '19:00' }];
const WEEK = { mon: WORK, tue: WORK, wed: WORK, thu: WORK, fri: WORK, sat: WORK, sun: WORK };
export const MIN_NOTICE_MIN = 60;
export const HORIZON_DAYS = 400;
const DAY_MS = 86_400_000;

export interface TenantDoc {
  tenant: { id: string; name: string };
  sites: Array<{
    id: string;
    name: string;
    timeZone: string;
    serviceArea: { postalCodes: string[]; addressPrefixes: string[] };
  }>;
  services: Array<{
    id: string;
    name: string;
    durationMin: number;
    rules: { minNoticeMin: number; horizonDays: number; holdTtlSec: number };
    slotPolicy: { kind: 'windows'; windows: Array<{ start: string; end: string }> };
  }>;
  resources: Array<{
    id: string;
    kind: 'technician';
    name: string;
    serviceIds: string[];
    siteIds: string[];
    workingHours: { weekly: typeof WEEK };
  }>;
}

export const technicianId = (i: number) => `tech-${String(i).padStart(4, '0')}`;

export function tenantConfig(tenantId: string, technicians: number): TenantDoc {
  return {
    tenant: { id: tenantId, name: `Bench tenant ${tenantId}` },
    sites: [
      {
        id: SITE_ID,
        name: 'Bench territory',
        timeZone: TIME_ZONE,
        serviceArea: { postalCodes: [POSTAL_CODE], addressPrefixes: ['28001'] },
      },
    ],
    services: [
      {
        id: SERVICE_ID,
        name: 'Installation',
        durationMin: 80,
        rules: { minNoticeMin: MIN_NOTICE_MIN, horizonDays: HORIZON_DAYS, holdTtlSec: 600 },
        slotPolicy: { kind: 'windows', windows: WINDOWS },
      },
    ],
    resources: Array.from({ length: technicians }, (_, i) => ({
      id: technicianId(i),
      kind: 'technician' as const,
      name: `Technician ${i}`,
      serviceIds: [SERVICE_ID],
      siteIds: [SITE_ID],
      workingHours: { weekly: WEEK },
    })),
  };
}

/** The engine query the service would run for this tenant (same mapping as computeSlots). */
export function engineQuery(
  doc: TenantDoc,
  from: Date,
  to: Date,
  now: Date,
  busy: Map<string, Array<{ start: number; end: number }>> = new Map(),
): SlotQuery {
  const s = doc.services[0];
  return {
    services: [{ id: s.id, durationMin: s.durationMin, bufferBeforeMin: 0, bufferAfterMin: 0 }],
    policy: s.slotPolicy,
    timeZone: doc.sites[0].timeZone,
    from: from.getTime(),
    to: to.getTime(),
    now: now.getTime(),
    minNoticeMin: s.rules.minNoticeMin,
    horizonDays: s.rules.horizonDays,
    resources: doc.resources.map(
      (r): EngineResource => ({ id: r.id, workingHours: r.workingHours, timeOff: [], busy: busy.get(r.id) ?? [] }),
    ),
  };
}

/** Every window of the tenant in [from, to), as the engine computes it (DST-correct). */
export function listWindows(doc: TenantDoc, from: Date, to: Date, now: Date): Slot[] {
  return searchSlots(engineQuery(doc, from, to, now));
}

/** Local midnight-ish start of the bench period: `daysAhead` whole days after now, at 00:00 UTC. */
export function periodStart(now: Date, daysAhead: number): Date {
  const d = new Date(now.getTime() + daysAhead * DAY_MS);
  d.setUTCHours(0, 0, 0, 0);
  return d;
}

export const addDays = (d: Date, days: number) => new Date(d.getTime() + days * DAY_MS);

/**
 * Books half of the capacity of [from, to) straight in SQL (set-up data, not measured): in window w,
 * technician i is busy when (i + w) is even, so every window keeps exactly half of its technicians
 * free. Writes an appointment and its allocation per booking, in batches. Returns the count.
 */
export async function bookHalfCapacity(q: Queryable, doc: TenantDoc, from: Date, to: Date, now: Date): Promise<number> {
  const windows = listWindows(doc, from, to, now);
  const tenantId = doc.tenant.id;
  const BATCH = 5000;
  let ids: string[] = [];
  let resources: string[] = [];
  // Instants go as ISO strings: both drivers send text arrays the same way.
  let starts: string[] = [];
  let ends: string[] = [];
  let allocStarts: string[] = [];
  let allocEnds: string[] = [];
  let total = 0;
  // A one-seat booking is its own session (session_key = allocation_id, seat 1), where the schema has seats.
  const columns = await q.query<{ column_name: string }>(
    `SELECT column_name FROM information_schema.columns
     WHERE table_name = 'allocations' AND column_name IN ('session_key', 'seat')`,
  );
  const seats = columns.rows.length === 2;
  const seatColumns = seats ? ', session_key, seat' : '';
  const seatValues = seats ? `, 'alloc-' || u.id, 1` : '';
  const flush = async () => {
    if (ids.length === 0) return;
    await q.query(
      `INSERT INTO appointments (tenant_id, appointment_id, service_ids, site_id, resource_id, status,
         starts_at, ends_at, participants, notes, attributes, version, created_at, updated_at)
       SELECT $1, u.id, ARRAY[$2]::text[], $3, u.resource_id, 'booked', u.starts_at, u.ends_at, '[]', '[]', '{}', 1,
         $4, $4
       FROM unnest($5::text[], $6::text[], $7::timestamptz[], $8::timestamptz[])
         AS u(id, resource_id, starts_at, ends_at)`,
      [tenantId, SERVICE_ID, SITE_ID, now.toISOString(), ids, resources, starts, ends],
    );
    await q.query(
      `INSERT INTO allocations (tenant_id, allocation_id, resource_id, during, appointment_id, active${seatColumns})
       SELECT $1, 'alloc-' || u.id, u.resource_id, tstzrange(u.a_start, u.a_end), u.id, true${seatValues}
       FROM unnest($2::text[], $3::text[], $4::timestamptz[], $5::timestamptz[]) AS u(id, resource_id, a_start, a_end)`,
      [tenantId, ids, resources, allocStarts, allocEnds],
    );
    total += ids.length;
    ids = [];
    resources = [];
    starts = [];
    ends = [];
    allocStarts = [];
    allocEnds = [];
  };
  for (let w = 0; w < windows.length; w++) {
    const slot = windows[w];
    for (let i = 0; i < doc.resources.length; i++) {
      if ((i + w) % 2 !== 0) continue;
      ids.push(`prefill-${w}-${i}`);
      resources.push(doc.resources[i].id);
      starts.push(new Date(slot.start).toISOString());
      ends.push(new Date(slot.end).toISOString());
      allocStarts.push(new Date(slot.allocStart).toISOString());
      allocEnds.push(new Date(slot.allocEnd).toISOString());
      if (ids.length >= BATCH) await flush();
    }
  }
  await flush();
  // Statistics as autovacuum would have them in a running system, so the planner sees the data.
  await q.query('ANALYZE allocations');
  await q.query('ANALYZE appointments');
  return total;
}
