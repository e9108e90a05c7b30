/**
 * The two documented error bodies, and the one place that turns anything thrown into them (core
 * errors, validation, Fastify's own client errors such as FST_ERR_MAX_PARAM_LENGTH).
 *
 * - Appointments API: `{ componentMsg, id, msg, status }`, e.g. 404
 *   `{ "componentMsg": "ID MYSIM_6922893 not exists", "id": "MM0000002", "msg": "Resource not found", "status": 404 }`.
 * - Extension API: `{ code, status, message, detailMsg }`, e.g. 400
 *   `{ "code": "400", "status": "BAD_REQUEST", "message": "Bad Request", "detailMsg": "The [category] attribute is
 *   required." }`.
 *   `code` is a string, as the schema says (the example prints a number).
 */
import { STATUS_CODES } from 'node:http';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { normalizeError, type NormalizedError } from '../http/error-normalizer.ts';
import type { ExtError } from './ext.schemas.ts';
import type { TmfError } from './appointment.schemas.ts';
import { operatorWording } from './validation.ts';

interface StatusWords {
  /** TMF error id (MM + 7 digits). */
  id: string;
  /** TMF generic message. */
  msg: string;
  /** Extension API status and message. */
  status: string;
  message: string;
}

const WORDS: Record<number, StatusWords> = {
  400: { id: 'MM0000001', msg: 'Bad request', status: 'BAD_REQUEST', message: 'Bad Request' },
  404: { id: 'MM0000002', msg: 'Resource not found', status: 'NOT_FOUND', message: 'Not Found' },
  409: { id: 'MM0000003', msg: 'Conflict', status: 'CONFLICT', message: 'Conflict' },
  401: { id: 'MM0000004', msg: 'Unauthorized', status: 'UNAUTHORIZED', message: 'Unauthorized' },
  403: { id: 'MM0000005', msg: 'Forbidden', status: 'FORBIDDEN', message: 'Forbidden' },
  413: { id: 'MM0000006', msg: 'Payload too large', status: 'PAYLOAD_TOO_LARGE', message: 'Payload Too Large' },
  415: {
    id: 'MM0000007',
    msg: 'Unsupported media type',
    status: 'UNSUPPORTED_MEDIA_TYPE',
    message: 'Unsupported Media Type',
  },
  503: { id: 'MM0000008', msg: 'Service unavailable', status: 'SERVICE_UNAVAILABLE', message: 'Service Unavailable' },
  500: {
    id: 'MM0000009',
    msg: 'Internal server error',
    status: 'INTERNAL_SERVER_ERROR',
    message: 'Internal Server Error',
  },
  414: { id: 'MM0000010', msg: 'URI too long', status: 'URI_TOO_LONG', message: 'URI Too Long' },
};

/** The shared normalizer's sentences for transport errors, in the documents' style. */
const OPERATOR_WORDING: Record<string, string> = {
  'The body is not valid JSON': 'The request body is not valid JSON.',
  'The body is too large': 'The request body is too large.',
  'Send application/json': 'The request body must be sent as application/json.',
};

/** Fastify's own client errors (whose messages name Fastify internals), by code, in the documents' style. */
const FASTIFY_WORDING: Partial<Record<string, (request: FastifyRequest) => string>> = {
  FST_ERR_MAX_PARAM_LENGTH: (r) =>
    `A path segment (such as the id) is longer than ${r.server.initialConfig.maxParamLength ?? 100} characters.`,
  FST_ERR_BAD_URL: () => 'The URL is not valid.',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: () => 'The Content-Length header does not match the request body.',
  FST_ERR_NOT_FOUND: (r) => `No route ${r.method} ${r.url.split('?')[0]}`,
};

/** Any other client error keeps its HTTP status, with the bad-request id and its reason phrase. */
function wordsFor(status: number): StatusWords {
  if (WORDS[status]) return WORDS[status];
  if (status >= 500) return WORDS[500];
  const reason = STATUS_CODES[status] ?? 'Bad Request';
  return {
    id: WORDS[400].id,
    msg: reason.charAt(0) + reason.slice(1).toLowerCase(),
    status: reason.toUpperCase().replace(/[^A-Z0-9]+/g, '_'),
    message: reason,
  };
}

/** Core messages read "Appointment X not found"; the operator says "ID X not exists". */
function detail(e: NormalizedError, params: unknown): string {
  const id = (params as { id?: unknown } | undefined)?.id;
  if (e.code === 'NOT_FOUND' && typeof id === 'string' && /^Appointment\b/.test(e.message))
    return `ID ${id} not exists`;
  return OPERATOR_WORDING[e.message] ?? e.message;
}

export function toTmfError(e: NormalizedError, params?: unknown): TmfError {
  const w = wordsFor(e.status);
  return { componentMsg: detail(e, params), id: w.id, msg: w.msg, status: e.status };
}

export function toExtError(e: NormalizedError, params?: unknown): ExtError {
  const w = wordsFor(e.status);
  return { code: String(e.status), status: w.status, message: w.message, detailMsg: detail(e, params) };
}

/** Requests outside both APIs' routes: the Extension body under /v1/orgs/{org}/ext, the Appointments body elsewhere. */
export const renderForPath = (e: NormalizedError, params: unknown, path: string) =>
  /^\/v1\/orgs\/[^/]+\/ext(?:\/|$)/.test(path) ? toExtError(e, params) : toTmfError(e, params);

/** An encapsulated Fastify error handler rendering one of the two bodies. Client mistakes are never 500s. */
export function errorHandler(render: (e: NormalizedError, params: unknown, path: string) => object) {
  return (error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) => {
    const normalized = normalizeError(error, operatorWording);
    const code = 'code' in error ? error.code : undefined;
    const wording =
      typeof code === 'string' && Object.hasOwn(FASTIFY_WORDING, code) ? FASTIFY_WORDING[code] : undefined;
    const e = wording && normalized.status < 500 ? { ...normalized, message: wording(request) } : normalized;
    if (e.status >= 500) request.log.error({ err: error }, 'field-service request failed');
    else request.log.info({ code: e.code, message: e.message }, 'field-service request rejected');
    return reply
      .status(e.status)
      .type('application/json; charset=utf-8')
      .send(render(e, request.params, request.url.split('?')[0]));
  };
}
