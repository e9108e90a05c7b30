import { timingSafeEqual } from 'node:crypto';

/**
 * The unguessable id of an appointment's public calendar entry: the tenant and appointment ids
 * (not personal) with a keyed signature, so nothing is stored and nobody can forge another's.
 * `sign` is the service's keyed HMAC (CoreDeps.hashPersonalId).
 */
export function calendarToken(sign: (v: string) => string, tenantId: string, appointmentId: string): string {
  const payload = Buffer.from(JSON.stringify([tenantId, appointmentId])).toString('base64url');
  return `${payload}.${sign(`calendar-link\n${payload}`).slice(0, 32)}`;
}

/** The absolute URL of an appointment's public .ics, or null without a public base URL. */
export function calendarUrl(
  sign: (v: string) => string,
  baseUrl: string | null,
  tenantId: string,
  appointmentId: string,
): string | null {
  return baseUrl ? `${baseUrl}/calendar/v1/${calendarToken(sign, tenantId, appointmentId)}/event.ics` : null;
}

export function readCalendarToken(
  sign: (v: string) => string,
  token: string,
): { tenantId: string; appointmentId: string } | null {
  const [payload, signature, ...rest] = token.split('.');
  if (!payload || !signature || rest.length) return null;
  const expected = Buffer.from(sign(`calendar-link\n${payload}`).slice(0, 32));
  if (expected.length !== signature.length || !timingSafeEqual(expected, Buffer.from(signature))) return null;
  try {
    const [tenantId, appointmentId] = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as [
      string,
      string,
    ];
    return typeof tenantId === 'string' && typeof appointmentId === 'string' ? { tenantId, appointmentId } : null;
  } catch {
    return null;
  }
}
