import type { Database, Queryable } from '../db/database.ts';

/**
 * Every job, by name, with its payload: enqueueing a job under a name with the wrong payload does
 * not compile (as graphile-worker's `Tasks`). Payloads carry ids only; handlers load the rest and
 * are idempotent. A new job is one line here and one handler in src/jobs/job-handlers.ts.
 */
export interface JobPayloads {
  /** Tidies a hold up after its expiry (it stops counting at the expiry on its own). */
  'hold-expiry': { tenantId: string; holdId: string };
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
}
