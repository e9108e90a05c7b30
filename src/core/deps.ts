import type { Database, Queryable } from '../db/database.ts';

/** A job to run after the transaction that enqueued it commits. Payloads carry ids only. */
export interface JobRequest {
  name: string;
  data: Record<string, string>;
  startAfter?: Date;
  /** At most one pending job per key: a rescheduled thing replaces its job. */
  singletonKey?: string;
}

export interface JobQueue {
  /** Enqueues inside the caller's transaction: a rollback leaves no job. */
  enqueue(tx: Queryable, job: JobRequest): Promise<void>;
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
