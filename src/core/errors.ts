/**
 * The closed set of errors the core raises. Each facade maps these codes to its own documented
 * error body in one place; the core never knows about HTTP.
 */
export type CoreErrorCode =
  | 'NOT_FOUND'
  | 'INVALID_INPUT'
  | 'CONFLICT'
  | 'SLOT_UNAVAILABLE'
  | 'NOT_ALLOWED'
  | 'UNAUTHENTICATED'
  | 'RATE_LIMITED'
  | 'UNAVAILABLE';

export interface FieldIssue {
  /** JSON-pointer-like path of the offending field, e.g. 'validFor.startDateTime'. */
  field: string;
  message: string;
}

export class CoreError extends Error {
  readonly code: CoreErrorCode;
  readonly issues: FieldIssue[];
  /** Which rule refused, where callers need to tell two errors of one code apart (stable words, not prose). */
  readonly reason: string | null;

  constructor(code: CoreErrorCode, message: string, issues: FieldIssue[] = [], reason: string | null = null) {
    super(message);
    this.name = 'CoreError';
    this.code = code;
    this.issues = issues;
    this.reason = reason;
  }
}

export const notFound = (what: string, id: string) => new CoreError('NOT_FOUND', `${what} ${id} not found`);
export const invalidInput = (message: string, issues: FieldIssue[] = []) =>
  new CoreError('INVALID_INPUT', message, issues);
export const conflict = (message: string, reason: string | null = null) =>
  new CoreError('CONFLICT', message, [], reason);
/** Reason of the conflict raised when an Idempotency-Key comes back with another request. */
export const IDEMPOTENCY_KEY_REUSED = 'idempotency-key-reused';
export const idempotencyKeyReused = () =>
  conflict('This Idempotency-Key was used with a different request', IDEMPOTENCY_KEY_REUSED);
/** Reason of the conflict raised when a hold that is no longer live (used, released, expired) is converted. */
export const HOLD_NOT_LIVE = 'hold-not-live';
export const slotUnavailable = (message = 'The requested time is no longer available') =>
  new CoreError('SLOT_UNAVAILABLE', message);
export const notAllowed = (message = 'Not allowed') => new CoreError('NOT_ALLOWED', message);
export const unauthenticated = (message = 'Missing or invalid credentials') =>
  new CoreError('UNAUTHENTICATED', message);
/** The caller asked for something too often (a verification code to one address); it may ask again later. */
export const rateLimited = (message: string) => new CoreError('RATE_LIMITED', message);
/** The database (or another dependency) does not answer: the client may retry. */
export const unavailable = (message = 'Service temporarily unavailable') => new CoreError('UNAVAILABLE', message);

export const isCoreError = (e: unknown): e is CoreError => e instanceof CoreError;
