import type { Queryable } from '../../db/database.ts';
import type { SubscriptionSecrets, WebhookSubscription } from './webhook.types.ts';

interface Row {
  tenant_id: string;
  subscription_id: string;
  url: string;
  events: string[] | null;
  secret: string;
  previous_secret: string | null;
  previous_secret_until: Date | null;
  description: string | null;
  language: string;
  active: boolean;
  created_at: Date;
  updated_at: Date;
}

const toSubscription = (r: Row): WebhookSubscription => ({
  tenantId: r.tenant_id,
  id: r.subscription_id,
  url: r.url,
  events: r.events,
  description: r.description,
  language: r.language,
  active: r.active,
  previousSecretUntil: r.previous_secret_until,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export async function insertSubscription(
  q: Queryable,
  s: WebhookSubscription,
  secrets: SubscriptionSecrets,
): Promise<void> {
  await q.query(
    `INSERT INTO webhook_subscriptions (tenant_id, subscription_id, url, events, secret, previous_secret,
      previous_secret_until, description, language, active, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
    [
      s.tenantId,
      s.id,
      s.url,
      s.events,
      secrets.secret,
      secrets.previousSecret,
      secrets.previousSecretUntil,
      s.description,
      s.language,
      s.active,
      s.createdAt,
      s.updatedAt,
    ],
  );
}

export async function updateSubscription(
  q: Queryable,
  s: WebhookSubscription,
  secrets: SubscriptionSecrets,
): Promise<void> {
  await q.query(
    `UPDATE webhook_subscriptions SET url = $3, events = $4, secret = $5, previous_secret = $6,
      previous_secret_until = $7,
       description = $8, language = $9, active = $10, updated_at = $11
     WHERE tenant_id = $1 AND subscription_id = $2`,
    [
      s.tenantId,
      s.id,
      s.url,
      s.events,
      secrets.secret,
      secrets.previousSecret,
      secrets.previousSecretUntil,
      s.description,
      s.language,
      s.active,
      s.updatedAt,
    ],
  );
}

export async function getSubscription(
  q: Queryable,
  tenantId: string,
  id: string,
  lock = false,
): Promise<{ subscription: WebhookSubscription; secrets: SubscriptionSecrets } | null> {
  const { rows } = await q.query<Row>(
    `SELECT * FROM webhook_subscriptions WHERE tenant_id = $1 AND subscription_id = $2${lock ? ' FOR UPDATE' : ''}`,
    [tenantId, id],
  );
  const r = rows[0];
  return r
    ? {
        subscription: toSubscription(r),
        secrets: { secret: r.secret, previousSecret: r.previous_secret, previousSecretUntil: r.previous_secret_until },
      }
    : null;
}

export async function listSubscriptions(
  q: Queryable,
  tenantId: string,
  limit: number,
  offset: number,
): Promise<{ items: WebhookSubscription[]; total: number }> {
  const { rows } = await q.query<Row & { total: number }>(
    `SELECT *, count(*) OVER ()::int AS total FROM webhook_subscriptions WHERE tenant_id = $1 ORDER BY created_at,
      subscription_id LIMIT $2 OFFSET $3`,
    [tenantId, limit, offset],
  );
  const total = rows[0]?.total ?? (await countSubscriptions(q, tenantId));
  return { items: rows.map(toSubscription), total };
}

export async function countSubscriptions(q: Queryable, tenantId: string): Promise<number> {
  return (
    await q.query<{ n: number }>('SELECT count(*)::int AS n FROM webhook_subscriptions WHERE tenant_id = $1', [
      tenantId,
    ])
  ).rows[0].n;
}

/** The active subscriptions of a tenant, read inside the transaction that records an event. */
export async function activeSubscriptions(q: Queryable, tenantId: string): Promise<WebhookSubscription[]> {
  const { rows } = await q.query<Row>(
    'SELECT * FROM webhook_subscriptions WHERE tenant_id = $1 AND active ORDER BY subscription_id',
    [tenantId],
  );
  return rows.map(toSubscription);
}

export async function deleteSubscription(q: Queryable, tenantId: string, id: string): Promise<boolean> {
  return (
    (await q.query('DELETE FROM webhook_subscriptions WHERE tenant_id = $1 AND subscription_id = $2', [tenantId, id]))
      .rowCount > 0
  );
}
