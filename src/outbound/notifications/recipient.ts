/** What operators see of a recipient: j***@example.com, +34*******78. */
export function maskRecipient(r: string): string {
  const at = r.indexOf('@');
  if (at > 0) return `${r[0]}***${r.slice(at)}`;
  return r.length <= 5 ? '*'.repeat(r.length) : `${r.slice(0, 3)}${'*'.repeat(r.length - 5)}${r.slice(-2)}`;
}

/** An error's text without e-mail addresses or long digit runs (SMTP replies may quote the recipient). */
export const withoutPersonalData = (text: string) =>
  text.replace(/[^\s<>"']+@[^\s<>"']+/g, '<address>').replace(/\+?\d[\d ]{6,}\d/g, '<number>');
