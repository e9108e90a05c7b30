/**
 * Durations as the documented service (Java's java.time.Duration) reads and writes them: days,
 * hours, minutes and seconds only (`P1D`, `PT10H`, `PT5M`, `PT1M30S`; letters in either case, so
 * the documented `PT5M0s` reads as five minutes), written back as Java writes them (`PT5M`, `PT24H`).
 * Years and months are refused: they have no fixed length.
 */
import { invalidInput } from '../../core/errors.ts';

const ISO_DURATION = /^P(?:(\d{1,6})D)?(?:T(?:(\d{1,7})H)?(?:(\d{1,9})M)?(?:(\d{1,10})(?:\.(\d{1,9}))?S)?)?$/;

/** Whole seconds of an ISO 8601 duration, or null when it is not one we read. */
function durationSeconds(text: string): number | null {
  const m = ISO_DURATION.exec(text.toUpperCase());
  if (!m || text.length < 3 || /T$/i.test(text)) return null;
  const [, d, h, min, s] = m.map((x) => Number(x ?? 0));
  return d * 86_400 + h * 3600 + min * 60 + s;
}

/** The seconds of a duration a client sent in `field`; 400 naming the field otherwise. */
export function parseDuration(text: string, field: string, opts: { min?: number; max?: number } = {}): number {
  const s = durationSeconds(text);
  const min = opts.min ?? 1;
  if (s === null)
    throw invalidInput(`${field} must be an ISO 8601 duration in days, hours, minutes or seconds (e.g. PT5M)`, [
      { field, message: 'not an ISO 8601 duration' },
    ]);
  if (s < min) throw invalidInput(`${field} must be at least ${min} s`, [{ field, message: 'too short' }]);
  if (opts.max !== undefined && s > opts.max)
    throw invalidInput(`${field} must be at most ${formatDuration(opts.max)}`, [{ field, message: 'too long' }]);
  return s;
}

/** As java.time.Duration#toString: PT5M, PT1H30M, PT24H, PT0S. */
export function formatDuration(seconds: number): string {
  if (seconds === 0) return 'PT0S';
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return `PT${h ? `${h}H` : ''}${m ? `${m}M` : ''}${s ? `${s}S` : ''}`;
}
