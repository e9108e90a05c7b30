/**
 * Request validation for this facade: TypeBox's compiler, with no type coercion (a boolean is not
 * the string "true", null is not ""), and messages in the operator's words:
 * `The [category] attribute is required.` Fields that the documents send as numbers declare it
 * (common.schema.ts) instead of relying on coercion.
 */
import type { TSchema } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import { ValueErrorType, type ValueError } from '@sinclair/typebox/errors';
import type { FastifySchemaCompiler } from 'fastify';
import { invalidInput, type FieldIssue } from '../../core/errors.ts';

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-](\d{2}):(\d{2}))$/i;
const YMD = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The instant of these fields read back gives the same fields: no 31 November, no hour 24, no minute 60. */
function roundTrips(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): boolean {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day); // not Date.UTC: it reads the years 0..99 as 1900..1999
  d.setUTCHours(hour, minute, second, 0);
  return (
    d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day &&
    d.getUTCHours() === hour && d.getUTCMinutes() === minute && d.getUTCSeconds() === second
  );
}

/** RFC 3339 date-time that names a real instant (Date.parse alone rolls 2026-11-31 over to 2026-12-01). */
export function isDateTime(value: string): boolean {
  const m = RFC3339.exec(value);
  if (!m) return false;
  const [, y, mo, d, h, mi, s, oh, om] = m;
  if (!roundTrips(Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(s ?? '0'))) return false;
  if (oh !== undefined && (Number(oh) > 23 || Number(om) > 59)) return false;
  return !Number.isNaN(Date.parse(value));
}

/** yyyy-MM-dd naming a real day. */
export function isLocalDate(value: string): boolean {
  const m = YMD.exec(value);
  return m !== null && roundTrips(Number(m[1]), Number(m[2]), Number(m[3]));
}

/** '/note/0/text' -> 'note[0].text' */
export function fieldName(path: string): string {
  return path
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, part) => (/^\d+$/.test(part) ? `${acc}[${part}]` : acc ? `${acc}.${part}` : part), '');
}

const TYPE_WORDS: Partial<Record<ValueErrorType, string>> = {
  [ValueErrorType.String]: 'a string',
  [ValueErrorType.Number]: 'a number',
  [ValueErrorType.Integer]: 'an integer',
  [ValueErrorType.Boolean]: 'a boolean (true or false)',
  [ValueErrorType.Object]: 'an object',
  [ValueErrorType.Array]: 'an array',
};

const FORMAT_WORDS: Record<string, string> = {
  'date-time': 'a date-time (RFC 3339, e.g. 2030-08-18T13:00:00Z)',
  date: 'a date in the format yyyy-MM-dd',
};

function flatten(errors: ValueError['errors']): ValueError[] {
  return errors.flatMap((it) => [...it]);
}

/** One sentence for one TypeBox error, naming the field as the operator's documents do. */
export function describeError(e: ValueError): string {
  const field = fieldName(e.path);
  if (!field) return e.type === ValueErrorType.Object ? 'The request body must be a JSON object.' : `The request body is invalid: ${e.message}.`;
  const the = `The [${field}] attribute`;
  switch (e.type) {
    case ValueErrorType.ObjectRequiredProperty:
      return `${the} is required.`;
    case ValueErrorType.StringPattern:
      return `${the} must match the pattern ${String(e.schema.pattern)}.`;
    case ValueErrorType.StringFormat:
      return `${the} must be ${FORMAT_WORDS[String(e.schema.format)] ?? `in the format ${String(e.schema.format)}`}.`;
    case ValueErrorType.StringMinLength:
      return e.schema.minLength === 1 ? `${the} must not be empty.` : `${the} must have at least ${String(e.schema.minLength)} characters.`;
    case ValueErrorType.StringMaxLength:
      return `${the} must have at most ${String(e.schema.maxLength)} characters.`;
    case ValueErrorType.IntegerMinimum:
    case ValueErrorType.NumberMinimum:
      return `${the} must be at least ${String(e.schema.minimum)}.`;
    case ValueErrorType.Literal:
      return `${the} must be ${JSON.stringify(e.schema.const)}.`;
    case ValueErrorType.Kind:
      if (Array.isArray(e.schema.enum)) return `${the} must be one of [${e.schema.enum.join(', ')}].`;
      // The facade's own date kinds (common.schema.ts): a string in the wrong format, or not a string at all.
      if (typeof e.schema.format === 'string')
        return typeof e.value === 'string' ? `${the} must be ${FORMAT_WORDS[e.schema.format] ?? `in the format ${e.schema.format}`}.` : `${the} must be a string.`;
      return `${the} is invalid.`;
    case ValueErrorType.Union: {
      const variants: TSchema[] = e.schema.anyOf ?? [];
      if (variants.length > 0 && variants.every((v) => v.const !== undefined))
        return `${the} must be one of [${variants.map((v) => String(v.const)).join(', ')}].`;
      // A string-or-number field: a string that breaks the pattern says so; otherwise name the types.
      const nested = flatten(e.errors); // iterators: read once
      const inner = nested.find((x) => x.type !== ValueErrorType.Union && !(x.type in TYPE_WORDS));
      if (inner) return describeError(inner);
      const words = nested.map((x) => TYPE_WORDS[x.type]).filter(Boolean);
      return `${the} must be ${[...new Set(words)].join(' or ') || 'valid'}.`;
    }
    default:
      return TYPE_WORDS[e.type] ? `${the} must be ${TYPE_WORDS[e.type]}.` : `${the} is invalid: ${e.message}.`;
  }
}

/** Every problem, one per field (the first TypeBox reports for it), in schema order. */
export function validationIssues(check: TypeCheck<TSchema>, value: unknown, limit = 20): FieldIssue[] {
  const seen = new Set<string>();
  const issues: FieldIssue[] = [];
  for (const e of check.Errors(value)) {
    if (seen.has(e.path)) continue;
    seen.add(e.path);
    issues.push({ field: fieldName(e.path) || 'body', message: describeError(e) });
    if (issues.length >= limit) break;
  }
  return issues;
}

/** Fastify validator compiler for this facade's scope. Failures are core INVALID_INPUT errors, rendered by the facade's error handler. */
export const validatorCompiler: FastifySchemaCompiler<TSchema> = ({ schema, httpPart }) => {
  const check = TypeCompiler.Compile(schema);
  return (value: unknown) => {
    if (check.Check(value)) return { value };
    if (httpPart === 'body' && (value === undefined || value === null)) {
      return { error: invalidInput('The request body is required.', [{ field: 'body', message: 'The request body is required.' }]) };
    }
    const issues = validationIssues(check, value);
    return { error: invalidInput(issues[0]?.message ?? 'The request is invalid.', issues) };
  };
};
