/**
 * The one request validator of every API: TypeBox's compiler over the formats and kinds of
 * schema-types.ts. It only finds the problems; each API words them in its own error renderer
 * (a SchemaViolation carries TypeBox's errors, not sentences).
 *
 * Bodies are checked as sent, with no type coercion (a boolean is not the string "true", null is
 * not ""): APIs whose documents send numbers for strings declare both. The query string and path
 * parameters arrive as text, so they are converted to the declared types first, strictly: plain
 * decimals only ("50" -> 50; "5.5", "1e400", "Infinity", "0x10", " 5" stay text and fail the
 * check), "true" / "false"; then the declared defaults are filled in.
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

const INTEGER_TEXT = /^-?(0|[1-9][0-9]{0,15})$/;
const NUMBER_TEXT = /^-?(0|[1-9][0-9]{0,15})(\.[0-9]{1,15})?$/;

/** The JSON types a schema admits at its top (a union admits each of its members'). */
function typesOf(schema: TSchema): Set<string> {
  if (Array.isArray(schema.anyOf)) return new Set((schema.anyOf as TSchema[]).flatMap((s) => [...typesOf(s)]));
  return new Set(typeof schema.type === 'string' ? [schema.type] : Array.isArray(schema.type) ? schema.type : []);
}

/** One text value as the declared type, when it is exactly that type written plainly; otherwise as sent. */
function fromTextStrictly(schema: TSchema, text: unknown): unknown {
  if (typeof text !== 'string') return text;
  const types = typesOf(schema);
  if (types.has('string')) return text;
  if (types.has('integer') && INTEGER_TEXT.test(text)) return Number(text);
  if (types.has('number') && NUMBER_TEXT.test(text)) return Number(text);
  if (types.has('boolean') && (text === 'true' || text === 'false')) return text === 'true';
  return text;
}

/** Query strings, path parameters and headers are flat: each declared property converted on its own. */
function convertStrictly(schema: TSchema, input: unknown): unknown {
  const properties = schema.properties as Record<string, TSchema> | undefined;
  if (!properties || !input || typeof input !== 'object' || Array.isArray(input)) return input;
  const out: Record<string, unknown> = { ...(input as Record<string, unknown>) };
  for (const [name, prop] of Object.entries(properties)) if (name in out) out[name] = fromTextStrictly(prop, out[name]);
  return out;
}

/** Fastify validator compiler for the whole application (set once in app.ts; every API inherits it). */
export const validatorCompiler: FastifySchemaCompiler<TSchema> = ({ schema, httpPart }) => {
  const check = TypeCompiler.Compile(schema);
  const fromText = httpPart === 'querystring' || httpPart === 'params' || httpPart === 'headers';
  return (input: unknown) => {
    const value = fromText ? Value.Default(schema, convertStrictly(schema, input)) : input;
    if (check.Check(value)) return { value };
    return { error: new SchemaViolation(httpPart ?? 'body', value, firstErrorPerField(check.Errors(value))) };
  };
};
