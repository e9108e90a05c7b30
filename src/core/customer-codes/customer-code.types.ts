/**
 * One-time codes that let a customer act without an account (issue 11: the video-call API's "BASIC using OTP
 * verification"): 6 digits sent by e-mail or SMS, kept as a keyed hash, single use, valid for 10 minutes, voided by
 * 5 wrong tries, and rate-limited per recipient. Documented in docs/video-call.md and docs/limits.md.
 */
export const CUSTOMER_CODE_LIMITS = {
  ttlMinutes: 10,
  wrongTries: 5,
  /** Codes one recipient (an address or a number) may be sent per hour. */
  perRecipientPerHour: 5,
  /** Codes one tenant may send per hour, all recipients together: a bound on mail, SMS and rows. */
  perTenantPerHour: 1000,
  /** The longest e-mail address or phone number accepted. */
  recipientChars: 254,
} as const;

export interface CodeRequest {
  /** The application's tenant; null when the request carries no credentials and the application names the tenant. */
  tenantId: string | null;
  applicationId: string;
  email?: string | null;
  phone?: string | null;
  now: Date;
}

export interface CodeVerification {
  tenantId: string;
  /** The e-mail address or phone number the code was sent to, as the customer types it. */
  recipient: string;
  code: string;
  now: Date;
}

/** Where the code went: the channel and when it stops working. */
export interface CodeSent {
  channel: 'EMAIL' | 'SMS';
  expiresAt: Date;
}
