import type { Logger } from '../../core/deps.ts';
import { getCustomer } from '../../core/booking/customer.repository.ts';
import { getResource } from '../../core/catalog/resource.repository.ts';
import { getServices } from '../../core/catalog/service.repository.ts';
import { getSite } from '../../core/catalog/site.repository.ts';
import * as deliveries from '../../core/webhooks/delivery.repository.ts';
import { getSubscription } from '../../core/webhooks/subscription.repository.ts';
import { WEBHOOK_LIMITS, type WebhookDelivery } from '../../core/webhooks/webhook.types.ts';
import type { Database } from '../../db/database.ts';
import { toPingEnvelope, toSeedEnvelope, type PayloadContext } from './appointment-payload.mapper.ts';
import { postWebhook, type SendResult } from './http-delivery.ts';
import { signatureHeaders } from './webhook-signer.ts';

export interface DeliveryWorkerOptions {
  db: Database;
  now: () => Date;
  newId: () => string;
  log: Logger;
  /** Delays between attempts: N delays mean 1 + N attempts, then `failed`. */
  retryScheduleMs: number[];
  timeoutMs: number;
  allowPrivateNetworks: boolean;
  pollIntervalMs?: number;
  /** Deliveries one `runOnce` claims (tests drive the worker with it). */
  batchSize?: number;
  /** Sends in flight at once in the running loop; a free place is filled at once. */
  concurrency?: number;
  /** Source of the jitter (tests pin it). */
  random?: () => number;
  /** Called after every attempt (metrics). */
  onAttempt?: (outcome: 'delivered' | 'retry' | 'failed', seconds: number) => void;
}

/** A lease outlives the send it covers (timeout) by this margin, then the row may be claimed again. */
const LEASE_MARGIN_MS = 30_000;

export type DeliveryWorker = ReturnType<typeof createDeliveryWorker>;

/**
 * Sends pending deliveries: claims a batch (each claim is one attempt, see claimDue), builds each
 * payload from the stored event and the current catalog, signs it, posts it, and records the
 * outcome: delivered, retried after the next delay of the schedule (±20 % jitter), or failed after
 * the last attempt. Runs as its own polling loop in every process, with up to `concurrency` sends
 * in flight; claims make processes share the work without sending one attempt twice.
 */
export function createDeliveryWorker(o: DeliveryWorkerOptions) {
  const random = o.random ?? Math.random;
  const batchSize = o.batchSize ?? 10;
  // Each send also reads its event and the catalog: more in flight would crowd the pool bookings use.
  const concurrency = o.concurrency ?? 16;
  const pollIntervalMs = o.pollIntervalMs ?? 1000;
  let stopped = true;
  let timer: NodeJS.Timeout | null = null;
  let kicked = false;
  let running: Promise<unknown> = Promise.resolve();
  const inFlight = new Set<Promise<void>>();
  /** The last claim filled every free place: more may be due as soon as one frees up. */
  let more = false;

  async function contextOf(tenantId: string, e: deliveries.StoredEvent, language: string): Promise<PayloadContext> {
    const a = e.current;
    const [services, site, resource, customer] = await Promise.all([
      a.serviceIds.length ? getServices(o.db, tenantId, a.serviceIds.slice(0, 1)) : Promise.resolve([]),
      a.siteId ? getSite(o.db, tenantId, a.siteId) : null,
      a.resourceId ? getResource(o.db, tenantId, a.resourceId) : null,
      a.customerId ? getCustomer(o.db, tenantId, a.customerId) : null,
    ]);
    return { service: services[0] ?? null, site, resource, customer, language };
  }

  async function attempt(d: WebhookDelivery): Promise<SendResult> {
    const found = await getSubscription(o.db, d.tenantId, d.subscriptionId);
    if (!found) return { ok: false, status: null, body: null, error: 'Subscription deleted' };
    const { subscription: s, secrets } = found;
    let envelope: object;
    if (d.kind === 'ping') envelope = toPingEnvelope(d.eventId, s.id);
    else {
      const recorded = await deliveries.getEvent(o.db, d.tenantId, d.eventId);
      if (!recorded) return { ok: false, status: null, body: null, error: 'Event not found' };
      // The word the delivery was queued (and filtered) under.
      const e = { ...recorded, eventType: d.eventType };
      envelope = toSeedEnvelope(e, s.id, await contextOf(d.tenantId, e, s.language));
    }
    const now = o.now();
    const keys = [
      secrets.secret,
      ...(secrets.previousSecret && secrets.previousSecretUntil && secrets.previousSecretUntil > now
        ? [secrets.previousSecret]
        : []),
    ];
    const body = JSON.stringify(envelope);
    return postWebhook(s.url, body, signatureHeaders(d.eventId, now, body, keys), {
      timeoutMs: o.timeoutMs,
      allowPrivateNetworks: o.allowPrivateNetworks,
      maxBodyBytes: WEBHOOK_LIMITS.responseBodyBytes,
    });
  }

  async function deliverOne(d: WebhookDelivery, token: string): Promise<void> {
    const started = performance.now();
    let r: SendResult;
    try {
      r = await attempt(d);
    } catch (e) {
      r = { ok: false, status: null, body: null, error: `Could not build the request: ${(e as Error).message}` };
    }
    const now = o.now();
    const last = d.attempts >= 1 + o.retryScheduleMs.length;
    const outcome = r.ok ? 'delivered' : last ? 'failed' : 'retry';
    const delay = last || r.ok ? 0 : o.retryScheduleMs[d.attempts - 1] * (0.8 + 0.4 * random());
    const recorded = await deliveries.recordAttempt(
      o.db,
      { tenantId: d.tenantId, id: d.id, token },
      {
        status: outcome === 'retry' ? 'pending' : outcome,
        nextAttemptAt: outcome === 'retry' ? new Date(now.getTime() + Math.round(delay)) : null,
        responseStatus: r.status,
        responseBody: r.body === null ? null : r.body.slice(0, WEBHOOK_LIMITS.responseBodyBytes),
        error: r.error === null ? null : r.error.slice(0, WEBHOOK_LIMITS.errorLength),
        now,
      },
    );
    if (!recorded)
      o.log.warn(
        { tenantId: d.tenantId, deliveryId: d.id },
        'webhook delivery lease lost before its outcome was recorded',
      );
    if (outcome === 'failed')
      o.log.warn(
        { tenantId: d.tenantId, deliveryId: d.id, subscriptionId: d.subscriptionId, error: r.error },
        'webhook delivery failed for good',
      );
    o.onAttempt?.(outcome, (performance.now() - started) / 1000);
  }

  const claim = (limit: number) => {
    const now = o.now();
    const token = o.newId();
    return o.db
      .transaction((tx) =>
        deliveries.claimDue(tx, {
          now,
          leaseUntil: new Date(now.getTime() + o.timeoutMs + LEASE_MARGIN_MS),
          token,
          limit,
        }),
      )
      .then((claimed) => ({ claimed, token }));
  };

  /**
   * Claims one batch and sends it (deliveries of different appointments in parallel). Returns how many were claimed.
   */
  async function runOnce(): Promise<number> {
    const { claimed, token } = await claim(batchSize);
    await Promise.all(claimed.map((d) => deliverOne(d, token)));
    return claimed.length;
  }

  /** Runs the loop again now, or right after the round in progress. */
  function wake() {
    if (stopped) return;
    if (timer === null) {
      kicked = true;
      return;
    }
    clearTimeout(timer);
    timer = setTimeout(() => (running = loop()), 0);
  }

  /**
   * One round of the running loop: claims as many due deliveries as there are free places and
   * starts their sends without waiting for them, so that a slow receiver (up to the timeout)
   * holds one place, not the whole worker. A finished send frees its place and wakes the loop
   * when the last claim had filled every place.
   */
  async function fill(): Promise<void> {
    const free = concurrency - inFlight.size;
    if (free <= 0) {
      more = true;
      return;
    }
    const { claimed, token } = await claim(free);
    more = claimed.length === free;
    for (const d of claimed) {
      const sending: Promise<void> = deliverOne(d, token)
        .catch((err) => o.log.error({ err, deliveryId: d.id }, 'webhook delivery attempt failed to record'))
        .finally(() => {
          inFlight.delete(sending);
          if (more) wake();
        });
      inFlight.add(sending);
    }
  }

  async function loop(): Promise<void> {
    timer = null;
    kicked = false;
    if (stopped) return;
    try {
      await fill();
    } catch (err) {
      o.log.error({ err }, 'webhook delivery round failed');
    }
    const again = kicked || (more && inFlight.size < concurrency);
    if (!stopped) timer = setTimeout(() => (running = loop()), again ? 0 : pollIntervalMs);
  }

  return {
    runOnce,
    start() {
      if (!stopped) return;
      stopped = false;
      running = loop();
    },
    /**
     * Wakes a waiting loop now (e.g. after a commit that queued deliveries) instead of at the next
     * poll. A round in progress may have claimed before the new rows committed: another runs right after it.
     */
    kick: wake,
    /** Stops claiming and waits for the sends in flight to be recorded. */
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
      await Promise.all(inFlight);
    },
  };
}
