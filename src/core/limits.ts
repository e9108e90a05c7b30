/**
 * Bounds on what a client can make us store per appointment, and on the history pages we read
 * back. Every API facade reaches these through the core, so one appointment never grows past
 * them whichever API writes it. Documented in docs/limits.md.
 */
import { invalidInput } from './errors.ts';

/** An appointment's `attributes` (the vendor fields a facade keeps verbatim), serialized as JSON. */
export const MAX_ATTRIBUTES_BYTES = 64 * 1024;
/** Keys of any one object inside `attributes` (nesting depth is bounded before schemas run). */
export const MAX_ATTRIBUTE_KEYS = 200;
/** Notes one appointment keeps. */
export const MAX_NOTES = 100;
/** Characters of one note. */
export const MAX_NOTE_LENGTH = 4000;
/** History pages: this many events unless asked, at most MAX_HISTORY_PAGE. */
export const DEFAULT_HISTORY_PAGE = 50;
export const MAX_HISTORY_PAGE = 100;

/** The first object (depth first) inside `value` with more than MAX_ATTRIBUTE_KEYS keys: its path, or null. */
function overfullObject(value: unknown, path: string): string | null {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = overfullObject(value[i], `${path}[${i}]`);
      if (found) return found;
    }
    return null;
  }
  if (!value || typeof value !== 'object') return null;
  const keys = Object.keys(value);
  if (keys.length > MAX_ATTRIBUTE_KEYS) return path;
  for (const k of keys) {
    const found = overfullObject((value as Record<string, unknown>)[k], `${path}.${k}`);
    if (found) return found;
  }
  return null;
}

/** Refuses (400) attributes past the limits above: nothing is written. */
export function assertAttributesFit(attributes: Record<string, unknown>): void {
  const overfull = overfullObject(attributes, 'attributes');
  if (overfull)
    throw invalidInput(`An appointment keeps at most ${MAX_ATTRIBUTE_KEYS} fields per object; ${overfull} has more`, [
      { field: overfull, message: `more than ${MAX_ATTRIBUTE_KEYS} keys` },
    ]);
  const bytes = Buffer.byteLength(JSON.stringify(attributes));
  if (bytes > MAX_ATTRIBUTES_BYTES)
    throw invalidInput(
      `An appointment keeps at most ${MAX_ATTRIBUTES_BYTES} bytes of extra fields (JSON); this one would have ${bytes}`,
      [{ field: 'attributes', message: 'too large' }],
    );
}

/** Refuses (400) more than MAX_NOTES notes, or a note longer than MAX_NOTE_LENGTH characters. */
export function assertNotesFit(notes: ReadonlyArray<{ text: string }>): void {
  if (notes.length > MAX_NOTES)
    throw invalidInput(`An appointment keeps at most ${MAX_NOTES} notes`, [
      { field: 'note', message: 'too many notes' },
    ]);
  if (notes.some((n) => n.text.length > MAX_NOTE_LENGTH))
    throw invalidInput(`A note has at most ${MAX_NOTE_LENGTH} characters`, [
      { field: 'note.text', message: 'too long' },
    ]);
}

/** What one appointment may hold: checked when it is created and when a change adds notes or fields. */
export function assertStorable(a: {
  attributes: Record<string, unknown>;
  notes: ReadonlyArray<{ text: string }>;
}): void {
  assertAttributesFit(a.attributes);
  assertNotesFit(a.notes);
}
