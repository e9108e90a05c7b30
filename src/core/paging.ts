import { DEFAULT_HISTORY_PAGE, MAX_HISTORY_PAGE } from './limits.ts';

/** Page bounds every list use case applies, whatever a facade passed (defaults 50, at most 500). */
export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;
/** Past this an offset is not a page anyone reads; it would only overflow the database's bigint. */
export const MAX_OFFSET = 1_000_000_000;

export function pageBounds(p: { limit?: number; offset?: number }): { limit: number; offset: number } {
  const limit = Number.isInteger(p.limit) ? Math.min(Math.max(p.limit!, 1), MAX_PAGE_SIZE) : DEFAULT_PAGE_SIZE;
  const offset = Number.isInteger(p.offset) ? Math.min(Math.max(p.offset!, 0), MAX_OFFSET) : 0;
  return { limit, offset };
}

/** The same for an appointment's history, whose pages are smaller: each event carries a full state. */
export function historyBounds(p: { limit?: number; offset?: number }): { limit: number; offset: number } {
  const { offset } = pageBounds(p);
  const limit = Number.isInteger(p.limit) ? Math.min(Math.max(p.limit!, 1), MAX_HISTORY_PAGE) : DEFAULT_HISTORY_PAGE;
  return { limit, offset };
}
