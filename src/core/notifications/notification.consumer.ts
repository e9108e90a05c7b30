import type { Queryable } from '../../db/database.ts';
import type { CoreDeps } from '../deps.ts';
import type { EventConsumer, RecordedEvent } from '../events/event.types.ts';
import type { Appointment } from '../types.ts';
import type { NotificationSettings, NotificationType } from './notification.types.ts';
import * as repo from './notification.repository.ts';
import { periodSeconds } from './notification-period.ts';

/** A reopening (cancelled → booked) sends nothing at once (no template type names it) but plans the reminders again. */
type Trigger = NotificationType | 'REOPEN';

/** What a change triggers, if anything: a booking, a new time, a cancellation, a reopening. */
function triggerOf(e: RecordedEvent): Trigger | null {
  const a = e.current;
  const bookedWithTime = a.status === 'booked' && a.start !== null;
  if (e.type === 'appointment.created' && bookedWithTime) return 'CREATE';
  if (e.type === 'appointment.rescheduled' && bookedWithTime) return 'RESCHEDULE';
  if (e.type === 'appointment.status_changed' && a.status === 'cancelled' && e.previous?.status !== 'cancelled')
    return 'CANCEL';
  if (e.type === 'appointment.status_changed' && bookedWithTime && e.previous?.status === 'cancelled') return 'REOPEN';
  return null;
}

/**
 * The outbox consumer of notifications: inside the transaction that records an appointment event,
 * takes the appointment's snapshot of its service's templates (at creation), withdraws reminders a
 * reschedule, cancellation or reopening makes stale, and queues one message per template that applies, each
 * with a 'notification-send' job (at once, or at start − period for REMINDER and ROOM). Nothing is
 * sent here: a rolled-back change leaves no message and no job.
 */
export function notificationConsumer(deps: Pick<CoreDeps, 'newId' | 'jobs'>): EventConsumer {
  return {
    name: 'notifications',
    // Only a creation can skip the transaction (the one-statement booking): later events read the appointment's
    // snapshot.
    mayWant: (catalog, type) => type !== 'appointment.created' || catalog.hasNotificationSettings,
    async onEvent(tx, event) {
      const a = event.current;
      // The snapshot is taken at creation, also of a request without a time yet (it may get one later): the one the
      // booking API gave (stored before this event), else its service's templates. Nothing is stored for a service
      // without templates.
      if (event.type === 'appointment.created') {
        let settings = await repo.getSnapshot(tx, event.tenantId, a.id);
        if (!settings) {
          const ofService = await repo.settingsOfServices(tx, event.tenantId, a.serviceIds);
          if (!ofService) return;
          settings = { ...ofService, values: {} };
          await repo.putSnapshot(tx, event.tenantId, a.id, settings, event.at, 'keep');
        }
        const type = triggerOf(event);
        if (type && settings.active) await queueMessages(tx, deps, causeOf(event), settings, type);
        return;
      }
      const type = triggerOf(event);
      if (type === null) return;
      const snapshot = await repo.getSnapshot(tx, event.tenantId, a.id);
      if (!snapshot) return;
      await repo.withdrawScheduled(tx, event.tenantId, a.id, event.at);
      if (!snapshot.active) return;
      await queueMessages(tx, deps, causeOf(event), snapshot, type);
    },
  };
}

/** What messages are queued for: the appointment as a change left it, and that change (the event they refer to). */
export interface MessageCause {
  tenantId: string;
  eventId: string;
  at: Date;
  appointment: Appointment;
}

const causeOf = (e: RecordedEvent): MessageCause => ({
  tenantId: e.tenantId,
  eventId: e.id,
  at: e.at,
  appointment: e.current,
});

/**
 * Plans an appointment's reminders anew (its notifications were switched on or their templates changed): those
 * scheduled are withdrawn first; nothing is sent at once.
 */
export async function replanReminders(
  tx: Queryable,
  deps: Pick<CoreDeps, 'newId' | 'jobs'>,
  cause: MessageCause,
  s: NotificationSettings,
): Promise<void> {
  await repo.withdrawScheduled(tx, cause.tenantId, cause.appointment.id, cause.at);
  const a = cause.appointment;
  if (s.active && a.status === 'booked' && a.start) await queueMessages(tx, deps, cause, s, 'REOPEN');
}

async function queueMessages(
  tx: Queryable,
  deps: Pick<CoreDeps, 'newId' | 'jobs'>,
  cause: MessageCause,
  s: NotificationSettings,
  type: Trigger,
) {
  const a = cause.appointment;
  for (const template of s.templates) {
    let scheduledAt = cause.at;
    let status: 'scheduled' | 'skipped' = 'scheduled';
    let lastError: string | null = null;
    if (template.type === 'REMINDER' || template.type === 'ROOM') {
      // Reminders are (re)planned whenever the appointment gets a time: booked, moved or reopened.
      if (type === 'CANCEL' || !a.start || template.period === undefined) continue;
      scheduledAt = new Date(a.start.getTime() - (periodSeconds(template.period) ?? 0) * 1000);
      if (scheduledAt <= cause.at) {
        status = 'skipped';
        lastError =
          'its time had passed when it was planned (the appointment booked or moved, or its notifications switched on)';
      }
    } else if (template.type !== type) continue;
    const id = deps.newId();
    const appointmentStart = template.type === 'REMINDER' || template.type === 'ROOM' ? a.start : null;
    await repo.insertMessage(
      tx,
      {
        tenantId: cause.tenantId,
        id,
        appointmentId: a.id,
        eventId: cause.eventId,
        template,
        senderEmail: s.senderEmail,
        appointmentStart,
        scheduledAt,
        status,
        lastError,
      },
      cause.at,
    );
    if (status === 'scheduled')
      await deps.jobs.enqueue(
        tx,
        'notification-send',
        { tenantId: cause.tenantId, messageId: id },
        { startAfter: scheduledAt, singletonKey: `notification:${id}:1` },
      );
  }
}
