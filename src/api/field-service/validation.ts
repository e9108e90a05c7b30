/**
 * Validation messages in the operator's words, `The [category] attribute is required.`, for the
 * problems the application's one validator finds (http/request-validator.ts). Fields that the
 * documents send as numbers declare it (common.schemas.ts) instead of relying on coercion.
 */
import type { TSchema } from '@sinclair/typebox';
import { ValueErrorType, type ValueError } from '@sinclair/typebox/errors';
import type { ValidationWording } from '../http/error-normalizer.ts';
import { fieldName, validationIssues } from '../http/request-validator.ts';

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
  if (!field)
    return e.type === ValueErrorType.Object
      ? 'The request body must be a JSON object.'
      : `The request body is invalid: ${e.message}.`;
  const the = `The [${field}] attribute`;
  switch (e.type) {
    case ValueErrorType.ObjectRequiredProperty:
      return `${the} is required.`;
    case ValueErrorType.StringPattern:
      return `${the} must match the pattern ${String(e.schema.pattern)}.`;
    case ValueErrorType.StringFormat:
      return `${the} must be ${FORMAT_WORDS[String(e.schema.format)] ?? `in the format ${String(e.schema.format)}`}.`;
    case ValueErrorType.StringMinLength:
      return e.schema.minLength === 1
        ? `${the} must not be empty.`
        : `${the} must have at least ${String(e.schema.minLength)} characters.`;
    case ValueErrorType.StringMaxLength:
      return `${the} must have at most ${String(e.schema.maxLength)} characters.`;
    case ValueErrorType.ArrayMaxItems:
      return `${the} must have at most ${String(e.schema.maxItems)} items.`;
    case ValueErrorType.IntegerMinimum:
    case ValueErrorType.NumberMinimum:
      return `${the} must be at least ${String(e.schema.minimum)}.`;
    case ValueErrorType.Literal:
      return `${the} must be ${JSON.stringify(e.schema.const)}.`;
    case ValueErrorType.Kind:
      if (Array.isArray(e.schema.enum)) return `${the} must be one of [${e.schema.enum.join(', ')}].`;
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

/** The operator's wording: the first problem is the message; a missing body says so. */
export const operatorWording: ValidationWording = (violation) => {
  if (violation.part === 'body' && (violation.value === undefined || violation.value === null)) {
    const message = 'The request body is required.';
    return { message, issues: [{ field: 'body', message }] };
  }
  const issues = validationIssues(violation, describeError);
  return { message: issues[0]?.message ?? 'The request is invalid.', issues };
};
