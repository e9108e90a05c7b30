import PgBoss from 'pg-boss';
import type { Database, Queryable } from '../db/database.ts';
import type { JobName, JobPayloads, JobQueue, Logger } from '../core/deps.ts';

/** pg-boss runs every statement through this seam, so it works on PGlite and on a server alike. */
function asPgBossDb(q: Queryable, db: Database) {
  return {
    async executeSql(text: string, values?: unknown[]) {
      if (!values || values.length === 0) {
        // pg-boss sends DDL as multi-statement scripts without parameters.
        if (q === db && /;\s*\S/.test(text.trim().replace(/;\s*$/, ''))) {
          await db.exec(text);
          return { rows: [], rowCount: 0 };
        }
        return q.query(text);
      }
      return q.query(text, values);
    },
  };
}

export interface JobRunner extends JobQueue {
  start(): Promise<void>;
  /** Registers the handler of a queue; jobs carry ids only and handlers are idempotent. */
  work<K extends JobName>(name: K, handler: (data: JobPayloads[K]) => Promise<void>): Promise<void>;
  queueDepth(): Promise<Record<string, number>>;
  /** For readiness: whether the queue runs, and the queues this process works. */
  status(): { running: boolean; working: string[] };
  stop(): Promise<void>;
}

export function createJobRunner(
  db: Database,
  queues: readonly JobName[],
  log: Logger,
  pollingIntervalSeconds = 2,
): JobRunner {
  const boss = new PgBoss({ db: asPgBossDb(db, db), schema: 'pgboss' });
  boss.on('error', (err) => log.error({ err }, 'job queue error'));
  let started = false;
  const working: string[] = [];
  return {
    async start() {
      await boss.start();
      for (const q of queues) await boss.createQueue(q);
      started = true;
    },
    async enqueue(tx, name, data, opts = {}) {
      if (!started) throw new Error('job queue not started');
      await boss.send(name, data, {
        startAfter: opts.startAfter,
        singletonKey: opts.singletonKey,
        db: asPgBossDb(tx, db),
      });
    },
    async work(name, handler) {
      await boss.work<JobPayloads[typeof name]>(name, { pollingIntervalSeconds, batchSize: 10 }, async (jobs) => {
        for (const job of jobs) await handler(job.data);
      });
      working.push(name);
    },
    async queueDepth() {
      const depth: Record<string, number> = {};
      for (const q of queues) depth[q] = await boss.getQueueSize(q);
      return depth;
    },
    status: () => ({ running: started, working: [...working] }),
    async stop() {
      if (!started) return;
      started = false;
      await boss.stop({ graceful: true, wait: true, timeout: 10_000 });
    },
  };
}
