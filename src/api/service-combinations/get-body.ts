/**
 * The seed's search is a GET with a JSON body. Fastify reads no body for GET (and refuses a body
 * schema on it), so this route reads it itself: the same limit, media type, JSON and schema checks
 * as any body, the same errors (413, 415, 400). No body at all is `undefined`.
 */
import type { TSchema } from '@sinclair/typebox';
import { errorCodes, type FastifyRequest } from 'fastify';
import { validatorCompiler } from '../http/request-validator.ts';

function hasBody(req: FastifyRequest): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

async function readText(req: FastifyRequest, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req.raw) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += b.length;
    if (size > limit) throw new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE();
    chunks.push(b);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function readGetBody<T>(req: FastifyRequest, schema: TSchema): Promise<T | undefined> {
  if (!hasBody(req)) return undefined;
  const type = req.headers['content-type'];
  if (type !== undefined && !/^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(type))
    throw new errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE(type);
  const text = await readText(req, req.routeOptions.bodyLimit ?? req.server.initialConfig.bodyLimit ?? 1_048_576);
  if (!text.trim()) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new errorCodes.FST_ERR_CTP_INVALID_JSON_BODY();
  }
  const checked = validatorCompiler({ schema, method: req.method, url: req.url, httpPart: 'body' })(value) as {
    value?: unknown;
    error?: Error;
  };
  if (checked.error) throw checked.error;
  return checked.value as T;
}
