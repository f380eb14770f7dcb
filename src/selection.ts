/**
 * Which bills the cashier collects: the oldest periods first, so a gap cannot be chosen (contract
 * section 2). The choice is a number of periods kept, oldest first; DC bills (the fee) are always in,
 * since they never order the others. Pure, so the rule is tested without a browser.
 */
import type { BillView } from '../electron/ipc/contract.ts';

const periodOf = (b: Pick<BillView, 'ky' | 'thang' | 'nam'>): number => b.nam * 10_000 + b.thang * 100 + b.ky;

/** The distinct periods of the period bills (TD, VC), oldest first. */
export function periods(bills: readonly BillView[]): number[] {
  return [...new Set(bills.filter((b) => b.loaiHdon !== 'DC').map(periodOf))].sort((a, b) => a - b);
}

/** Whether a bill is chosen when the oldest `kept` periods are. */
export function isChosen(bills: readonly BillView[], kept: number, bill: BillView): boolean {
  return bill.loaiHdon === 'DC' || periods(bills).indexOf(periodOf(bill)) < kept;
}

/** ID_HDON of the chosen bills, in the card's order (oldest first). */
export function chosenIds(bills: readonly BillView[], kept: number): string[] {
  return bills.filter((b) => isChosen(bills, kept, b)).map((b) => b.idHdon);
}

/** One period fewer (-1) or more (+1); at least one period stays chosen, at most all. */
export function step(bills: readonly BillView[], kept: number, delta: -1 | 1): number {
  const n = periods(bills).length;
  return Math.max(Math.min(1, n), Math.min(n, kept + delta));
}

/** A click on a bill's box: unchoosing it leaves out its period and every newer one; choosing it takes every older one. */
export function toggle(bills: readonly BillView[], kept: number, bill: BillView): number {
  if (bill.loaiHdon === 'DC') return kept;
  const index = periods(bills).indexOf(periodOf(bill));
  return index < kept ? Math.max(1, index) : index + 1;
}
