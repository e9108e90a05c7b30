import type { FastifyReply, FastifyRequest } from 'fastify';
import { normalizeError } from '../http/error-normalizer.ts';

/** The admin API's error body, { code, message, details[] }, also used for routes outside any vendor API. */
export function sendAdminError(err: unknown, req: FastifyRequest, reply: FastifyReply) {
  const n = normalizeError(err);
  if (n.status >= 500) req.log.error({ err }, 'request failed');
  return reply.code(n.status).send({ code: n.code, message: n.message, details: n.issues });
}
