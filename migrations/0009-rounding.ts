import type { Migration } from '../electron/store/migration.ts';

/**
 * Change rounded down (setting `change_rounding`, core/change-rounding.ts): each payment records the
 * step it was collected at and the rounding kept in the drawer. The database holds the rule itself:
 * the step is 0, 500 or 1000; without a step or without cash handed over nothing is rounded; with
 * one the rounding is exactly what the step cannot hand back of tendered − total (so 0 ≤ rounding
 * < step, and tendered − total − rounding, the change handed back, is a multiple of the step).
 * Both are written once, like the payment's amounts. Payments before this version: step 0, rounding 0.
 */
export const migration0009: Migration = {
  version: 9,
  name: 'rounding',
  sql: /* sql */ `
ALTER TABLE payments ADD COLUMN change_step INTEGER NOT NULL DEFAULT 0 CHECK (change_step IN (0, 500, 1000));
ALTER TABLE payments ADD COLUMN change_rounding INTEGER NOT NULL DEFAULT 0 CHECK (
  CASE WHEN change_step = 0 OR tendered IS NULL THEN change_rounding = 0
       ELSE tendered >= total AND change_rounding = (tendered - total) % change_step END);
CREATE TRIGGER payments_rounding_fixed BEFORE UPDATE OF change_step, change_rounding ON payments
BEGIN SELECT RAISE(ABORT, 'a payment is never changed'); END;
`,
};
