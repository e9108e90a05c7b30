import type { Queryable } from '../../db/database.ts';
import type { WebhookDeps } from '../deps.ts';
import { conflict, invalidInput } from '../errors.ts';
import * as subscriptions from './subscription.repository.ts';
import { WEBHOOK_LIMITS, type SubscriptionSecrets, type WebhookSubscription } from './webhook.types.ts';

/** A subscription in a tenant configuration document: the file names its id and holds its secret. */
export interface ConfiguredWebhook {
  id: string;
  url: string;
  secret: string;
  events?: string[] | null;
  description?: string | null;
  language?: string;
  active?: boolean;
}

export const SECRET_FORMAT = /^whsec_[A-Za-z0-9+/]{32,172}={0,2}$/;

/**
 * Creates or updates a configured subscription, inside the configuration's transaction. Applying
 * the same document again changes nothing; a changed secret replaces the stored one, which keeps
 * signing for the default overlap so receivers can switch without losing events.
 */
export async function putConfiguredWebhook(
  tx: Queryable,
  tenantId: string,
  w: ConfiguredWebhook,
  now: Date,
  webhooks: Pick<WebhookDeps, 'destinationProblem'>,
): Promise<void> {
  const problem = webhooks.destinationProblem(w.url);
  if (problem)
    throw invalidInput(`Webhook ${w.id}: url cannot be delivered to: ${problem}`, [
      { field: 'webhooks.url', message: problem },
    ]);
  if (!SECRET_FORMAT.test(w.secret))
    throw invalidInput(`Webhook ${w.id}: secret must be whsec_ followed by base64`, [
      { field: 'webhooks.secret', message: 'invalid format' },
    ]);
  const found = await subscriptions.getSubscription(tx, tenantId, w.id, true);
  const next: WebhookSubscription = {
    tenantId,
    id: w.id,
    url: w.url,
    events: w.events ?? null,
    description: w.description ?? null,
    language: w.language ?? 'en',
    active: w.active ?? true,
    previousSecretUntil: found?.subscription.previousSecretUntil ?? null,
    createdAt: found?.subscription.createdAt ?? now,
    updatedAt: now,
  };
  if (!found) {
    if ((await subscriptions.countSubscriptions(tx, tenantId)) >= WEBHOOK_LIMITS.subscriptionsPerTenant)
      throw conflict(`A tenant has at most ${WEBHOOK_LIMITS.subscriptionsPerTenant} webhooks`);
    await subscriptions.insertSubscription(tx, next, {
      secret: w.secret,
      previousSecret: null,
      previousSecretUntil: null,
    });
    return;
  }
  const old = found.subscription;
  const same =
    old.url === next.url &&
    JSON.stringify(old.events) === JSON.stringify(next.events) &&
    old.description === next.description &&
    old.language === next.language &&
    old.active === next.active &&
    found.secrets.secret === w.secret;
  if (same) return;
  let secrets: SubscriptionSecrets = found.secrets;
  if (found.secrets.secret !== w.secret) {
    secrets = {
      secret: w.secret,
      previousSecret: found.secrets.secret,
      previousSecretUntil: new Date(now.getTime() + WEBHOOK_LIMITS.defaultOverlapSeconds * 1000),
    };
    next.previousSecretUntil = secrets.previousSecretUntil;
  }
  await subscriptions.updateSubscription(tx, next, secrets);
}
