/** Pure parts of the facade: validation messages, status words, the operator's rules, the TMF view. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Type, type TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import {
  toCreateInput,
  toTmfAppointment,
  viewOfTmfRequest,
} from '../../../src/api/field-service/appointment.mapper.ts';
import { planChange } from '../../../src/api/field-service/change-plan.ts';
import { toExtError, toTmfError } from '../../../src/api/field-service/errors.ts';
import { taskPeriod, toExtCreateInput, viewOfExt } from '../../../src/api/field-service/ext.mapper.ts';
import { CreateAppointment, CreateTaskAppointment } from '../../../src/api/field-service/ext.schemas.ts';
import { crmOf, fiveDigits, TIME_ZONE_IDS } from '../../../src/api/field-service/field-service.rules.ts';
import { planSearch, toAvailableTimeSlots } from '../../../src/api/field-service/slots.mapper.ts';
import { parseStatusFilter, toCoreStatus, toTmfStatus } from '../../../src/api/field-service/status.mapper.ts';
import {
  customerOf,
  locationOf,
  maskPersonalData,
  normalizeParties,
  withTenantParty,
} from '../../../src/api/field-service/tmf-view.ts';
import { isMasked, maskPersonalId } from '../../../src/core/privacy/personal-data.ts';
import { operatorWording } from '../../../src/api/field-service/validation.ts';
import { fieldName, SchemaViolation, validatorCompiler } from '../../../src/api/http/request-validator.ts';
import { registerSchemaTypes } from '../../../src/api/http/schema-types.ts';
import type { Appointment } from '../../../src/core/types.ts';
import { fixture } from './field-service.helpers.ts';

const NOW = new Date('2030-08-10T06:00:00Z');

const appointment = (over: Partial<Appointment> = {}): Appointment => ({
  tenantId: 'masmovil',
  id: 'MYSIM_1',
  serviceIds: ['installation'],
  siteId: 'alava',
  resourceId: 'alava-tech-1',
  status: 'booked',
  start: new Date('2030-08-18T13:00:00Z'),
  end: new Date('2030-08-18T15:00:00Z'),
  requestedPeriod: null,
  customerId: null,
  externalRef: 'MYSIM_1',
  participants: [],
  notes: [],
  attributes: {},
  cancelReason: null,
  version: 1,
  createdAt: NOW,
  updatedAt: NOW,
  ...over,
});

registerSchemaTypes();

/** The application's validator for a body schema: true, or the operator's first message. */
function validate(schema: TSchema, body: unknown): true | string {
  const result = validatorCompiler({ schema, httpPart: 'body', method: 'POST', url: '/' })(body);
  assert.ok(typeof result === 'object' && !('then' in result), 'a synchronous { value } or { error }');
  if (!result.error) return true;
  assert.ok(result.error instanceof SchemaViolation);
  return operatorWording(result.error).message;
}

describe('validation messages', () => {
  const first = (body: unknown) => validate(CreateAppointment, body);

  it('names the first missing attribute as the documents do', () => {
    const { category: _, ...body } = fixture('ext-create.request');
    assert.equal(first(body), 'The [category] attribute is required.');
    assert.equal(
      first({
        ...fixture('ext-create.request'),
        customer: { ...fixture('ext-create.request').customer, zipcode: null },
      }),
      'The [customer.zipcode] attribute must be a string or a number.',
    );
  });

  it('accepts the documented numbers where strings are documented, and nothing looser', () => {
    assert.equal(first(fixture('ext-create.request')), true);
    assert.equal(validate(CreateTaskAppointment, fixture('ext-task.request')), true);
    assert.equal(
      first({ ...fixture('ext-create.request'), scoringLevel: -1 }),
      'The [scoringLevel] attribute must be at least 0.',
    );
    assert.equal(
      first({ ...fixture('ext-create.request'), duration: 80.5 }),
      'The [duration] attribute must be a string or an integer.',
    );
  });

  it(
    'dates are real RFC 3339 instants: no 31 November, no 29 February of a common year, no hour 24, no minute or ' +
      'offset out of range',
    () => {
      const isDateTime = (v: string) => Value.Check(Type.String({ format: 'date-time' }), v);
      const isLocalDate = (v: string) => Value.Check(Type.String({ format: 'date' }), v);
      // A leap second is RFC 3339 but no instant JavaScript holds; seconds are required by RFC 3339 (the documents
      // always
      // send them).
      for (const bad of [
        '2026-11-31T08:00:00Z',
        '2030-02-29T00:00:00Z',
        '2030-08-18T24:00:00Z',
        '2030-08-18T13:60:00Z',
        '2030-08-18T13:00:60Z',
        '2030-06-30T23:59:60Z',
        '2030-08-18T13:00:00+24:00',
        '2030-13-01T00:00:00Z',
        '2030-08-18',
        '2030-08-18T13:00:00',
        '2030-08-18T13:00Z',
      ])
        assert.equal(isDateTime(bad), false, bad);
      for (const good of ['2030-08-18T13:00:00Z', '2028-02-29T23:59:59.999Z', '2030-08-18T15:00:00+02:00'])
        assert.equal(isDateTime(good), true, good);
      assert.deepEqual(['2030-09-31', '2031-02-29', '2028-02-29', '2030-8-1'].map(isLocalDate), [
        false,
        false,
        true,
        false,
      ]);
    },
  );

  it('a date in the wrong format, or not a string, is named in the operator’s words', () => {
    const validFor = { startDateTime: '2030-08-18 13:00', endDateTime: '2030-08-18T15:00:00Z' };
    assert.equal(
      first({ ...fixture('ext-create.request'), validFor }),
      'The [validFor.startDateTime] attribute must be a date-time (RFC 3339, e.g. 2030-08-18T13:00:00Z).',
    );
    assert.equal(
      first({ ...fixture('ext-create.request'), validFor: { ...validFor, startDateTime: 20300818 } }),
      'The [validFor.startDateTime] attribute must be a string.',
    );
    assert.equal(
      validate(CreateTaskAppointment, { ...fixture('ext-task.request'), startDate: '2030-02-30' }),
      'The [startDate] attribute must be a date in the format yyyy-MM-dd.',
    );
  });

  it('writes array paths with brackets', () => {
    assert.equal(fieldName('/note/0/text'), 'note[0].text');
    assert.equal(fieldName(''), '');
  });
});

describe('error bodies', () => {
  it('renders the 404 exactly as documented, and the Extension body with a string code', () => {
    const e = { status: 404, code: 'NOT_FOUND' as const, message: 'Appointment MYSIM_6922893 not found', issues: [] };
    assert.deepEqual(toTmfError(e, { id: 'MYSIM_6922893' }), fixture('tmf-not-found.response'));
    assert.deepEqual(
      toExtError({ status: 400, code: 'INVALID_INPUT', message: 'The [category] attribute is required.', issues: [] }),
      {
        ...fixture('ext-bad-request.response'),
        code: '400',
      },
    );
    assert.deepEqual(
      toExtError({ status: 503, code: 'UNAVAILABLE', message: 'retry', issues: [] }).status,
      'SERVICE_UNAVAILABLE',
    );
  });
});

describe('status words', () => {
  it('maps the operator words both ways', () => {
    assert.equal(toCoreStatus('accepted'), 'booked');
    assert.equal(toCoreStatus('initialized'), 'requested');
    assert.equal(toCoreStatus('missed'), 'no_show');
    assert.deepEqual(
      ['requested', 'booked', 'in_progress', 'completed', 'cancelled', 'no_show'].map((s) => toTmfStatus(s as never)),
      ['initialized', 'accepted', 'inProgress', 'completed', 'cancelled', 'failed'],
    );
    assert.deepEqual(parseStatusFilter('initialized, accepted,confirmed,nope'), {
      statuses: ['requested', 'booked'],
      unknown: ['nope'],
    });
    assert.deepEqual(parseStatusFilter('toString,constructor,__proto__,hasOwnProperty'), {
      statuses: [],
      unknown: ['toString', 'constructor', '__proto__', 'hasOwnProperty'],
    });
  });
});

describe('operator rules', () => {
  it('keeps work-order prefixes, reads leading zeros back, maps TIME_ZONE_n', () => {
    assert.deepEqual(['Y360852', 'MYSIM_391588', 'WD_77', 'PP1234', 'X1'].map(crmOf), [
      'YOIGO',
      'MYSIM',
      'WD',
      'PEPEPHONE',
      'OTHER',
    ]);
    assert.equal(fiveDigits(833), '00833');
    assert.equal(fiveDigits(1001), '01001');
    assert.equal(fiveDigits('28036'), '28036');
    assert.deepEqual(Object.values(TIME_ZONE_IDS), ['Europe/Madrid', 'Atlantic/Canary', 'Africa/Ceuta', 'UTC']);
  });

  it('a task asks for whole local days in its zone, 30 days from today by default', () => {
    const task = fixture('ext-task.request');
    assert.deepEqual(taskPeriod({ ...task, timeZone: 'TIME_ZONE_2' } as never, NOW), {
      start: new Date('2030-08-14T23:00:00Z'),
      end: new Date('2030-08-20T23:00:00Z'),
    });
    const { startDate: _s, endDate: _e, timeZone: _z, ...open } = task;
    assert.deepEqual(taskPeriod(open as never, NOW), {
      start: new Date('2030-08-09T22:00:00Z'),
      end: new Date('2030-09-09T22:00:00Z'),
    });
  });

  it(
    'a RISK customer is searched from 48 hours ahead when the tenant sets that rule; windows shorter than the job ' +
      'are not offered',
    () => {
      const view = viewOfTmfRequest(fixture('tmf-search.request') as never);
      assert.deepEqual(planSearch(view, { now: NOW }).input.from, NOW);
      const riskNotice = { scorings: ['risk', 'R'], hours: 48 };
      const plan = planSearch(view, { now: NOW, riskNotice });
      assert.deepEqual(plan.input.from, new Date('2030-08-12T06:00:00Z'));
      const slot = (start: string, minutes: number) => ({
        start: new Date(start),
        end: new Date(new Date(start).getTime() + minutes * 60_000),
        capacity: 2,
        free: 1,
        occupied: 1,
      });
      const long = { ...plan, durationMin: 150 };
      assert.deepEqual(
        toAvailableTimeSlots(long, [slot('2030-08-18T07:00:00Z', 120), slot('2030-08-18T13:00:00Z', 180)]).map(
          (s) => s.validFor.startDateTime,
        ),
        ['2030-08-18T13:00:00.000Z'],
      );
      const past = planSearch(view, {
        now: NOW,
        riskNotice,
        ranges: [{ start: new Date('2030-08-10T07:00:00Z'), end: new Date('2030-08-11T07:00:00Z') }],
      });
      assert.equal(past.empty, true);
    },
  );
});

describe('TMF view', () => {
  it('books by gescal first, postal code second, and keeps the vendor fields verbatim', () => {
    const input = toCreateInput(fixture('tmf-create.request') as never, NOW);
    assert.deepEqual(input.location, { addressId: '01000500059400011 001B', postalCode: '28036' });
    assert.deepEqual(
      [input.id, input.externalRef, input.serviceIds],
      ['MYSIM_391588', 'MYSIM_391588', ['installation']],
    );
    assert.deepEqual(input.customer, {
      name: 'Raúl Garcia Garcia',
      email: 'test@pe.es',
      phone: '686201221',
      language: 'eu-ES',
      personalId: '12345678T',
    });
    const view = input.attributes!.tmf646 as Record<string, unknown>;
    assert.deepEqual(view.resourceOrderItem, fixture('tmf-create.request').resourceOrderItem);
    assert.equal('validFor' in view || 'note' in view || 'status' in view, false);
  });

  it('pads numeric postal and operator codes while they are numbers', () => {
    assert.deepEqual(
      normalizeParties([
        { id: 1001, role: 'zipcode' },
        { id: 833, role: 'donorOperator' },
        { id: '1001', role: 'zipcode' },
        { id: 10, role: 'user_role' },
      ])!.map((p) => p.id),
      ['01001', '00833', '1001', '10'],
    );
  });

  it('keeps the document number masked in the view, in clear only for the core customer', () => {
    assert.deepEqual(['12345678T', 'X1234', 'AB', ''].map(maskPersonalId), ['*****678T', '***34', '*B', '']);
    assert.equal(isMasked(maskPersonalId('12345678T')), true);
    assert.equal(maskPersonalId(maskPersonalId('12345678T')), '*****678T');
    const input = toCreateInput(fixture('tmf-create.request') as never, NOW);
    assert.equal(input.customer?.personalId, '12345678T');
    assert.equal(input.exclusiveExternalRef, true);
    assert.ok(!JSON.stringify(input.attributes).includes('12345678T'));
    const masked = maskPersonalData(input.attributes!.tmf646 as never);
    assert.equal(customerOf(masked)?.personalId, undefined, 'a masked value is not an identifier');
  });

  it('adds the tenant party before duration, once', () => {
    const parties = [
      { id: '1', role: 'scoring_level' },
      { id: '80', role: 'duration' },
    ];
    assert.deepEqual(
      withTenantParty(parties, 'masmovil').map((p) => p.role),
      ['scoring_level', 'tenant', 'duration'],
    );
    assert.equal(withTenantParty([{ id: '16', role: 'tenant' }], 'masmovil')[0].id, '16');
  });

  it('turns the flat Extension request into the documented relatedParty order', () => {
    const view = viewOfExt(fixture('ext-create.request') as never);
    assert.deepEqual(
      view.relatedParty!.map((p) => p.role),
      [
        'scoring_result',
        'scoring_level',
        'firstName',
        'middleName',
        'documentNumber',
        'email',
        'phoneNumber',
        'zipcode',
        'sellchannel',
        'user_role',
        'user_code',
        'segment',
        'language',
        'tenant',
        'duration',
      ],
    );
    assert.deepEqual(locationOf(view), { addressId: '01000500059400011 001B', postalCode: '28036' });
    const input = toExtCreateInput(fixture('ext-create.request') as never, NOW);
    assert.equal((input.attributes!.ext as Record<string, unknown>).crm, 'MYSIM');
    assert.equal('customer' in (input.attributes!.ext as object), false, 'personal data is not copied into ext');
  });

  it('renders a requested appointment with its requested period as validFor', () => {
    const a = appointment({
      status: 'requested',
      start: null,
      end: null,
      requestedPeriod: { start: new Date('2030-08-14T22:00:00Z'), end: new Date('2030-08-20T22:00:00Z') },
    });
    const out = toTmfAppointment(a);
    assert.equal(out.status, 'initialized');
    assert.deepEqual(out.validFor, { endDateTime: '2030-08-20T22:00:00Z', startDateTime: '2030-08-14T22:00:00Z' });
    assert.deepEqual(out.relatedParty, [{ id: 'masmovil', role: 'tenant' }]);
  });
});

describe('change plans', () => {
  const view = {};
  it('does nothing for a PATCH that repeats the stored state', () => {
    const a = appointment();
    assert.deepEqual(planChange(a, { view, period: { start: a.start!, end: a.end! }, status: 'booked', now: NOW }), {
      reschedule: undefined,
      status: undefined,
      statusFirst: false,
      update: undefined,
    });
  });

  it('moves, then changes state; reopens before moving; refuses illegal transitions before any write', () => {
    const a = appointment();
    const later = { start: new Date('2030-08-19T07:00:00Z'), end: new Date('2030-08-19T09:00:00Z') };
    assert.deepEqual(planChange(a, { view, period: later, status: 'in_progress', now: NOW }).status, 'in_progress');
    const reopen = planChange(appointment({ status: 'cancelled' }), {
      view,
      period: later,
      status: 'booked',
      now: NOW,
    });
    assert.deepEqual([reopen.statusFirst, reopen.status, reopen.reschedule], [true, 'booked', later]);
    assert.equal(
      planChange(a, { view, period: later, status: 'cancelled', now: NOW }).reschedule,
      undefined,
      'cancelling is not moving',
    );
    assert.throws(
      () => planChange(appointment({ status: 'completed' }), { view, status: 'booked', now: NOW }),
      /cannot change from completed to accepted/,
    );
    assert.throws(
      () =>
        planChange(appointment({ status: 'requested', start: null, end: null }), { view, status: 'booked', now: NOW }),
      /giving it a validFor/,
    );
    assert.throws(
      () => planChange(appointment({ status: 'in_progress' }), { view, period: later, now: NOW }),
      /The \[status\] attribute is inProgress: /,
    );
  });

  it(
    'a new place without validFor moves a booked appointment in its current window; a duration must fit that ' +
      'window',
    () => {
      const a = appointment({ attributes: { tmf646: { relatedPlace: { id: '01000500059400011 001B' } } } });
      const plan = planChange(a, { view: { relatedPlace: { id: '28000010025000026 002D' } }, now: NOW });
      assert.deepEqual(plan.reschedule, { start: a.start, end: a.end });
      assert.equal(
        planChange(appointment({ status: 'cancelled', attributes: a.attributes }), {
          view: { relatedPlace: { id: '28000010025000026 002D' } },
          now: NOW,
        }).reschedule,
        undefined,
      );
      assert.throws(
        () =>
          planChange(a, {
            view: { ...(a.attributes.tmf646 as object), relatedParty: [{ id: '121', role: 'duration' }] },
            now: NOW,
          }),
        /\(121 minutes\) is longer than the window \(120 minutes\)/,
      );
    },
  );
});
