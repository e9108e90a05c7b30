import { invalidInput, type FieldIssue } from '../errors.ts';
import {
  NOTIFICATION_LIMITS as L,
  type NotificationSettings,
  type PlaceholderValues,
  type NotificationTemplate,
} from './notification.types.ts';
import { canonicalLocale } from './message-locale.ts';
import { periodSeconds } from './notification-period.ts';
import { PLACEHOLDERS, placeholdersIn } from './template-renderer.ts';

const CHANNELS = ['EMAIL', 'SMS'];
const TYPES = ['CREATE', 'RESCHEDULE', 'CANCEL', 'REMINDER', 'ROOM'];
const SCHEDULED = ['REMINDER', 'ROOM'];
export const EMAIL_FORMAT = /^[^\s@<>()",;]{1,64}@[^\s@<>()",;]{1,190}\.[A-Za-z]{2,63}$/;

function templateIssues(t: NotificationTemplate, at: string, o: CheckOptions): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const add = (field: string, message: string) => issues.push({ field: `${at}.${field}`, message });
  if (!CHANNELS.includes(t.channel)) add('channel', `must be one of ${CHANNELS.join(', ')}`);
  if (!TYPES.includes(t.type)) add('type', `must be one of ${TYPES.join(', ')}`);
  if (SCHEDULED.includes(t.type)) {
    const s = t.period === undefined ? null : periodSeconds(t.period);
    if (t.period === undefined) add('period', `is required for ${t.type}`);
    else if (s === null) add('period', 'must be an ISO 8601 duration such as P1D, PT5M or PT90S');
    else if (s <= 0 || s > L.maxPeriodSeconds)
      add('period', `must be more than 0 and at most ${L.maxPeriodSeconds / 86_400} days`);
  } else if (t.period !== undefined) add('period', `is only for REMINDER and ROOM`);
  if (t.channel === 'EMAIL' && !t.subject) add('subject', 'is required for EMAIL');
  if (t.channel === 'SMS' && t.htmlBody !== undefined) add('htmlBody', 'is only for EMAIL');
  if (t.channel === 'SMS' && t.subject !== undefined) add('subject', 'is only for EMAIL');
  if ((t.subject ?? '').length > L.subjectChars) add('subject', `must be at most ${L.subjectChars} characters`);
  const textMax = t.channel === 'SMS' ? L.smsTextChars : L.textBodyChars;
  if (typeof t.textBody !== 'string' || t.textBody.length === 0) add('textBody', 'is required');
  else if (t.textBody.length > textMax) add('textBody', `must be at most ${textMax} characters`);
  if ((t.htmlBody ?? '').length > L.htmlBodyChars) add('htmlBody', `must be at most ${L.htmlBodyChars} characters`);
  if ((t.locale ?? '').length > L.localeChars) add('locale', `must be at most ${L.localeChars} characters`);
  else if (t.locale && !canonicalLocale(t.locale)) add('locale', 'must be a language tag such as en_US or es-ES');
  for (const field of ['subject', 'textBody', 'htmlBody'] as const) {
    for (const name of placeholdersIn(t[field] ?? '')) {
      if (!PLACEHOLDERS.includes(name)) add(field, `unknown placeholder {{${name}}}`);
      else if (name === 'icalLink' && !o.icalLinks)
        add(field, '{{icalLink}} needs the public base URL of the service (PUBLIC_BASE_URL)');
    }
  }
  return issues;
}

/**
 * Checks a service's notification settings before they are stored: shapes, bounds, periods and
 * placeholders. An unknown placeholder is refused here, naming it, never discovered at send time.
 */
export interface CheckOptions {
  /** Whether {{icalLink}} can be rendered (a public base URL is configured). */
  icalLinks: boolean;
}

export function checkSettings(s: NotificationSettings, o: CheckOptions): void {
  const issues: FieldIssue[] = [];
  if (s.senderEmail !== null && !EMAIL_FORMAT.test(s.senderEmail))
    issues.push({ field: 'senderEmail', message: 'must be an e-mail address' });
  issues.push(...templateListIssues(s.templates, 'templates', o));
  if (issues.length) throw invalidInput(issues.map((i) => `${i.field} ${i.message}`).join('; '), issues);
}

/** The problems of a list of templates (its length, then each template), named under `field` (e.g. notifications). */
export function templateListIssues(templates: NotificationTemplate[], field: string, o: CheckOptions): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (templates.length > L.templatesPerService)
    issues.push({ field, message: `must have at most ${L.templatesPerService} templates` });
  for (const [i, t] of templates.entries()) issues.push(...templateIssues(t, `${field}[${i}]`, o));
  return issues;
}

/** Checks one template given on its own (a test send), its problems named under `field`. */
export function checkTemplate(t: NotificationTemplate, field: string, o: CheckOptions): void {
  const issues = templateIssues(t, field, o);
  if (issues.length) throw invalidInput(issues.map((i) => `${i.field} ${i.message}`).join('; '), issues);
}

/** Checks the values an API gives an appointment's placeholders: only known ones, each bounded. */
export function checkPlaceholderValues(v: PlaceholderValues, field: string): void {
  const issues: FieldIssue[] = [];
  for (const [name, value] of Object.entries(v)) {
    if (name !== 'roomLink') issues.push({ field: `${field}.${name}`, message: 'is not a placeholder an API may set' });
    else if (typeof value !== 'string' || value.length > L.valueChars || !/^https?:\/\/[^\s]+$/.test(value))
      issues.push({
        field: `${field}.roomLink`,
        message: `must be an http(s) URL of at most ${L.valueChars} characters`,
      });
  }
  if (issues.length) throw invalidInput(issues.map((i) => `${i.field} ${i.message}`).join('; '), issues);
}
