/**
 * The documented service is a Spring Boot application: every error under /api is Spring Boot's
 * default error body, `{ timestamp, status, error, message, path }`, e.g.
 * `{ "timestamp": "2030-01-31T19:00:00.000Z", "status": 404, "error": "Not Found",
 *    "message": "Appointment f46f… not found", "path": "/api/appointments/f46f…" }`.
 * This is the one place that turns anything thrown (core errors, validation, Fastify's client
 * errors, unknown routes, a database outage) into it.
 */
import { STATUS_CODES } from 'node:http';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ValueErrorType, type ValueError } from '@sinclair/typebox/errors';
import { normalizeError, type ValidationWording } from '../http/error-normalizer.ts';
import { validationIssues } from '../http/request-validator.ts';

const describe = (e: ValueError): string => {
  if (e.type === ValueErrorType.ObjectRequiredProperty) return 'is required';
  if (e.type === ValueErrorType.ObjectAdditionalProperties) return 'is not allowed';
  return e.message.charAt(0).toLowerCase() + e.message.slice(1);
};

/** Every problem as `field message`, joined: what Spring's validation message lists too. */
const springWording: ValidationWording = (violation) => {
  if (violation.part === 'body' && (violation.value === undefined || violation.value === null))
    return { message: 'Required request body is missing', issues: [{ field: 'body', message: 'is required' }] };
  const issues = validationIssues(violation, describe);
  return { message: `Validation failed: ${issues.map((i) => `${i.field} ${i.message}`).join('; ')}`, issues };
};

/** Fastify's own client errors name its internals: said in plain words instead. */
const FASTIFY_WORDING: Partial<Record<string, string>> = {
  FST_ERR_MAX_PARAM_LENGTH: 'A path segment (such as the id) is too long',
  FST_ERR_BAD_URL: 'The URL is not valid',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'The Content-Length header does not match the request body',
};

export interface SpringError {
  timestamp: string;
  status: number;
  error: string;
  message: string;
  path: string;
}

/** Renders anything thrown as Spring Boot's error body; client mistakes are never 500s. */
export function sendSpringError(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) {
  const n = normalizeError(error, springWording);
  const code = 'code' in error && typeof error.code === 'string' ? error.code : '';
  const message = n.status < 500 ? (FASTIFY_WORDING[code] ?? n.message) : n.message;
  if (n.status >= 500) request.log.error({ err: error }, 'video-call request failed');
  const body: SpringError = {
    // Spring stamps the error with the server's clock; ours is the wall clock too (not a business time).
    timestamp: new Date().toISOString(),
    status: n.status,
    error: STATUS_CODES[n.status] ?? 'Error',
    message,
    path: request.url.split('?')[0],
  };
  if (n.status === 503) reply.header('retry-after', '10');
  return reply.code(n.status).type('application/json; charset=utf-8').send(body);
}
