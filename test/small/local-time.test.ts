import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  formatLocalDate,
  parseHHmm,
  parseLocalDate,
  weekdayOfDay,
  zoneClock,
} from '../../src/core/availability/local-time.ts';

const iso = (ms: number) => new Date(ms).toISOString();

describe('local wall times', () => {
  it("parses 'HH:mm' to minutes after midnight; '24:00' only where allowed", () => {
    assert.equal(parseHHmm('00:00', false), 0);
    assert.equal(parseHHmm('09:30', false), 570);
    assert.equal(parseHHmm('24:00', true), 1440);
    for (const bad of ['24:00', '9:30', '09:60', '25:00', ' 09:30', ''])
      assert.throws(() => parseHHmm(bad, false), RangeError, `'${bad}' must be refused`);
  });

  it('parses only real calendar dates, and formats them back', () => {
    const day = parseLocalDate('2028-02-29')!;
    assert.equal(formatLocalDate(day), '2028-02-29');
    assert.equal(weekdayOfDay(day), 'tue');
    assert.equal(weekdayOfDay(0), 'thu'); // 1970-01-01
    assert.equal(parseLocalDate('2027-02-29'), undefined);
    assert.equal(parseLocalDate('2027-13-01'), undefined);
    assert.equal(parseLocalDate('27-01-01'), undefined);
  });

  it('an ordinary Madrid day converts with its one offset', () => {
    const clock = zoneClock('Europe/Madrid');
    const day = parseLocalDate('2027-01-05')!;
    assert.equal(clock.constantOffsetMin(day), 60);
    assert.deepEqual(clock.resolve(day, 9 * 60).map(iso), ['2027-01-05T08:00:00.000Z']);
    assert.equal(clock.localDayOf(Date.parse('2027-01-05T23:30:00Z')), parseLocalDate('2027-01-06'));
  });

  it(
    'a wall time in the spring-forward gap does not exist; ' + 'as a range boundary it is the moment the clocks jump',
    () => {
      const clock = zoneClock('Europe/Madrid');
      const day = parseLocalDate('2027-03-28')!;
      assert.equal(clock.constantOffsetMin(day), null);
      assert.deepEqual(clock.resolve(day, 2 * 60 + 30), []);
      assert.equal(iso(clock.toInstant(day, 2 * 60 + 30)), '2027-03-28T01:00:00.000Z');
      assert.deepEqual(clock.resolve(day, 3 * 60).map(iso), ['2027-03-28T01:00:00.000Z']);
    },
  );

  it('a wall time in the fall-back overlap happens twice; as a range boundary it is the earlier one', () => {
    const clock = zoneClock('Europe/Madrid');
    const day = parseLocalDate('2027-10-31')!;
    assert.deepEqual(clock.resolve(day, 2 * 60 + 30).map(iso), [
      '2027-10-31T00:30:00.000Z',
      '2027-10-31T01:30:00.000Z',
    ]);
    assert.equal(iso(clock.toInstant(day, 2 * 60 + 30)), '2027-10-31T00:30:00.000Z');
  });

  it('half-hour zones convert with their offset', () => {
    const clock = zoneClock('Asia/Kolkata');
    const day = parseLocalDate('2027-06-01')!;
    assert.deepEqual(clock.resolve(day, 9 * 60).map(iso), ['2027-06-01T03:30:00.000Z']);
  });

  it('refuses an unknown zone', () => {
    assert.throws(() => zoneClock('Mars/Olympus'), RangeError);
  });
});
