import { Duration } from 'luxon';

/** A period in seconds, or null when it is not an ISO 8601 duration (P1D, PT5M, PT90S, P1DT2H). */
export function periodSeconds(period: string): number | null {
  if (!/^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$/.test(period)) return null;
  const d = Duration.fromISO(period);
  return d.isValid ? d.as('seconds') : null;
}
