import { tenantAccess } from '../access/tenant-access.ts';
import { mayReadAppointment } from '../access/access.ts';
import { getAppointment, tenantsOfAppointment } from '../booking/appointment.repository.ts';
import { getServices } from '../catalog/service.repository.ts';
import type { CoreDeps } from '../deps.ts';
import { notFound } from '../errors.ts';
import type { Principal } from '../types.ts';
import * as repo from './notification.repository.ts';
import type {
  AppointmentNotifications,
  AppointmentNotificationsPatch,
  NotificationMessage,
  NotificationSettings,
} from './notification.types.ts';
import { appointmentNotificationsOf } from './appointment-notifications.ts';
import { replanReminders } from './notification.consumer.ts';
import { latestAppointmentEventId } from '../events/event.repository.ts';
import { checkSettings } from './template.validation.ts';
import { calendarToken, readCalendarToken } from './calendar-link.ts';
import { loadAddressee } from './render-context.loader.ts';
import { googleCalendarLink } from './template-renderer.ts';
import { sendTestNotification, type TestSendInput } from './test-send.ts';
import { createSenderVerification } from './sender-verification.ts';

export type NotificationService = ReturnType<typeof createNotificationService>;

/** An appointment as a calendar entry: what its public .ics and Google link show (nothing personal). */
export interface CalendarEntry {
  /** The same UID and SEQUENCE as the invitations e-mailed for it. */
  uid: string;
  sequence: number;
  start: Date;
  end: Date;
  title: string;
  cancelled: boolean;
  googleLink: string;
}

/** A service's notification templates and an appointment's messages: the tenant admin's use cases. */
export function createNotificationService(deps: CoreDeps) {
  const { db } = deps;
  const access = tenantAccess(db);
  const senders = createSenderVerification(deps);

  async function requireService(tenantId: string, serviceId: string) {
    if ((await getServices(db, tenantId, [serviceId])).length === 0) throw notFound('Service', serviceId);
  }

  async function calendarEntry(tenantId: string, appointmentId: string): Promise<CalendarEntry> {
    const a = await getAppointment(db, tenantId, appointmentId);
    if (!a?.start) throw notFound('Appointment', appointmentId);
    const { ctx } = await loadAddressee(db, a, undefined);
    return {
      uid: `${a.id}@${tenantId}.appointments`,
      sequence: a.version,
      start: ctx.start,
      end: ctx.end,
      title: ctx.title,
      cancelled: a.status === 'cancelled',
      googleLink: googleCalendarLink(ctx),
    };
  }

  return {
    /** The templates of a service (none set: inactive, no templates). */
    async getNotificationSettings(
      p: Principal | null,
      tenantId: string,
      serviceId: string,
    ): Promise<NotificationSettings> {
      await access(p, tenantId, 'catalog:read');
      await requireService(tenantId, serviceId);
      return (await repo.getSettings(db, tenantId, serviceId)) ?? { active: false, senderEmail: null, templates: [] };
    },

    /** Replaces a service's templates; appointments booked from now on take them (earlier ones keep their snapshot). */
    async putNotificationSettings(
      p: Principal | null,
      tenantId: string,
      serviceId: string,
      s: NotificationSettings,
    ): Promise<NotificationSettings> {
      await access(p, tenantId, 'catalog:write');
      checkSettings(s, { icalLinks: deps.notifications.publicBaseUrl !== null });
      await requireService(tenantId, serviceId);
      await repo.putSettings(db, tenantId, serviceId, s, deps.now());
      return s;
    },

    /** An appointment's own notifications (templates, switch, placeholder values); null when it took none. */
    async appointmentSnapshot(
      p: Principal | null,
      tenantId: string,
      appointmentId: string,
    ): Promise<AppointmentNotifications | null> {
      const principal = await access(p, tenantId, ['appointments:read', 'appointments:own']);
      if (!mayReadAppointment(principal, appointmentId)) throw notFound('Appointment', appointmentId);
      if (!(await getAppointment(db, tenantId, appointmentId))) throw notFound('Appointment', appointmentId);
      return repo.getSnapshot(db, tenantId, appointmentId);
    },

    /**
     * The snapshots of appointments the caller already holds (a page of them), in one query: no appointment is read
     * again. Those the principal may not read, or without a snapshot, are absent.
     */
    async appointmentSnapshots(
      p: Principal | null,
      tenantId: string,
      appointmentIds: string[],
    ): Promise<Map<string, AppointmentNotifications>> {
      const principal = await access(p, tenantId, ['appointments:read', 'appointments:own']);
      const readable = appointmentIds.filter((id) => mayReadAppointment(principal, id));
      return readable.length ? repo.getSnapshots(db, tenantId, readable) : new Map();
    },

    /**
     * Changes an appointment's notifications (e.g. notificationsActive): switched off, its scheduled reminders are
     * withdrawn and nothing more is sent; switched on or given other templates, its reminders are planned anew for
     * its current time. Nothing is sent at once.
     */
    async setAppointmentNotifications(
      p: Principal | null,
      tenantId: string,
      appointmentId: string,
      patch: AppointmentNotificationsPatch,
    ): Promise<AppointmentNotifications> {
      await access(p, tenantId, 'appointments:write');
      return db.transaction(async (tx) => {
        const a = await getAppointment(tx, tenantId, appointmentId, true);
        if (!a) throw notFound('Appointment', appointmentId);
        const before = (await repo.getSnapshot(tx, tenantId, appointmentId, true)) ?? {
          active: false,
          senderEmail: null,
          templates: [],
          values: {},
        };
        const after = appointmentNotificationsOf(
          {
            active: patch.active ?? before.active,
            senderEmail: patch.senderEmail === undefined ? before.senderEmail : patch.senderEmail,
            templates: patch.templates ?? before.templates,
            values: patch.values ?? before.values,
          },
          deps,
        );
        const now = deps.now();
        await repo.putSnapshot(tx, tenantId, appointmentId, after, now, 'replace');
        // Other values alone change nothing planned: a message reads them when it is sent.
        const replan = after.active !== before.active || patch.templates !== undefined;
        const eventId = replan ? await latestAppointmentEventId(tx, tenantId, appointmentId) : null;
        if (eventId) await replanReminders(tx, deps, { tenantId, eventId, at: now, appointment: a }, after);
        return after;
      });
    },

    /** Every message of an appointment, newest first (bounded), recipients masked. */
    async listAppointmentNotifications(
      p: Principal | null,
      tenantId: string,
      appointmentId: string,
    ): Promise<NotificationMessage[]> {
      await access(p, tenantId, 'appointments:read');
      if (!(await getAppointment(db, tenantId, appointmentId))) throw notFound('Appointment', appointmentId);
      return repo.listMessages(db, tenantId, appointmentId);
    },

    /**
     * Renders a template with sample data (or an appointment's) and sends it at once; 503 when the channel is missing
     * or refuses.
     */
    async sendTestNotification(p: Principal | null, tenantId: string, input: TestSendInput): Promise<void> {
      await access(p, tenantId, 'catalog:write');
      await sendTestNotification(deps, tenantId, input);
    },

    /** The unguessable id of the appointment's public calendar entry, and its Google Calendar link. */
    async getCalendarLinks(
      p: Principal | null,
      tenantId: string,
      appointmentId: string,
    ): Promise<{ token: string; googleLink: string }> {
      await access(p, tenantId, 'appointments:read');
      const entry = await calendarEntry(tenantId, appointmentId);
      return { token: calendarToken(deps.hashPersonalId, tenantId, appointmentId), googleLink: entry.googleLink };
    },

    /** The calendar entry a public link names; the signed token is the credential (404 for anything else). */
    async getCalendarEntry(token: string): Promise<CalendarEntry> {
      const ids = readCalendarToken(deps.hashPersonalId, token);
      if (!ids) throw notFound('Calendar entry', token.slice(0, 80));
      return calendarEntry(ids.tenantId, ids.appointmentId);
    },

    /**
     * The calendar entry of an appointment named by its id alone, among those a facade keeps data of (its attribute
     * key), for public links that carry no tenant: not found when no tenant, or more than one, has such an appointment.
     */
    async findCalendarEntry(appointmentId: string, attributeKey: string): Promise<CalendarEntry> {
      const tenants = await tenantsOfAppointment(db, appointmentId, attributeKey);
      if (tenants.length !== 1) throw notFound('Appointment', appointmentId);
      return calendarEntry(tenants[0], appointmentId);
    },

    /** Sends a one-time code to a sender address (a new request replaces a pending code). */
    async requestSenderCode(p: Principal | null, tenantId: string, email: string): Promise<void> {
      await access(p, tenantId, 'catalog:write');
      await senders.requestCode(tenantId, email);
    },

    /** Marks the address verified when the code is right (single use, 15 minutes, 5 wrong tries void it). */
    async confirmSender(p: Principal | null, tenantId: string, email: string, code: string): Promise<void> {
      await access(p, tenantId, 'catalog:write');
      await senders.confirmCode(tenantId, email, code);
    },
  };
}
