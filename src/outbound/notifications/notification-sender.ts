import type { NotificationConfig } from '../../config.ts';
import { getAppointment } from '../../core/booking/appointment.repository.ts';
import { getCustomer } from '../../core/booking/customer.repository.ts';
import { getServices } from '../../core/catalog/service.repository.ts';
import { getSite } from '../../core/catalog/site.repository.ts';
import type { JobQueue, Logger } from '../../core/deps.ts';
import * as repo from '../../core/notifications/notification.repository.ts';
import type { MessageStatus, NotificationMessage } from '../../core/notifications/notification.types.ts';
import { renderTemplate, type RenderContext } from '../../core/notifications/template-renderer.ts';
import type { Appointment } from '../../core/types.ts';
import { getEvent } from '../../core/webhooks/delivery.repository.ts';
import type { Database } from '../../db/database.ts';
import { calendarInvite } from './calendar-invite.ts';
import { createEmailChannel, type EmailChannel } from './email-channel.ts';
import { maskRecipient, toE164, withoutPersonalData } from './recipient.ts';
import { createSmsChannel, type SmsChannel } from './sms-channel.ts';

/** How long a claimed message is held by the process sending it before another may try again. */
const LEASE_MS = 5 * 60_000;

export type SendOutcome = 'sent' | 'retry' | Exclude<MessageStatus, 'scheduled' | 'sent'>;

export interface NotificationSenderOptions {
  db: Database;
  jobs: JobQueue;
  now: () => Date;
  log: Logger;
  config: NotificationConfig;
  onOutcome?: (channel: string, outcome: SendOutcome) => void;
}

/** Why a message is not sent, with the status to record; null when it may go. */
type Verdict = { status: 'withdrawn' | 'skipped' | 'not_sent'; reason: string } | null;

/** Reminders re-check the appointment: a moved or cancelled one withdraws them, a started one skips them. */
function reminderVerdict(m: NotificationMessage, a: Appointment | null, now: Date): Verdict {
  if (m.type !== 'REMINDER' && m.type !== 'ROOM') return null;
  if (!a || a.status !== 'booked' || !a.start || a.start.getTime() !== m.appointmentStart?.getTime()) return { status: 'withdrawn', reason: 'the appointment was moved or cancelled' };
  if (a.start <= now) return { status: 'skipped', reason: 'the appointment had started when the reminder could be sent' };
  return null;
}

/**
 * The handler of the 'notification-send' job: claims the message (one process only), re-checks it,
 * renders it in the appointment's zone and locale, sends it by e-mail (with the invitation) or SMS,
 * and records the outcome. A failure is retried on the schedule (a new job), then `failed`.
 */
export function createNotificationSender(o: NotificationSenderOptions) {
  const { db, config } = o;
  const email: EmailChannel | null = config.smtpUrl ? createEmailChannel(config.smtpUrl) : null;
  const sms: SmsChannel | null = config.smsGatewayUrl ? createSmsChannel({ url: config.smsGatewayUrl, token: config.smsGatewayToken, from: config.smsFrom }) : null;

  async function contextOf(m: NotificationMessage, a: Appointment) {
    const customer = a.customerId ? await getCustomer(db, m.tenantId, a.customerId) : null;
    const site = a.siteId ? await getSite(db, m.tenantId, a.siteId) : null;
    const [service] = await getServices(db, m.tenantId, a.serviceIds.slice(0, 1));
    const locale = (m.template.locale ?? customer?.language ?? 'en').replace('_', '-');
    const language = locale.split('-')[0];
    const ctx: RenderContext = {
      customerName: customer?.name ?? null,
      title: service?.names[locale] ?? service?.names[language] ?? service?.name ?? 'Appointment',
      start: a.start!,
      end: a.end ?? a.start!,
      zone: site?.timeZone ?? 'UTC',
      locale,
      reference: a.externalRef ?? a.id,
    };
    const participantEmail = a.participants.find((p) => p.role === 'customer' && p.email)?.email ?? null;
    return { ctx, email: customer?.email ?? participantEmail, phone: customer?.phone ?? null, country: site?.address?.country ?? null };
  }

  async function deliver(m: NotificationMessage, a: Appointment): Promise<{ verdict: Verdict; recipient: string | null }> {
    const { ctx, email: toEmail, phone, country } = await contextOf(m, a);
    const rendered = renderTemplate(m.template, ctx);
    if (m.channel === 'EMAIL') {
      if (!toEmail) return { verdict: { status: 'not_sent', reason: 'the customer has no e-mail address' }, recipient: null };
      if (!email) return { verdict: { status: 'not_sent', reason: 'no SMTP server is configured (SMTP_URL)' }, recipient: toEmail };
      // A sender address is used only once verified; verification is not built yet, so SMTP_FROM sends.
      const from = config.smtpFrom;
      const method: 'CANCEL' | 'REQUEST' | null = m.type === 'CANCEL' ? 'CANCEL' : m.type === 'CREATE' || m.type === 'RESCHEDULE' ? 'REQUEST' : null;
      const invite = method
        ? { method, content: calendarInvite({ uid: `${a.id}@${m.tenantId}.appointments`, sequence: a.version, method, start: ctx.start, end: ctx.end, summary: ctx.title, organizer: { name: ctx.title, email: from }, attendee: { name: null, email: toEmail }, now: o.now() }) }
        : null;
      await email.send({ from, to: toEmail, subject: rendered.subject ?? ctx.title, text: rendered.text, html: rendered.html, invite });
      return { verdict: null, recipient: toEmail };
    }
    const to = phone ? toE164(phone, country) : null;
    if (!to) return { verdict: { status: 'not_sent', reason: phone ? 'the customer phone number is not valid' : 'the customer has no phone number' }, recipient: null };
    if (!sms) return { verdict: { status: 'not_sent', reason: 'no SMS gateway is configured (SMS_GATEWAY_URL)' }, recipient: to };
    await sms.send({ to, text: rendered.text, reference: m.id });
    return { verdict: null, recipient: to };
  }

  async function send(data: { tenantId: string; messageId: string }): Promise<SendOutcome | null> {
    const now = o.now();
    const m = await repo.claimMessage(db, data.tenantId, data.messageId, now, new Date(now.getTime() + LEASE_MS));
    if (!m) return null; // sent, withdrawn or claimed elsewhere: nothing to do
    const current = await getAppointment(db, m.tenantId, m.appointmentId);
    const early = reminderVerdict(m, current, now);
    // CREATE, RESCHEDULE and CANCEL speak of the change that caused them; reminders of the appointment as it is.
    const subject = m.type === 'REMINDER' || m.type === 'ROOM' ? current : ((await getEvent(db, m.tenantId, m.eventId))?.current ?? null);
    let outcome: SendOutcome;
    try {
      if (early) {
        await repo.recordOutcome(db, m.tenantId, m.id, { status: early.status, error: early.reason, now });
        outcome = early.status;
      } else if (!subject?.start) {
        await repo.recordOutcome(db, m.tenantId, m.id, { status: 'withdrawn', error: 'the appointment is gone or has no time', now });
        outcome = 'withdrawn';
      } else {
        const { verdict, recipient } = await deliver(m, subject);
        const masked = recipient ? maskRecipient(recipient) : null;
        await repo.recordOutcome(db, m.tenantId, m.id, { status: verdict?.status ?? 'sent', recipient: masked, error: verdict?.reason ?? null, now: o.now() });
        outcome = verdict?.status ?? 'sent';
      }
    } catch (err) {
      const error = withoutPersonalData(err instanceof Error ? err.message : String(err)).slice(0, 1000);
      const last = m.attempts >= 1 + config.retryScheduleMs.length;
      const at = o.now();
      if (last) {
        await repo.recordOutcome(db, m.tenantId, m.id, { status: 'failed', error, now: at });
        outcome = 'failed';
      } else {
        const next = new Date(at.getTime() + config.retryScheduleMs[m.attempts - 1]);
        await db.transaction(async (tx) => {
          await repo.recordOutcome(tx, m.tenantId, m.id, { status: 'scheduled', scheduledAt: next, error, now: at });
          await o.jobs.enqueue(tx, 'notification-send', data, { startAfter: next, singletonKey: `notification:${m.id}:${m.attempts + 1}` });
        });
        outcome = 'retry';
      }
      o.log.warn({ tenantId: m.tenantId, messageId: m.id, channel: m.channel, attempts: m.attempts, outcome, error }, 'notification not sent');
    }
    o.onOutcome?.(m.channel, outcome);
    return outcome;
  }

  return { send, close: () => email?.close() };
}

export type NotificationSender = ReturnType<typeof createNotificationSender>;
