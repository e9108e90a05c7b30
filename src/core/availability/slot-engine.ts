/**
 * Pure slot generation: which slots exist in a period, and how many resources can take each.
 *
 * No database, no clock, no environment: everything comes in the query (`now` included) and the
 * result is a function of it. Instants are epoch ms, intervals half-open [start, end); local wall
 * times are 'HH:mm' in the query's IANA zone.
 *
 * Cost: O(days × (windows or grid steps)) candidates, local times converted once per
 * (local date, wall time) by a memoised ZoneClock, then one linear sweep per resource over the
 * candidates with moving pointers into its (sorted, merged) working, time-off and busy intervals:
 * O(resources × (candidates + intervals)) plus the sorts of each resource's own intervals.
 *
 * Semantics the callers rely on (also pinned by test/core/slot-engine.test.ts):
 * - A sequence of services is done by one resource, back to back, with a gap of
 *   max(prev.bufferAfterMin, next.bufferBeforeMin) between consecutive services. The span of a
 *   sequence runs from the start of the first segment to the end of the last one (durations plus
 *   those gaps). allocStart = start - first.bufferBeforeMin, allocEnd = end of the last segment +
 *   last.bufferAfterMin.
 * - windows: one slot per local date and window; start/end are the window in local time. The
 *   booking holds the resource from the window start for max(window length, span), plus buffers.
 *   Every window that passes the filters is returned, even with capacity 0.
 * - grid: starts at local midnight + k × stepMin (wall clock) of each local date, end = start +
 *   span. Wall times that do not exist (spring forward) give no slot; wall times that exist twice
 *   (fall back) give one slot per instant. Only slots with capacity >= 1 are returned.
 * - capacity: resources whose working time covers the whole alloc interval and whose time off does
 *   not overlap it. Working ranges are turned into instants per local date and merged when they
 *   touch or overlap (also across midnight: '24:00' of one date touches '00:00' of the next).
 *   free: those of them whose busy intervals do not overlap it; occupied = capacity - free.
 * - filters: from <= start < to, start >= now + minNoticeMin, start < now + horizonDays × 24h.
 * - Range boundaries in a DST gap map to the transition instant; in a DST overlap to the earlier
 *   instant (see local-time.ts). A window that becomes empty that way is skipped.
 */
import { DAY_MS, MINUTE_MS, parseHHmm, weekdayOfDay, zoneClock, type Weekday, type ZoneClock } from './local-time.ts';

export type { Weekday } from './local-time.ts';

export interface LocalRange {
  start: string;
  end: string;
}

export interface WorkingHours {
  weekly: Partial<Record<Weekday, LocalRange[]>>;
  exceptions?: Record<string, LocalRange[]>;
}

export interface Interval {
  start: number;
  end: number;
}

export interface EngineResource {
  id: string;
  workingHours: WorkingHours;
  timeOff: Interval[];
  busy: Interval[];
}

export interface EngineService {
  id: string;
  durationMin: number;
  bufferBeforeMin: number;
  bufferAfterMin: number;
}

export type SlotPolicy = { kind: 'windows'; windows: LocalRange[] } | { kind: 'grid'; stepMin: number };

export interface SlotQuery {
  services: EngineService[];
  policy: SlotPolicy;
  timeZone: string;
  from: number;
  to: number;
  now: number;
  minNoticeMin: number;
  horizonDays: number;
  resources: EngineResource[];
}

export interface SlotSegment {
  serviceId: string;
  start: number;
  end: number;
}

export interface Slot {
  start: number;
  end: number;
  allocStart: number;
  allocEnd: number;
  segments: SlotSegment[];
  capacity: number;
  freeResourceIds: string[];
  occupied: number;
}

// ---------------------------------------------------------------------------------------------
// Sequence layout

interface SequencePlan {
  /** Per service: offsets from the slot start, in ms. */
  readonly segments: readonly { readonly serviceId: string; readonly startRel: number; readonly endRel: number }[];
  /** End of the last segment, relative to the start. */
  readonly span: number;
  readonly bufferBefore: number;
  readonly bufferAfter: number;
}

function assertMinutes(value: number, what: string, positive: boolean): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (positive && value === 0)) {
    throw new RangeError(
      `${what} must be a ${positive ? 'positive' : 'non-negative'} finite number of minutes, got ${String(value)}`,
    );
  }
}

function planSequence(services: readonly EngineService[]): SequencePlan {
  if (!Array.isArray(services) || services.length === 0) throw new RangeError('at least one service is required');
  const segments: { serviceId: string; startRel: number; endRel: number }[] = [];
  let cursor = 0;
  for (let i = 0; i < services.length; i++) {
    const s = services[i];
    assertMinutes(s.durationMin, `service ${s.id} durationMin`, true);
    assertMinutes(s.bufferBeforeMin, `service ${s.id} bufferBeforeMin`, false);
    assertMinutes(s.bufferAfterMin, `service ${s.id} bufferAfterMin`, false);
    if (i > 0) cursor += Math.max(services[i - 1].bufferAfterMin, s.bufferBeforeMin) * MINUTE_MS;
    const startRel = cursor;
    cursor += s.durationMin * MINUTE_MS;
    segments.push({ serviceId: s.id, startRel, endRel: cursor });
  }
  return {
    segments,
    span: cursor,
    bufferBefore: services[0].bufferBeforeMin * MINUTE_MS,
    bufferAfter: services[services.length - 1].bufferAfterMin * MINUTE_MS,
  };
}

function layoutSegments(plan: SequencePlan, start: number): SlotSegment[] {
  return plan.segments.map((s) => ({ serviceId: s.serviceId, start: start + s.startRel, end: start + s.endRel }));
}

/** End of what the booking occupies, before the trailing buffer. For grid slots end === start + span. */
function occupiedEnd(plan: SequencePlan, start: number, end: number): number {
  return Math.max(end, start + plan.span);
}

/**
 * The interval a booking of `services` at the slot [start, end) must allocate on its resource,
 * and its segments. windows: from the window start for max(window length, span), plus buffers.
 * grid: `end` is not used (the slot end is start + span by construction).
 */
export function allocationInterval(
  services: EngineService[],
  policy: SlotPolicy,
  start: number,
  end: number,
): { allocStart: number; allocEnd: number; segments: SlotSegment[] } {
  const plan = planSequence(services);
  const busyEnd = policy.kind === 'windows' ? occupiedEnd(plan, start, end) : start + plan.span;
  return {
    allocStart: start - plan.bufferBefore,
    allocEnd: busyEnd + plan.bufferAfter,
    segments: layoutSegments(plan, start),
  };
}

// ---------------------------------------------------------------------------------------------
// Search

interface Candidate {
  start: number;
  end: number;
}

interface ParsedRange {
  startMin: number;
  endMin: number;
}

/** Parses 'HH:mm' ranges, memoised for the duration of one query (per string and per range list). */
class RangeParser {
  private readonly starts = new Map<string, number>();
  private readonly ends = new Map<string, number>();
  private readonly lists = new WeakMap<readonly LocalRange[], readonly ParsedRange[]>();

  private minutes(value: string, isEnd: boolean): number {
    const cache = isEnd ? this.ends : this.starts;
    let m = cache.get(value);
    if (m === undefined) {
      m = parseHHmm(value, isEnd);
      cache.set(value, m);
    }
    return m;
  }

  range(r: LocalRange, what: string): ParsedRange {
    const startMin = this.minutes(r.start, false);
    const endMin = this.minutes(r.end, true);
    if (endMin <= startMin) throw new RangeError(`${what}: end ${r.end} must be after start ${r.start}`);
    return { startMin, endMin };
  }

  list(ranges: readonly LocalRange[], what: string): readonly ParsedRange[] {
    let parsed = this.lists.get(ranges);
    if (parsed === undefined) {
      parsed = ranges.map((r) => this.range(r, what));
      this.lists.set(ranges, parsed);
    }
    return parsed;
  }
}

function assertFiniteMs(value: number, what: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new RangeError(`${what} must be a finite epoch ms, got ${String(value)}`);
}

/** Intervals overlapping [lo, hi), non-empty, sorted and merged (touching ones included). */
function normalizeIntervals(list: readonly Interval[], lo: number, hi: number): Interval[] {
  const kept: Interval[] = [];
  for (const iv of list) {
    if (iv.end > iv.start && iv.end > lo && iv.start < hi) kept.push(iv);
  }
  if (kept.length === 0) return kept;
  kept.sort((a, b) => a.start - b.start);
  const out: Interval[] = [{ start: kept[0].start, end: kept[0].end }];
  for (let i = 1; i < kept.length; i++) {
    const last = out[out.length - 1];
    const iv = kept[i];
    if (iv.start <= last.end) {
      if (iv.end > last.end) last.end = iv.end;
    } else {
      out.push({ start: iv.start, end: iv.end });
    }
  }
  return out;
}

/** A resource's working time as instants over local days [dayLo, dayHi], sorted and merged. */
function workingIntervals(
  r: EngineResource,
  clock: ZoneClock,
  parser: RangeParser,
  dayLo: number,
  dayHi: number,
): Interval[] {
  const wh = r.workingHours;
  const exceptions = wh.exceptions;
  const hasExceptions = exceptions !== undefined && Object.keys(exceptions).length > 0;
  const raw: Interval[] = [];
  let sorted = true;
  for (let day = dayLo; day <= dayHi; day++) {
    let ranges: LocalRange[] | undefined;
    if (hasExceptions) {
      const date = clock.dateString(day);
      if (Object.hasOwn(exceptions!, date)) ranges = exceptions![date];
    }
    if (ranges === undefined) ranges = wh.weekly[weekdayOfDay(day)];
    if (ranges === undefined || ranges.length === 0) continue;
    for (const p of parser.list(ranges, `resource ${r.id} working hours`)) {
      const start = clock.toInstant(day, p.startMin);
      const end = clock.toInstant(day, p.endMin);
      if (end <= start) continue; // entirely inside a DST gap
      if (raw.length > 0 && start < raw[raw.length - 1].start) sorted = false;
      raw.push({ start, end });
    }
  }
  if (!sorted) raw.sort((a, b) => a.start - b.start);
  const out: Interval[] = [];
  for (const iv of raw) {
    const last = out.length > 0 ? out[out.length - 1] : undefined;
    if (last !== undefined && iv.start <= last.end) {
      if (iv.end > last.end) last.end = iv.end;
    } else {
      out.push(iv);
    }
  }
  return out;
}

function windowCandidates(
  windows: readonly LocalRange[],
  clock: ZoneClock,
  parser: RangeParser,
  dayLo: number,
  dayHi: number,
  lo: number,
  hi: number,
): Candidate[] {
  const parsed = windows.map((w) => parser.range(w, 'slot window'));
  const out: Candidate[] = [];
  for (let day = dayLo; day <= dayHi; day++) {
    for (const w of parsed) {
      const start = clock.toInstant(day, w.startMin);
      if (start < lo || start >= hi) continue;
      const end = clock.toInstant(day, w.endMin);
      if (end <= start) continue; // window entirely inside a DST gap
      out.push({ start, end });
    }
  }
  return out;
}

function gridCandidates(
  stepMin: number,
  span: number,
  clock: ZoneClock,
  dayLo: number,
  dayHi: number,
  lo: number,
  hi: number,
): Candidate[] {
  const out: Candidate[] = [];
  const stepMs = stepMin * MINUTE_MS;
  for (let day = dayLo; day <= dayHi; day++) {
    const offset = clock.constantOffsetMin(day);
    if (offset !== null) {
      const base = clock.naiveMidnight(day) - offset * MINUTE_MS;
      // First k with base + k*step >= lo; last with < min(hi, base + 24h).
      const first = base >= lo ? 0 : Math.ceil((lo - base) / stepMs);
      const limit = Math.min(hi, base + DAY_MS);
      for (let start = base + first * stepMs; start < limit; start += stepMs) {
        out.push({ start, end: start + span });
      }
    } else {
      for (let m = 0; m < 1440; m += stepMin) {
        for (const start of clock.resolve(day, m)) {
          if (start >= lo && start < hi) out.push({ start, end: start + span });
        }
      }
    }
  }
  return out;
}

/** Sorts by start then end and drops exact duplicates, in place. */
function sortUnique(c: Candidate[]): Candidate[] {
  let sorted = true;
  for (let i = 1; i < c.length; i++) {
    const a = c[i - 1];
    const b = c[i];
    if (b.start < a.start || (b.start === a.start && b.end <= a.end)) {
      sorted = false;
      break;
    }
  }
  if (sorted) return c;
  c.sort((a, b) => a.start - b.start || a.end - b.end);
  let w = 0;
  for (let i = 0; i < c.length; i++) {
    if (w > 0 && c[w - 1].start === c[i].start && c[w - 1].end === c[i].end) continue;
    c[w++] = c[i];
  }
  c.length = w;
  return c;
}

/** First index in [from, n) with sorted[index] >= value (n when none). */
function lowerBound(sorted: Float64Array, value: number, from: number, n: number): number {
  let lo = from;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Slots of the query's period with their capacity, sorted by start then end. See the file header. */
export function searchSlots(q: SlotQuery): Slot[] {
  const plan = planSequence(q.services);
  assertFiniteMs(q.from, 'from');
  assertFiniteMs(q.to, 'to');
  assertFiniteMs(q.now, 'now');
  assertMinutes(q.minNoticeMin, 'minNoticeMin', false);
  assertMinutes(q.horizonDays, 'horizonDays', false);
  const policy = q.policy;
  if (policy.kind === 'grid') {
    if (!Number.isInteger(policy.stepMin) || policy.stepMin <= 0) {
      throw new RangeError(`grid stepMin must be a positive integer, got ${String(policy.stepMin)}`);
    }
  } else if (policy.kind !== 'windows' || !Array.isArray(policy.windows)) {
    throw new RangeError('slot policy must be { kind: "windows", windows } or { kind: "grid", stepMin }');
  }
  const clock = zoneClock(q.timeZone);

  const lo = Math.max(q.from, q.now + q.minNoticeMin * MINUTE_MS);
  const hi = Math.min(q.to, q.now + q.horizonDays * DAY_MS);
  if (!(lo < hi)) return [];

  // Local dates whose wall times can produce a start in [lo, hi); one day of margin each side
  // (a local date's wall times spread over more than 24h of instants around a transition).
  const dayLo = clock.localDayOf(lo) - 1;
  const dayHi = clock.localDayOf(hi - 1) + 1;

  const parser = new RangeParser();
  const candidates = sortUnique(
    policy.kind === 'windows'
      ? windowCandidates(policy.windows, clock, parser, dayLo, dayHi, lo, hi)
      : gridCandidates(policy.stepMin, plan.span, clock, dayLo, dayHi, lo, hi),
  );
  const n = candidates.length;
  if (n === 0) return [];

  // Alloc intervals. allocStart = start - bufferBefore is monotonic in start (candidates are
  // sorted), which is what lets each resource sweep them with moving pointers.
  const allocStart = new Float64Array(n);
  const allocEnd = new Float64Array(n);
  let minAlloc = Infinity;
  let maxAlloc = -Infinity;
  for (let i = 0; i < n; i++) {
    const c = candidates[i];
    allocStart[i] = c.start - plan.bufferBefore;
    allocEnd[i] = occupiedEnd(plan, c.start, c.end) + plan.bufferAfter;
    if (allocStart[i] < minAlloc) minAlloc = allocStart[i];
    if (allocEnd[i] > maxAlloc) maxAlloc = allocEnd[i];
  }
  const workDayLo = clock.localDayOf(minAlloc) - 1;
  const workDayHi = clock.localDayOf(maxAlloc) + 1;

  const capacity = new Int32Array(n);
  const free: (string[] | undefined)[] = new Array<string[] | undefined>(n);

  // Iterating resources in id order makes every free list come out sorted.
  const resources = [...q.resources].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const r of resources) {
    const work = workingIntervals(r, clock, parser, workDayLo, workDayHi);
    if (work.length === 0) continue;
    const off = normalizeIntervals(r.timeOff, minAlloc, maxAlloc);
    const busy = normalizeIntervals(r.busy, minAlloc, maxAlloc);
    let t = 0; // first time-off interval with end > current allocStart
    let b = 0; // first busy interval with end > current allocStart
    let i = 0;
    // Working intervals are disjoint and sorted, and so are the candidates by allocStart: visit
    // only the candidates whose alloc interval starts inside each working interval.
    for (const wk of work) {
      i = lowerBound(allocStart, wk.start, i, n);
      for (; i < n && allocStart[i] < wk.end; i++) {
        const as = allocStart[i];
        const ae = allocEnd[i];
        if (ae > wk.end) continue;
        while (t < off.length && off[t].end <= as) t++;
        if (t < off.length && off[t].start < ae) continue;
        capacity[i]++;
        while (b < busy.length && busy[b].end <= as) b++;
        if (b < busy.length && busy[b].start < ae) continue;
        const list = free[i];
        if (list === undefined) free[i] = [r.id];
        else list.push(r.id);
      }
    }
  }

  const out: Slot[] = [];
  const isGrid = policy.kind === 'grid';
  for (let i = 0; i < n; i++) {
    const cap = capacity[i];
    if (isGrid && cap === 0) continue;
    const c = candidates[i];
    const freeIds = free[i] ?? [];
    out.push({
      start: c.start,
      end: c.end,
      allocStart: allocStart[i],
      allocEnd: allocEnd[i],
      segments: layoutSegments(plan, c.start),
      capacity: cap,
      freeResourceIds: freeIds,
      occupied: cap - freeIds.length,
    });
  }
  return out;
}
