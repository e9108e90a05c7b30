import { invalidInput } from '../errors.ts';
import { toE164 } from '../notifications/phone-number.ts';
import { EMAIL_FORMAT } from '../notifications/template.validation.ts';
import { CUSTOMER_CODE_LIMITS } from './customer-code.types.ts';

export interface Recipient {
  channel: 'EMAIL' | 'SMS';
  /** Lower-cased address, or the number in E.164: what the code is sent to and keyed by. */
  address: string;
}

/**
 * One spelling per recipient, so that a code asked for as "+49 171 1234567" is verified as "+491711234567" and the
 * rate limit counts both as one. A number without its country prefix is read in the tenant's default phone country
 * (settings.defaultPhoneCountry); without one, the prefix is required.
 */
export function normalizeRecipient(raw: string, field: string, country: string | null): Recipient {
  const value = raw.trim();
  if (value.length === 0 || value.length > CUSTOMER_CODE_LIMITS.recipientChars)
    throw invalidInput(`${field} is required`, [{ field, message: 'is required' }]);
  if (value.includes('@')) {
    const address = value.toLowerCase();
    if (!EMAIL_FORMAT.test(address))
      throw invalidInput(`${field} must be an e-mail address`, [{ field, message: 'not an e-mail address' }]);
    return { channel: 'EMAIL', address };
  }
  const e164 = toE164(value, country);
  if (!e164)
    throw invalidInput(`${field} must be a valid phone number${country ? '' : ' with its country prefix (+34…)'}`, [
      { field, message: 'not a valid phone number' },
    ]);
  return { channel: 'SMS', address: e164 };
}
