/**
 * Subscriptions and deliveries of outgoing webhooks. Event types are the wire format's words (seed 003); the core only
 * stores and compares them.
 */

export interface WebhookSubscription {
  tenantId: string;
  id: string;
  url: string;
  /** Event types wanted; null = all. */
  events: string[] | null;
  description: string | null;
  /** Language tag of texts we hold in one language only (site names, addresses). */
  language: string;
  active: boolean;
  /** Until when the previous secret still signs (a rotation's overlap); null when there is none. */
  previousSecretUntil: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** What only the sender sees: the secrets that sign (current first). */
export interface SubscriptionSecrets {
  secret: string;
  previousSecret: string | null;
  previousSecretUntil: Date | null;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface WebhookDelivery {
  tenantId: string;
  id: string;
  subscriptionId: string;
  kind: 'event' | 'ping';
  eventId: string;
  eventType: string;
  appointmentId: string | null;
  seq: number | null;
  status: DeliveryStatus;
  attempts: number;
  lastResponseStatus: number | null;
  lastResponseBody: string | null;
  lastError: string | null;
  nextAttemptAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  deliveredAt: Date | null;
}

export interface SubscriptionInput {
  url: string;
  events?: string[] | null;
  secret?: string;
  description?: string | null;
  language?: string;
  active?: boolean;
}

export interface SubscriptionPatch {
  url?: string;
  events?: string[] | null;
  description?: string | null;
  language?: string;
  active?: boolean;
  /** A new secret (or true: generate one); the old one keeps signing for `secretOverlapSeconds`. */
  secret?: string;
  rotateSecret?: boolean;
  secretOverlapSeconds?: number;
}

/** Bounds of what a client can make us store. */
export const WEBHOOK_LIMITS = {
  urlLength: 2048,
  descriptionLength: 500,
  events: 20,
  subscriptionsPerTenant: 50,
  responseBodyBytes: 2048,
  errorLength: 1000,
  replayEvents: 10_000,
  maxOverlapSeconds: 7 * 86_400,
  defaultOverlapSeconds: 86_400,
} as const;
