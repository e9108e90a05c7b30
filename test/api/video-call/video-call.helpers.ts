/**
 * Test wiring for the video-call API: the real app on a fresh database, a contact-centre tenant
 * built through the core (a Berlin desk, a 5-minute video-call service on a 5-minute grid, agents
 * working 08:00–22:00 every day, one application), JWTs of every role, calls booked through the
 * facade's own mapping, and the document's examples (dates moved from 2022 to 2030) as fixtures.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { SignJWT, type JWTPayload } from 'jose';
import type { NotificationConfig } from '../../../src/config.ts';
import type { Appointment } from '../../../src/core/types.ts';
import type { VideoApplication } from '../../../src/core/applications/application.types.ts';
import { customerBookingInput, customerWithContact } from '../../../src/api/video-call/customer-booking.ts';
import type { ScheduleAppointmentRequest } from '../../../src/api/video-call/video-call.schemas.ts';
import { admin, createTestApp, JWT_SECRET, type TestApp } from '../../helpers/test-app.ts';
import { weekdays } from '../../helpers/scenario.ts';
import { SEED_NOTIFICATIONS } from '../../applications/application-helpers.ts';

/** The day before the document's call (2030-01-31T19:00Z, a Thursday), in the morning. */
export const NOW = '2030-01-30T08:00:00Z';
export const START = '2030-01-31T19:00:00.000Z';
export const AGENTS = ['36c1r718-9ab5-48c9-aeab-fas5f37b0ec4', 'agent-2'];

export type Json = Record<string, any>;

/** Notifications through a real SMTP server and/or SMS gateway on loopback. */
export const channels = (o: { smtpUrl?: string; smsUrl?: string }): NotificationConfig => ({
  smtpUrl: o.smtpUrl ?? null,
  smtpFrom: 'no-reply@contact-center.test',
  smsGatewayUrl: o.smsUrl ?? null,
  smsGatewayToken: null,
  smsFrom: o.smsUrl ? 'CONTACT' : null,
  retryScheduleMs: [1000],
  publicBaseUrl: null,
});

export const fixture = (name: string): Json =>
  JSON.parse(readFileSync(new URL(`../../../src/api/video-call/examples/${name}.json`, import.meta.url), 'utf8'));

const key = new TextEncoder().encode(JWT_SECRET);

export interface VideoCallTest extends TestApp {
  tenantId: string;
  application: VideoApplication;
  /** A JWT of the tenant with these roles (sub: the first agent unless given). */
  token(roles: string[] | string, claims?: JWTPayload): Promise<string>;
  call(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    url: string,
    o?: { token?: string | null; body?: unknown; headers?: Record<string, string> },
  ): Promise<{ status: number; body: any; headers: Record<string, unknown> }>;
  /** A call booked as a customer would book it (the facade's mapping), by the core; of the test's application unless given. */
  book(
    over?: Partial<ScheduleAppointmentRequest> & { recipient?: string; application?: VideoApplication },
  ): Promise<Appointment>;
}

export async function createContactCenter(
  t: TestApp,
  tenantId = 'contact-center',
  o: { agents?: string[] } = {},
): Promise<VideoApplication> {
  await t.core.catalog.createTenant(admin, { id: tenantId, name: `Contact centre ${tenantId}` });
  await t.core.catalog.createSite(admin, tenantId, { id: 'desk', name: 'Berlin desk', timeZone: 'Europe/Berlin' });
  await t.core.catalog.createService(admin, tenantId, {
    id: 'video-call',
    name: 'Video call',
    durationMin: 5,
    rules: { minNoticeMin: 60, horizonDays: 60 },
    slotPolicy: { kind: 'grid', stepMin: 5 },
  });
  for (const [i, id] of (o.agents ?? AGENTS).entries())
    await t.core.catalog.createResource(admin, tenantId, {
      id,
      kind: 'agent',
      name: `Agent ${i + 1}`,
      serviceIds: ['video-call'],
      siteIds: ['desk'],
      workingHours: weekdays('08:00', '22:00'),
    });
  return t.core.applications.create(admin, tenantId, {
    name: 'Product video calls',
    serviceId: 'video-call',
    siteId: 'desk',
    videoBaseUrl: 'https://video.example.com/q/',
    locale: 'en_US',
    timezone: 'Europe/Berlin',
    notificationsActive: true,
    notifications: SEED_NOTIFICATIONS,
  });
}

export async function createVideoCallTest(
  o: { notifications?: NotificationConfig; agents?: string[] } = {},
): Promise<VideoCallTest> {
  const t = await createTestApp({ now: NOW, ...(o.notifications ? { notifications: o.notifications } : {}) });
  const tenantId = 'contact-center';
  const application = await createContactCenter(t, tenantId, o);
  const nowS = () => Math.floor(t.now().getTime() / 1000);
  const token = (roles: string[] | string, claims: JWTPayload = {}) =>
    new SignJWT({ tenant: tenantId, sub: AGENTS[0], roles, iat: nowS(), exp: nowS() + 3600, ...claims })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(key);
  return {
    ...t,
    tenantId,
    application,
    token,
    async call(method, url, c = {}) {
      const headers: Record<string, string> = { ...c.headers };
      if (c.token) headers.authorization = `Bearer ${c.token}`;
      const res = await t.app.inject({
        method,
        url,
        headers,
        ...(c.body !== undefined ? { payload: c.body as object } : {}),
      });
      const json = (res.headers['content-type'] ?? '').toString().includes('json');
      return { status: res.statusCode, body: json ? res.json() : res.body, headers: res.headers };
    },
    async book(over = {}) {
      const { application: of = application, ...rest } = over;
      const body = { ...fixture('schedule.request'), applicationId: of.id, ...rest } as Json;
      const customer = customerWithContact(body.customer, rest.recipient ?? 'user@provider.net');
      const { input } = customerBookingInput(body as ScheduleAppointmentRequest, of, customer);
      return (await t.core.booking.createAppointment(admin, tenantId, input)).appointment;
    },
  };
}

/** Spring Boot's default error body, with this status and path. */
export function assertSpringError(r: { status: number; body: any }, status: number, path: string): void {
  assert.equal(r.status, status, JSON.stringify(r.body));
  assert.deepEqual(Object.keys(r.body).sort(), ['error', 'message', 'path', 'status', 'timestamp']);
  assert.equal(r.body.status, status);
  assert.equal(r.body.path, path);
  assert.ok(!Number.isNaN(Date.parse(r.body.timestamp)));
  assert.equal(typeof r.body.message, 'string');
}

/** Same keys at every level, and the same types, as the documented body (values aside). */
export function assertSameShape(actual: unknown, documented: unknown, path = '$'): void {
  if (Array.isArray(documented)) {
    assert.ok(Array.isArray(actual), `${path} is an array`);
    if (documented.length && (actual as unknown[]).length)
      assertSameShape((actual as unknown[])[0], documented[0], `${path}[0]`);
    return;
  }
  if (documented && typeof documented === 'object') {
    assert.ok(actual && typeof actual === 'object', `${path} is an object`);
    for (const k of Object.keys(documented)) {
      if (path.endsWith('metadata') || path.endsWith('customFields') || path.endsWith('properties')) continue;
      assert.ok(k in (actual as object), `${path}.${k} is present`);
      assertSameShape((actual as Json)[k], (documented as Json)[k], `${path}.${k}`);
    }
    return;
  }
  assert.equal(typeof actual, typeof documented, `${path} has the documented type`);
}
