import type { Migration } from '../electron/store/migration.ts';

/**
 * Reconnection orders get a number unique in the company, `<point>-<yy>-<6-digit seq>` like a receipt
 * (point codes are unique), from a counter per local year taken in the payment's transaction. Orders
 * made before keep no number (NULL): they are shown by their row id, as they were printed. A number is
 * written once.
 */
export const migration0011: Migration = {
  version: 11,
  name: 'order-numbers',
  sql: /* sql */ `
CREATE TABLE order_counters (
  year INTEGER PRIMARY KEY,
  last_seq INTEGER NOT NULL CHECK (last_seq > 0)
) STRICT;
ALTER TABLE reconnection_orders ADD COLUMN order_no TEXT;
CREATE UNIQUE INDEX reconnection_orders_number ON reconnection_orders(order_no) WHERE order_no IS NOT NULL;
CREATE TRIGGER reconnection_orders_number_fixed BEFORE UPDATE OF order_no ON reconnection_orders
  WHEN OLD.order_no IS NOT NEW.order_no
BEGIN
  SELECT RAISE(ABORT, 'a reconnection order number is written once');
END;
`,
};
