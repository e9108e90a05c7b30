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
  | 'UNAVAILABLE';

export interface FieldIssue {
  /** JSON-pointer-like path of the offending field, e.g. 'validFor.startDateTime'. */
  field: string;
  message: string;
}

export class CoreError extends Error {
  readonly code: CoreErrorCode;
  readonly issues: FieldIssue[];

  constructor(code: CoreErrorCode, message: string, issues: FieldIssue[] = []) {
    super(message);
    this.name = 'CoreError';
    this.code = code;
    this.issues = issues;
  }
}

export const notFound = (what: string, id: string) => new CoreError('NOT_FOUND', `${what} ${id} not found`);
export const invalidInput = (message: string, issues: FieldIssue[] = []) => new CoreError('INVALID_INPUT', message, issues);
export const conflict = (message: string) => new CoreError('CONFLICT', message);
export const slotUnavailable = (message = 'The requested time is no longer available') =>
  new CoreError('SLOT_UNAVAILABLE', message);
export const notAllowed = (message = 'Not allowed') => new CoreError('NOT_ALLOWED', message);
export const unauthenticated = (message = 'Missing or invalid credentials') => new CoreError('UNAUTHENTICATED', message);
/** The database (or another dependency) does not answer: the client may retry. */
export const unavailable = (message = 'Service temporarily unavailable') => new CoreError('UNAVAILABLE', message);

export const isCoreError = (e: unknown): e is CoreError => e instanceof CoreError;
