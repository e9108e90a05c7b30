import nodemailer from 'nodemailer';

export interface EmailMessage {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string | null;
  /** An iCalendar document with its METHOD (sent as text/calendar, as mail clients expect an invitation). */
  invite: { method: 'REQUEST' | 'CANCEL'; content: string } | null;
}

export interface EmailChannel {
  send(m: EmailMessage): Promise<void>;
  close(): void;
}

/**
 * E-mail over SMTP (SMTP_URL, e.g. smtp://user:pass@host:587) with nodemailer: multipart text + HTML, plus the
 * invitation.
 */
export function createEmailChannel(smtpUrl: string): EmailChannel {
  const transport = nodemailer.createTransport(smtpUrl);
  return {
    async send(m) {
      await transport.sendMail({
        from: m.from,
        to: m.to,
        subject: m.subject,
        text: m.text,
        ...(m.html !== null ? { html: m.html } : {}),
        ...(m.invite
          ? { icalEvent: { method: m.invite.method, filename: 'invite.ics', content: m.invite.content } }
          : {}),
      });
    },
    close: () => transport.close(),
  };
}
