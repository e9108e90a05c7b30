import type { Database, Queryable } from '../db/database.ts';
import type { RecordedEvent } from './events/event.types.ts';

/**
 * Every job, by name, with its payload: enqueueing a job under a name with the wrong payload does
 * not compile (as graphile-worker's `Tasks`). Payloads carry ids only; handlers load the rest and
 * are idempotent. A new job is one line here and one handler in src/jobs/job-handlers.ts.
 */
export interface JobPayloads {
  /** Tidies a hold up after its expiry (it stops counting at the expiry on its own). */
  'hold-expiry': { tenantId: string; holdId: string };
  /** Sends one notification message (e-mail or SMS) when it is due; a stale or withdrawn one is not sent. */
  'notification-send': { tenantId: string; messageId: string };
}

export type JobName = keyof JobPayloads;

export interface JobOptions {
  /** Not before this instant. */
  startAfter?: Date;
  /** At most one pending job per key: a rescheduled thing replaces its job. */
  singletonKey?: string;
}

export interface JobQueue {
  /** Enqueues inside the caller's transaction: a rollback leaves no job. */
  enqueue<K extends JobName>(tx: Queryable, name: K, data: JobPayloads[K], opts?: JobOptions): Promise<void>;
}

export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** Everything the core needs from outside, passed explicitly. Nothing in the core reads env or the clock. */
export interface CoreDeps {
  db: Database;
  now: () => Date;
  newId: () => string;
  jobs: JobQueue;
  /** Keyed one-way hash for personal identifiers (searchable, not readable). */
  hashPersonalId: (value: string) => string;
  log: Logger;
  /** What outgoing webhooks take from outside the core (given by src/outbound/webhooks). */
  webhooks: WebhookDeps;
  /**
   * The notification channels (given by src/outbound/notifications): what test sends and verification codes go through.
   */
  notifications: NotificationChannels;
}

/** One rendered message to one recipient, with the calendar invitation it carries (e-mail only). */
export interface OutgoingMessage {
  channel: 'EMAIL' | 'SMS';
  /** A verified sender address of the tenant; null: the configured default (SMTP_FROM). */
  from: string | null;
  /** An e-mail address, or a phone number in E.164. */
  to: string;
  subject: string | null;
  text: string;
  html: string | null;
  /** Our reference (a message id): the SMS gateway may deduplicate on it. */
  reference: string;
  invite: {
    method: 'REQUEST' | 'CANCEL';
    uid: string;
    sequence: number;
    start: Date;
    end: Date;
    summary: string;
  } | null;
}

export interface NotificationChannels {
  /** Where the public calendar entries are reachable (PUBLIC_BASE_URL); null: {{icalLink}} is not offered. */
  publicBaseUrl: string | null;
  /** Sends at once. `not_sent` when the channel is not configured; throws when the server or gateway refuses. */
  send(m: OutgoingMessage): Promise<{ status: 'sent' } | { status: 'not_sent'; reason: string }>;
}

/**
 * The core queues webhook deliveries and filters them by event type, but the words are the wire
 * format's (seed 003's eventType) and the destination rules the sender's: the composition root
 * hands both in, so the core imports no vendor.
 */
export interface WebhookDeps {
  /** The wire word for a recorded event: what subscriptions filter on and deliveries show. */
  eventTypeOf(e: RecordedEvent): string;
  /** Why a subscription URL can never be delivered to (null when it can): checked at create and update. */
  destinationProblem(url: string): string | null;
  /** Told inside a transaction that it queued deliveries (the runtime wakes the sender once it has committed). */
  queued?(tx: Queryable): void;
}
