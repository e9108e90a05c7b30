import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Appointment, AppointmentEventType, AppointmentStatus } from '../../src/core/types.ts';
import { isPublicAddress } from '../../src/outbound/webhooks/destination-guard.ts';
import { seedEventTypeOf } from '../../src/outbound/webhooks/event-type.mapper.ts';

const appt = (status: AppointmentStatus) => ({ status }) as Appointment;
const event = (type: AppointmentEventType, before: AppointmentStatus | null, after: AppointmentStatus) => ({
  type,
  previous: before ? appt(before) : null,
  current: appt(after),
});

describe('core event → seed eventType (docs/webhooks.md)', () => {
  const table: Array<[AppointmentEventType, AppointmentStatus | null, AppointmentStatus, string]> = [
    ['appointment.created', null, 'booked', 'CREATE'],
    ['appointment.created', null, 'requested', 'CREATE_REQUEST'],
    ['appointment.rescheduled', 'booked', 'booked', 'RESCHEDULE'],
    ['appointment.rescheduled', 'requested', 'booked', 'ACCEPT'],
    ['appointment.rescheduled', 'cancelled', 'booked', 'REOPEN'],
    ['appointment.rescheduled', 'no_show', 'booked', 'REOPEN'],
    ['appointment.reassigned', 'booked', 'booked', 'REASSIGN'],
    ['appointment.status_changed', 'booked', 'cancelled', 'CANCEL'],
    ['appointment.status_changed', 'requested', 'cancelled', 'CANCEL'],
    ['appointment.status_changed', 'in_progress', 'completed', 'COMPLETE'],
    ['appointment.status_changed', 'cancelled', 'booked', 'REOPEN'],
    ['appointment.status_changed', 'requested', 'booked', 'ACCEPT'],
    ['appointment.status_changed', 'booked', 'in_progress', 'GENERIC_UPDATE'],
    ['appointment.status_changed', 'booked', 'no_show', 'GENERIC_UPDATE'],
    ['appointment.updated', 'booked', 'booked', 'GENERIC_UPDATE'],
  ];
  for (const [type, before, after, expected] of table) {
    it(`${type} ${before ?? '∅'} → ${after} is ${expected}`, () =>
      assert.equal(seedEventTypeOf(event(type, before, after)), expected));
  }
  it(
    'a reschedule to the same time with another resource (a move to another territory) is REASSIGN; another time ' +
      'is RESCHEDULE',
    () => {
      const at = (h: number, resourceId: string) =>
        ({
          status: 'booked',
          resourceId,
          start: new Date(`2030-08-18T${h}:00:00Z`),
          end: new Date(`2030-08-18T${h + 2}:00:00Z`),
        }) as Appointment;
      const moved = (before: Appointment, after: Appointment) =>
        seedEventTypeOf({ type: 'appointment.rescheduled', previous: before, current: after });
      assert.equal(moved(at(13, 'alava-1'), at(13, 'madrid-1')), 'REASSIGN');
      assert.equal(moved(at(13, 'alava-1'), at(15, 'alava-1')), 'RESCHEDULE');
      assert.equal(moved(at(13, 'alava-1'), at(15, 'alava-2')), 'RESCHEDULE');
      assert.equal(moved(at(13, 'alava-1'), at(13, 'alava-1')), 'RESCHEDULE');
    },
  );
  it('maps an event type added later to GENERIC_UPDATE rather than failing', () =>
    assert.equal(
      seedEventTypeOf(event('appointment.merged' as AppointmentEventType, 'booked', 'booked')),
      'GENERIC_UPDATE',
    ));
});

describe('destinations', () => {
  it('refuses loopback, private, link-local, metadata, CGNAT, unique-local and mapped forms', () => {
    for (const a of [
      '127.0.0.1',
      '10.1.2.3',
      '172.16.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '100.100.100.200',
      '0.0.0.0',
      '::1',
      '::',
      'fe80::1',
      'fd00:ec2::254',
      '::ffff:127.0.0.1',
      '::ffff:10.0.0.1',
      '224.0.0.1',
      'not-an-ip',
    ])
      assert.equal(isPublicAddress(a), false, a);
  });
  it('accepts public unicast addresses', () => {
    for (const a of ['8.8.8.8', '1.1.1.1', '2606:4700:4700::1111', '::ffff:8.8.8.8'])
      assert.equal(isPublicAddress(a), true, a);
  });
});
