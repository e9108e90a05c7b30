import type { Queryable } from '../../db/database.ts';
import {
  NOTIFICATION_LIMITS,
  type AppointmentNotifications,
  type MessageStatus,
  type NotificationMessage,
  type NotificationSettings,
  type NotificationTemplate,
  type PlaceholderValues,
} from './notification.types.ts';

interface SettingsRow {
  active: boolean;
  sender_email: string | null;
  templates: NotificationTemplate[] | string;
}

const parse = <T>(v: T | string): T => (typeof v === 'string' ? (JSON.parse(v) as T) : v);
const toSettings = (r: SettingsRow): NotificationSettings => ({
  active: r.active,
  senderEmail: r.sender_email,
  templates: parse(r.templates),
});

export async function getSettings(
  q: Queryable,
  tenantId: string,
  serviceId: string,
): Promise<NotificationSettings | null> {
  const { rows } = await q.query<SettingsRow>(
    'SELECT * FROM notification_settings WHERE tenant_id = $1 AND service_id = $2',
    [tenantId, serviceId],
  );
  return rows[0] ? toSettings(rows[0]) : null;
}

export async function putSettings(
  q: Queryable,
  tenantId: string,
  serviceId: string,
  s: NotificationSettings,
  now: Date,
): Promise<void> {
  await q.query(
    `INSERT INTO notification_settings (tenant_id, service_id, active, sender_email, templates, updated_at) VALUES
      ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (tenant_id, service_id) DO UPDATE SET active = $3, sender_email = $4, templates = $5, updated_at = $6`,
    [tenantId, serviceId, s.active, s.senderEmail, JSON.stringify(s.templates), now],
  );
}

/** The settings of the first of these services that has any (an appointment of several services takes one set). */
export async function settingsOfServices(
  q: Queryable,
  tenantId: string,
  serviceIds: string[],
): Promise<NotificationSettings | null> {
  const { rows } = await q.query<SettingsRow & { service_id: string }>(
    'SELECT * FROM notification_settings WHERE tenant_id = $1 AND service_id = ANY ($2::text[])',
    [tenantId, serviceIds],
  );
  const row = serviceIds.map((id) => rows.find((r) => r.service_id === id)).find(Boolean);
  return row ? toSettings(row) : null;
}

/**
 * Stores an appointment's notifications: as it took them at creation ('keep': an existing snapshot stays, a creation
 * replayed), or as a change made them ('replace': the whole snapshot, as the caller merged it).
 */
export async function putSnapshot(
  q: Queryable,
  tenantId: string,
  appointmentId: string,
  s: AppointmentNotifications,
  now: Date,
  existing: 'keep' | 'replace',
): Promise<void> {
  const onConflict =
    existing === 'keep'
      ? 'DO NOTHING'
      : 'DO UPDATE SET active = $3, sender_email = $4, templates = $5, placeholder_values = $6';
  await q.query(
    `INSERT INTO notification_snapshots (tenant_id, appointment_id, active, sender_email, templates,
      placeholder_values, created_at)
      VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (tenant_id, appointment_id) ${onConflict}`,
    [tenantId, appointmentId, s.active, s.senderEmail, JSON.stringify(s.templates), JSON.stringify(s.values), now],
  );
}

/** The snapshots of several appointments, by appointment id (one query; an appointment without one is absent). */
export async function getSnapshots(
  q: Queryable,
  tenantId: string,
  appointmentIds: string[],
): Promise<Map<string, AppointmentNotifications>> {
  const { rows } = await q.query<
    SettingsRow & { appointment_id: string; placeholder_values: PlaceholderValues | string }
  >('SELECT * FROM notification_snapshots WHERE tenant_id = $1 AND appointment_id = ANY ($2::text[])', [
    tenantId,
    appointmentIds,
  ]);
  return new Map(rows.map((r) => [r.appointment_id, { ...toSettings(r), values: parse(r.placeholder_values) }]));
}

export async function getSnapshot(
  q: Queryable,
  tenantId: string,
  appointmentId: string,
  forUpdate = false,
): Promise<AppointmentNotifications | null> {
  const { rows } = await q.query<SettingsRow & { placeholder_values: PlaceholderValues | string }>(
    `SELECT * FROM notification_snapshots WHERE tenant_id = $1 AND appointment_id = $2${forUpdate ? ' FOR UPDATE' : ''}`,
    [tenantId, appointmentId],
  );
  return rows[0] ? { ...toSettings(rows[0]), values: parse(rows[0].placeholder_values) } : null;
}

interface MessageRow {
  tenant_id: string;
  message_id: string;
  appointment_id: string;
  event_id: string;
  channel: NotificationMessage['channel'];
  type: NotificationMessage['type'];
  template: NotificationTemplate | string;
  sender_email: string | null;
  appointment_start: Date | null;
  scheduled_at: Date;
  status: MessageStatus;
  attempts: number;
  recipient: string | null;
  last_error: string | null;
  created_at: Date;
  updated_at: Date;
  sent_at: Date | null;
}

const toMessage = (r: MessageRow): NotificationMessage => ({
  tenantId: r.tenant_id,
  id: r.message_id,
  appointmentId: r.appointment_id,
  eventId: r.event_id,
  channel: r.channel,
  type: r.type,
  template: parse(r.template),
  senderEmail: r.sender_email,
  appointmentStart: r.appointment_start,
  scheduledAt: r.scheduled_at,
  status: r.status,
  attempts: r.attempts,
  recipient: r.recipient,
  lastError: r.last_error,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  sentAt: r.sent_at,
});

export type NewMessage = Pick<
  NotificationMessage,
  | 'tenantId'
  | 'id'
  | 'appointmentId'
  | 'eventId'
  | 'template'
  | 'senderEmail'
  | 'appointmentStart'
  | 'scheduledAt'
  | 'status'
  | 'lastError'
>;

export async function insertMessage(q: Queryable, m: NewMessage, now: Date): Promise<void> {
  await q.query(
    `INSERT INTO notification_messages (tenant_id, message_id, appointment_id, event_id, channel, type, template,
      sender_email, appointment_start, scheduled_at, status, last_error, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13)`,
    [
      m.tenantId,
      m.id,
      m.appointmentId,
      m.eventId,
      m.template.channel,
      m.template.type,
      JSON.stringify(m.template),
      m.senderEmail,
      m.appointmentStart,
      m.scheduledAt,
      m.status,
      m.lastError,
      now,
    ],
  );
}

/** Withdraws an appointment's reminders not sent yet (a reschedule or a cancellation); returns how many. */
export async function withdrawScheduled(
  q: Queryable,
  tenantId: string,
  appointmentId: string,
  now: Date,
): Promise<number> {
  const res = await q.query(
    `UPDATE notification_messages SET status = 'withdrawn', updated_at = $3
     WHERE tenant_id = $1 AND appointment_id = $2 AND status = 'scheduled' AND type IN ('REMINDER', 'ROOM')`,
    [tenantId, appointmentId, now],
  );
  return res.rowCount;
}

export async function getMessage(q: Queryable, tenantId: string, id: string): Promise<NotificationMessage | null> {
  const { rows } = await q.query<MessageRow>(
    'SELECT * FROM notification_messages WHERE tenant_id = $1 AND message_id = $2',
    [tenantId, id],
  );
  return rows[0] ? toMessage(rows[0]) : null;
}

/**
 * Claims a scheduled message for one send attempt: one statement, so of two processes running the
 * same job only one gets the row. The lease covers the send; a process killed mid-send leaves the
 * row to be claimed again by the job's retry once the lease has run out. A job handed out up to 2 s
 * before the message's time (pg-boss reads the database's clock, we our own) still claims it.
 */
export async function claimMessage(
  q: Queryable,
  tenantId: string,
  id: string,
  now: Date,
  leaseUntil: Date,
): Promise<NotificationMessage | null> {
  const { rows } = await q.query<MessageRow>(
    `UPDATE notification_messages SET attempts = attempts + 1, lease_until = $4, updated_at = $3
     WHERE tenant_id = $1 AND message_id = $2 AND status = 'scheduled'
       AND scheduled_at <= $3::timestamptz + interval '2 seconds'
       AND (lease_until IS NULL OR lease_until <= $3)
     RETURNING *`,
    [tenantId, id, now, leaseUntil],
  );
  return rows[0] ? toMessage(rows[0]) : null;
}

export interface Outcome {
  status: MessageStatus;
  /** The next attempt's time while `scheduled` (a retry). */
  scheduledAt?: Date;
  recipient?: string | null;
  error?: string | null;
  now: Date;
}

export async function recordOutcome(q: Queryable, tenantId: string, id: string, o: Outcome): Promise<void> {
  await q.query(
    `UPDATE notification_messages SET status = $3, scheduled_at = COALESCE($4, scheduled_at), recipient =
      COALESCE($5, recipient), last_error = $6,
       sent_at = CASE WHEN $3 = 'sent' THEN $7 ELSE sent_at END, lease_until = NULL, updated_at = $7
     WHERE tenant_id = $1 AND message_id = $2`,
    [tenantId, id, o.status, o.scheduledAt ?? null, o.recipient ?? null, o.error?.slice(0, 1000) ?? null, o.now],
  );
}

/** An appointment's messages, newest first, at most NOTIFICATION_LIMITS.listLimit. */
export async function listMessages(
  q: Queryable,
  tenantId: string,
  appointmentId: string,
): Promise<NotificationMessage[]> {
  const { rows } = await q.query<MessageRow>(
    'SELECT * FROM notification_messages WHERE tenant_id = $1 AND appointment_id = $2 ORDER BY created_at DESC, ' +
      'message_id LIMIT $3',
    [tenantId, appointmentId, NOTIFICATION_LIMITS.listLimit],
  );
  return rows.map(toMessage);
}

/** Whether any service of the tenant has notification settings (kept with the catalog in memory). */
export async function hasNotificationSettings(q: Queryable, tenantId: string): Promise<boolean> {
  const { rows } = await q.query<{ found: boolean }>(
    'SELECT EXISTS (SELECT 1 FROM notification_settings WHERE tenant_id = $1) AS found',
    [tenantId],
  );
  return rows[0]?.found === true;
}
