import type { Queryable } from '../../db/database.ts';
import { isUniqueViolationOf } from '../../db/pg-errors.ts';
import { conflict, type CoreError } from '../errors.ts';
import { findLiveByExternalRef, LIVE_WORK_ORDER_INDEX } from './appointment.repository.ts';

/**
 * One live appointment per work order is decided by a unique index (no lock, no race): a create,
 * a change of reference or a reopening that would make a second live one fails on it. This turns
 * that failure, after the rollback, into the conflict clients know, naming the live appointment.
 */
export async function liveWorkOrderConflict(
  q: Queryable,
  e: unknown,
  tenantId: string,
  externalRef: string | null,
): Promise<CoreError | null> {
  if (!externalRef || !isUniqueViolationOf(e, LIVE_WORK_ORDER_INDEX)) return null;
  const live = await findLiveByExternalRef(q, tenantId, externalRef);
  return conflict(
    live
      ? `Work order ${externalRef} already has the live appointment ${live}`
      : `Work order ${externalRef} already has a live appointment`,
  );
}
