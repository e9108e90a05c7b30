import type { FastifyRequest } from 'fastify';
import { invalidInput } from '../../core/errors.ts';

/** Deeper JSON than this is no appointment data: refused before it reaches a schema or the database. */
const MAX_DEPTH = 32;

function check(value: unknown, path: string, depth: number): void {
  if (depth > MAX_DEPTH)
    throw invalidInput(`The ${path} is nested more than ${MAX_DEPTH} levels deep`, [
      { field: path, message: 'nested too deeply' },
    ]);
  if (typeof value === 'string') {
    // PostgreSQL text cannot hold NUL; refusing it here keeps it a client error, not a database failure.
    if (value.includes('\u0000'))
      throw invalidInput(`The ${path} contains a NUL character`, [{ field: path, message: 'contains \\u0000' }]);
  } else if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) check(v, `${path}[${i}]`, depth + 1);
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) check(v, path === 'body' ? k : `${path}.${k}`, depth + 1);
  }
}

/** preValidation hook for every route: what no schema of any API accepts, in that API's error format. */
export async function guardInput(req: FastifyRequest): Promise<void> {
  check(req.params, 'path', 0);
  check(req.query, 'query', 0);
  check(req.body, 'body', 0);
}
