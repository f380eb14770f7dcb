import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CHANGE_STEPS, roundChange } from '../../electron/core/change-rounding.ts';

test('change is rounded down to the step; the rest is kept as the rounding', () => {
  assert.deepEqual(roundChange(172_800, 200_000, 500), { change: 27_000, rounding: 200 });
  assert.deepEqual(roundChange(172_800, 200_000, 1000), { change: 27_000, rounding: 200 });
  assert.deepEqual(roundChange(172_300, 200_000, 500), { change: 27_500, rounding: 200 });
  assert.deepEqual(roundChange(172_300, 200_000, 1000), { change: 27_000, rounding: 700 });
  assert.deepEqual(roundChange(172_800, 200_000, 0), { change: 27_200, rounding: 0 });
  assert.deepEqual(roundChange(199_700, 200_000, 500), { change: 0, rounding: 300 }, 'change smaller than a step is all kept');
  assert.deepEqual(roundChange(172_800, 172_800, 500), { change: 0, rounding: 0 }, 'the exact amount has nothing to round');
  assert.deepEqual(roundChange(172_800, 100_000, 500), { change: -72_800, rounding: 0 }, 'too little is never rounded');
});

test('for any total, tendered and step: change + rounding = tendered - total, change a multiple of the step, 0 <= rounding < step', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 1e11 }), fc.integer({ min: 0, max: 1e9 }), fc.constantFrom(...CHANGE_STEPS), (total, over, step) => {
      const { change, rounding } = roundChange(total, total + over, step);
      assert.equal(change + rounding, over);
      assert.ok(rounding >= 0 && (step === 0 ? rounding === 0 : rounding < step));
      if (step > 0) assert.equal(change % step, 0);
    }),
  );
});
