/**
 * The video-call API as a fuzz target on a started server (which needs JWT_SECRET and an SMTP_URL
 * pointing at `mailbox`'s sink): the demo contact centre loaded over the admin API, two calls booked
 * the way a customer books them (a one-time code read from the real SMTP conversation, then Basic
 * credentials), and a token of every role plus the tenant's API key.
 */
import { SignJWT } from 'jose';
import { DateTime } from 'luxon';
import { call, loadDemoTenant, type ApiFuzzTarget } from './fuzz-target.ts';
import type { OpenApiDoc, Rng } from './openapi-fuzzer.ts';

const TENANT = 'contact-center';
/** The demo application (config/demo-tenants.yaml), the seed's example id. */
const APPLICATION = 'bf8215e5-a39e-490a-a0e2-07df6a3d8c1f';
const ROLES = ['AGENT', 'SUPERVISOR', 'CLIENT_SERVICE', 'ADMIN'];

/** What the fuzz run reads of the SMTP sink: who each message went to, and its text. */
export type Mailbox = () => Array<{ envelopeTo: string[]; mail: { text?: string } }>;

function codeSentTo(mailbox: Mailbox, email: string): string {
  const mail = mailbox()
    .filter((m) => m.envelopeTo.includes(email))
    .at(-1);
  const code = /\b(\d{6})\b/.exec(mail?.mail.text ?? '')?.[1];
  if (!code) throw new Error(`no one-time code reached ${email}`);
  return code;
}

export async function prepareVideoCallFuzz(
  baseUrl: string,
  adminToken: string,
  o: { jwtSecret: string; mailbox: Mailbox },
): Promise<ApiFuzzTarget> {
  const { apiKey } = await loadDemoTenant(baseUrl, adminToken, TENANT);

  // Starts inside agent-1's mornings in Madrid, 2 to 20 days ahead (the real clock: the server's).
  const starts = Array.from({ length: 19 }, (_, i) =>
    DateTime.now()
      .setZone('Europe/Madrid')
      .plus({ days: 2 + i })
      .startOf('day'),
  )
    .filter((d) => d.weekday <= 5)
    .flatMap((d) => [10, 11].map((h) => d.set({ hour: h }).toUTC().toISO() as string));
  const calls: string[] = [];
  for (const [i, start] of starts.slice(0, 2).entries()) {
    const email = `fuzz-${i}@example.com`;
    const otp = await call(baseUrl, 'POST', '/api/appointments/basic/otp', '', { applicationId: APPLICATION, email });
    if (otp.status !== 204) throw new Error(`one-time code: ${otp.status} ${otp.text}`);
    const basic = Buffer.from(`${email}:${codeSentTo(o.mailbox, email)}`).toString('base64');
    const body = {
      applicationId: APPLICATION,
      start,
      customer: { name: { firstName: 'Fuzz', lastName: `Caller ${i}` } },
    };
    const booked = await call(baseUrl, 'POST', '/api/appointments/basic', '', body, {
      authorization: `Basic ${basic}`,
    });
    if (booked.status !== 200) throw new Error(`booking: ${booked.status} ${booked.text}`);
    calls.push(booked.body.id);
  }

  const key = new TextEncoder().encode(o.jwtSecret);
  const now = Math.floor(Date.now() / 1000);
  const sign = (roles: string[], claims: Record<string, unknown> = {}) =>
    new SignJWT({ tenant: TENANT, sub: 'agent-1', roles, iat: now, exp: now + 3 * 3600, ...claims })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(key);
  const tokens = [
    ...(await Promise.all(ROLES.map((r) => sign([`ROLE_${r}`])))),
    await sign(['CUSTOMER'], { conferenceId: calls[0] }),
    apiKey,
  ];
  const doc = (await call(baseUrl, 'GET', '/openapi/video-call.json', adminToken)).body as OpenApiDoc;
  // Its 302 leads to Google, which the fuzzer's fetch would follow off this machine.
  delete (doc.paths as Record<string, unknown>)['/api/cal/events/google/{id}/event'];

  const adapt = (body: unknown, rng: Rng): unknown => {
    if (Array.isArray(body)) return body.map((b) => adapt(b, rng));
    if (!body || typeof body !== 'object') return body;
    const out: Record<string, unknown> = Object.fromEntries(Object.entries(body).map(([k, v]) => [k, adapt(v, rng)]));
    if ('applicationId' in out) out.applicationId = APPLICATION;
    if ('start' in out && typeof out.start === 'string') out.start = rng.pick(starts);
    if ('id' in out && typeof out.id === 'string') out.id = rng.pick([...calls, 'missing']);
    return out;
  };
  return {
    doc,
    ctx: { adapt: adapt as ApiFuzzTarget['ctx']['adapt'], pathValues: { id: [...calls, 'missing'], pid: ['missing'] } },
    headers: (rng): Record<string, string> => {
      const r = rng.next();
      if (r < 0.85) return { authorization: `Bearer ${rng.pick(tokens)}` };
      if (r < 0.9) return {};
      return { authorization: rng.pick(['Bearer ', 'Basic Zm9vOjEyMzQ1Ng==', 'Basic !!!', 'Bearer a.b.c']) };
    },
  };
}
