/**
 * Local wall time <-> epoch ms for one IANA zone, built for the slot engine's inner loops.
 *
 * Dates are handled as "day numbers": whole days since 1970-01-01 of the *naive* (zone-less)
 * calendar, so date arithmetic is integer arithmetic and never touches a time zone. Only the
 * offset lookups go through luxon (IANAZone.offset, which costs several µs each), and they are
 * memoised per local day: a day whose offset is the same from before its midnight to after the
 * next one (nearly every day of every zone) converts any wall time with one subtraction.
 *
 * Wall times that do not exist (spring forward gap) and that exist twice (fall back overlap):
 * - `resolve()` returns every instant a wall time denotes: 0 in a gap, 2 in an overlap;
 * - `toInstant()` picks one, for range boundaries (working hours, windows): in an overlap the
 *   earlier instant; in a gap the instant of the transition itself, so that the mapping stays
 *   monotonic (a range that starts inside the gap starts when the clocks jump, a range entirely
 *   inside the gap becomes empty).
 */
import { IANAZone } from 'luxon';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

/** Day number 0 (1970-01-01) was a Thursday. */
const WEEKDAY_BY_DAY_MOD_7: readonly Weekday[] = ['thu', 'fri', 'sat', 'sun', 'mon', 'tue', 'wed'];

export function weekdayOfDay(day: number): Weekday {
  return WEEKDAY_BY_DAY_MOD_7[((day % 7) + 7) % 7];
}

const HHMM = /^([01]\d|2[0-4]):([0-5]\d)$/;

/**
 * 'HH:mm' -> minutes since local midnight. '24:00' (= 1440) only when `allow24`.
 * Throws RangeError on anything else.
 */
export function parseHHmm(value: string, allow24: boolean): number {
  const m = typeof value === 'string' ? HHMM.exec(value) : null;
  if (m) {
    const minutes = Number(m[1]) * 60 + Number(m[2]);
    if (minutes < 1440 || (allow24 && minutes === 1440)) return minutes;
  }
  throw new RangeError(
    `invalid local time ${JSON.stringify(value)}: expected 'HH:mm'${allow24 ? " (or '24:00')" : ''}`,
  );
}

const YMD = /^(\d{4})-(\d{2})-(\d{2})$/;

/** 'YYYY-MM-DD' -> day number, or undefined when it is not a real calendar date. */
export function parseLocalDate(value: string): number | undefined {
  const m = YMD.exec(value);
  if (!m) return undefined;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const ms = Date.UTC(y, mo - 1, d);
  const check = new Date(ms);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return undefined;
  return ms / DAY_MS;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** Day number -> 'YYYY-MM-DD'. */
export function formatLocalDate(day: number): string {
  const d = new Date(day * DAY_MS);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}`;
}

interface DayInfo {
  /** Naive epoch ms of the day's local midnight (as if the zone were UTC). */
  readonly naiveMidnight: number;
  /** Offset in minutes when it is the same for every wall time of the day (00:00..24:00), else null. */
  readonly constantOffsetMin: number | null;
  /** 'YYYY-MM-DD', computed lazily. */
  date: string | undefined;
}

const MAX_CACHED_DAYS = 20_000;

/**
 * Conversions for one IANA zone. Instances are memoised per zone (see `zoneClock`), and all
 * their caches are pure functions of (zone, input), so sharing them across queries is safe.
 */
export class ZoneClock {
  readonly timeZone: string;
  private readonly zone: IANAZone;
  private readonly days = new Map<number, DayInfo>();
  /** (day, minutes) -> instants, only for days without a constant offset. */
  private readonly irregular = new Map<number, readonly number[]>();
  private readonly irregularPick = new Map<number, number>();

  constructor(timeZone: string) {
    if (typeof timeZone !== 'string' || !IANAZone.isValidZone(timeZone)) {
      throw new RangeError(`invalid IANA time zone ${JSON.stringify(timeZone)}`);
    }
    this.timeZone = timeZone;
    this.zone = IANAZone.create(timeZone);
  }

  /** UTC offset in minutes at an instant. */
  offsetMin(ts: number): number {
    return this.zone.offset(ts);
  }

  /** Day number of the local date at an instant. */
  localDayOf(ts: number): number {
    return Math.floor((ts + this.offsetMin(ts) * MINUTE_MS) / DAY_MS);
  }

  dateString(day: number): string {
    const info = this.day(day);
    if (info.date === undefined) info.date = formatLocalDate(day);
    return info.date;
  }

  /** Offset of the day when constant over all its wall times (00:00..24:00), else null. */
  constantOffsetMin(day: number): number | null {
    return this.day(day).constantOffsetMin;
  }

  /** Naive ms of local midnight of `day`. */
  naiveMidnight(day: number): number {
    return day * DAY_MS;
  }

  private day(day: number): DayInfo {
    let info = this.days.get(day);
    if (info === undefined) {
      if (this.days.size >= MAX_CACHED_DAYS) {
        this.days.clear();
        this.irregular.clear();
        this.irregularPick.clear();
      }
      const naiveMidnight = day * DAY_MS;
      // Wall times 00:00..24:00 of the day map to instants within
      // [midnight - 14h, midnight + 24h + 12h] (offsets range from -12h to +14h). When the
      // offset is the same just before, in the middle of and just after that span, the day
      // has no transition (zones never change twice within two days and back).
      const a = this.offsetMin(naiveMidnight - 15 * HOUR_MS);
      const b = this.offsetMin(naiveMidnight + 12 * HOUR_MS);
      const c = this.offsetMin(naiveMidnight + 37 * HOUR_MS);
      info = { naiveMidnight, constantOffsetMin: a === b && b === c ? a : null, date: undefined };
      this.days.set(day, info);
    }
    return info;
  }

  /**
   * Every instant at which the local clock shows `minutes` after midnight of `day`
   * (minutes may be 1440, i.e. 24:00 = next midnight). Sorted; [] in a gap, 2 in an overlap.
   */
  resolve(day: number, minutes: number): readonly number[] {
    const info = this.day(day);
    const naive = info.naiveMidnight + minutes * MINUTE_MS;
    if (info.constantOffsetMin !== null) return [naive - info.constantOffsetMin * MINUTE_MS];
    const key = day * 1441 + minutes;
    let found = this.irregular.get(key);
    if (found === undefined) {
      found = this.resolveSlow(naive);
      this.irregular.set(key, found);
    }
    return found;
  }

  /**
   * One instant for a range boundary: the only one, the earlier of two (overlap), or the
   * transition instant when the wall time falls in a gap.
   */
  toInstant(day: number, minutes: number): number {
    const info = this.day(day);
    if (info.constantOffsetMin !== null) {
      return info.naiveMidnight + minutes * MINUTE_MS - info.constantOffsetMin * MINUTE_MS;
    }
    const key = day * 1441 + minutes;
    let picked = this.irregularPick.get(key);
    if (picked === undefined) {
      const all = this.resolve(day, minutes);
      picked = all.length > 0 ? all[0] : this.gapTransition(info.naiveMidnight + minutes * MINUTE_MS);
      this.irregularPick.set(key, picked);
    }
    return picked;
  }

  private resolveSlow(naive: number): number[] {
    const before = this.offsetMin(naive - DAY_MS);
    const after = this.offsetMin(naive + DAY_MS);
    const out: number[] = [];
    for (const o of before === after ? [before] : [before, after]) {
      const ts = naive - o * MINUTE_MS;
      if (this.offsetMin(ts) === o && !out.includes(ts)) out.push(ts);
    }
    out.sort((x, y) => x - y);
    return out;
  }

  /** First instant whose local wall time is >= `naive` (the clocks' jump over a gap). */
  private gapTransition(naive: number): number {
    const before = this.offsetMin(naive - DAY_MS);
    const after = this.offsetMin(naive + DAY_MS);
    // In a gap the offset grows: before < after. lo is still before the jump, hi after it.
    let lo = naive - Math.max(before, after) * MINUTE_MS;
    let hi = naive - Math.min(before, after) * MINUTE_MS;
    const hiOffset = this.offsetMin(hi);
    // Transitions happen on whole minutes (all modern tz data); search to the minute.
    while (hi - lo > MINUTE_MS) {
      const mid = lo + Math.floor((hi - lo) / 2 / MINUTE_MS) * MINUTE_MS;
      if (this.offsetMin(mid) === hiOffset) hi = mid;
      else lo = mid;
    }
    return hi;
  }
}

const clocks = new Map<string, ZoneClock>();

/** Memoised ZoneClock per zone name. Throws RangeError for an unknown zone. */
export function zoneClock(timeZone: string): ZoneClock {
  let clock = clocks.get(timeZone);
  if (clock === undefined) {
    clock = new ZoneClock(timeZone);
    if (clocks.size >= 500) clocks.clear();
    clocks.set(timeZone, clock);
  }
  return clock;
}
