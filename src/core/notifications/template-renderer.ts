import { DateTime } from 'luxon';
import type { NotificationTemplate } from './notification.types.ts';

/**
 * Every placeholder a template may use. {{icalLink}} is offered only with a public base URL (PUBLIC_BASE_URL;
 * docs/notifications.md). {{roomLink}} is the join link the booking API gave the appointment (the video-call API's);
 * a message that uses it for an appointment without one is not sent (it would carry an empty link).
 */
export const PLACEHOLDERS = [
  'firstName',
  'lastName',
  'title',
  'dd-MM-yyyy',
  'date',
  'time24',
  'time12',
  'zone',
  'googleLink',
  'icalLink',
  'roomLink',
];

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

export const placeholdersIn = (text: string): string[] => [...text.matchAll(PLACEHOLDER)].map((m) => m[1]);

/** What a message speaks of, already resolved: the customer's name, the appointment's time, zone and locale. */
export interface RenderContext {
  customerName: string | null;
  title: string;
  start: Date;
  end: Date;
  /** IANA zone the times are shown in (the site's). */
  zone: string;
  /** BCP 47 locale (the template's, else the customer's language, else en). */
  locale: string;
  /** Shown in the calendar entry's details (the appointment's reference). */
  reference: string;
  /** The absolute URL of the appointment's public .ics (null without PUBLIC_BASE_URL, or for sample data). */
  icalLink?: string | null;
  /** The appointment's join link, given by the API that booked it (null: none). */
  roomLink?: string | null;
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const calendarStamp = (d: Date) => DateTime.fromJSDate(d).toUTC().toFormat("yyyyMMdd'T'HHmmss'Z'");

/** A Google Calendar "add event" link for the appointment (no personal data beyond the title and reference). */
export function googleCalendarLink(c: Pick<RenderContext, 'title' | 'start' | 'end' | 'reference'>): string {
  const q = new URLSearchParams({
    action: 'TEMPLATE',
    text: c.title,
    dates: `${calendarStamp(c.start)}/${calendarStamp(c.end)}`,
    details: c.reference,
  });
  return `https://calendar.google.com/calendar/render?${q.toString()}`;
}

/** The value of each placeholder, in the appointment's zone and the message's locale. */
export function placeholderValues(c: RenderContext): Record<string, string> {
  const at = DateTime.fromJSDate(c.start).setZone(c.zone).setLocale(c.locale);
  // The customer's name is one field: its first word is the first name, the rest the last name.
  const [firstName = '', ...rest] = (c.customerName ?? '').trim().split(/\s+/);
  return {
    firstName,
    lastName: rest.join(' '),
    title: c.title,
    'dd-MM-yyyy': at.toFormat('dd-MM-yyyy'),
    date: at.toLocaleString(DateTime.DATE_FULL),
    time24: at.toFormat('HH:mm'),
    time12: at.toLocaleString({ hour: 'numeric', minute: '2-digit', hour12: true }),
    zone: c.zone,
    googleLink: googleCalendarLink(c),
    icalLink: c.icalLink ?? '',
    roomLink: c.roomLink ?? '',
  };
}

/** Whether a template uses a placeholder (in any of its texts). */
export const templateUses = (t: NotificationTemplate, name: string): boolean =>
  [t.subject, t.textBody, t.htmlBody].some((text) => placeholdersIn(text ?? '').includes(name));

export interface RenderedMessage {
  subject: string | null;
  text: string;
  html: string | null;
}

/** Fills a template's placeholders; values inserted into the HTML body are HTML-escaped. */
export function renderTemplate(t: NotificationTemplate, c: RenderContext): RenderedMessage {
  const values = placeholderValues(c);
  const fill = (text: string, encode: (s: string) => string) =>
    text.replace(PLACEHOLDER, (whole, name: string) => (name in values ? encode(values[name]) : whole));
  const plain = (s: string) => s;
  return {
    subject: t.subject === undefined ? null : fill(t.subject, plain),
    text: fill(t.textBody, plain),
    html: t.htmlBody === undefined ? null : fill(t.htmlBody, escapeHtml),
  };
}
