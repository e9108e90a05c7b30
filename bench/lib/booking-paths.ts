import { createHmac, randomUUID } from 'node:crypto';
import type { Slot } from '../../src/core/availability/slot-engine.ts';
import { findBusy } from '../../src/core/availability/busy.repository.ts';
import { expireStaleHolds, tryAllocate } from '../../src/core/booking/allocation.repository.ts';
import {
  findLiveByExternalRef,
  getAppointment,
  insertAppointment,
} from '../../src/core/booking/appointment.repository.ts';
import { findCustomerIdByPersonalId, upsertCustomer } from '../../src/core/booking/customer.repository.ts';
import { insertHold } from '../../src/core/booking/hold.repository.ts';
import { activeSubscriptions } from '../../src/core/webhooks/subscription.repository.ts';
import { insertAppointmentEvent, insertHoldEvent } from '../../src/core/events/event.repository.ts';
import { findEligibleResources } from '../../src/core/catalog/resource.repository.ts';
import { getServices } from '../../src/core/catalog/service.repository.ts';
import { getSite, listServiceAreaSites } from '../../src/core/catalog/site.repository.ts';
import { getTenant } from '../../src/core/catalog/tenant.repository.ts';
import type { Appointment, Principal } from '../../src/core/types.ts';
import type { Core } from '../../src/core/core.ts';
import { toCreateInput } from '../../src/api/field-service/appointment.mapper.ts';
import type { AppointmentCreate } from '../../src/api/field-service/appointment.schemas.ts';
import type { Database, Queryable } from '../../src/db/database.ts';
import type { JobQueue } from '../../src/core/deps.ts';
import { ADDRESS_ID, POSTAL_CODE, SERVICE_ID, SITE_ID } from './fixtures.ts';
import type { HttpClient, HttpResponse } from './http-client.ts';
import { ADMIN_TOKEN } from './server-process.ts';

/**
 * How a booking reaches the service, and the same SQL statements run straight through the database
 * driver (the baseline). The Appointments API (field-service, TMF646 style) is the path the issue
 * asks for; until it is registered the bench books through the admin API's holds (a hold is the same
 * allocation under the same exclusion constraint) and says so in its results.
 */
export interface BookingPath {
  name: string;
  /** One booking of `window` through HTTP; `key` makes ids unique. */
  book(
    http: HttpClient,
    tenantId: string,
    apiKey: string,
    window: Slot,
    key: string,
    timeoutMs?: number,
  ): Promise<HttpResponse>;
  /** The statements that booking executes, in one transaction, without HTTP and without the core. */
  baseline(ctx: BaselineContext, window: Slot, key: string): Promise<void>;
  /** The same booking through the core use case the route calls (to count its statements). */
  throughCore(core: Core, tenantId: string, window: Slot, key: string): Promise<void>;
}

export interface BaselineContext {
  db: Database;
  jobs: JobQueue;
  tenantId: string;
  piiHashKey: string;
}

const DAY_MS = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

/** The seed's create request (001, POST /appointments), reduced to one work order of ours. */
export function tmfCreateBody(window: Slot, key: string) {
  return {
    id: key,
    category: SERVICE_ID,
    description: 'Bench installation',
    externalId: `Y${key}`,
    validFor: { startDateTime: iso(window.start), endDateTime: iso(window.end) },
    relatedEntity: [{ id: `Y${key}`, role: 'workorder', name: 'ID of OT' }],
    relatedParty: [
      { id: 'OK', role: 'scoring_result' },
      { id: 'Bench', role: 'firstName' },
      { id: `${key}T`, role: 'documentNumber' },
      { id: 'bench@example.com', role: 'email' },
      { id: '600000000', role: 'phoneNumber' },
      { id: POSTAL_CODE, role: 'zipcode' },
      { id: 'es_ES', role: 'language' },
      { id: '80', role: 'duration' },
    ],
    relatedPlace: { id: ADDRESS_ID, name: 'Calle Bench 1, Madrid', role: 'interventionAddress' },
  };
}

/** A resource of the slot with no live allocation overlapping it (what the engine would offer first). */
async function pickFree(
  tx: Queryable,
  tenantId: string,
  window: Slot,
  resourceIds: string[],
  now: Date,
): Promise<string> {
  const { rows: busy } = await findBusy(
    tx,
    tenantId,
    resourceIds,
    new Date(window.start - DAY_MS),
    new Date(window.end + DAY_MS),
    now,
    null,
  );
  const taken = new Set(
    busy.filter((b) => b.start < window.allocEnd && b.end > window.allocStart).map((b) => b.resource_id),
  );
  const free = resourceIds.find((id) => !taken.has(id));
  if (!free) throw new Error(`baseline: window ${iso(window.start)} has no free technician`);
  return free;
}

/** The allocation step both baselines share: a free technician's window, claimed as the use case claims it. */
async function claimWindow(
  tx: Queryable,
  tenantId: string,
  window: Slot,
  resources: { id: string }[],
  owner: { appointmentId: string | null; holdId: string | null; expiresAt: Date | null },
  now: Date,
): Promise<string> {
  const resourceId = await pickFree(
    tx,
    tenantId,
    window,
    resources.map((r) => r.id),
    now,
  );
  await expireStaleHolds(tx, tenantId, resourceId, new Date(window.allocStart), new Date(window.allocEnd), now);
  const allocationId = randomUUID();
  const claimed = await tryAllocate(tx, {
    tenantId,
    allocationId,
    resourceId,
    start: new Date(window.allocStart),
    end: new Date(window.allocEnd),
    sessionKey: allocationId,
    seat: 1,
    ...owner,
  });
  if (!claimed) throw new Error('baseline: allocation refused');
  return resourceId;
}

export const fieldServicePath: BookingPath = {
  name: 'field-service POST /v1/orgs/{org}/appointments',
  book: (http, tenantId, apiKey, window, key, timeoutMs) =>
    http.request('POST', `/v1/orgs/${tenantId}/appointments`, {
      headers: { authorization: `Bearer ${apiKey}` },
      body: tmfCreateBody(window, key),
      timeoutMs,
    }),
  /**
   * createAppointment with a client id, one live appointment per work order, an address, a customer with a personal id:
   * booking.service.ts.
   */
  async baseline({ db, tenantId, piiHashKey }, window, key) {
    const now = new Date();
    const body = tmfCreateBody(window, key);
    await db.transaction(async (tx) => {
      if (await getAppointment(tx, tenantId, key)) throw new Error('exists');
      // The 15-statement path of before issue 8: a lock on the work order, then a look for its live appointment.
      await tx.query('SELECT pg_advisory_xact_lock(7340002, hashtext($1))', [`${tenantId}/${body.externalId}`]);
      if (await findLiveByExternalRef(tx, tenantId, body.externalId)) throw new Error('work order booked');
      await getServices(tx, tenantId, [SERVICE_ID]);
      const site = (await listServiceAreaSites(tx, tenantId))[0];
      const resources = await findEligibleResources(tx, tenantId, site.id, [SERVICE_ID]);
      const resourceId = await claimWindow(
        tx,
        tenantId,
        window,
        resources,
        { appointmentId: key, holdId: null, expiresAt: null },
        now,
      );
      const hash = createHmac('sha256', piiHashKey).update(`${key}T`.toUpperCase()).digest('hex');
      const customerId = (await findCustomerIdByPersonalId(tx, tenantId, hash)) ?? randomUUID();
      await upsertCustomer(
        tx,
        {
          tenantId,
          id: customerId,
          name: 'Bench',
          email: 'bench@example.com',
          phone: '600000000',
          language: 'es-ES',
          personalIdHash: hash,
        },
        now,
      );
      const appointment: Appointment = {
        tenantId,
        id: key,
        serviceIds: [SERVICE_ID],
        siteId: site.id,
        resourceId,
        status: 'booked',
        start: new Date(window.start),
        end: new Date(window.end),
        requestedPeriod: null,
        customerId,
        externalRef: body.externalId,
        participants: [],
        notes: [],
        attributes: { tmf646: body },
        cancelReason: null,
        version: 1,
        createdAt: now,
        updatedAt: now,
      };
      await insertAppointment(tx, appointment, true);
      await insertAppointmentEvent(tx, {
        tenantId,
        id: randomUUID(),
        appointmentId: key,
        type: 'appointment.created',
        actor: 'apikey:bench',
        correlationId: null,
        at: now,
        previous: null,
        current: appointment,
      });
      // The outbox's webhook consumer: the tenant's active subscriptions (none in the booking run).
      await activeSubscriptions(tx, tenantId);
    });
  },
  async throughCore(core, tenantId, window, key) {
    await core.booking.createAppointment(
      apiKeyPrincipal(tenantId),
      tenantId,
      toCreateInput(tmfCreateBody(window, key) as AppointmentCreate, new Date()),
    );
  },
};

const apiKeyPrincipal = (tenantId: string): Principal => ({
  kind: 'api-key',
  tenantId,
  subject: 'apikey:bench',
  roles: ['tenant-admin'],
});
const operator: Principal = { kind: 'admin', tenantId: null, subject: 'operator', roles: [] };

export const adminHoldPath: BookingPath = {
  name: 'admin POST /admin/v1/tenants/{t}/holds (stand-in: field-service API not registered)',
  book: (http, tenantId, _apiKey, window, _key, timeoutMs) =>
    http.request('POST', `/admin/v1/tenants/${tenantId}/holds`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      body: { serviceIds: [SERVICE_ID], siteId: SITE_ID, start: new Date(window.start).toISOString(), ttlSec: 86_400 },
      timeoutMs,
    }),
  /**
   * createHold: hold.service.ts (the operator's tenant check, then allocation, hold row, its hold.created event and
   * expiry job in one transaction).
   */
  async baseline({ db, jobs, tenantId }, window) {
    const now = new Date();
    if (!(await getTenant(db, tenantId))) throw new Error('baseline: no tenant');
    await db.transaction(async (tx) => {
      await getServices(tx, tenantId, [SERVICE_ID]);
      const site = (await getSite(tx, tenantId, SITE_ID))!;
      const resources = await findEligibleResources(tx, tenantId, site.id, [SERVICE_ID]);
      const id = randomUUID();
      const expiresAt = new Date(now.getTime() + 86_400_000);
      const resourceId = await claimWindow(
        tx,
        tenantId,
        window,
        resources,
        { appointmentId: null, holdId: id, expiresAt },
        now,
      );
      const hold = {
        tenantId,
        id,
        serviceIds: [SERVICE_ID],
        siteId: site.id,
        resourceId,
        start: new Date(window.start),
        end: new Date(window.end),
        expiresAt,
        status: 'active' as const,
        appointmentId: null,
        forAppointmentId: null,
        createdAt: now,
      };
      await insertHold(tx, hold);
      await insertHoldEvent(tx, {
        tenantId,
        id: randomUUID(),
        holdId: id,
        type: 'hold.created',
        actor: 'operator',
        correlationId: null,
        at: now,
        hold,
      });
      await jobs.enqueue(tx, 'hold-expiry', { tenantId, holdId: id }, { startAfter: expiresAt });
    });
  },
  async throughCore(core, tenantId, window) {
    await core.holds.createHold(operator, tenantId, {
      serviceIds: [SERVICE_ID],
      location: { siteId: SITE_ID },
      start: new Date(window.start),
      ttlSec: 86_400,
    });
  },
};

/** The Appointments API when the running server has it (a 404 "No route" means it is not registered). */
export async function detectBookingPath(http: HttpClient, tenantId: string, apiKey: string): Promise<BookingPath> {
  const r = await http.request('POST', `/v1/orgs/${tenantId}/appointments`, {
    headers: { authorization: `Bearer ${apiKey}` },
    body: {},
  });
  const notRegistered = r.status === 404 && /No route/i.test(r.text);
  return notRegistered ? adminHoldPath : fieldServicePath;
}
