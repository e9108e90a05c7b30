import { CoreError, type FieldIssue } from '../../core/errors.ts';
import { isConnectionError, isDataException } from '../../db/pg-errors.ts';

/**
 * Turns anything a route can throw into one shape that each facade then renders in its own
 * documented error body. Whatever a client sent never becomes a 500.
 */
export interface NormalizedError {
  status: number;
  code: CoreError['code'] | 'PAYLOAD_TOO_LARGE' | 'UNSUPPORTED_MEDIA_TYPE' | 'INTERNAL';
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
  UNAVAILABLE: 503,
};

interface FastifyLikeError {
  code?: string;
  statusCode?: number;
  message?: string;
  validation?: Array<{ instancePath?: string; message?: string; keyword?: string; params?: Record<string, unknown> }>;
  validationContext?: string;
}

/** Ajv's own words, with the field named as a dotted path ('validFor.startDateTime'). */
export function validationIssues(err: FastifyLikeError): FieldIssue[] {
  return (err.validation ?? []).map((v) => {
    const base = (v.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.');
    const missing = v.keyword === 'required' ? String(v.params?.missingProperty ?? '') : '';
    const extra = v.keyword === 'additionalProperties' ? String(v.params?.additionalProperty ?? '') : '';
    const field = [base, missing || extra].filter(Boolean).join('.') || (err.validationContext ?? 'body');
    return { field, message: v.keyword === 'required' ? 'is required' : (v.message ?? 'is invalid') };
  });
}

export function normalizeError(e: unknown): NormalizedError {
  if (e instanceof CoreError) return { status: STATUS[e.code], code: e.code, message: e.message, issues: e.issues };
  // PostgreSQL class 22 (data exception: out of range, invalid text, untranslatable character):
  // a value a client sent that the database cannot hold. Nothing was written: the transaction rolled back.
  if (isDataException(e))
    return { status: 400, code: 'INVALID_INPUT', message: 'A value is out of range or cannot be stored', issues: [] };
  if (isConnectionError(e)) return { status: 503, code: 'UNAVAILABLE', message: 'The database is not reachable; retry later', issues: [] };
  const err = (e ?? {}) as FastifyLikeError;
  if (err.validation) {
    const issues = validationIssues(err);
    return { status: 400, code: 'INVALID_INPUT', message: issues.map((i) => `${i.field} ${i.message}`).join('; '), issues };
  }
  switch (err.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { status: 400, code: 'INVALID_INPUT', message: 'The body is not valid JSON', issues: [{ field: 'body', message: 'malformed JSON' }] };
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { status: 413, code: 'PAYLOAD_TOO_LARGE', message: 'The body is too large', issues: [] };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', message: 'Send application/json', issues: [] };
  }
  if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
    // Any other client error Fastify detects (bad content length, aborted body, …).
    return { status: err.statusCode, code: 'INVALID_INPUT', message: err.message ?? 'Bad request', issues: [] };
  }
  return { status: 500, code: 'INTERNAL', message: 'Internal error', issues: [] };
}
