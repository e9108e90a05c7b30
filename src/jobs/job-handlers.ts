/**
 * Every job handler, in one place. `JobHandlers` maps each name of the job registry (JobPayloads
 * in src/core/deps.ts) to its handler, so a job without a handler, or a handler reading the wrong
 * payload, does not compile. Handlers are idempotent: a job may run more than once.
 */
import type { Core } from '../core/core.ts';
import type { JobName, JobPayloads, Logger } from '../core/deps.ts';
import type { NotificationSender } from '../outbound/notifications/notification-sender.ts';
import type { JobRunner } from './job-queue.ts';

export type JobHandlers = { [K in JobName]: (data: JobPayloads[K]) => Promise<void> };

/** The queues to create at start, before anything is enqueued: one per job of the registry. */
export const JOB_NAMES = Object.keys({ 'hold-expiry': true, 'notification-send': true } satisfies Record<
  JobName,
  true
>) as JobName[];

export function createJobHandlers(
  core: Core,
  log: Logger,
  notifications: Pick<NotificationSender, 'send'>,
): JobHandlers {
  return {
    async 'hold-expiry'({ tenantId, holdId }) {
      if (await core.holds.expireHold(tenantId, holdId)) log.info({ tenantId, holdId }, 'hold expired');
    },
    async 'notification-send'(data) {
      await notifications.send(data);
    },
  };
}

/** Registers every handler with the runner (workers of this process). */
export async function startWorkers(runner: JobRunner, handlers: JobHandlers): Promise<void> {
  const register = <K extends JobName>(name: K) => runner.work(name, handlers[name]);
  for (const name of JOB_NAMES) await register(name);
}
