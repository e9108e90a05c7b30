/**
 * The one place that reads PostgreSQL (and driver) error codes. Everything else asks these
 * questions instead of comparing SQLSTATEs, so PGlite and node-postgres errors are told apart
 * the same way everywhere.
 */
interface DriverError {
  code?: unknown;
  constraint?: unknown;
  message?: unknown;
  severity?: unknown;
}

const codeOf = (e: unknown): string => String((e as DriverError | null)?.code ?? '');

/** 23505: a row with that key exists already (two requests created the same id at once). */
export const isUniqueViolation = (e: unknown): boolean => codeOf(e) === '23505';

/** 23505 on this very constraint or unique index (e.g. the one live appointment per work order). */
export const isUniqueViolationOf = (e: unknown, constraint: string): boolean =>
  isUniqueViolation(e) && (e as DriverError | null)?.constraint === constraint;

/** An error a database function raised on purpose, with its own SQLSTATE (e.g. 'SB001'). */
export const isRaised = (e: unknown, sqlState: string): boolean => codeOf(e) === sqlState;

/** The DETAIL of a database error ('' when none). */
export const detailOf = (e: unknown): string => String((e as { detail?: unknown } | null)?.detail ?? '');

/**
 * Class 22 (data exception: out of range, invalid text, untranslatable character) raised by the
 * server for a statement: a value the database cannot hold. `severity` tells a server error from
 * a driver's own error that happens to carry a code.
 */
export const isDataException = (e: unknown): boolean =>
  /^22/.test(codeOf(e)) && Boolean((e as DriverError | null)?.severity);

/** Errors a driver raises when the database cannot be reached at all (as opposed to a rejected statement). */
export function isConnectionError(e: unknown): boolean {
  const err = e as DriverError | null;
  if (!err) return false;
  const code = codeOf(e);
  if (['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH'].includes(code)) return true;
  // Class 08: connection exception; 57P01-03: admin shutdown, crash shutdown, cannot connect now.
  if (/^08/.test(code) || ['57P01', '57P02', '57P03'].includes(code)) return true;
  const msg = typeof err.message === 'string' ? err.message : '';
  return (
    /Connection terminated|connection timeout|Client has encountered a connection error/i.test(msg) ||
    /timeout exceeded when trying to connect|Query read timeout/i.test(msg)
  );
}
