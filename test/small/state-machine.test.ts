import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  APPOINTMENT_STATUSES,
  CAPACITY_STATUSES,
  canTransition,
  isLive,
  LIVE_STATUSES,
  MOVABLE_STATUSES,
} from '../../src/core/booking/state-machine.ts';

describe('the appointment state machine', () => {
  it('allows exactly the documented transitions', () => {
    const allowed = APPOINTMENT_STATUSES.flatMap((from) =>
      APPOINTMENT_STATUSES.filter((to) => canTransition(from, to)).map((to) => `${from}->${to}`),
    );
    assert.deepEqual(allowed.sort(), [
      'booked->cancelled',
      'booked->completed',
      'booked->in_progress',
      'booked->no_show',
      'cancelled->booked',
      'in_progress->cancelled',
      'in_progress->completed',
      'no_show->booked',
      'requested->booked',
      'requested->cancelled',
    ]);
  });

  it('a completed appointment is final', () => {
    for (const to of APPOINTMENT_STATUSES) assert.equal(canTransition('completed', to), false);
  });

  it('live statuses are the unfinished ones; capacity is taken only by booked and in-progress ones', () => {
    assert.deepEqual([...LIVE_STATUSES].sort(), ['booked', 'in_progress', 'requested']);
    assert.deepEqual([...CAPACITY_STATUSES].sort(), ['booked', 'in_progress']);
    for (const s of CAPACITY_STATUSES) assert.ok(isLive(s), `${s} takes capacity, so it is live`);
    assert.equal(isLive('cancelled'), false);
  });

  it(
    'an appointment can be moved unless it is under way or completed (moving a cancelled or no-show one reopens ' +
      'it)',
    () => {
      assert.deepEqual([...MOVABLE_STATUSES].sort(), ['booked', 'cancelled', 'no_show', 'requested']);
      // Every movable status that is not live can be reopened to booked, which is what a move does.
      for (const s of MOVABLE_STATUSES) if (!isLive(s)) assert.ok(canTransition(s, 'booked'));
    },
  );
});
