import { randomBytes } from 'node:crypto';
import { requireAccess } from '../access/access.ts';
import type { CoreDeps } from '../deps.ts';
import { conflict, invalidInput, notFound } from '../errors.ts';
import { pageBounds } from '../paging.ts';
import type { Principal } from '../types.ts';
import * as deliveries from './delivery.repository.ts';
import * as subscriptions from './subscription.repository.ts';
import { SECRET_FORMAT } from './webhook-config.ts';
import {
  WEBHOOK_LIMITS,
  type DeliveryStatus,
  type SubscriptionInput,
  type SubscriptionPatch,
  type SubscriptionSecrets,
  type WebhookSubscription,
} from './webhook.types.ts';

export type WebhookService = ReturnType<typeof createWebhookService>;

/** A Standard Webhooks secret: 'whsec_' + base64 of 32 random bytes. */
export const generateSecret = () => `whsec_${randomBytes(32).toString('base64')}`;

/** Subscriptions and deliveries of outgoing webhooks: the tenant admin's use cases. */
export function createWebhookService(deps: CoreDeps) {
  const { db } = deps;
  const access = (p: Principal | null, tenantId: string, write: boolean) =>
    requireAccess(p, tenantId, write ? 'catalog:write' : 'catalog:read');

  const checkSecret = (secret: string) => {
    if (!SECRET_FORMAT.test(secret))
      throw invalidInput('secret must be whsec_ followed by the base64 of 24 to 128 random bytes', [
        { field: 'secret', message: 'invalid format' },
      ]);
  };

  /** A URL the sender would refuse at every attempt is refused now, in the admin API's words. */
  const checkUrl = (url: string) => {
    const problem = deps.webhooks.destinationProblem(url);
    if (problem) throw invalidInput(`url cannot be delivered to: ${problem}`, [{ field: 'url', message: problem }]);
  };

  async function load(tenantId: string, id: string) {
    const found = await subscriptions.getSubscription(db, tenantId, id);
    if (!found) throw notFound('Webhook', id);
    return found.subscription;
  }

  /** Queues one delivery and says so (the sender wakes once it has committed). */
  const queue = (d: deliveries.NewDelivery) =>
    db.transaction(async (tx) => {
      await deliveries.insertDelivery(tx, d);
      deps.webhooks.queued?.(tx);
    });

  /** Adds the delivery counts, so that an endpoint that keeps failing shows as failing. */
  async function withCounts(tenantId: string, items: WebhookSubscription[]) {
    const counts = await deliveries.deliveryCounts(
      db,
      tenantId,
      items.map((s) => s.id),
    );
    return items.map((s) => ({ ...s, deliveries: counts.get(s.id) ?? { pending: 0, retrying: 0, failed: 0 } }));
  }

  return {
    /** Creates a subscription; the answer carries the secret, which is never shown again. */
    async createSubscription(
      p: Principal | null,
      tenantId: string,
      input: SubscriptionInput,
    ): Promise<WebhookSubscription & { secret: string }> {
      access(p, tenantId, true);
      checkUrl(input.url);
      if (input.secret !== undefined) checkSecret(input.secret);
      const now = deps.now();
      const s: WebhookSubscription = {
        tenantId,
        id: deps.newId(),
        url: input.url,
        events: input.events ?? null,
        description: input.description ?? null,
        language: input.language ?? 'en',
        active: input.active ?? true,
        previousSecretUntil: null,
        createdAt: now,
        updatedAt: now,
      };
      const secret = input.secret ?? generateSecret();
      await db.transaction(async (tx) => {
        await tx.query('SELECT pg_advisory_xact_lock(7340009, hashtext($1))', [tenantId]);
        if ((await subscriptions.countSubscriptions(tx, tenantId)) >= WEBHOOK_LIMITS.subscriptionsPerTenant)
          throw conflict(`A tenant has at most ${WEBHOOK_LIMITS.subscriptionsPerTenant} webhooks`);
        await subscriptions.insertSubscription(tx, s, { secret, previousSecret: null, previousSecretUntil: null });
      });
      return { ...s, secret };
    },

    async getSubscription(p: Principal | null, tenantId: string, id: string) {
      access(p, tenantId, false);
      return (await withCounts(tenantId, [await load(tenantId, id)]))[0];
    },

    async listSubscriptions(p: Principal | null, tenantId: string, paging: { limit?: number; offset?: number }) {
      access(p, tenantId, false);
      const { limit, offset } = pageBounds(paging);
      const page = await subscriptions.listSubscriptions(db, tenantId, limit, offset);
      return { items: await withCounts(tenantId, page.items), total: page.total, limit, offset };
    },

    /**
     * Updates a subscription. A new secret (given, or generated with rotateSecret) is answered once;
     * the one it replaces keeps signing beside it for `secretOverlapSeconds` (default one day).
     */
    async updateSubscription(
      p: Principal | null,
      tenantId: string,
      id: string,
      patch: SubscriptionPatch,
    ): Promise<WebhookSubscription & { secret?: string }> {
      access(p, tenantId, true);
      if (patch.url !== undefined) checkUrl(patch.url);
      if (patch.secret !== undefined) checkSecret(patch.secret);
      return db.transaction(async (tx) => {
        const found = await subscriptions.getSubscription(tx, tenantId, id, true);
        if (!found) throw notFound('Webhook', id);
        const now = deps.now();
        const s: WebhookSubscription = {
          ...found.subscription,
          url: patch.url ?? found.subscription.url,
          events: patch.events === undefined ? found.subscription.events : patch.events,
          description: patch.description === undefined ? found.subscription.description : patch.description,
          language: patch.language ?? found.subscription.language,
          active: patch.active ?? found.subscription.active,
          updatedAt: now,
        };
        let secrets: SubscriptionSecrets = found.secrets;
        const newSecret = patch.secret ?? (patch.rotateSecret ? generateSecret() : undefined);
        if (newSecret !== undefined) {
          const overlapMs = (patch.secretOverlapSeconds ?? WEBHOOK_LIMITS.defaultOverlapSeconds) * 1000;
          secrets =
            overlapMs > 0
              ? {
                  secret: newSecret,
                  previousSecret: found.secrets.secret,
                  previousSecretUntil: new Date(now.getTime() + overlapMs),
                }
              : { secret: newSecret, previousSecret: null, previousSecretUntil: null };
          s.previousSecretUntil = secrets.previousSecretUntil;
        }
        await subscriptions.updateSubscription(tx, s, secrets);
        return newSecret === undefined ? s : { ...s, secret: newSecret };
      });
    },

    async deleteSubscription(p: Principal | null, tenantId: string, id: string): Promise<void> {
      access(p, tenantId, true);
      if (!(await subscriptions.deleteSubscription(db, tenantId, id))) throw notFound('Webhook', id);
    },

    async listDeliveries(
      p: Principal | null,
      tenantId: string,
      id: string,
      f: { status?: DeliveryStatus; appointmentId?: string; limit?: number; offset?: number },
    ) {
      access(p, tenantId, false);
      await load(tenantId, id);
      const { limit, offset } = pageBounds(f);
      return {
        ...(await deliveries.listDeliveries(db, {
          tenantId,
          subscriptionId: id,
          status: f.status,
          appointmentId: f.appointmentId,
          limit,
          offset,
        })),
        limit,
        offset,
      };
    },

    /** Sends a delivery's event again, as a new delivery (the old one keeps its history). */
    async redeliver(p: Principal | null, tenantId: string, id: string, deliveryId: string) {
      access(p, tenantId, true);
      await load(tenantId, id);
      const d = await deliveries.getDelivery(db, tenantId, id, deliveryId);
      if (!d) throw notFound('Delivery', deliveryId);
      const copy = {
        tenantId,
        id: deps.newId(),
        subscriptionId: id,
        kind: d.kind,
        eventId: d.eventId,
        eventType: d.eventType,
        appointmentId: d.appointmentId,
        seq: d.seq,
        now: deps.now(),
      };
      await queue(copy);
      return (await deliveries.getDelivery(db, tenantId, id, copy.id))!;
    },

    /**
     * Queues again every recorded event of [from, to) that the subscription's filter wants, in
     * order, with its own id (receivers deduplicate). The outbox's history is the source, so a
     * replay reaches back before the subscription existed; a period of more than
     * WEBHOOK_LIMITS.replayEvents events is refused (replay it in parts).
     */
    async replay(
      p: Principal | null,
      tenantId: string,
      id: string,
      period: { from: Date; to: Date },
    ): Promise<{ queued: number }> {
      access(p, tenantId, true);
      if (!(period.from < period.to))
        throw invalidInput('from must be before to', [{ field: 'to', message: 'must be after from' }]);
      return db.transaction(async (tx) => {
        const found = await subscriptions.getSubscription(tx, tenantId, id, true);
        if (!found) throw notFound('Webhook', id);
        const max = WEBHOOK_LIMITS.replayEvents;
        const events = await deliveries.eventsBetween(tx, tenantId, period.from, period.to, max + 1);
        if (events.length > max)
          throw invalidInput(`The period holds more than ${max} events; replay at most ${max} at a time`, [
            { field: 'to', message: 'period too long' },
          ]);
        const wanted = found.subscription.events;
        const items = events
          .map((e) => ({
            id: deps.newId(),
            eventId: e.id,
            eventType: deps.webhooks.eventTypeOf(e),
            appointmentId: e.appointmentId,
            seq: e.seq,
          }))
          .filter((i) => wanted === null || wanted.includes(i.eventType));
        const queued = await deliveries.insertDeliveries(tx, { tenantId, subscriptionId: id, now: deps.now(), items });
        if (queued > 0) deps.webhooks.queued?.(tx);
        return { queued };
      });
    },

    /** Queues a signed test delivery (no appointment), sent like any other. */
    async ping(p: Principal | null, tenantId: string, id: string) {
      access(p, tenantId, true);
      await load(tenantId, id);
      const deliveryId = deps.newId();
      await queue({
        tenantId,
        id: deliveryId,
        subscriptionId: id,
        kind: 'ping',
        eventId: deliveryId,
        eventType: 'PING',
        appointmentId: null,
        seq: null,
        now: deps.now(),
      });
      return (await deliveries.getDelivery(db, tenantId, id, deliveryId))!;
    },
  };
}
