import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DateTime } from 'luxon';
import {
  allocationInterval,
  searchSlots,
  type EngineResource,
  type EngineService,
  type Interval,
  type LocalRange,
  type Slot,
  type SlotPolicy,
  type SlotQuery,
  type Weekday,
  type WorkingHours,
} from '../../src/core/availability/slot-engine.ts';

// ---------------------------------------------------------------------------------------------
// Helpers. Every expectation below is written as a concrete UTC instant.

const t = (isoUtc: string): number => {
  const ms = Date.parse(isoUtc);
  assert.ok(Number.isFinite(ms) && isoUtc.endsWith('Z'), `bad test instant ${isoUtc}`);
  return ms;
};
const iso = (ms: number): string => new Date(ms).toISOString().replace(':00.000Z', 'Z');
const span = (iv: { start: number; end: number }): string => `${iso(iv.start)}/${iso(iv.end)}`;
const starts = (slots: Slot[]): string[] => slots.map((s) => iso(s.start));
/** Wall-clock label of an instant in a zone, as a customer would see it (e.g. '02:30+01:00'). */
const wall = (ms: number, zone: string): string => DateTime.fromMillis(ms, { zone }).toFormat('HH:mmZZ');
const spans = (slots: Slot[]): string[] => slots.map(span);
const caps = (slots: Slot[]): string[] =>
  slots.map((s) => `${iso(s.start)} cap=${s.capacity} occ=${s.occupied} free=${s.freeResourceIds.join(',')}`);

const ALL_DAYS: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
function everyDay(...ranges: [string, string][]): WorkingHours {
  const weekly: WorkingHours['weekly'] = {};
  for (const d of ALL_DAYS) weekly[d] = ranges.map(([start, end]) => ({ start, end }));
  return { weekly };
}
const AROUND_THE_CLOCK = everyDay(['00:00', '24:00']);

function resource(
  id: string,
  workingHours: WorkingHours = AROUND_THE_CLOCK,
  extra: Partial<EngineResource> = {},
): EngineResource {
  return { id, workingHours, timeOff: [], busy: [], ...extra };
}
function service(id: string, durationMin: number, bufferBeforeMin = 0, bufferAfterMin = 0): EngineService {
  return { id, durationMin, bufferBeforeMin, bufferAfterMin };
}
const win = (start: string, end: string): LocalRange => ({ start, end });
const iv = (start: string, end: string): Interval => ({ start: t(start), end: t(end) });

/** now = 2027-01-01 (well before every date tested), no notice, 10-year horizon. */
function query(over: Partial<SlotQuery> & Pick<SlotQuery, 'policy' | 'timeZone' | 'from' | 'to'>): SlotQuery {
  return {
    services: [service('svc', 30)],
    now: t('2027-01-01T00:00:00Z'),
    minNoticeMin: 0,
    horizonDays: 3650,
    resources: [resource('r1')],
    ...over,
  };
}

const FIBRE_WINDOWS = { kind: 'windows', windows: [win('07:00', '09:00'), win('09:00', '11:00')] } satisfies SlotPolicy;
const GRID_30 = { kind: 'grid', stepMin: 30 } satisfies SlotPolicy;

// ---------------------------------------------------------------------------------------------

describe('Europe/Madrid DST', () => {
  it('windows keep their wall-clock times across spring forward (2027-03-28, CET+1 -> CEST+2)', () => {
    const slots = searchSlots(
      query({
        policy: FIBRE_WINDOWS,
        timeZone: 'Europe/Madrid',
        from: t('2027-03-26T23:00:00Z'), // 2027-03-27 00:00 CET
        to: t('2027-03-28T22:00:00Z'), // 2027-03-29 00:00 CEST
      }),
    );
    assert.deepEqual(spans(slots), [
      '2027-03-27T06:00Z/2027-03-27T08:00Z', // 07:00-09:00 CET
      '2027-03-27T08:00Z/2027-03-27T10:00Z',
      '2027-03-28T05:00Z/2027-03-28T07:00Z', // 07:00-09:00 CEST
      '2027-03-28T07:00Z/2027-03-28T09:00Z',
    ]);
    assert.ok(slots.every((s) => s.capacity === 1 && s.occupied === 0));
  });

  it('windows keep their wall-clock times across fall back (2027-10-31, CEST+2 -> CET+1)', () => {
    const slots = searchSlots(
      query({
        policy: FIBRE_WINDOWS,
        timeZone: 'Europe/Madrid',
        from: t('2027-10-29T22:00:00Z'), // 2027-10-30 00:00 CEST
        to: t('2027-10-31T23:00:00Z'), // 2027-11-01 00:00 CET
      }),
    );
    assert.deepEqual(spans(slots), [
      '2027-10-30T05:00Z/2027-10-30T07:00Z',
      '2027-10-30T07:00Z/2027-10-30T09:00Z',
      '2027-10-31T06:00Z/2027-10-31T08:00Z',
      '2027-10-31T08:00Z/2027-10-31T10:00Z',
    ]);
  });

  it(
    'a window spanning the spring-forward jump is one hour shorter; windows inside the gap start at the jump or ' +
      'vanish',
    () => {
      const slots = searchSlots(
        query({
          policy: { kind: 'windows', windows: [win('01:00', '04:00'), win('02:00', '03:00'), win('02:30', '05:00')] },
          timeZone: 'Europe/Madrid',
          from: t('2027-03-27T23:00:00Z'),
          to: t('2027-03-28T22:00:00Z'),
        }),
      );
      assert.deepEqual(spans(slots), [
        '2027-03-28T00:00Z/2027-03-28T02:00Z', // 01:00 CET .. 04:00 CEST: 2 real hours
        '2027-03-28T01:00Z/2027-03-28T03:00Z', // 02:30 does not exist: starts at the jump (03:00 CEST)
        // 02:00-03:00 lies entirely in the gap: no slot
      ]);
      assert.deepEqual(
        slots.map((s) => s.capacity),
        [1, 1],
      );
    },
  );

  it('a window spanning the fall-back repeat is one hour longer; an ambiguous window uses the first occurrence', () => {
    const slots = searchSlots(
      query({
        policy: { kind: 'windows', windows: [win('01:00', '04:00'), win('02:00', '02:30')] },
        timeZone: 'Europe/Madrid',
        from: t('2027-10-30T22:00:00Z'),
        to: t('2027-10-31T23:00:00Z'),
      }),
    );
    assert.deepEqual(spans(slots), [
      '2027-10-30T23:00Z/2027-10-31T03:00Z', // 01:00 CEST .. 04:00 CET: 4 real hours
      '2027-10-31T00:00Z/2027-10-31T00:30Z', // 02:00-02:30 CEST (first occurrence)
    ]);
  });

  it('30-min grid skips 02:00 and 02:30 on spring-forward day: 46 slots, continuous in UTC', () => {
    const slots = searchSlots(
      query({
        policy: GRID_30,
        timeZone: 'Europe/Madrid',
        from: t('2027-03-27T23:00:00Z'), // 2027-03-28 00:00 CET
        to: t('2027-03-28T22:00:00Z'), // 2027-03-29 00:00 CEST
      }),
    );
    assert.equal(slots.length, 46);
    assert.deepEqual(starts(slots).slice(0, 6), [
      '2027-03-27T23:00Z', // 00:00 CET
      '2027-03-27T23:30Z', // 00:30 CET
      '2027-03-28T00:00Z', // 01:00 CET
      '2027-03-28T00:30Z', // 01:30 CET
      '2027-03-28T01:00Z', // 03:00 CEST (02:00 and 02:30 do not exist)
      '2027-03-28T01:30Z', // 03:30 CEST
    ]);
    assert.equal(iso(slots[45].start), '2027-03-28T21:30Z'); // 23:30 CEST
    assert.deepEqual(
      slots.slice(2, 6).map((s) => wall(s.start, 'Europe/Madrid')),
      ['01:00+01:00', '01:30+01:00', '03:00+02:00', '03:30+02:00'],
    );
    assert.ok(slots.every((s, i) => i === 0 || s.start - slots[i - 1].start === 30 * 60_000));
    assert.ok(slots.every((s) => s.end - s.start === 30 * 60_000));
  });

  it('30-min grid gives 02:00 and 02:30 twice on fall-back day (once per instant): 50 slots', () => {
    const slots = searchSlots(
      query({
        policy: GRID_30,
        timeZone: 'Europe/Madrid',
        from: t('2027-10-30T22:00:00Z'), // 2027-10-31 00:00 CEST
        to: t('2027-10-31T23:00:00Z'), // 2027-11-01 00:00 CET
      }),
    );
    assert.equal(slots.length, 50);
    assert.deepEqual(starts(slots).slice(2, 9), [
      '2027-10-30T23:00Z', // 01:00 CEST
      '2027-10-30T23:30Z', // 01:30 CEST
      '2027-10-31T00:00Z', // 02:00 CEST
      '2027-10-31T00:30Z', // 02:30 CEST
      '2027-10-31T01:00Z', // 02:00 CET (second time)
      '2027-10-31T01:30Z', // 02:30 CET (second time)
      '2027-10-31T02:00Z', // 03:00 CET
    ]);
    assert.equal(new Set(starts(slots)).size, 50, 'no instant twice');
    assert.deepEqual(
      slots.slice(4, 8).map((s) => wall(s.start, 'Europe/Madrid')),
      ['02:00+02:00', '02:30+02:00', '02:00+01:00', '02:30+01:00'],
    );
  });
});

describe('America/New_York DST', () => {
  it('windows across spring forward (2027-03-14, EST-5 -> EDT-4) and fall back (2027-11-07)', () => {
    const policy = { kind: 'windows', windows: [win('08:00', '10:00')] } satisfies SlotPolicy;
    const spring = searchSlots(
      query({ policy, timeZone: 'America/New_York', from: t('2027-03-13T05:00:00Z'), to: t('2027-03-15T04:00:00Z') }),
    );
    assert.deepEqual(spans(spring), ['2027-03-13T13:00Z/2027-03-13T15:00Z', '2027-03-14T12:00Z/2027-03-14T14:00Z']);
    const fall = searchSlots(
      query({ policy, timeZone: 'America/New_York', from: t('2027-11-06T04:00:00Z'), to: t('2027-11-08T05:00:00Z') }),
    );
    assert.deepEqual(spans(fall), ['2027-11-06T12:00Z/2027-11-06T14:00Z', '2027-11-07T13:00Z/2027-11-07T15:00Z']);
  });

  it('30-min grid: 01:30 EST is followed by 03:00 EDT on 2027-03-14', () => {
    const slots = searchSlots(
      query({
        policy: GRID_30,
        timeZone: 'America/New_York',
        from: t('2027-03-14T06:00:00Z'),
        to: t('2027-03-14T08:00:00Z'),
      }),
    );
    assert.deepEqual(starts(slots), [
      '2027-03-14T06:00Z', // 01:00 EST
      '2027-03-14T06:30Z', // 01:30 EST
      '2027-03-14T07:00Z', // 03:00 EDT
      '2027-03-14T07:30Z', // 03:30 EDT
    ]);
  });

  it('30-min grid: 01:00 and 01:30 occur twice on 2027-11-07', () => {
    const slots = searchSlots(
      query({
        policy: GRID_30,
        timeZone: 'America/New_York',
        from: t('2027-11-07T04:30:00Z'),
        to: t('2027-11-07T07:30:00Z'),
      }),
    );
    assert.deepEqual(starts(slots), [
      '2027-11-07T04:30Z', // 00:30 EDT
      '2027-11-07T05:00Z', // 01:00 EDT
      '2027-11-07T05:30Z', // 01:30 EDT
      '2027-11-07T06:00Z', // 01:00 EST
      '2027-11-07T06:30Z', // 01:30 EST
      '2027-11-07T07:00Z', // 02:00 EST
    ]);
  });

  it('working hours follow the local clock across the change: 09:00-17:00 is 13:00Z-21:00Z in EDT', () => {
    const slots = searchSlots(
      query({
        services: [service('svc', 60)],
        policy: { kind: 'grid', stepMin: 60 },
        timeZone: 'America/New_York',
        from: t('2027-03-13T05:00:00Z'),
        to: t('2027-03-15T04:00:00Z'),
        resources: [resource('r1', everyDay(['09:00', '17:00']))],
      }),
    );
    assert.deepEqual(
      starts(slots)
        .filter((s) => s.startsWith('2027-03-13'))
        .slice(0, 1),
      ['2027-03-13T14:00Z'],
    );
    assert.deepEqual(
      starts(slots).filter((s) => s.startsWith('2027-03-14')),
      [
        '2027-03-14T13:00Z',
        '2027-03-14T14:00Z',
        '2027-03-14T15:00Z',
        '2027-03-14T16:00Z',
        '2027-03-14T17:00Z',
        '2027-03-14T18:00Z',
        '2027-03-14T19:00Z',
        '2027-03-14T20:00Z', // 16:00 EDT, ends 17:00 EDT
      ],
    );
  });
});

describe('half-hour zones', () => {
  it('Asia/Kolkata (+05:30): windows and a grid anchored at local midnight', () => {
    const windows = searchSlots(
      query({
        policy: { kind: 'windows', windows: [win('09:00', '11:00')] },
        timeZone: 'Asia/Kolkata',
        from: t('2027-06-01T00:00:00Z'),
        to: t('2027-06-02T00:00:00Z'),
      }),
    );
    assert.deepEqual(spans(windows), ['2027-06-01T03:30Z/2027-06-01T05:30Z']);

    const grid = searchSlots(
      query({
        services: [service('svc', 60)],
        policy: { kind: 'grid', stepMin: 60 },
        timeZone: 'Asia/Kolkata',
        from: t('2027-06-01T00:00:00Z'),
        to: t('2027-06-02T00:00:00Z'),
        resources: [resource('r1', everyDay(['09:00', '12:00']))],
      }),
    );
    // Hourly on the local hour = half past in UTC; 11:00 IST would end at 12:00, the last fit.
    assert.deepEqual(starts(grid), ['2027-06-01T03:30Z', '2027-06-01T04:30Z', '2027-06-01T05:30Z']);
  });

  it('America/St_Johns spring forward (2027-03-14, NST-3:30 -> NDT-2:30): windows and 30-min grid', () => {
    const windows = searchSlots(
      query({
        policy: { kind: 'windows', windows: [win('09:00', '11:00')] },
        timeZone: 'America/St_Johns',
        from: t('2027-03-13T03:30:00Z'),
        to: t('2027-03-15T02:30:00Z'),
      }),
    );
    assert.deepEqual(spans(windows), ['2027-03-13T12:30Z/2027-03-13T14:30Z', '2027-03-14T11:30Z/2027-03-14T13:30Z']);

    const grid = searchSlots(
      query({
        policy: GRID_30,
        timeZone: 'America/St_Johns',
        from: t('2027-03-14T04:30:00Z'),
        to: t('2027-03-14T06:30:00Z'),
      }),
    );
    assert.deepEqual(starts(grid), [
      '2027-03-14T04:30Z', // 01:00 NST
      '2027-03-14T05:00Z', // 01:30 NST
      '2027-03-14T05:30Z', // 03:00 NDT (02:00 and 02:30 do not exist)
      '2027-03-14T06:00Z', // 03:30 NDT
    ]);
  });

  it('America/St_Johns fall back (2027-11-07): 01:00 and 01:30 twice', () => {
    const grid = searchSlots(
      query({
        policy: GRID_30,
        timeZone: 'America/St_Johns',
        from: t('2027-11-07T03:30:00Z'),
        to: t('2027-11-07T06:00:00Z'),
      }),
    );
    assert.deepEqual(starts(grid), [
      '2027-11-07T03:30Z', // 01:00 NDT
      '2027-11-07T04:00Z', // 01:30 NDT
      '2027-11-07T04:30Z', // 01:00 NST
      '2027-11-07T05:00Z', // 01:30 NST
      '2027-11-07T05:30Z', // 02:00 NST
    ]);
  });
});

describe('buffers', () => {
  // Working 09:00-17:00 UTC; service 60 min with 15 min before and after.
  const svc = service('consult', 60, 15, 15);
  // An existing 11:00-12:00 booking of the same service allocates 10:45-12:15.
  const existing = iv('2027-03-01T10:45:00Z', '2027-03-01T12:15:00Z');
  const base = () =>
    query({
      services: [svc],
      policy: { kind: 'grid', stepMin: 15 },
      timeZone: 'UTC',
      from: t('2027-03-01T00:00:00Z'),
      to: t('2027-03-02T00:00:00Z'),
      resources: [resource('r1', everyDay(['09:00', '17:00']), { busy: [existing] })],
    });

  it('before and after buffers must fit in working hours', () => {
    const slots = searchSlots(base());
    assert.equal(iso(slots[0].start), '2027-03-01T09:15Z'); // 09:00 would need the resource from 08:45
    assert.equal(iso(slots[slots.length - 1].start), '2027-03-01T15:45Z'); // alloc ends 17:00
    assert.equal(span({ start: slots[0].allocStart, end: slots[0].allocEnd }), '2027-03-01T09:00Z/2027-03-01T10:30Z');
  });

  it('block an adjacent booking: a start is free only when its buffers do not overlap the existing allocation', () => {
    const slots = searchSlots(base());
    const free = (s: string) => {
      const slot = slots.find((x) => iso(x.start) === s);
      assert.ok(slot, `slot ${s}`);
      return slot.freeResourceIds.length === 1;
    };
    assert.equal(free('2027-03-01T09:30Z'), true); // alloc 09:15-10:45 touches the booking's buffer: ok
    assert.equal(free('2027-03-01T09:45Z'), false); // ends 10:45 but after-buffer runs to 11:00
    assert.equal(free('2027-03-01T12:15Z'), false); // before-buffer from 12:00 overlaps
    assert.equal(free('2027-03-01T12:30Z'), true); // alloc 12:15-13:45
    const blocked = slots.filter((s) => s.occupied === 1).map((s) => iso(s.start));
    assert.deepEqual(blocked, [
      '2027-03-01T09:45Z',
      '2027-03-01T10:00Z',
      '2027-03-01T10:15Z',
      '2027-03-01T10:30Z',
      '2027-03-01T10:45Z',
      '2027-03-01T11:00Z',
      '2027-03-01T11:15Z',
      '2027-03-01T11:30Z',
      '2027-03-01T11:45Z',
      '2027-03-01T12:00Z',
      '2027-03-01T12:15Z',
    ]);
    // Occupied grid slots are still returned (capacity 1, 0 free).
    assert.ok(slots.filter((s) => s.occupied === 1).every((s) => s.capacity === 1 && s.freeResourceIds.length === 0));
  });

  it('allocationInterval adds the buffers around the service', () => {
    const a = allocationInterval(
      [svc],
      { kind: 'grid', stepMin: 15 },
      t('2027-03-01T11:00:00Z'),
      t('2027-03-01T12:00:00Z'),
    );
    assert.equal(span({ start: a.allocStart, end: a.allocEnd }), '2027-03-01T10:45Z/2027-03-01T12:15Z');
    assert.deepEqual(
      a.segments.map((s) => `${s.serviceId} ${span(s)}`),
      ['consult 2027-03-01T11:00Z/2027-03-01T12:00Z'],
    );
  });
});

describe('filters', () => {
  const dailyWindows = {
    kind: 'windows',
    windows: [win('00:00', '02:00'), win('08:00', '10:00')],
  } satisfies SlotPolicy;

  it('min notice: nothing starts before now + minNotice', () => {
    const slots = searchSlots(
      query({
        policy: { kind: 'grid', stepMin: 15 },
        timeZone: 'UTC',
        from: t('2027-03-01T00:00:00Z'),
        to: t('2027-03-01T14:00:00Z'),
        now: t('2027-03-01T09:10:00Z'),
        minNoticeMin: 120,
      }),
    );
    assert.equal(iso(slots[0].start), '2027-03-01T11:15Z'); // first grid start >= 11:10
    const exact = searchSlots(
      query({
        policy: dailyWindows,
        timeZone: 'UTC',
        from: t('2027-03-01T00:00:00Z'),
        to: t('2027-03-02T00:00:00Z'),
        now: t('2027-03-01T06:00:00Z'),
        minNoticeMin: 120,
      }),
    );
    assert.deepEqual(starts(exact), ['2027-03-01T08:00Z']); // exactly now + notice is allowed
  });

  it('horizon: nothing starts at or after now + horizonDays', () => {
    const slots = searchSlots(
      query({
        policy: dailyWindows,
        timeZone: 'UTC',
        from: t('2027-01-01T00:00:00Z'),
        to: t('2027-01-10T00:00:00Z'),
        now: t('2027-01-01T00:00:00Z'),
        horizonDays: 2,
      }),
    );
    assert.deepEqual(starts(slots), [
      '2027-01-01T00:00Z',
      '2027-01-01T08:00Z',
      '2027-01-02T00:00Z',
      '2027-01-02T08:00Z',
    ]);
  });

  it('from is inclusive, to is exclusive, and a window that started before from is not returned', () => {
    const slots = searchSlots(
      query({
        policy: dailyWindows,
        timeZone: 'UTC',
        from: t('2027-03-01T08:00:00Z'),
        to: t('2027-03-02T08:00:00Z'),
      }),
    );
    assert.deepEqual(starts(slots), ['2027-03-01T08:00Z', '2027-03-02T00:00Z']);
    const midWindow = searchSlots(
      query({ policy: dailyWindows, timeZone: 'UTC', from: t('2027-03-01T08:30:00Z'), to: t('2027-03-01T12:00:00Z') }),
    );
    assert.deepEqual(midWindow, []);
  });

  it('an empty period (from >= to, or past the horizon) gives no slots', () => {
    assert.deepEqual(
      searchSlots(
        query({ policy: GRID_30, timeZone: 'UTC', from: t('2027-03-01T10:00:00Z'), to: t('2027-03-01T10:00:00Z') }),
      ),
      [],
    );
    assert.deepEqual(
      searchSlots(
        query({
          policy: GRID_30,
          timeZone: 'UTC',
          from: t('2027-03-01T00:00:00Z'),
          to: t('2027-03-02T00:00:00Z'),
          horizonDays: 30,
        }),
      ),
      [],
    );
  });
});

describe('windows capacity', () => {
  const day = { from: t('2027-03-01T00:00:00Z'), to: t('2027-03-02T00:00:00Z') }; // Monday
  const policy = {
    kind: 'windows',
    windows: [win('08:00', '10:00'), win('10:00', '12:00'), win('20:00', '22:00')],
  } satisfies SlotPolicy;
  const officeHours = everyDay(['08:00', '18:00']);

  it('counts working resources as capacity, busy ones as occupied, and leaves out time off and days off', () => {
    const slots = searchSlots(
      query({
        ...day,
        policy,
        timeZone: 'UTC',
        resources: [
          resource('tech-d', { weekly: { tue: [win('08:00', '18:00')] } }), // not working on Mondays
          resource('tech-b', officeHours, { busy: [iv('2027-03-01T08:00:00Z', '2027-03-01T10:00:00Z')] }),
          resource('tech-c', officeHours, { timeOff: [iv('2027-03-01T07:00:00Z', '2027-03-01T09:00:00Z')] }),
          // ends at window start
          resource('tech-a', officeHours, { busy: [iv('2027-03-01T06:00:00Z', '2027-03-01T08:00:00Z')] }),
        ],
      }),
    );
    assert.deepEqual(caps(slots), [
      '2027-03-01T08:00Z cap=2 occ=1 free=tech-a', // tech-c on time off, tech-d not working
      '2027-03-01T10:00Z cap=3 occ=0 free=tech-a,tech-b,tech-c',
      '2027-03-01T20:00Z cap=0 occ=0 free=', // outside everyone's hours: still listed
    ]);
  });

  it('a window with no resource at all is still returned, with 0 capacity', () => {
    const slots = searchSlots(query({ ...day, policy, timeZone: 'UTC', resources: [] }));
    assert.deepEqual(caps(slots), [
      '2027-03-01T08:00Z cap=0 occ=0 free=',
      '2027-03-01T10:00Z cap=0 occ=0 free=',
      '2027-03-01T20:00Z cap=0 occ=0 free=',
    ]);
  });

  it('a booking anywhere inside the window occupies the resource for the whole window', () => {
    const slots = searchSlots(
      query({
        ...day,
        policy,
        timeZone: 'UTC',
        services: [service('install', 30)],
        resources: [resource('tech-a', officeHours, { busy: [iv('2027-03-01T11:30:00Z', '2027-03-01T12:00:00Z')] })],
      }),
    );
    assert.deepEqual(caps(slots).slice(0, 2), [
      '2027-03-01T08:00Z cap=1 occ=0 free=tech-a',
      '2027-03-01T10:00Z cap=1 occ=1 free=',
    ]);
    assert.equal(span({ start: slots[1].allocStart, end: slots[1].allocEnd }), '2027-03-01T10:00Z/2027-03-01T12:00Z');
    assert.deepEqual(slots[1].segments.map(span), ['2027-03-01T10:00Z/2027-03-01T10:30Z']);
  });

  it('a job longer than its window runs past it: the resource must work, and be free, until the job ends', () => {
    const install = service('install', 180); // 3 h in a 2 h window
    const run = (resources: EngineResource[]) =>
      searchSlots(
        query({
          ...day,
          policy: { kind: 'windows', windows: [win('08:00', '10:00')] },
          timeZone: 'UTC',
          services: [install],
          resources,
        }),
      );
    const [slot] = run([
      resource('early', everyDay(['08:00', '10:30'])),
      resource('late', everyDay(['08:00', '11:00'])),
      resource('busy-after', everyDay(['08:00', '18:00']), {
        busy: [iv('2027-03-01T10:30:00Z', '2027-03-01T11:30:00Z')],
      }),
    ]);
    assert.equal(span(slot), '2027-03-01T08:00Z/2027-03-01T10:00Z'); // the customer still sees the window
    assert.equal(span({ start: slot.allocStart, end: slot.allocEnd }), '2027-03-01T08:00Z/2027-03-01T11:00Z');
    assert.deepEqual(slot.segments.map(span), ['2027-03-01T08:00Z/2027-03-01T11:00Z']);
    assert.deepEqual(caps([slot]), ['2027-03-01T08:00Z cap=2 occ=1 free=late']);

    const a = allocationInterval(
      [service('install', 180, 30, 15)],
      { kind: 'windows', windows: [] },
      slot.start,
      slot.end,
    );
    assert.equal(span({ start: a.allocStart, end: a.allocEnd }), '2027-03-01T07:30Z/2027-03-01T11:15Z');
    const short = allocationInterval(
      [service('fix', 30, 0, 15)],
      { kind: 'windows', windows: [] },
      slot.start,
      slot.end,
    );
    assert.equal(span({ start: short.allocStart, end: short.allocEnd }), '2027-03-01T08:00Z/2027-03-01T10:15Z');
  });
});

describe('working hours exceptions', () => {
  const hours: WorkingHours = {
    weekly: { mon: [win('08:00', '18:00')], tue: [win('08:00', '18:00')], wed: [win('08:00', '18:00')] },
    exceptions: {
      '2027-03-02': [], // Tuesday off
      '2027-03-03': [win('12:00', '16:00')], // Wednesday afternoon only
      '2027-03-06': [win('09:00', '13:00')], // an extra Saturday
    },
  };
  const policy = { kind: 'windows', windows: [win('09:00', '11:00'), win('13:00', '15:00')] } satisfies SlotPolicy;

  it('a day off and changed hours replace the weekly hours on those dates only', () => {
    const slots = searchSlots(
      query({
        policy,
        timeZone: 'Europe/Madrid', // CET, +01:00
        from: t('2027-02-28T23:00:00Z'), // Mon 2027-03-01 00:00
        to: t('2027-03-06T23:00:00Z'), // Sun 2027-03-07 00:00
        resources: [resource('r1', hours)],
      }),
    );
    assert.deepEqual(
      slots.map((s) => `${iso(s.start)} cap=${s.capacity}`),
      [
        '2027-03-01T08:00Z cap=1', // Monday, weekly hours
        '2027-03-01T12:00Z cap=1',
        '2027-03-02T08:00Z cap=0', // Tuesday: day off
        '2027-03-02T12:00Z cap=0',
        '2027-03-03T08:00Z cap=0', // Wednesday: 12:00-16:00 only
        '2027-03-03T12:00Z cap=1',
        '2027-03-04T08:00Z cap=0', // Thursday: no weekly hours
        '2027-03-04T12:00Z cap=0',
        '2027-03-05T08:00Z cap=0',
        '2027-03-05T12:00Z cap=0',
        '2027-03-06T08:00Z cap=1', // Saturday: exception 09:00-13:00
        '2027-03-06T12:00Z cap=0', // 13:00-15:00 outside it
      ],
    );
  });

  it('grid slots appear only inside the changed hours', () => {
    const slots = searchSlots(
      query({
        services: [service('svc', 60)],
        policy: { kind: 'grid', stepMin: 60 },
        timeZone: 'Europe/Madrid',
        from: t('2027-03-02T23:00:00Z'), // Wed 2027-03-03 local
        to: t('2027-03-03T23:00:00Z'),
        resources: [resource('r1', hours)],
      }),
    );
    assert.deepEqual(starts(slots), [
      '2027-03-03T11:00Z',
      '2027-03-03T12:00Z',
      '2027-03-03T13:00Z',
      '2027-03-03T14:00Z',
    ]);
  });
});

describe('several services in sequence', () => {
  // A: 30 min (5 before, 10 after); B: 45 min (15 before, 5 after); C: 20 min (no buffers).
  // Gaps: A->B max(10, 15) = 15 min; B->C max(5, 0) = 5 min. Span = 30+15+45+5+20 = 115 min.
  const seq = [service('A', 30, 5, 10), service('B', 45, 15, 5), service('C', 20, 0, 0)];

  it('lays segments out with the larger of the adjoining buffers between them', () => {
    const a = allocationInterval(
      seq,
      { kind: 'grid', stepMin: 15 },
      t('2027-03-01T09:15:00Z'),
      t('2027-03-01T11:10:00Z'),
    );
    assert.deepEqual(
      a.segments.map((s) => `${s.serviceId} ${span(s)}`),
      [
        'A 2027-03-01T09:15Z/2027-03-01T09:45Z',
        'B 2027-03-01T10:00Z/2027-03-01T10:45Z',
        'C 2027-03-01T10:50Z/2027-03-01T11:10Z',
      ],
    );
    assert.equal(span({ start: a.allocStart, end: a.allocEnd }), '2027-03-01T09:10Z/2027-03-01T11:10Z');
  });

  it('grid slots cover the whole sequence (end = last segment end) and must fit working hours with buffers', () => {
    const slots = searchSlots(
      query({
        services: seq,
        policy: { kind: 'grid', stepMin: 15 },
        timeZone: 'UTC',
        from: t('2027-03-01T00:00:00Z'),
        to: t('2027-03-02T00:00:00Z'),
        resources: [resource('r1', everyDay(['09:00', '12:00']))],
      }),
    );
    // allocStart = start - 5 >= 09:00 and allocEnd = start + 115 <= 12:00.
    assert.deepEqual(spans(slots), [
      '2027-03-01T09:15Z/2027-03-01T11:10Z',
      '2027-03-01T09:30Z/2027-03-01T11:25Z',
      '2027-03-01T09:45Z/2027-03-01T11:40Z',
      '2027-03-01T10:00Z/2027-03-01T11:55Z',
    ]);
    assert.deepEqual(
      slots[0].segments.map((s) => s.serviceId),
      ['A', 'B', 'C'],
    );
  });

  it('in a window the sequence starts at the window start and may run past it', () => {
    const [slot] = searchSlots(
      query({
        services: seq,
        policy: { kind: 'windows', windows: [win('08:00', '09:00')] },
        timeZone: 'UTC',
        from: t('2027-03-01T00:00:00Z'),
        to: t('2027-03-02T00:00:00Z'),
        resources: [resource('r1', everyDay(['07:00', '12:00']))],
      }),
    );
    assert.equal(span(slot), '2027-03-01T08:00Z/2027-03-01T09:00Z');
    assert.equal(span({ start: slot.allocStart, end: slot.allocEnd }), '2027-03-01T07:55Z/2027-03-01T09:55Z');
    assert.equal(slot.segments[2].end, t('2027-03-01T09:55:00Z'));
  });
});

describe('grid capacity', () => {
  it('counts several resources, each partially busy or off, and lists free ones sorted by id', () => {
    const hours = everyDay(['09:00', '12:00']);
    const slots = searchSlots(
      query({
        policy: GRID_30,
        timeZone: 'UTC',
        from: t('2027-03-01T00:00:00Z'),
        to: t('2027-03-02T00:00:00Z'),
        resources: [
          resource('r3', hours, { timeOff: [iv('2027-03-01T11:00:00Z', '2027-03-01T12:00:00Z')] }),
          resource('r1', hours, { busy: [iv('2027-03-01T09:00:00Z', '2027-03-01T10:00:00Z')] }),
          resource('r2', hours, { busy: [iv('2027-03-01T09:30:00Z', '2027-03-01T10:30:00Z')] }),
          resource('r0', everyDay(['13:00', '14:00'])), // works, but not in this part of the day
        ],
      }),
    );
    assert.deepEqual(caps(slots), [
      '2027-03-01T09:00Z cap=3 occ=1 free=r2,r3',
      '2027-03-01T09:30Z cap=3 occ=2 free=r3',
      '2027-03-01T10:00Z cap=3 occ=1 free=r1,r3',
      '2027-03-01T10:30Z cap=3 occ=0 free=r1,r2,r3',
      '2027-03-01T11:00Z cap=2 occ=0 free=r1,r2',
      '2027-03-01T11:30Z cap=2 occ=0 free=r1,r2',
      '2027-03-01T13:00Z cap=1 occ=0 free=r0',
      '2027-03-01T13:30Z cap=1 occ=0 free=r0',
    ]);
  });

  it('drops grid starts nobody can take (capacity 0) but keeps fully occupied ones', () => {
    const slots = searchSlots(
      query({
        policy: GRID_30,
        timeZone: 'UTC',
        from: t('2027-03-01T00:00:00Z'),
        to: t('2027-03-02T00:00:00Z'),
        resources: [
          resource('r1', everyDay(['09:00', '10:00']), {
            busy: [iv('2027-03-01T09:00:00Z', '2027-03-01T09:30:00Z')],
            timeOff: [iv('2027-03-01T09:30:00Z', '2027-03-01T09:45:00Z')],
          }),
        ],
      }),
    );
    assert.deepEqual(caps(slots), ['2027-03-01T09:00Z cap=1 occ=1 free=']);
  });

  it('merges touching working ranges, including across midnight', () => {
    const slots = searchSlots(
      query({
        services: [service('svc', 60)],
        policy: { kind: 'grid', stepMin: 30 },
        timeZone: 'UTC',
        from: t('2027-03-01T00:00:00Z'),
        to: t('2027-03-03T00:00:00Z'),
        resources: [
          resource('r1', {
            weekly: {
              mon: [win('08:00', '09:00'), win('09:00', '10:00'), win('22:00', '24:00')],
              tue: [win('00:00', '01:00')],
            },
          }),
        ],
      }),
    );
    assert.deepEqual(starts(slots), [
      '2027-03-01T08:00Z',
      '2027-03-01T08:30Z', // 08:30-09:30 spans both morning ranges
      '2027-03-01T09:00Z',
      '2027-03-01T22:00Z',
      '2027-03-01T22:30Z',
      '2027-03-01T23:00Z',
      '2027-03-01T23:30Z', // runs past midnight into Tuesday's 00:00-01:00
      '2027-03-02T00:00Z',
    ]);
  });

  it('handles unsorted, overlapping busy and time-off lists without mutating the input', () => {
    const busy = [
      iv('2027-03-01T11:00:00Z', '2027-03-01T11:30:00Z'),
      iv('2027-03-01T09:00:00Z', '2027-03-01T09:45:00Z'),
      iv('2027-03-01T09:15:00Z', '2027-03-01T09:30:00Z'),
    ];
    const snapshot = structuredClone(busy);
    const q = query({
      policy: GRID_30,
      timeZone: 'UTC',
      from: t('2027-03-01T00:00:00Z'),
      to: t('2027-03-02T00:00:00Z'),
      resources: [resource('r1', everyDay(['09:00', '12:00']), { busy })],
    });
    const first = searchSlots(q);
    assert.deepEqual(busy, snapshot);
    assert.deepEqual(searchSlots(q), first, 'same query, same answer');
    assert.deepEqual(
      first.filter((s) => s.occupied === 1).map((s) => iso(s.start)),
      ['2027-03-01T09:00Z', '2027-03-01T09:30Z', '2027-03-01T11:00Z'],
    );
  });
});

describe('input validation', () => {
  const base = { policy: GRID_30, from: t('2027-03-01T00:00:00Z'), to: t('2027-03-02T00:00:00Z') };
  it('rejects an unknown zone, an empty service list, a bad grid step and malformed local times', () => {
    assert.throws(() => searchSlots(query({ ...base, timeZone: 'Mars/Olympus' })), RangeError);
    assert.throws(() => searchSlots(query({ ...base, timeZone: 'UTC', services: [] })), RangeError);
    assert.throws(
      () => searchSlots(query({ ...base, timeZone: 'UTC', policy: { kind: 'grid', stepMin: 0 } })),
      RangeError,
    );
    assert.throws(
      () =>
        searchSlots(query({ ...base, timeZone: 'UTC', policy: { kind: 'windows', windows: [win('9:00', '11:00')] } })),
      RangeError,
    );
    assert.throws(
      () =>
        searchSlots(query({ ...base, timeZone: 'UTC', policy: { kind: 'windows', windows: [win('11:00', '09:00')] } })),
      RangeError,
    );
    assert.throws(
      () => searchSlots(query({ ...base, timeZone: 'UTC', resources: [resource('r1', everyDay(['24:00', '24:00']))] })),
      RangeError,
    );
  });
});

describe('a large search', () => {
  it('50 resources x 14 days on a 15-min grid with bookings: every start, each with the resources free for it', () => {
    const from = t('2027-03-01T00:00:00Z');
    const resources: EngineResource[] = [];
    for (let i = 0; i < 50; i++) {
      const busy: Interval[] = [];
      for (let d = 0; d < 14; d++) {
        const dayStart = from + d * 86_400_000;
        busy.push({ start: dayStart + (8 + (i % 5)) * 3_600_000, end: dayStart + (9 + (i % 5)) * 3_600_000 });
        busy.push({ start: dayStart + (13 + (i % 3)) * 3_600_000, end: dayStart + (14 + (i % 3)) * 3_600_000 });
      }
      resources.push(
        resource(`res-${String(i).padStart(2, '0')}`, everyDay(['07:00', '12:00'], ['12:30', '19:00']), { busy }),
      );
    }
    const slots = searchSlots(
      query({
        services: [service('svc', 45, 0, 15)],
        policy: { kind: 'grid', stepMin: 15 },
        timeZone: 'Europe/Madrid',
        from,
        to: from + 14 * 86_400_000,
        resources,
      }),
    );
    assert.equal(slots.length, 14 * 40); // 17 morning + 23 afternoon starts a day
    const free = (isoUtc: string) => slots.find((s) => s.start === t(isoUtc))?.freeResourceIds.length;
    // 07:00 Madrid (UTC+1 in March): nobody is busy before 08:00Z.
    assert.equal(free('2027-03-01T06:00:00Z'), 50);
    // 09:00 Madrid takes 08:00-09:00Z (45 min + 15 after): the ten resources with i % 5 = 0 are busy then.
    assert.equal(free('2027-03-01T08:00:00Z'), 40);
    // 09:15 Madrid takes 08:15-09:15Z: i % 5 = 0 (08-09Z) and i % 5 = 1 (09-10Z) are busy.
    assert.equal(free('2027-03-14T08:15:00Z'), 30);
    // The last morning start ends its buffer at 12:00 local; no start straddles the 12:00-12:30 break.
    assert.equal(free('2027-03-01T10:00:00Z'), 40);
    assert.equal(free('2027-03-01T10:15:00Z'), undefined);
  });
});
