import { Webhook } from 'standardwebhooks';

/**
 * Standard Webhooks headers for one message: webhook-id, webhook-timestamp and webhook-signature
 * (`v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">`), one signature per secret, separated by
 * spaces, so a receiver holding either secret of a rotation verifies it.
 */
export function signatureHeaders(msgId: string, at: Date, body: string, secrets: string[]): Record<string, string> {
  const seconds = Math.floor(at.getTime() / 1000);
  const signatures = secrets.map((s) => new Webhook(s).sign(msgId, new Date(seconds * 1000), body));
  return { 'webhook-id': msgId, 'webhook-timestamp': String(seconds), 'webhook-signature': signatures.join(' ') };
}
