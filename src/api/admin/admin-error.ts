import type { FastifyReply, FastifyRequest } from 'fastify';
import { ValueErrorType, type ValueError } from '@sinclair/typebox/errors';
import { normalizeError, type ValidationWording } from '../http/error-normalizer.ts';
import { validationIssues } from '../http/request-validator.ts';

/** The schema's own words for a field ('must be integer'), TypeBox's message with the field named before it. */
function describe(e: ValueError): string {
  if (e.type === ValueErrorType.ObjectRequiredProperty) return 'is required';
  if (e.type === ValueErrorType.ObjectAdditionalProperties) return 'is not allowed';
  return e.message.charAt(0).toLowerCase() + e.message.slice(1);
}

/** Admin wording: every problem, 'field message', joined. */
const adminWording: ValidationWording = (violation) => {
  const issues = validationIssues(violation, describe);
  return { message: issues.map((i) => `${i.field} ${i.message}`).join('; '), issues };
};

/** The admin API's error body, { code, message, details[] }, also used for routes outside any vendor API. */
export function sendAdminError(err: unknown, req: FastifyRequest, reply: FastifyReply) {
  const n = normalizeError(err, adminWording);
  if (n.status >= 500) req.log.error({ err }, 'request failed');
  return reply.code(n.status).send({ code: n.code, message: n.message, details: n.issues });
}
