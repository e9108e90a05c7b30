import { join } from 'node:path';
import { adminHoldPath, detectBookingPath, type BookingPath } from '../../../bench/lib/booking-paths.ts';
import { SERVICE_ID, SITE_ID, type TenantDoc } from '../../../bench/lib/fixtures.ts';
import type { HttpClient } from '../../../bench/lib/http-client.ts';
import { countAllOverlaps, openRuntime } from '../../../bench/lib/in-process.ts';
import { ADMIN_TOKEN, startServer, type ServerOptions, type ServerProcess } from '../../../bench/lib/server-process.ts';
import { createScratchDatabase, createTempDir } from '../../../bench/lib/storage.ts';
import { retryWhenShed } from '../../helpers/shed-retry.ts';

/**
 * What the fault tests share: a store (a scratch PostgreSQL database or a PGlite folder) that
 * outlives server processes, servers started on it, tenants loaded over the admin API, and
 * the SQL checks run afterwards.
 */
export type Kind = 'postgres' | 'pglite';

/** FAULT_DATABASES=postgres (or pglite) narrows the run; both by default. */
export const KINDS: Kind[] = (process.env.FAULT_DATABASES ?? 'postgres,pglite')
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean) as Kind[];

export const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };

export interface Store {
  kind: Kind;
  databaseUrl?: string;
  dataDir?: string;
  dir: string;
  /** A server on this store; its log goes to <dir>/server-<n>.log. */
  start(extra?: Partial<ServerOptions>): Promise<ServerProcess>;
  dispose(): Promise<void>;
}

export async function createStore(kind: Kind): Promise<Store> {
  const tmp = createTempDir(`faults-${kind}`);
  const scratch = kind === 'postgres' ? await createScratchDatabase('faults') : null;
  const servers: ServerProcess[] = [];
  const location = scratch ? { databaseUrl: scratch.url } : { dataDir: join(tmp.path, 'data') };
  return {
    kind,
    ...location,
    dir: tmp.path,
    async start(extra = {}) {
      const s = await startServer({
        ...location,
        logFile: join(tmp.path, `server-${servers.length + 1}.log`),
        logLevel: 'warn',
        ...extra,
      });
      servers.push(s);
      return s;
    },
    async dispose() {
      for (const s of servers) await s.stop('SIGKILL', 5000);
      await scratch?.drop();
      tmp.remove();
    },
  };
}

/** Loads a tenant with PUT /admin/v1/configuration (sent again while load shedding refuses it); its first API key. */
export async function putTenant(http: HttpClient, doc: TenantDoc): Promise<string> {
  const r = await retryWhenShed(() => http.request('PUT', '/admin/v1/configuration', { headers: admin, body: doc }));
  if (r.status !== 200 || !r.body.newApiKey)
    throw new Error(`PUT configuration ${doc.tenant.id}: ${r.status} ${r.text}`);
  return r.body.newApiKey;
}

export async function bookingPath(http: HttpClient, tenantId: string, apiKey: string): Promise<BookingPath> {
  return detectBookingPath(http, tenantId, apiKey);
}

/** A hold of `resourceId` (or any technician) at `start`, through the admin API. */
export async function createHold(
  http: HttpClient,
  tenantId: string,
  start: number,
  ttlSec: number,
  resourceId?: string,
) {
  return http.request('POST', `/admin/v1/tenants/${tenantId}/holds`, {
    headers: admin,
    body: {
      serviceIds: [SERVICE_ID],
      siteId: SITE_ID,
      start: new Date(start).toISOString(),
      ttlSec,
      ...(resourceId ? { resourceId } : {}),
    },
  });
}

/** Reads a booking back through the admin API: an appointment, or a hold on the stand-in path. */
export function getBooking(http: HttpClient, path: BookingPath, tenantId: string, id: string) {
  const kind = path === adminHoldPath ? 'holds' : 'appointments';
  return http.request('GET', `/admin/v1/tenants/${tenantId}/${kind}/${encodeURIComponent(id)}`, { headers: admin });
}

export const isHoldPath = (path: BookingPath) => path === adminHoldPath;

export interface StoredBookings {
  overlaps: number;
  /** Live bookings of the tenant: appointment ids or hold ids, one entry per active allocation. */
  allocationOwners: string[];
  appointmentIds: string[];
  holdIds: string[];
  /** External references used by more than one appointment. */
  duplicateExternalRefs: string[];
}

/** Reads the store with SQL (for PGlite: only once no server holds it). */
export async function readStore(store: Store, tenantId: string): Promise<StoredBookings> {
  const rt = await openRuntime(store);
  try {
    const owners = await rt.db.query<{ owner: string }>(
      `SELECT coalesce(appointment_id, hold_id) AS owner FROM allocations
       WHERE tenant_id = $1 AND active AND (expires_at IS NULL OR expires_at > now())`,
      [tenantId],
    );
    const appointments = await rt.db.query<{ appointment_id: string }>(
      'SELECT appointment_id FROM appointments WHERE tenant_id = $1',
      [tenantId],
    );
    const holds = await rt.db.query<{ hold_id: string }>('SELECT hold_id FROM holds WHERE tenant_id = $1', [tenantId]);
    const dups = await rt.db.query<{ external_ref: string }>(
      `SELECT external_ref FROM appointments WHERE tenant_id = $1 AND external_ref IS NOT NULL GROUP BY
        external_ref HAVING count(*) > 1`,
      [tenantId],
    );
    return {
      overlaps: await countAllOverlaps(rt),
      allocationOwners: owners.rows.map((r) => r.owner),
      appointmentIds: appointments.rows.map((r) => r.appointment_id),
      holdIds: holds.rows.map((r) => r.hold_id),
      duplicateExternalRefs: dups.rows.map((r) => r.external_ref),
    };
  } finally {
    await rt.close();
  }
}

/** Values that occur more than once. */
export function duplicates(values: string[]): string[] {
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const v of values) (seen.has(v) ? twice : seen).add(v);
  return [...twice];
}
