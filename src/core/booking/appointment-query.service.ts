import { tenantAccess } from '../access/tenant-access.ts';
import { mayReadAppointment } from '../access/access.ts';
import type { CoreDeps } from '../deps.ts';
import { invalidInput, notFound } from '../errors.ts';
import type { Appointment, AppointmentStatus, Customer, Participant, Principal } from '../types.ts';
import * as appointments from './appointment.repository.ts';
import { getCustomer } from './customer.repository.ts';
import { APPOINTMENT_STATUSES, LIVE_STATUSES } from './state-machine.ts';

const DAY_MS = 86_400_000;
/** Longest period a count may span: counts are computed on each call. */
export const MAX_COUNT_DAYS = 366;
/** Rows of a public schedule count at most (the earliest). */
export const MAX_SCHEDULE_ROWS = 1000;

export interface CountPeriod {
  from: Date;
  to: Date;
}

function checkPeriod(p: CountPeriod): void {
  if (!(p.to.getTime() > p.from.getTime()))
    throw invalidInput('The period must end after it starts', [{ field: 'to', message: 'before from' }]);
  if (p.to.getTime() - p.from.getTime() > MAX_COUNT_DAYS * DAY_MS)
    throw invalidInput(`The period may span at most ${MAX_COUNT_DAYS} days`, [
      { field: 'to', message: 'period too long' },
    ]);
}

/** Reads the next facades need beyond get and list: by reference, participants, counts. */
export function createAppointmentQueryService(deps: CoreDeps) {
  const { db } = deps;
  const access = tenantAccess(db);

  return {
    /**
     * The live appointment of a client reference (e.g. a work order), else the latest one of it; null when it has none.
     */
    async findByExternalRef(p: Principal | null, tenantId: string, externalRef: string): Promise<Appointment | null> {
      await access(p, tenantId, 'appointments:read');
      return appointments.findByExternalRef(db, tenantId, externalRef);
    },

    /** The customer of an appointment (name, contacts, language; the personal identifier only as `hasPersonalId`). */
    async getCustomer(p: Principal | null, tenantId: string, customerId: string): Promise<Customer> {
      await access(p, tenantId, 'appointments:read');
      const c = await getCustomer(db, tenantId, customerId);
      if (!c) throw notFound('Customer', customerId);
      return c;
    },

    async listParticipants(p: Principal | null, tenantId: string, id: string): Promise<Participant[]> {
      const principal = await access(p, tenantId, ['appointments:read', 'appointments:own']);
      if (!mayReadAppointment(principal, id)) throw notFound('Appointment', id);
      const a = await appointments.getAppointment(db, tenantId, id);
      if (!a) throw notFound('Appointment', id);
      return a.participants;
    },

    /**
     * Appointments with a time overlapping the period, by status (every status, zeros included); optionally of one
     * resource.
     */
    async countAppointments(
      p: Principal | null,
      tenantId: string,
      input: CountPeriod & { resourceId?: string },
    ): Promise<Record<AppointmentStatus, number>> {
      await access(p, tenantId, 'appointments:read');
      checkPeriod(input);
      const counts = Object.fromEntries(APPOINTMENT_STATUSES.map((s) => [s, 0])) as Record<AppointmentStatus, number>;
      for (const row of await appointments.countByStatus(db, tenantId, input)) counts[row.status] = row.n;
      return counts;
    },

    /**
     * Public figures (no principal: for endpoints that need no credentials and show numbers only): the live
     * appointments whose facade attribute at `path` is `value` (an application id), by start and end, starting inside
     * the period; at most MAX_SCHEDULE_ROWS rows, the earliest.
     */
    async countSchedules(
      tenantId: string,
      input: CountPeriod & { path: string[]; value: string },
    ): Promise<Array<{ start: Date; end: Date; count: number }>> {
      checkPeriod(input);
      const rows = await appointments.countSchedules(db, tenantId, { ...input, limit: MAX_SCHEDULE_ROWS });
      return rows.map((r) => ({ start: r.start, end: r.end, count: r.n }));
    },

    /** Public figure, as countSchedules: how many of those live appointments overlap the period. */
    async countOverlappingOf(
      tenantId: string,
      input: CountPeriod & { path: string[]; value: string },
    ): Promise<number> {
      const { path, value, ...period } = input;
      checkPeriod(period);
      return appointments.countOverlapping(db, tenantId, {
        ...period,
        statuses: [...LIVE_STATUSES],
        attribute: { path, value },
      });
    },

    /** How many live appointments of a resource and/or a participant (by id) overlap the period. */
    async countOverlapping(
      p: Principal | null,
      tenantId: string,
      input: CountPeriod & { resourceId?: string; participantId?: string },
    ): Promise<number> {
      await access(p, tenantId, 'appointments:read');
      checkPeriod(input);
      if (!input.resourceId && !input.participantId)
        throw invalidInput('A resource or a participant is required', [
          { field: 'resourceId', message: 'or participantId is required' },
        ]);
      return appointments.countOverlapping(db, tenantId, { ...input, statuses: [...LIVE_STATUSES] });
    },
  };
}
