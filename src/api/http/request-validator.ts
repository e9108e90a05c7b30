/**
 * The one request validator of every API: TypeBox's compiler over the formats and kinds of
 * schema-types.ts. It only finds the problems; each API words them in its own error renderer
 * (a SchemaViolation carries TypeBox's errors, not sentences).
 *
 * Bodies are checked as sent, with no type coercion (a boolean is not the string "true", null is
 * not ""): APIs whose documents send numbers for strings declare both. The query string and path
 * parameters arrive as text, so they are converted to the declared types first ("50" -> 50) and
 * the declared defaults filled in.
 */
import type { TSchema } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import type { ValueError } from '@sinclair/typebox/errors';
import { Value } from '@sinclair/typebox/value';
import type { FastifySchemaCompiler } from 'fastify';
import type { FieldIssue } from '../../core/errors.ts';

/** At most this many problems are reported for one request part. */
const MAX_ERRORS = 20;

/** A request part that does not match its schema: the first problem of each field, in schema order. */
export class SchemaViolation extends Error {
  readonly statusCode = 400;
  constructor(
    /** body, querystring, params or headers */
    readonly part: string,
    /** the value as received (null when a body was expected and none was sent) */
    readonly value: unknown,
    readonly errors: ValueError[],
  ) {
    super(`The request ${part} does not match its schema`);
    this.name = 'SchemaViolation';
  }
}

/** '/note/0/text' -> 'note[0].text' */
export function fieldName(path: string): string {
  return path
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, part) => (/^\d+$/.test(part) ? `${acc}[${part}]` : acc ? `${acc}.${part}` : part), '');
}

/** One issue per field, named as a dotted path ('body' for the whole part), in an API's own words. */
export function validationIssues(violation: SchemaViolation, describe: (e: ValueError) => string): FieldIssue[] {
  return violation.errors.map((e) => ({ field: fieldName(e.path) || violation.part, message: describe(e) }));
}

function firstErrorPerField(errors: Iterable<ValueError>): ValueError[] {
  const seen = new Set<string>();
  const found: ValueError[] = [];
  for (const e of errors) {
    if (seen.has(e.path)) continue;
    seen.add(e.path);
    found.push(e);
    if (found.length >= MAX_ERRORS) break;
  }
  return found;
}

/** Fastify validator compiler for the whole application (set once in app.ts; every API inherits it). */
export const validatorCompiler: FastifySchemaCompiler<TSchema> = ({ schema, httpPart }) => {
  const check = TypeCompiler.Compile(schema);
  const fromText = httpPart === 'querystring' || httpPart === 'params' || httpPart === 'headers';
  return (input: unknown) => {
    const value = fromText ? Value.Default(schema, Value.Convert(schema, input)) : input;
    if (check.Check(value)) return { value };
    return { error: new SchemaViolation(httpPart ?? 'body', value, firstErrorPerField(check.Errors(value))) };
  };
};
