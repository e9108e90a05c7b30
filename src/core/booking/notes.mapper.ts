import type { Note } from '../types.ts';
import type { NoteInput } from './booking.types.ts';

/** Notes as stored: a note without a date is dated now. */
export const toNotes = (notes: NoteInput[] | undefined, now: Date): Note[] =>
  (notes ?? []).map((n) => ({ author: n.author ?? null, date: n.date ?? now, text: n.text }));
