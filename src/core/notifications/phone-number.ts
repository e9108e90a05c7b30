import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

/** A phone number in E.164, or null when it is not a valid number (a number without prefix is read in `country`). */
export function toE164(phone: string, country: string | null): string | null {
  const c = country && /^[A-Z]{2}$/i.test(country) ? (country.toUpperCase() as CountryCode) : undefined;
  const n = parsePhoneNumberFromString(phone, c);
  return n?.isValid() ? n.number : null;
}
