import { tenantAccess } from '../access/tenant-access.ts';
import type { CoreDeps } from '../deps.ts';
import { invalidInput, notFound } from '../errors.ts';
import type { Appointment, AppointmentStatus, Customer, Participant, Principal } from '../types.ts';
import * as appointments from './appointment.repository.ts';
import { getCustomer } from './customer.repository.ts';
import { APPOINTMENT_STATUSES, LIVE_STATUSES } from './state-machine.ts';

const DAY_MS = 86_400_000;
/** Longest period a count may span: counts are computed on each call. */
export const MAX_COUNT_DAYS = 366;

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
      await access(p, tenantId, 'appointments:read');
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
