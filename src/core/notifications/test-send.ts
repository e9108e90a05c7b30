import { getAppointment } from '../booking/appointment.repository.ts';
import type { CoreDeps } from '../deps.ts';
import { invalidInput, notFound, unavailable } from '../errors.ts';
import type { NotificationTemplate } from './notification.types.ts';
import { calendarUrl } from './calendar-link.ts';
import { messageLocale } from './message-locale.ts';
import { toE164 } from './phone-number.ts';
import { loadAddressee } from './render-context.loader.ts';
import { renderTemplate, type RenderContext } from './template-renderer.ts';
import { checkTemplate, EMAIL_FORMAT } from './template.validation.ts';

export interface TestSendInput {
  template: NotificationTemplate;
  toEmail?: string;
  toPhone?: string;
  appointmentId?: string;
}

/** What a test send renders without an appointment: a sample customer, tomorrow at 10:00 UTC. */
function sampleContext(now: Date, t: NotificationTemplate): RenderContext {
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1, 10));
  return {
    customerName: 'Alex Sample',
    title: 'Sample appointment',
    start,
    end: new Date(start.getTime() + 3_600_000),
    zone: 'UTC',
    locale: messageLocale(t.locale),
    reference: 'SAMPLE',
  };
}

/**
 * Renders a template (with sample data, or an appointment's) and sends it at once to the given
 * address or number, through the same channels as real messages. Nothing is recorded.
 */
export async function sendTestNotification(
  deps: Pick<CoreDeps, 'db' | 'now' | 'newId' | 'notifications' | 'hashPersonalId'>,
  tenantId: string,
  input: TestSendInput,
): Promise<void> {
  checkTemplate(input.template, 'template', { icalLinks: deps.notifications.publicBaseUrl !== null });
  const channel = input.template.channel;
  const given = channel === 'EMAIL' ? input.toEmail : input.toPhone;
  const field = channel === 'EMAIL' ? 'toEmail' : 'toPhone';
  if (!given)
    throw invalidInput(`${field} is required for an ${channel} template`, [{ field, message: 'is required' }]);
  if (channel === 'EMAIL' && !EMAIL_FORMAT.test(given))
    throw invalidInput('toEmail must be an e-mail address', [{ field: 'toEmail', message: 'not an e-mail address' }]);
  const to = channel === 'SMS' ? toE164(given, null) : given;
  if (!to)
    throw invalidInput('toPhone must be a valid phone number with its country prefix (+34…)', [
      { field: 'toPhone', message: 'not a valid phone number' },
    ]);
  let ctx = sampleContext(deps.now(), input.template);
  if (input.appointmentId) {
    const a = await getAppointment(deps.db, tenantId, input.appointmentId);
    if (!a) throw notFound('Appointment', input.appointmentId);
    if (a.start)
      ctx = {
        ...(await loadAddressee(deps.db, a, input.template.locale)).ctx,
        icalLink: calendarUrl(deps.hashPersonalId, deps.notifications.publicBaseUrl, tenantId, a.id),
      };
  }
  const r = renderTemplate(input.template, ctx);
  let result: Awaited<ReturnType<CoreDeps['notifications']['send']>>;
  try {
    result = await deps.notifications.send({
      channel,
      from: null,
      to,
      subject: r.subject,
      text: r.text,
      html: r.html,
      reference: deps.newId(),
      invite: null,
    });
  } catch {
    throw unavailable(
      channel === 'EMAIL' ? 'The SMTP server did not accept the message' : 'The SMS gateway did not accept the message',
    );
  }
  if (result.status === 'not_sent') throw unavailable(`Not sent: ${result.reason}`);
}
