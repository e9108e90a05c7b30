/**
 * The one error body of the service-combinations API (the seed documents none), for every error:
 * validation, headers, credentials, core refusals, unknown routes, body too large, 503.
 *
 *   { "status": 400, "error": "BAD_REQUEST", "message": "customer.firstName is required",
 *     "details": [{ "field": "customer.firstName", "message": "is required" }] }
 *
 * `status` repeats the HTTP status, `error` is its reason phrase in upper snake case, `message` one
 * sentence, `details` one entry per field at fault (empty when no field is).
 */
import { STATUS_CODES } from 'node:http';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ValueErrorType, type ValueError } from '@sinclair/typebox/errors';
import type { FieldIssue } from '../../core/errors.ts';
import { normalizeError, type ValidationWording } from '../http/error-normalizer.ts';
import { validationIssues } from '../http/request-validator.ts';

export interface CombinationError {
  status: number;
  error: string;
  message: string;
  details: FieldIssue[];
}

/** How a field at fault is described in `details[].message`. */
function describe(e: ValueError): string {
  switch (e.type) {
    case ValueErrorType.ObjectRequiredProperty:
      return 'is required';
    case ValueErrorType.ObjectAdditionalProperties:
      return 'is not a field of this request';
    case ValueErrorType.StringFormat:
      return e.schema.format === 'date'
        ? 'must be a date (yyyy-MM-dd)'
        : 'must be a date-time with its offset (e.g. 2030-03-04T09:00:00+01:00)';
    case ValueErrorType.StringMinLength:
      return `must have at least ${String(e.schema.minLength)} characters`;
    case ValueErrorType.StringMaxLength:
      return `must have at most ${String(e.schema.maxLength)} characters`;
    case ValueErrorType.StringPattern:
      return `must match ${String(e.schema.pattern)}`;
    case ValueErrorType.ArrayMinItems:
      return `must have at least ${String(e.schema.minItems)} items`;
    case ValueErrorType.ArrayMaxItems:
      return `must have at most ${String(e.schema.maxItems)} items`;
    case ValueErrorType.ArrayUniqueItems:
      return 'must not repeat an item';
    case ValueErrorType.IntegerMinimum:
    case ValueErrorType.NumberMinimum:
      return `must be at least ${String(e.schema.minimum)}`;
    case ValueErrorType.IntegerMaximum:
    case ValueErrorType.NumberMaximum:
      return `must be at most ${String(e.schema.maximum)}`;
    default:
      return e.message.charAt(0).toLowerCase() + e.message.slice(1);
  }
}

const wording: ValidationWording = (violation) => {
  if (violation.part === 'body' && (violation.value === undefined || violation.value === null))
    return { message: 'The request body is required', issues: [{ field: 'body', message: 'is required' }] };
  const issues = validationIssues(violation, describe);
  const first = issues[0];
  return { message: first ? `${first.field} ${first.message}` : 'The request is invalid', issues };
};

/** Fastify's own client errors, in this API's words rather than Fastify's. */
function fastifyMessage(error: FastifyError | Error, request: FastifyRequest): string | undefined {
  const code = 'code' in error ? error.code : undefined;
  if (code === 'FST_ERR_MAX_PARAM_LENGTH')
    return `A path segment is longer than ${request.server.initialConfig.maxParamLength ?? 100} characters`;
  if (code === 'FST_ERR_BAD_URL') return 'The URL is not valid';
  return undefined;
}

function toCombinationError(status: number, message: string, details: FieldIssue[]): CombinationError {
  const reason = STATUS_CODES[status] ?? 'Error';
  return { status, error: reason.toUpperCase().replace(/[^A-Z0-9]+/g, '_'), message, details };
}

/** The facade's error renderer: anything thrown becomes the body above; a client's input never a 500. */
export function renderCombinationError(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) {
  const e = normalizeError(error, wording);
  // The core's words for this API's: a hold is a reservation, a site a branch.
  const message = ((e.status < 500 && fastifyMessage(error, request)) || e.message)
    .replace(/\bHold\b/g, 'Reservation')
    .replace(/\bhold\b/g, 'reservation')
    .replace(/\bsite\b/g, 'branch');
  if (e.status >= 500) request.log.error({ err: error }, 'service-combinations request failed');
  return reply
    .status(e.status)
    .type('application/json; charset=utf-8')
    .send(toCombinationError(e.status, message, e.issues));
}
