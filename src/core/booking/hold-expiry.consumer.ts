import type { JobQueue } from '../deps.ts';
import type { HoldEventConsumer } from '../events/event.types.ts';

/**
 * A created or extended hold gets a job at its expiry that tidies it up (frees its allocation,
 * records `hold.expired`). The hold stops counting at its expiry anyway; the job only cleans up,
 * and is a no-op for a hold extended, released or converted meanwhile.
 */
export function holdExpiryConsumer(jobs: JobQueue): HoldEventConsumer {
  return {
    name: 'hold-expiry',
    async onHoldEvent(tx, e) {
      if (e.type !== 'hold.created' && e.type !== 'hold.extended') return;
      await jobs.enqueue(
        tx,
        'hold-expiry',
        { tenantId: e.tenantId, holdId: e.holdId },
        { startAfter: e.hold.expiresAt },
      );
    },
  };
}
