/**
 * What gets printed, as data. A print job stores one of these as JSON (print_jobs.document), so a
 * reprint renders exactly what the original did; only the job's copy number differs ("BẢN SAO lần n").
 * Amounts are integer đồng; times are ISO-8601 UTC strings (rendered in Việt Nam time).
 */
export interface PrintHeader {
  companyName: string;
  companyAddress: string;
  pointCode: string;
  pointName: string;
  /** Absent in documents stored before the receipt carried them (reprints print what was printed). */
  companyTaxCode?: string;
  companyHotline?: string;
  pointAddress?: string;
  /** Where the customer looks the e-invoice up; printed at the foot of a receipt. */
  einvoiceLookup?: string;
}

export interface ReceiptLine {
  idHdon: string | null; // null: reconnection fee charged here
  loaiHdon: 'TD' | 'VC' | 'DC';
  ky: number | null;
  thang: number | null;
  nam: number | null;
  dienTthu: number | null;
  soTien: number;
  tienGtgt: number;
  tongTien: number;
}

export interface ReceiptDocument {
  kind: 'receipt';
  header: PrintHeader;
  receiptNo: string;
  paidAt: string;
  cashier: { code: string; name: string };
  customer: { maKhang: string; tenKhang: string; dchiKhang: string; maSogcs: string | null; stt: string | null; soCto: string | null };
  lines: ReceiptLine[];
  total: number;
  tendered: number | null;
  /** Kept in the drawer when the change was rounded down (setting change_rounding); absent in receipts stored before. */
  changeRounding?: number;
  reconnectionOrder: boolean; // a reconnection order was issued with this payment
}

export interface VoidSlipDocument {
  kind: 'void_slip';
  header: PrintHeader;
  receiptNo: string;
  paidAt: string;
  voidedAt: string;
  supervisor: { code: string; name: string };
  reason: string;
  customer: { maKhang: string; tenKhang: string };
  total: number;
}

/** A bill (or the fee line, idHdon null) paid back, with why it was: CMIS's answer or "trùng thu". */
export interface RefundLine {
  idHdon: string | null;
  loaiHdon: 'TD' | 'VC' | 'DC';
  ky: number | null;
  thang: number | null;
  nam: number | null;
  amount: number;
  why: string;
}

/** The slip of a refund: the customer signs it for the cash, the cashier and the supervisor too. */
export interface RefundSlipDocument {
  kind: 'refund';
  header: PrintHeader;
  refundId: number;
  receiptNo: string;
  paidAt: string;
  refundedAt: string;
  shiftId: number;
  cashier: { code: string; name: string };
  supervisor: { code: string; name: string };
  reason: string;
  customer: { maKhang: string; tenKhang: string };
  lines: RefundLine[];
  total: number;
}

/** One cashier's line of a deposit slip: the shifts closed that day, what they took in and paid back. */
export interface DepositCashierLine {
  cashier: { code: string; name: string };
  shiftIds: number[];
  receipts: number;
  receiptsTotal: number;
  refunds: number;
  refundsTotal: number;
  /** Change rounded down and kept with the receipts (setting change_rounding). */
  roundingTotal: number;
  /** receiptsTotal + roundingTotal - refundsTotal: the cash of this cashier that goes to the bank */
  handedOver: number;
}

/** The deposit slip (bảng kê nộp tiền) of a day: the supervisor's note count against the day's cash. */
export interface DepositSlipDocument {
  kind: 'deposit_slip';
  header: PrintHeader;
  depositId: number;
  day: string; // yyyy-mm-dd local
  madeAt: string;
  supervisor: { code: string; name: string };
  cashiers: DepositCashierLine[];
  /** Notes counted, from 500.000 down to 200 đồng (down to 1.000 on a slip made before the 500 and 200), every value listed (0 when none). */
  notes: { value: number; count: number }[];
  /** Đồng under 200 handed over besides the notes; absent on a slip made before it was counted. */
  looseChange?: number;
  expected: number;
  counted: number;
  /** counted - expected */
  difference: number;
  reason: string | null;
}

export interface ZReportDocument {
  kind: 'z_report';
  header: PrintHeader;
  scope: 'shift' | 'day';
  day: string; // yyyy-mm-dd local
  shiftId: number | null;
  cashier: { code: string; name: string } | null;
  openedAt: string | null;
  closedAt: string | null;
  generatedAt: string;
  receiptCount: number; // valid receipts
  firstReceipt: string | null;
  lastReceipt: string | null;
  totalsByType: { TD: number; VC: number; DC: number }; // bill lines only: TD + VC + DC + feesCollected = grandTotal
  feesCollected: number; // reconnection fees charged here (lines without a bill)
  /** How many bills of each type and fees the totals hold; absent in Z reports stored by 0.1 builds. */
  counts?: { TD: number; VC: number; DC: number; fees: number };
  grandTotal: number; // valid payments
  voids: { count: number; total: number; receipts: string[] };
  reprints: number;
  /** Refunds paid out of the drawer (slips, amount); absent in Z reports stored before refunds. */
  refunds?: { count: number; total: number };
  /** Valid payments whose change was rounded down, and the roundings kept in the drawer; absent in Z reports stored before. */
  changeRounding?: { count: number; total: number };
  openingFloat: number | null;
  expectedCash: number | null; // shift: float + grandTotal + changeRounding - refunds
  countedCash: number | null;
  variance: number | null;
  // The journal head when the report was made (its own journal row follows it): printed, so the paper
  // proves later that the journal still holds this row with this hash (verify --anchor).
  chainHeadId: number;
  chainHead: string;
}

export interface ReconnectionOrderDocument {
  kind: 'reconnection_order';
  header: PrintHeader;
  orderId: number;
  /** `<point>-<yy>-<seq>`, unique in the company; absent in orders stored before (they print their id). */
  orderNo?: string;
  receiptNo: string;
  requestedAt: string;
  /** Who collected and issued it; absent in orders stored before. */
  cashier?: { code: string; name: string };
  customer: { maKhang: string; tenKhang: string; dchiKhang: string; dthoaiSms: string | null; soCto: string | null };
}

/** One receipt of a printed list: a voided one is listed (its number was issued) and not counted. */
export interface ReceiptListRow {
  receiptNo: string;
  paidAt: string;
  cashierCode: string;
  maKhang: string;
  tenKhang: string;
  total: number;
  voided: boolean;
}

/**
 * The supervisor's list of the receipts of a shift or a day, in number order. Journaled like a Z
 * report (right after the head it names, with its SHA-256), so the printer and verify hold it to that.
 */
export interface ReceiptListDocument {
  kind: 'receipt_list';
  header: PrintHeader;
  scope: 'shift' | 'day';
  day: string; // yyyy-mm-dd local
  shiftId: number | null;
  cashier: { code: string; name: string } | null;
  generatedAt: string;
  receipts: ReceiptListRow[];
  validCount: number;
  validTotal: number;
  voidedCount: number;
  chainHeadId: number;
  chainHead: string;
}

export interface TestPageDocument {
  kind: 'test_page';
  header: PrintHeader;
  printedAt: string;
}

export type PrintDocument =
  | ReceiptDocument
  | VoidSlipDocument
  | RefundSlipDocument
  | DepositSlipDocument
  | ZReportDocument
  | ReceiptListDocument
  | ReconnectionOrderDocument
  | TestPageDocument;
