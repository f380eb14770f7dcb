/**
 * What the counter (the home screen) shows, and how it changes. Pure, so the rules are tested without
 * a browser.
 *
 * Each customer put on screen is a new *visit* (a number). A collect belongs to the visit it was
 * started from, and its outcome is kept with that visit's customer. When the cashier has already
 * scanned the next customer by the time the outcome arrives, the new customer stays on screen and the
 * outcome is announced beside it, naming the earlier customer: a later scan is never overwritten by
 * an earlier payment, and no outcome (paid, or refused) vanishes unseen.
 */
import type { CollectView, CustomerView, IpcError } from '../electron/ipc/contract.ts';

type Who = Pick<CustomerView, 'maKhang' | 'tenKhang'>;

/** The last collect's outcome at this counter: its receipt, or why it did not go through. */
export type CollectOutcome = { visit: number; customer: Who } & ({ result: CollectView } | { error: IpcError });

export interface Counter {
  visit: number;
  customer: CustomerView | null;
  notFound: string | null;
  /** A lookup or search that failed. */
  error: IpcError | null;
  /** A collect of this visit's customer is in flight. */
  busy: boolean;
  collect: CollectOutcome | null;
}

export const EMPTY_COUNTER: Counter = { visit: 0, customer: null, notFound: null, error: null, busy: false, collect: null };

/**
 * A new visit: a customer, a code not found, a lookup error, or nothing (Esc). The last collect's
 * outcome stays when it arrived after the scan being shown was made (it was in flight then, and
 * would otherwise be replaced before anyone read it).
 */
export function visit(c: Counter, visitNo: number, shown: Partial<Pick<Counter, 'customer' | 'notFound' | 'error'>>, keepOutcome: boolean): Counter {
  return { ...EMPTY_COUNTER, ...shown, visit: visitNo, collect: keepOutcome ? c.collect : null };
}

/** A collect of `visit`'s customer starts; an earlier customer's outcome stays until this one's comes. */
export function collecting(c: Counter, visitNo: number): Counter {
  if (c.visit !== visitNo) return c;
  return { ...c, busy: true, error: null, collect: c.collect?.visit === visitNo ? null : c.collect };
}

/** A collect's outcome arrives: on its own visit it ends the wait; on a later one it is announced beside it. */
export function collected(c: Counter, outcome: CollectOutcome): Counter {
  return c.visit === outcome.visit ? { ...c, busy: false, collect: outcome } : { ...c, collect: outcome };
}

/** This visit's customer has been paid: the card shows the receipt instead of the bills. */
export const paidNow = (c: Counter): boolean => c.collect?.visit === c.visit && 'result' in c.collect;

/** The collect outcome names its customer when another customer (or none) is on screen. */
export const outcomeOfEarlier = (c: Counter): boolean => c.collect !== null && c.collect.visit !== c.visit;

/** A receipt was undone (voided): its banner goes; a later customer on screen stays. */
export function undone(c: Counter, receiptNo: string, visitNo: number): Counter {
  if (c.collect === null || !('result' in c.collect) || c.collect.result.receiptNo !== receiptNo) return c;
  return c.collect.visit === c.visit ? { ...EMPTY_COUNTER, visit: visitNo } : { ...c, collect: null };
}
