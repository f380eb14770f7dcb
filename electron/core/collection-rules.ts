/**
 * Which bills may be collected together (contract section 2), as pure rules.
 *
 * Precisely:
 * - Period bills (TD energy, VC reactive power) are paid oldest period first without gaps: a
 *   selection is accepted when, for every chosen period bill, every outstanding period bill of a
 *   strictly older period (NAM, THANG, KY) is chosen too. Bills of the SAME period (a TD and a VC of
 *   one round) do not order each other.
 * - A DC bill (disconnection/reconnection fee) has no period order: it may be chosen with any
 *   accepted set of period bills, or alone, and leaving it unpaid never blocks a period bill.
 * - Bills are paid whole: a selection names bills, never amounts. It must not be empty, must not name a
 *   bill twice and may only name the customer's outstanding bills.
 */
export type LoaiHdon = 'TD' | 'VC' | 'DC';

export interface PeriodBill {
  idHdon: string;
  loaiHdon: LoaiHdon;
  nam: number;
  thang: number;
  ky: number;
}

/** Orders bills oldest period first; id_hdon breaks ties so the order is total and stable. */
export function comparePeriod(a: PeriodBill, b: PeriodBill): number {
  return a.nam - b.nam || a.thang - b.thang || a.ky - b.ky || (a.idHdon < b.idHdon ? -1 : a.idHdon > b.idHdon ? 1 : 0);
}

function periodKey(b: PeriodBill): number {
  return b.nam * 10_000 + b.thang * 100 + b.ky;
}

export type SelectionProblem =
  | { code: 'NOTHING_TO_COLLECT' }
  | { code: 'BILL_DUPLICATE'; idHdon: string }
  | { code: 'BILL_NOT_OUTSTANDING'; idHdon: string }
  | { code: 'BILL_ORDER'; idHdon: string; olderUnpaid: string };

export type SelectionCheck<T extends PeriodBill> =
  | { ok: true; bills: T[]; settlesAll: boolean }
  | { ok: false; problem: SelectionProblem };

/**
 * Checks a selection against the customer's outstanding bills. `chosen` undefined = all of them.
 * On success the bills come back oldest first; settlesAll says nothing stays outstanding afterwards.
 */
export function checkSelection<T extends PeriodBill>(outstanding: readonly T[], chosen: readonly string[] | undefined): SelectionCheck<T> {
  const sorted = [...outstanding].sort(comparePeriod);
  if (chosen === undefined) {
    return sorted.length === 0 ? { ok: false, problem: { code: 'NOTHING_TO_COLLECT' } } : { ok: true, bills: sorted, settlesAll: true };
  }
  if (chosen.length === 0) return { ok: false, problem: { code: 'NOTHING_TO_COLLECT' } };
  const byId = new Map(sorted.map((b) => [b.idHdon, b]));
  const picked = new Set<string>();
  for (const id of chosen) {
    if (picked.has(id)) return { ok: false, problem: { code: 'BILL_DUPLICATE', idHdon: id } };
    if (!byId.has(id)) return { ok: false, problem: { code: 'BILL_NOT_OUTSTANDING', idHdon: id } };
    picked.add(id);
  }
  const periodBills = sorted.filter((b) => b.loaiHdon !== 'DC');
  const newestChosen = Math.max(-1, ...periodBills.filter((b) => picked.has(b.idHdon)).map(periodKey));
  const gap = periodBills.find((b) => periodKey(b) < newestChosen && !picked.has(b.idHdon));
  if (gap !== undefined) {
    const offender = periodBills.find((b) => picked.has(b.idHdon) && periodKey(b) > periodKey(gap))!;
    return { ok: false, problem: { code: 'BILL_ORDER', idHdon: offender.idHdon, olderUnpaid: gap.idHdon } };
  }
  return { ok: true, bills: sorted.filter((b) => picked.has(b.idHdon)), settlesAll: picked.size === sorted.length };
}

export interface ReconnectionInput {
  cutOff: boolean; // TTHAI_CAT = 1
  settlesAll: boolean; // the payment leaves nothing outstanding
  snapshotFee: boolean; // the customer's DC bill of the snapshot is in this payment or already paid here
  settingsFee: number; // setting reconnection_fee, đồng
}

export interface ReconnectionDecision {
  feeSource: 'snapshot' | 'settings';
  /** Amount of a fee line without a bill to add to the payment; null = no line. */
  feeLine: number | null;
}

/**
 * Section 2: a cut-off customer who has paid every outstanding bill gets a reconnection order.
 * The fee is the snapshot's DC bill when there is one (it is then among the bills), otherwise the
 * settings amount as an extra line. A settings fee of 0 still creates the order, without a fee line.
 */
export function reconnectionDecision(input: ReconnectionInput): ReconnectionDecision | null {
  if (!input.cutOff || !input.settlesAll) return null;
  if (input.snapshotFee) return { feeSource: 'snapshot', feeLine: null };
  return { feeSource: 'settings', feeLine: input.settingsFee > 0 ? input.settingsFee : null };
}
