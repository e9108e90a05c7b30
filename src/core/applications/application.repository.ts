import type { Queryable } from '../../db/database.ts';
import type { NotificationTemplate } from '../notifications/notification.types.ts';
import type { VideoApplication } from './application.types.ts';

interface Row {
  application_id: string;
  tenant_id: string;
  name: string;
  service_id: string;
  site_id: string;
  video_base_url: string;
  activation_lead_time: string;
  locale: string | null;
  timezone: string | null;
  sender_email: string | null;
  notifications_active: boolean;
  notifications: NotificationTemplate[];
  created_at: Date;
  updated_at: Date;
}

const toApplication = (r: Row): VideoApplication => ({
  tenantId: r.tenant_id,
  id: r.application_id,
  name: r.name,
  serviceId: r.service_id,
  siteId: r.site_id,
  videoBaseUrl: r.video_base_url,
  activationLeadTime: r.activation_lead_time,
  locale: r.locale,
  timezone: r.timezone,
  senderEmail: r.sender_email,
  notificationsActive: r.notifications_active,
  notifications: r.notifications,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** By id alone: ids are unique across tenants. */
export async function findApplication(q: Queryable, id: string): Promise<VideoApplication | null> {
  const { rows } = await q.query<Row>('SELECT * FROM video_applications WHERE application_id = $1', [id]);
  return rows[0] ? toApplication(rows[0]) : null;
}

export async function getApplication(
  q: Queryable,
  tenantId: string,
  id: string,
  forUpdate = false,
): Promise<VideoApplication | null> {
  const { rows } = await q.query<Row>(
    `SELECT * FROM video_applications WHERE tenant_id = $1 AND application_id = $2${forUpdate ? ' FOR UPDATE' : ''}`,
    [tenantId, id],
  );
  return rows[0] ? toApplication(rows[0]) : null;
}

export async function listApplications(
  q: Queryable,
  tenantId: string,
  limit: number,
  offset: number,
): Promise<{ items: VideoApplication[]; total: number }> {
  const { rows } = await q.query<Row & { total: number }>(
    `SELECT *, count(*) OVER ()::int AS total FROM video_applications WHERE tenant_id = $1
      ORDER BY created_at, application_id LIMIT $2 OFFSET $3`,
    [tenantId, limit, offset],
  );
  const total = rows[0]?.total ?? (await countApplications(q, tenantId));
  return { items: rows.map(toApplication), total };
}

export async function countApplications(q: Queryable, tenantId: string): Promise<number> {
  return (
    await q.query<{ n: number }>('SELECT count(*)::int AS n FROM video_applications WHERE tenant_id = $1', [tenantId])
  ).rows[0].n;
}

/** Serializes the creations of one tenant, so that two concurrent ones cannot both pass the count limit. */
export async function lockTenantApplications(q: Queryable, tenantId: string): Promise<void> {
  await q.query('SELECT pg_advisory_xact_lock(7340011, hashtext($1))', [tenantId]);
}

/**
 * Inserts, or replaces the tenant's own application of that id. Answers false when the id belongs to another tenant
 * (then nothing is written).
 */
export async function putApplication(q: Queryable, a: VideoApplication): Promise<boolean> {
  const { rowCount } = await q.query(
    `INSERT INTO video_applications (application_id, tenant_id, name, service_id, site_id, video_base_url,
        activation_lead_time, locale, timezone, sender_email, notifications_active, notifications, created_at,
        updated_at)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
     ON CONFLICT (application_id) DO UPDATE SET name = $3, service_id = $4, site_id = $5, video_base_url = $6,
        activation_lead_time = $7, locale = $8, timezone = $9, sender_email = $10, notifications_active = $11,
        notifications = $12, updated_at = $14
      WHERE video_applications.tenant_id = EXCLUDED.tenant_id`,
    [
      a.id,
      a.tenantId,
      a.name,
      a.serviceId,
      a.siteId,
      a.videoBaseUrl,
      a.activationLeadTime,
      a.locale,
      a.timezone,
      a.senderEmail,
      a.notificationsActive,
      JSON.stringify(a.notifications),
      a.createdAt,
      a.updatedAt,
    ],
  );
  return rowCount === 1;
}

export async function deleteApplication(q: Queryable, tenantId: string, id: string): Promise<boolean> {
  const { rowCount } = await q.query('DELETE FROM video_applications WHERE tenant_id = $1 AND application_id = $2', [
    tenantId,
    id,
  ]);
  return rowCount === 1;
}
