import type { NotificationConfig } from '../../config.ts';
import type { NotificationChannels } from '../../core/deps.ts';
import { calendarInvite } from './calendar-invite.ts';
import { createEmailChannel } from './email-channel.ts';
import { createSmsChannel } from './sms-channel.ts';

/** E-mail (SMTP) and SMS (HTTP gateway) as configured at start; a channel not configured answers not_sent. */
export function createNotificationChannels(
  config: NotificationConfig,
  now: () => Date,
): NotificationChannels & { close(): void } {
  const email = config.smtpUrl ? createEmailChannel(config.smtpUrl) : null;
  const sms = config.smsGatewayUrl
    ? createSmsChannel({ url: config.smsGatewayUrl, token: config.smsGatewayToken, from: config.smsFrom })
    : null;
  return {
    publicBaseUrl: config.publicBaseUrl,
    async send(m) {
      if (m.channel === 'SMS') {
        if (!sms) return { status: 'not_sent', reason: 'no SMS gateway is configured (SMS_GATEWAY_URL)' };
        await sms.send({ to: m.to, text: m.text, reference: m.reference });
        return { status: 'sent' };
      }
      if (!email) return { status: 'not_sent', reason: 'no SMTP server is configured (SMTP_URL)' };
      // The core passes a tenant's sender address only once it is verified.
      const from = m.from ?? config.smtpFrom;
      const invite = m.invite
        ? {
            method: m.invite.method,
            content: calendarInvite({
              ...m.invite,
              organizer: { name: m.invite.summary, email: from },
              attendee: { name: null, email: m.to },
              now: now(),
            }),
          }
        : null;
      await email.send({ from, to: m.to, subject: m.subject ?? '', text: m.text, html: m.html, invite });
      return { status: 'sent' };
    },
    close: () => email?.close(),
  };
}
