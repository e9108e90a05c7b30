/**
 * Accept-Language as this API's clients send it: the seed's spellings (`en_US`, `en_UK`, `fr_FR`,
 * `nl_NL`, `de_DE`, `it_IT`, `ES_es`), in any case, or standard tags and lists (`es-ES`,
 * `fr-CH, fr;q=0.9, en;q=0.8`). A service's name comes from its localized names (keys are BCP 47
 * tags such as `es` or `fr-BE`): the first preference with a name wins, by exact tag, then by
 * language alone; without one, the service's default name.
 */
import type { Service } from '../../core/types.ts';

const TAG = /^[a-z]{2,3}(?:-[a-z0-9]{2,8})*$/i;
/** A list header is bounded: at most this many preferences are read. */
const MAX_PREFERENCES = 10;
/** `en_UK` in the seed is the United Kingdom, whose ISO region is GB. */
const REGION_ALIASES: Record<string, string> = { UK: 'GB' };

/** `ES_es` → `es-ES`, `en_UK` → `en-GB`: language in lower case, a two-letter region in upper case. */
function canonicalTag(tag: string): string {
  const [language, ...rest] = tag.replace(/_/g, '-').split('-');
  const subtags = rest.map((s) => (s.length === 2 ? (REGION_ALIASES[s.toUpperCase()] ?? s.toUpperCase()) : s));
  return [language.toLowerCase(), ...subtags].join('-');
}

/**
 * The caller's languages, most preferred first, canonical; `*` stands for any (the default name).
 * Null when the header names no language at all (absent, empty, or nothing that is a tag).
 */
export function parseAcceptLanguage(header: string | undefined): string[] | null {
  if (!header) return null;
  const entries = header
    .split(',')
    .slice(0, MAX_PREFERENCES)
    .map((part, i) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([01](?:\.\d{0,3})?)\s*$/i.exec(p)?.[1]).find(Boolean);
      return { tag: tag.trim(), q: q === undefined ? 1 : Number(q), i };
    })
    .filter((e) => e.q > 0 && (e.tag === '*' || TAG.test(e.tag.replace(/_/g, '-'))));
  if (entries.length === 0) return null;
  entries.sort((a, b) => b.q - a.q || a.i - b.i);
  return entries.map((e) => (e.tag === '*' ? '*' : canonicalTag(e.tag)));
}

/** The service's name in the first of `languages` it has a name in, else its default name. */
export function localizedName(service: Pick<Service, 'name' | 'names'>, languages: readonly string[]): string {
  const byTag = new Map(Object.entries(service.names).map(([tag, name]) => [canonicalTag(tag), name]));
  for (const language of languages) {
    if (language === '*') break;
    const exact = byTag.get(language);
    if (exact) return exact;
    const base = byTag.get(language.split('-')[0]);
    if (base) return base;
  }
  return service.name;
}
