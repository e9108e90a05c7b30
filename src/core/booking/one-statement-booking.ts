import type { CatalogCache } from '../catalog/catalog.cache.ts';
import { assertStorable } from '../limits.ts';
import { personalIdKey } from '../privacy/personal-data.ts';
import { checkPhone } from './customer.writer.ts';
import type { CoreDeps } from '../deps.ts';
import { conflict, CoreError, idempotencyKeyReused, slotUnavailable } from '../errors.ts';
import type { Outbox } from '../events/outbox.ts';
import type { RecordedEvent } from '../events/event.types.ts';
import { detailOf, isRaised, isUniqueViolation } from '../../db/pg-errors.ts';
import type { Queryable } from '../../db/database.ts';
import type { Appointment, CustomerInput, Principal, Site } from '../types.ts';
import { getAppointment } from './appointment.repository.ts';
import { loadServices, resolveSite } from './booking-inputs.loader.ts';
import {
  BOOKING_REFUSED,
  bookAppointment,
  findPriorClaims,
  type BookingOutcome,
  type StatementCustomer,
} from './booking.statement.ts';
import type { CreateAppointmentInput } from './booking.types.ts';
import { liveWorkOrderConflict } from './live-work-order.guard.ts';
import { newAppointment } from './new-appointment.ts';
import { planSlot } from './slot-allocator.ts';

/** Calls with a catalog that moved meanwhile before giving up on this path (each reloads the catalog). */
const MAX_STALE = 3;

/**
 * A new booked appointment (a time, no hold) in one statement: the request is checked against
 * the catalog in memory (services, territory, windows, working hours, time off), then
 * `book_appointment` decides the rest in the database in one round trip (booking.statement.ts).
 * With consumers of appointment events the statement runs in a transaction that hands them the
 * event; without, it runs alone (one statement is one transaction).
 * Returns null when the request needs the general path (a seated service; a catalog that keeps
 * changing under it).
 */
export function createOneStatementBooking(deps: CoreDeps, outbox: Outbox, catalogs: CatalogCache) {
  const { db } = deps;

  function customerOf(c: CustomerInput | undefined, phoneCountry: string | null): StatementCustomer | null {
    if (!c) return null;
    checkPhone(c.phone, phoneCountry);
    // As saveCustomer: the id given, else the customer with that personal identifier, else a new one.
    const hash = c.personalId
      ? deps.hashPersonalId(personalIdKey(c.personalId))
      : c.personalId === null
        ? null
        : undefined;
    return {
      id: c.id ?? null,
      newId: deps.newId(),
      hash: hash ?? null,
      name: c.name ?? null,
      email: c.email ?? null,
      phone: c.phone ?? null,
      language: c.language ?? null,
      keepName: c.name === undefined,
      keepEmail: c.email === undefined,
      keepPhone: c.phone === undefined,
      keepLanguage: c.language === undefined,
      keepHash: hash === undefined,
    };
  }

  function refusal(e: unknown, input: CreateAppointmentInput, id: string): CoreError | null {
    if (isRaised(e, BOOKING_REFUSED.exists)) return conflict(`Appointment ${id} already exists`);
    if (isRaised(e, BOOKING_REFUSED.workOrderLive))
      return conflict(`Work order ${input.externalRef} already has the live appointment ${detailOf(e)}`);
    if (isRaised(e, BOOKING_REFUSED.noCandidateFree))
      return input.resourceId
        ? slotUnavailable(`Resource ${input.resourceId} is not available at that time`)
        : slotUnavailable();
    return null;
  }

  /**
   * A request that fails a check made before the statement is answered as the transaction of
   * before answered it: a replay of its Idempotency-Key, its id taken or its work order's live
   * appointment come first. Null when none applies (the check's own error stands).
   */
  async function priorClaim(
    input: CreateAppointmentInput,
    id: string,
    tenantId: string,
  ): Promise<{ appointment: Appointment; replayed: boolean } | null> {
    const exclusive = Boolean(input.exclusiveExternalRef && input.externalRef);
    if (!input.idempotency && !input.id && !exclusive) return null;
    const prior = await findPriorClaims(db, {
      tenantId,
      id,
      idempotency: input.idempotency ? { scope: 'appointment.create', key: input.idempotency.key } : null,
      externalRef: input.externalRef ?? null,
      exclusive,
    });
    if (prior.earlier) {
      if (prior.earlier.fingerprint !== input.idempotency!.fingerprint) throw idempotencyKeyReused();
      return { appointment: (await getAppointment(db, tenantId, prior.earlier.appointmentId))!, replayed: true };
    }
    if (prior.exists) throw conflict(`Appointment ${id} already exists`);
    if (prior.liveId)
      throw conflict(`Work order ${input.externalRef} already has the live appointment ${prior.liveId}`);
    return null;
  }

  return async function bookInOneStatement(
    principal: Principal,
    tenantId: string,
    input: CreateAppointmentInput,
    id: string,
    now: Date,
  ): Promise<{ appointment: Appointment; replayed: boolean } | null> {
    for (let attempt = 0; attempt <= MAX_STALE; attempt++) {
      // First the copy in memory as it is (the statement checks its version); after a refusal or a stale copy, the
      // current catalog.
      const fresh = attempt > 0;
      const catalog = fresh ? await catalogs.current(db, tenantId) : await catalogs.cached(db, tenantId);
      let plan: { site: Site } & ReturnType<typeof planSlot>;
      try {
        const services = loadServices(catalog, input.serviceIds);
        const site = resolveSite(catalog, input.location);
        const req = {
          tenantId,
          catalog,
          site,
          services,
          start: input.start!,
          end: input.end,
          now,
          resourceId: input.resourceId,
          owner: { appointmentId: id },
          enforceBookingRules: true,
        };
        plan = { site, ...planSlot(req) };
      } catch (e) {
        if (!(e instanceof CoreError)) throw e;
        if (!fresh) continue;
        const prior = await priorClaim(input, id, tenantId);
        if (prior) return prior;
        throw e;
      }
      if (plan.slot.seats > 1) return null;
      const appointment = newAppointment(input, {
        tenantId,
        id,
        now,
        status: 'booked',
        siteId: plan.site.id,
        resourceId: null,
        start: new Date(plan.slot.start),
        end: new Date(plan.slot.end),
        customerId: null,
      });
      // The bounds insertAppointment checks on every other path (this one inserts in the statement).
      assertStorable(appointment);
      const event = {
        id: deps.newId(),
        type: 'appointment.created' as const,
        actor: principal.subject,
        at: now,
        correlationId: principal.correlationId ?? null,
      };
      const statement = {
        catalogVersion: catalog.version,
        now,
        idempotency: input.idempotency
          ? { scope: 'appointment.create', key: input.idempotency.key, fingerprint: input.idempotency.fingerprint }
          : null,
        exclusive: Boolean(input.exclusiveExternalRef && input.externalRef),
        candidates: plan.candidates,
        allocationIds: plan.candidates.map(() => deps.newId()),
        allocStart: new Date(plan.slot.allocStart),
        allocEnd: new Date(plan.slot.allocEnd),
        customer: customerOf(input.customer, catalog.defaultPhoneCountry),
        appointment,
        event,
      };
      const booked = (r: Extract<BookingOutcome, { outcome: 'booked' }>): Appointment => ({
        ...appointment,
        resourceId: r.resourceId,
        customerId: r.customerId,
      });
      let outcome: BookingOutcome;
      try {
        outcome = outbox.wantsEvent(catalog, event.type)
          ? await db.transaction(async (tx: Queryable) => {
              const r = await bookAppointment(tx, statement);
              if (r.outcome === 'booked') {
                const recorded: RecordedEvent = {
                  ...event,
                  tenantId,
                  appointmentId: id,
                  seq: 1,
                  previous: null,
                  current: booked(r),
                };
                await outbox.handOver(tx, recorded);
              }
              return r;
            })
          : await bookAppointment(db, statement);
      } catch (e) {
        throw (
          refusal(e, input, id) ??
          (await liveWorkOrderConflict(db, e, tenantId, input.externalRef ?? null)) ??
          (isUniqueViolation(e) ? conflict(`Appointment ${id} already exists`) : e)
        );
      }
      if (outcome.outcome === 'stale') {
        catalogs.forget(tenantId);
        continue;
      }
      if (outcome.outcome === 'replay') {
        if (outcome.fingerprint !== input.idempotency!.fingerprint) throw idempotencyKeyReused();
        return { appointment: (await getAppointment(db, tenantId, outcome.appointmentId))!, replayed: true };
      }
      const created = booked(outcome);
      deps.log.info(
        { tenantId, appointmentId: id, status: 'booked', resourceId: created.resourceId, start: created.start },
        'appointment created',
      );
      return { appointment: created, replayed: false };
    }
    return null;
  };
}
