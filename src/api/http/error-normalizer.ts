import { CoreError, type FieldIssue } from '../../core/errors.ts';
import { isConnectionError, isDataException } from '../../db/pg-errors.ts';
import { SchemaViolation } from './request-validator.ts';

/**
 * Turns anything a route can throw into one shape that each facade then renders in its own
 * documented error body. Whatever a client sent never becomes a 500.
 */
export interface NormalizedError {
  status: number;
  code: CoreError['code'] | 'PAYLOAD_TOO_LARGE' | 'UNSUPPORTED_MEDIA_TYPE' | 'RATE_LIMITED' | 'INTERNAL';
  message: string;
  issues: FieldIssue[];
}

const STATUS: Record<CoreError['code'], number> = {
  NOT_FOUND: 404,
  INVALID_INPUT: 400,
  CONFLICT: 409,
  SLOT_UNAVAILABLE: 409,
  NOT_ALLOWED: 403,
  UNAUTHENTICATED: 401,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
};

interface FastifyLikeError {
  code?: string;
  statusCode?: number;
  message?: string;
}

/** How an API words a request that does not match its schema: the message of its error body and one issue per field. */
export type ValidationWording = (violation: SchemaViolation) => { message: string; issues: FieldIssue[] };

export function normalizeError(e: unknown, wording: ValidationWording): NormalizedError {
  if (e instanceof SchemaViolation) return { status: 400, code: 'INVALID_INPUT', ...wording(e) };
  if (e instanceof CoreError) return { status: STATUS[e.code], code: e.code, message: e.message, issues: e.issues };
  // PostgreSQL class 22 (data exception: out of range, invalid text, untranslatable character):
  // a value a client sent that the database cannot hold. Nothing was written: the transaction rolled back.
  if (isDataException(e))
    return { status: 400, code: 'INVALID_INPUT', message: 'A value is out of range or cannot be stored', issues: [] };
  if (isConnectionError(e))
    return { status: 503, code: 'UNAVAILABLE', message: 'The database is not reachable; retry later', issues: [] };
  const err = (e ?? {}) as FastifyLikeError;
  switch (err.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return {
        status: 400,
        code: 'INVALID_INPUT',
        message: 'The body is not valid JSON',
        issues: [{ field: 'body', message: 'malformed JSON' }],
      };
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { status: 413, code: 'PAYLOAD_TOO_LARGE', message: 'The body is too large', issues: [] };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', message: 'Send application/json', issues: [] };
  }
  if (err.statusCode === 429)
    return { status: 429, code: 'RATE_LIMITED', message: err.message ?? 'Too many requests', issues: [] };
  if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
    // Any other client error Fastify detects (bad content length, aborted body, …).
    return { status: err.statusCode, code: 'INVALID_INPUT', message: err.message ?? 'Bad request', issues: [] };
  }
  return { status: 500, code: 'INTERNAL', message: 'Internal error', issues: [] };
}
