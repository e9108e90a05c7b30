/**
 * The TypeBox type system every API validates with: the string formats and the one custom kind.
 * TypeBox keeps them in process-wide registries, so they are set in one place, by
 * registerSchemaTypes() at startup (buildApp), never as a side effect of importing a schema file.
 */
import { fullFormats } from 'ajv-formats/dist/formats.js';
import { FormatRegistry, Kind, Type, TypeRegistry, type TUnsafe } from '@sinclair/typebox';

// ajv-formats types each definition for strings or numbers alike; these two check strings.
type StringFormat = { validate: (value: string) => boolean };
const rfc3339 = (fullFormats['date-time'] as StringFormat).validate;
const fullDate = (fullFormats.date as StringFormat).validate;

/**
 * RFC 3339 as ajv-formats checks it (real calendar days, hours 0-23, offsets in range, an offset
 * required), and an instant JavaScript can hold: the core turns it into a Date.
 */
function isDateTime(value: string): boolean {
  return rfc3339(value) && !Number.isNaN(Date.parse(value));
}

/** yyyy-MM-dd naming a real day (no 31 November, no 29 February of a common year). */
const isDate = (value: string) => fullDate(value);

const STRING_ENUM = 'StringEnum';

/**
 * One of a closed set of strings, written `{ type: string, enum }` in the OpenAPI documents (TypeBox's own would be
 * anyOf consts).
 */
export const StringEnum = <T extends string>(values: readonly T[], description?: string): TUnsafe<T> =>
  Type.Unsafe<T>({ [Kind]: STRING_ENUM, type: 'string', enum: [...values], ...(description ? { description } : {}) });

/**
 * Sets the formats and kinds above in TypeBox's registries; idempotent. Call before any schema is checked or compiled.
 */
export function registerSchemaTypes(): void {
  FormatRegistry.Set('date-time', isDateTime);
  FormatRegistry.Set('date', isDate);
  TypeRegistry.Set<{ enum: string[] }>(
    STRING_ENUM,
    (schema, value) => typeof value === 'string' && schema.enum.includes(value),
  );
}
