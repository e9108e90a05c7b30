import assert from 'node:assert/strict';
import { isCoreError } from '../../src/core/errors.ts';
import type { TenantConfiguration } from '../../src/core/catalog/catalog.types.ts';
import type { NotificationTemplate } from '../../src/core/notifications/notification.types.ts';
import { admin, type TestApp } from '../helpers/test-app.ts';

/** The seed's example notifications (002), with its ROOM period written as the duration it means (PT5M). */
export const SEED_NOTIFICATIONS: NotificationTemplate[] = [
  {
    channel: 'SMS',
    textBody: 'Dear {{firstName}},\n\nYour video call is scheduled for {{dd-MM-yyyy}} {{time24}} {{zone}}',
    type: 'CREATE',
  },
  {
    channel: 'EMAIL',
    htmlBody:
      '<html><body>Dear {{firstName}},<br><br>Your video call is scheduled for {{dd-MM-yyyy}} {{time24}}</body>',
    subject: 'Appointment notification',
    textBody: 'Dear {{firstName}},\n\nYour video call is scheduled for {{dd-MM-yyyy}} {{time24}} {{zone}}',
    type: 'CREATE',
  },
  {
    channel: 'SMS',
    period: 'P1D',
    textBody: 'Dear {{firstName}},\n\nThis is a reminder of your video call scheduled for {{dd-MM-yyyy}} {{time24}}',
    type: 'REMINDER',
  },
  {
    channel: 'SMS',
    period: 'PT5M',
    textBody:
      'Dear {{firstName}},\n\nYour video call starts at {{time24}}.\n\nTo join please follow the link {{roomLink}}',
    type: 'ROOM',
  },
];

/** A tenant with one site, one video-call service and one agent: what an application books. */
export const videoTenant = (id: string): TenantConfiguration => ({
  tenant: { id, name: `Video ${id}` },
  sites: [{ id: 'remote', name: 'Remote desk', timeZone: 'Europe/Madrid' }],
  services: [{ id: 'video-call', name: 'Video call', durationMin: 30, slotPolicy: { kind: 'grid', stepMin: 15 } }],
  resources: [
    {
      id: 'agent-1',
      kind: 'agent',
      name: 'Agent One',
      serviceIds: ['video-call'],
      siteIds: ['remote'],
      workingHours: { weekly: { mon: [{ start: '08:00', end: '18:00' }] } },
    },
  ],
});

export async function createVideoTenants(t: TestApp, ...ids: string[]): Promise<void> {
  for (const id of ids) await t.core.catalog.applyConfiguration(admin, videoTenant(id));
}

export const appInput = (over: Record<string, unknown> = {}) => ({
  name: 'Product video calls',
  serviceId: 'video-call',
  siteId: 'remote',
  videoBaseUrl: 'https://video.example.com/q/',
  ...over,
});

/** The core error a promise is refused with: its code, reason, the fields it names and its message. */
export async function refusal(p: Promise<unknown>) {
  try {
    await p;
  } catch (e) {
    if (!isCoreError(e)) throw e;
    return { code: e.code, reason: e.reason, fields: e.issues.map((i) => i.field), message: e.message };
  }
  assert.fail('expected a refusal');
}
