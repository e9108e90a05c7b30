import { getAppointment } from '../../core/booking/appointment.repository.ts';
import type { JobQueue, Logger, NotificationChannels } from '../../core/deps.ts';
import * as repo from '../../core/notifications/notification.repository.ts';
import type { MessageStatus, NotificationMessage } from '../../core/notifications/notification.types.ts';
import { loadAddressee } from '../../core/notifications/render-context.loader.ts';
import { isVerified } from '../../core/notifications/sender.repository.ts';
import { renderTemplate, templateUses } from '../../core/notifications/template-renderer.ts';
import type { Appointment } from '../../core/types.ts';
import { getEvent } from '../../core/webhooks/delivery.repository.ts';
import type { Database } from '../../db/database.ts';
import { maskRecipient, withoutPersonalData } from './recipient.ts';

/** How long a claimed message is held by the process sending it before another may try again. */
const LEASE_MS = 5 * 60_000;

export type SendOutcome = 'sent' | 'retry' | Exclude<MessageStatus, 'scheduled' | 'sent'>;

export interface NotificationSenderOptions {
  db: Database;
  jobs: JobQueue;
  now: () => Date;
  log: Logger;
  channels: NotificationChannels;
  /** The absolute URL of an appointment's public .ics ({{icalLink}}), or null. */
  calendarUrl: (tenantId: string, appointmentId: string) => string | null;
  /** Delays between attempts: N delays → 1 + N attempts. */
  retryScheduleMs: number[];
  onOutcome?: (channel: string, outcome: SendOutcome) => void;
}

/** Why a message is not sent, with the status to record; null when it may go. */
type Verdict = { status: 'withdrawn' | 'skipped' | 'not_sent'; reason: string } | null;

/** Reminders re-check the appointment: a moved or cancelled one withdraws them, a started one skips them. */
function reminderVerdict(m: NotificationMessage, a: Appointment | null, now: Date): Verdict {
  if (m.type !== 'REMINDER' && m.type !== 'ROOM') return null;
  if (!a || a.status !== 'booked' || !a.start || a.start.getTime() !== m.appointmentStart?.getTime())
    return { status: 'withdrawn', reason: 'the appointment was moved or cancelled' };
  if (a.start <= now)
    return { status: 'skipped', reason: 'the appointment had started when the reminder could be sent' };
  return null;
}

const INVITE_METHOD = { CREATE: 'REQUEST', RESCHEDULE: 'REQUEST', CANCEL: 'CANCEL' } as const;

/**
 * The handler of the 'notification-send' job: claims the message (one process only), re-checks it,
 * renders it in the appointment's zone and locale, sends it by e-mail (with the invitation) or SMS,
 * and records the outcome. A failure is retried on the schedule (a new job), then `failed`.
 */
export function createNotificationSender(o: NotificationSenderOptions) {
  const { db } = o;

  async function deliver(
    m: NotificationMessage,
    a: Appointment,
    roomLink: string | null,
  ): Promise<{ verdict: Verdict; recipient: string | null }> {
    const to = await loadAddressee(db, a, m.template.locale);
    if (!roomLink && templateUses(m.template, 'roomLink'))
      return {
        verdict: { status: 'not_sent', reason: 'the appointment has no room link ({{roomLink}})' },
        recipient: null,
      };
    const rendered = renderTemplate(m.template, { ...to.ctx, icalLink: o.calendarUrl(m.tenantId, a.id), roomLink });
    const recipient = m.channel === 'EMAIL' ? to.email : to.phoneE164;
    if (!recipient) {
      const reason =
        m.channel === 'EMAIL'
          ? 'the customer has no e-mail address'
          : to.phone
            ? 'the customer phone number is not valid'
            : 'the customer has no phone number';
      return { verdict: { status: 'not_sent', reason }, recipient: null };
    }
    const method =
      m.channel === 'EMAIL' && m.type in INVITE_METHOD ? INVITE_METHOD[m.type as keyof typeof INVITE_METHOD] : null;
    const invite = method
      ? {
          method,
          uid: `${a.id}@${m.tenantId}.appointments` /* as CalendarEntry.uid */,
          sequence: a.version,
          start: to.ctx.start,
          end: to.ctx.end,
          summary: to.ctx.title,
        }
      : null;
    // Only a verified sender address is used; until then the default sender (SMTP_FROM).
    const from =
      m.channel === 'EMAIL' && m.senderEmail && (await isVerified(db, m.tenantId, m.senderEmail.trim().toLowerCase()))
        ? m.senderEmail.trim().toLowerCase()
        : null;
    const result = await o.channels.send({
      channel: m.channel,
      from,
      to: recipient,
      subject: rendered.subject ?? to.ctx.title,
      text: rendered.text,
      html: rendered.html,
      reference: m.id,
      invite,
    });
    return { verdict: result.status === 'sent' ? null : { status: 'not_sent', reason: result.reason }, recipient };
  }

  async function send(data: { tenantId: string; messageId: string }): Promise<SendOutcome | null> {
    const now = o.now();
    const m = await repo.claimMessage(db, data.tenantId, data.messageId, now, new Date(now.getTime() + LEASE_MS));
    if (!m) return null; // sent, withdrawn, not due or claimed elsewhere: nothing to do
    const current = await getAppointment(db, m.tenantId, m.appointmentId);
    const snapshot = await repo.getSnapshot(db, m.tenantId, m.appointmentId);
    // An appointment whose notifications were switched off (notificationsActive) sends nothing more.
    const early: Verdict =
      reminderVerdict(m, current, now) ??
      (snapshot && !snapshot.active
        ? { status: 'withdrawn', reason: "the appointment's notifications were switched off" }
        : null);
    let outcome: SendOutcome;
    try {
      // CREATE, RESCHEDULE and CANCEL speak of the change that caused them; reminders of the appointment as it is.
      const subject =
        m.type === 'REMINDER' || m.type === 'ROOM'
          ? current
          : ((await getEvent(db, m.tenantId, m.eventId))?.current ?? null);
      if (early) {
        await repo.recordOutcome(db, m.tenantId, m.id, { status: early.status, error: early.reason, now });
        outcome = early.status;
      } else if (!subject?.start) {
        await repo.recordOutcome(db, m.tenantId, m.id, {
          status: 'withdrawn',
          error: 'the appointment is gone or has no time',
          now,
        });
        outcome = 'withdrawn';
      } else {
        const { verdict, recipient } = await deliver(m, subject, snapshot?.values.roomLink ?? null);
        await repo.recordOutcome(db, m.tenantId, m.id, {
          status: verdict?.status ?? 'sent',
          recipient: recipient ? maskRecipient(recipient) : null,
          error: verdict?.reason ?? null,
          now: o.now(),
        });
        outcome = verdict?.status ?? 'sent';
      }
    } catch (err) {
      const error = withoutPersonalData(err instanceof Error ? err.message : String(err)).slice(0, 1000);
      const at = o.now();
      if (m.attempts >= 1 + o.retryScheduleMs.length) {
        await repo.recordOutcome(db, m.tenantId, m.id, { status: 'failed', error, now: at });
        outcome = 'failed';
      } else {
        const next = new Date(at.getTime() + o.retryScheduleMs[m.attempts - 1]);
        await db.transaction(async (tx) => {
          await repo.recordOutcome(tx, m.tenantId, m.id, { status: 'scheduled', scheduledAt: next, error, now: at });
          await o.jobs.enqueue(tx, 'notification-send', data, {
            startAfter: next,
            singletonKey: `notification:${m.id}:${m.attempts + 1}`,
          });
        });
        outcome = 'retry';
      }
      o.log.warn(
        { tenantId: m.tenantId, messageId: m.id, channel: m.channel, attempts: m.attempts, outcome, error },
        'notification not sent',
      );
    }
    o.onOutcome?.(m.channel, outcome);
    return outcome;
  }

  return { send };
}

export type NotificationSender = ReturnType<typeof createNotificationSender>;
