/**
 * The one quote: for a customer and a bill selection, the lines, the reconnection fee, the
 * reconnection order decision and the total. The customer card, the search results and
 * collectPayment all ask it, so what the screen shows is what Enter charges.
 */
import type { Sqlite } from '../store/open.ts';
import type { BillRow } from '../customers/bills.ts';
import type { ReceiptLine } from '../core/documents.ts';
import { sumDong } from '../core/money.ts';
import { checkSelection, reconnectionDecision, type ReconnectionDecision, type SelectionProblem } from '../core/collection-rules.ts';
import { getSetting } from '../store/settings.ts';
import type { OfficePaid } from '../sync/pulled.ts';
import type { ChangeStep } from '../core/change-rounding.ts';

/** What the quote is decided on, read from the database (quoteFacts) or built by a test. */
export interface QuoteFacts {
  /** The customer's outstanding bills, to collect here. */
  bills: readonly BillRow[];
  /** Outstanding bills another counter of the office took (last sync pull): refused here. */
  officePaid: readonly OfficePaid[];
  /** null when the customer is not cut off (TTHAI_CAT = 0). */
  cut: CutFacts | null;
  /** Setting reconnection_fee, đồng. */
  settingsFee: number;
  /** Setting change_rounding: the screen shows the change at this step and the payment records it. */
  changeStep: ChangeStep;
  /** Setting reconnection_fee_vat_percent: the VAT inside that amount. */
  settingsFeeVatPercent: number;
}

export interface CutFacts {
  /** A reconnection order of this cut-off episode exists (valid payment, not cancelled, not reconnected since). */
  episodeOrder: boolean;
  /** The customer's DC bill of the current snapshot was already paid here, in another payment. */
  snapshotFeePaid: boolean;
}

export type Quote =
  | {
      ok: true;
      /** The chosen bills, oldest period first. */
      bills: BillRow[];
      /** One per bill, then the settings fee line when one is charged. */
      lines: ReceiptLine[];
      billsTotal: number;
      /** The settings fee line's amount; 0 when none (a DC bill in the snapshot is a bill, not a fee). */
      fee: number;
      reconnection: ReconnectionDecision | null;
      total: number;
      /** The change_rounding step the change of this quote is shown and recorded at. */
      changeStep: ChangeStep;
    }
  | { ok: false; problem: QuoteProblem };

export type QuoteProblem = SelectionProblem | { code: 'BILL_PAID_AT_OTHER_COUNTER'; paid: OfficePaid };

/**
 * The quote for `billIds` (undefined: every outstanding bill, what the card shows and Enter collects).
 * A chosen bill another counter took is refused, and so is "everything" when that counter took all.
 */
export function quote(facts: QuoteFacts, billIds?: readonly string[]): Quote {
  const paid = billIds === undefined ? (facts.bills.length === 0 ? facts.officePaid[0] : undefined) : facts.officePaid.find((o) => billIds.includes(o.idHdon));
  if (paid !== undefined) return { ok: false, problem: { code: 'BILL_PAID_AT_OTHER_COUNTER', paid } };
  const selection = checkSelection(
    facts.bills.map((b) => ({ bill: b, idHdon: b.id_hdon, loaiHdon: b.loai_hdon, nam: b.nam, thang: b.thang, ky: b.ky })),
    billIds,
  );
  if (!selection.ok) return selection;
  const bills = selection.bills.map((s) => s.bill);
  const reconnection = reconnectionDecision({
    // An order of this cut-off episode already went to CMIS: no second fee, no second order.
    cutOff: facts.cut !== null && !facts.cut.episodeOrder,
    settlesAll: selection.settlesAll,
    snapshotFee: bills.some((b) => b.loai_hdon === 'DC') || (facts.cut?.snapshotFeePaid ?? false),
    settingsFee: facts.settingsFee,
  });
  const lines = bills.map(billLine);
  const fee = reconnection?.feeLine ?? 0;
  if (fee > 0) lines.push(feeLine(fee, facts.settingsFeeVatPercent));
  return { ok: true, bills, lines, billsTotal: sumDong(bills.map((b) => b.tong_tien)), fee, reconnection, total: sumDong(lines.map((l) => l.tongTien)), changeStep: facts.changeStep };
}

export interface QuotedCustomer {
  id: number;
  tthaiCat: boolean;
  /** Outstanding bills, to collect here. */
  bills: readonly BillRow[];
  /** Outstanding bills another counter of the office took (last sync pull). */
  officePaid: readonly OfficePaid[];
}

/** The facts of each customer, in the given order: one settings read, one query for those cut off. */
export function quoteFacts(sqlite: Sqlite, customers: readonly QuotedCustomer[]): QuoteFacts[] {
  const settingsFee = getSetting(sqlite, 'reconnection_fee') ?? 0;
  const changeStep = getSetting(sqlite, 'change_rounding') ?? 0;
  const settingsFeeVatPercent = getSetting(sqlite, 'reconnection_fee_vat_percent') ?? 0;
  const cutIds = customers.filter((c) => c.tthaiCat).map((c) => c.id);
  const cut = cutIds.length === 0 ? new Map<number, CutFacts>() : cutFacts(sqlite, cutIds);
  return customers.map((c) => ({ bills: c.bills, officePaid: c.officePaid, cut: c.tthaiCat ? cut.get(c.id)! : null, settingsFee, settingsFeeVatPercent, changeStep }));
}

/** The quote of one customer read from the database. */
export function quoteCustomer(sqlite: Sqlite, customer: QuotedCustomer, billIds?: readonly string[]): Quote {
  return quote(quoteFacts(sqlite, [customer])[0]!, billIds);
}

function cutFacts(sqlite: Sqlite, customerIds: readonly number[]): Map<number, CutFacts> {
  const rows = sqlite
    .prepare(
      // Unary +: search each customer's few bills, not every bill of the snapshot (bills_snapshot).
      `SELECT j.value AS id,
              EXISTS (SELECT 1 FROM reconnection_orders o JOIN payments p ON p.id = o.payment_id AND p.voided_at IS NULL
                       WHERE o.customer_id = j.value AND o.cancelled_at IS NULL AND o.episode_end_snapshot_id IS NULL) AS episode_order,
              EXISTS (SELECT 1 FROM bills b JOIN payment_lines l ON l.bill_id = b.id AND l.voided = 0
                       WHERE b.customer_id = j.value AND b.loai_hdon = 'DC' AND +b.last_snapshot_id = (SELECT MAX(id) FROM snapshots)) AS fee_paid
         FROM json_each(?) j`,
    )
    .all(JSON.stringify(customerIds)) as Array<{ id: number; episode_order: number; fee_paid: number }>;
  return new Map(rows.map((r) => [r.id, { episodeOrder: r.episode_order === 1, snapshotFeePaid: r.fee_paid === 1 }]));
}

function billLine(b: BillRow): ReceiptLine {
  return {
    idHdon: b.id_hdon,
    loaiHdon: b.loai_hdon,
    ky: b.ky,
    thang: b.thang,
    nam: b.nam,
    dienTthu: b.dien_tthu,
    soTien: b.so_tien,
    tienGtgt: b.tien_gtgt,
    tongTien: b.tong_tien,
  };
}

/**
 * A reconnection fee charged here: no bill, no period. The settings amount is what the customer pays,
 * VAT included; its VAT at the settings rate is split out (rounded to the đồng) as a DC bill shows it.
 */
function feeLine(amount: number, vatPercent: number): ReceiptLine {
  const soTien = Math.round((amount * 100) / (100 + vatPercent));
  return { idHdon: null, loaiHdon: 'DC', ky: null, thang: null, nam: null, dienTthu: null, soTien, tienGtgt: amount - soTien, tongTien: amount };
}
