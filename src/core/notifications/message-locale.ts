/**
 * The locale a message is rendered in. Locales come from templates, customers and API requests, in the seed's spelling
 * (en_US) or as BCP 47 tags (en-US); Intl (and luxon over it) throws on a tag it cannot read, so every one is checked
 * here once, and a message is never left unrendered for its locale.
 */

/** Longer than any language tag a message needs: refused before Intl parses it. */
const MAX_TAG_CHARS = 64;

/** The canonical BCP 47 form of a locale written with '-' or '_', or null when it is not a language tag. */
export function canonicalLocale(value: string): string | null {
  if (value.length > MAX_TAG_CHARS) return null;
  try {
    return Intl.getCanonicalLocales(value.replaceAll('_', '-'))[0] ?? null;
  } catch {
    return null;
  }
}

/** The first of the candidates that is a language tag (a template's, then the customer's), else English. */
export function messageLocale(...candidates: Array<string | null | undefined>): string {
  for (const c of candidates) {
    const locale = c ? canonicalLocale(c) : null;
    if (locale) return locale;
  }
  return 'en';
}
