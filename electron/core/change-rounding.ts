/**
 * Change rounded down to the notes a counter keeps (setting `change_rounding`): the customer gets
 * the change less what a step of 500 ₫ or 1.000 ₫ cannot be handed back; that remainder, the
 * rounding, stays in the drawer and is recorded on the payment. One rule for the screen, the
 * payment, the receipt and the database's CHECK (migration 9 states the same sum).
 */
import { z } from 'zod';

/** 0: no rounding (the default). */
export const CHANGE_STEPS = [0, 500, 1000] as const;
export type ChangeStep = (typeof CHANGE_STEPS)[number];
export const changeStep = z.union([z.literal(0), z.literal(500), z.literal(1000)]);

export interface Change {
  /** Handed back to the customer: tendered − total − rounding. */
  change: number;
  /** Kept in the drawer: 0 ≤ rounding < step (0 without a step). */
  rounding: number;
}

/**
 * The change of `tendered` for `total` at `step`. Too little handed over (a negative difference) is
 * returned as it is, never rounded: the caller refuses it.
 */
export function roundChange(total: number, tendered: number, step: ChangeStep): Change {
  const due = tendered - total;
  const rounding = step === 0 || due <= 0 ? 0 : due % step;
  return { change: due - rounding, rounding };
}
