import { createHash } from 'node:crypto';
import type { Ctx } from '../store/context.ts';
import type { Sqlite } from '../store/open.ts';
import { customerDetail, lookupCode, type CustomerDetail } from '../customers/find.ts';
import { AppError } from '../core/errors.ts';
import { canonicalJson } from '../core/journal-hash.ts';
import { normaliseCode } from '../core/fold.ts';
import { formatDateTime, localParts } from '../core/local-time.ts';
import { formatDong } from '../core/money.ts';
import { formatReceiptNo, RECEIPT_SEQ_MAX } from '../core/receipt-number.ts';
import type { ReceiptDocument, ReceiptLine } from '../core/documents.ts';
import { quoteCustomer, type Quote, type QuoteProblem } from './quote.ts';
import { officePaidNotice } from '../sync/pulled.ts';
import { receiptLines, type PaymentFacts } from '../core/payment-facts.ts';
import { paymentState } from './payment-state.ts';
import { roundChange, type ChangeStep } from '../core/change-rounding.ts';
import { appendJournal } from '../store/journal.ts';
import { enqueuePrintJob, printHeader } from '../printing/print-jobs.ts';
import { requireSetting } from '../store/settings.ts';
import { currentShift } from '../shifts/shifts.ts';
import { userById } from '../users/users.ts';

export interface CollectRequest {
  /** MA_KHANG or card number (MA_THE) as typed or scanned, or a customer id. */
  customer: string | number;
  /** ID_HDON of the bills to pay; default: every outstanding bill. */
  billIds?: string[];
  cashierId: number;
  /** Made by the client once per intended payment; a retry sends the same key. */
  idempotencyKey: string;
  /** Cash handed over, when entered (must cover the total). */
  tendered?: number;
  /**
   * The change_rounding step the change was shown at (the quote's). When the setting changed since,
   * the collect is refused (CHANGE_ROUNDING_CHANGED): the payment never records a change the
   * cashier did not see. Absent (the CLI): the setting as it is now.
   */
  changeStep?: ChangeStep;
}

export interface CollectResult {
  /** true: the key was used before with the same request; this is the first result, nothing new was written. */
  replayed: boolean;
  paymentId: number;
  receiptNo: string;
  paidAt: string;
  customer: { id: number } & ReceiptDocument['customer'];
  lines: ReceiptLine[];
  total: number;
  tendered: number | null;
  /** Handed back: tendered − total − changeRounding; null without cash handed over. */
  change: number | null;
  /** Kept in the drawer (setting change_rounding). */
  changeRounding: number;
  reconnectionOrderId: number | null;
  printJobId: number;
}

/**
 * sha256 of the canonical request: a code is compared as the lookup reads it (case, spaces), bill
 * order does not matter, a missing list means "all outstanding".
 */
export function requestHash(req: CollectRequest): string {
  const canonical = canonicalJson({
    customer: typeof req.customer === 'string' ? normaliseCode(req.customer) : req.customer,
    billIds: req.billIds === undefined ? null : [...req.billIds].sort(),
    cashierId: req.cashierId,
    tendered: req.tendered ?? null,
  });
  return createHash('sha256').update(canonical).digest('hex');
}

/**
 * Collects a payment exactly once. One synchronous IMMEDIATE transaction writes the payment, its
 * lines (amounts copied from the bills), the next gapless receipt number, the reconnection order
 * when due, the journal row and the receipt's print job; nothing is printed here (the printer drains
 * the outbox after the commit). The same idempotency key with the same request returns the first
 * result and writes nothing; with another request it is refused.
 */
export function collectPayment(ctx: Ctx, req: CollectRequest): CollectResult {
  const key = typeof req.idempotencyKey === 'string' ? req.idempotencyKey.trim() : '';
  if (key === '' || key.length > 200) throw new AppError('IDEMPOTENCY_KEY_INVALID', 'Thiếu mã chống trùng (idempotency key) của lần thu.');
  const hash = requestHash(req);
  try {
    return ctx.sqlite.transaction(() => collectInTransaction(ctx, req, key, hash)).immediate();
  } catch (error) {
    throw mapSqliteError(error);
  }
}

function collectInTransaction(ctx: Ctx, req: CollectRequest, key: string, hash: string): CollectResult {
  const { sqlite } = ctx;
  const previous = sqlite
    .prepare(
      `SELECT p.id, p.request_hash, p.receipt_no, p.voided_at, p.void_reason, u.code AS supervisor_code, u.name AS supervisor_name
         FROM payments p LEFT JOIN users u ON u.id = p.voided_by WHERE p.idempotency_key = ?`,
    )
    .get(key) as PreviousPayment | undefined;
  if (previous !== undefined) {
    if (previous.request_hash !== hash) {
      throw new AppError('IDEMPOTENCY_KEY_REUSED', 'Mã chống trùng này đã dùng cho một lần thu khác; lần thu này bị từ chối.', { paymentId: previous.id });
    }
    if (previous.voided_at !== null) throw voidedReplay(previous);
    return loadCollectResult(sqlite, previous.id, true);
  }

  const cashier = userById(ctx, req.cashierId);
  if (cashier === undefined) throw new AppError('USER_NOT_FOUND', 'Không có thu ngân này.');
  const shift = currentShift(ctx, cashier.id);
  if (shift === undefined) throw new AppError('SHIFT_NOT_OPEN', `Thu ngân ${cashier.code} chưa mở ca; hãy mở ca trước khi thu tiền.`);
  const customer = findCustomer(ctx, req.customer);

  const quoted = quoteSelection(sqlite, customer, req.billIds);
  const { lines, total, reconnection } = quoted;
  const tendered = req.tendered ?? null;
  if (tendered !== null) {
    if (!Number.isSafeInteger(tendered) || tendered < 0) throw new AppError('TENDERED_INVALID', 'Số tiền khách đưa phải là số đồng nguyên, không âm.');
    if (tendered < total) throw new AppError('TENDERED_TOO_LITTLE', `Khách đưa ${formatDong(tendered)}, chưa đủ tổng ${formatDong(total)}.`);
  }
  if (req.changeStep !== undefined && req.changeStep !== quoted.changeStep) throw roundingChanged(quoted.changeStep);
  // Nothing to round without cash handed over: the step is recorded only with the change it rounded.
  const changeStep = tendered === null ? 0 : quoted.changeStep;
  const changeRounding = tendered === null ? 0 : roundChange(total, tendered, changeStep).rounding;

  const at = ctx.clock();
  const paidAt = at.toISOString();
  const pointCode = requireSetting(sqlite, 'point_code');
  const year = localParts(at).year;
  const seq = nextReceiptSeq(sqlite, pointCode, year);
  const receiptNo = formatReceiptNo({ pointCode, year, seq });

  const { id: paymentId } = sqlite
    .prepare(
      `INSERT INTO payments (idempotency_key, request_hash, receipt_no, receipt_year, receipt_seq, customer_id, shift_id, cashier_id, paid_at, total, tendered, change_step, change_rounding)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
    )
    .get(key, hash, receiptNo, year, seq, customer.id, shift.id, cashier.id, paidAt, total, tendered, changeStep, changeRounding) as { id: number };
  const insertLine = sqlite.prepare(
    `INSERT INTO payment_lines (payment_id, bill_id, id_hdon, loai_hdon, ky, thang, nam, dien_tthu, so_tien, tien_gtgt, tong_tien)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const billIdByHdon = new Map(quoted.bills.map((b) => [b.id_hdon, b.id]));
  for (const l of lines) {
    const billId = l.idHdon === null ? null : billIdByHdon.get(l.idHdon)!;
    insertLine.run(paymentId, billId, l.idHdon, l.loaiHdon, l.ky, l.thang, l.nam, l.dienTthu, l.soTien, l.tienGtgt, l.tongTien);
  }

  let order: { id: number; no: string } | null = null;
  if (reconnection !== null) {
    // Numbered like receipts, from its own counter of the receipt's year: unique in the company because the point code is.
    const no = formatReceiptNo({ pointCode, year, seq: nextOrderSeq(sqlite, year) });
    const { id } = sqlite
      .prepare('INSERT INTO reconnection_orders (payment_id, customer_id, requested_at, fee_source, order_no) VALUES (?, ?, ?, ?, ?) RETURNING id')
      .get(paymentId, customer.id, paidAt, reconnection.feeSource, no) as { id: number };
    order = { id, no };
  }
  const reconnectionOrderId = order?.id ?? null;

  const header = printHeader(sqlite);
  const document: ReceiptDocument = {
    kind: 'receipt',
    header,
    receiptNo,
    paidAt,
    cashier: { code: cashier.code, name: cashier.name },
    customer: {
      maKhang: customer.maKhang,
      tenKhang: customer.tenKhang,
      dchiKhang: customer.dchiKhang,
      maSogcs: customer.maSogcs,
      stt: customer.stt,
      soCto: customer.soCto,
    },
    lines,
    total,
    tendered,
    changeRounding,
    reconnectionOrder: reconnectionOrderId !== null,
  };
  enqueuePrintJob(sqlite, { kind: 'receipt', paymentId, copyNo: 0, document, at });
  if (order !== null) {
    enqueuePrintJob(sqlite, {
      kind: 'reconnection_order',
      paymentId,
      copyNo: 0,
      document: {
        kind: 'reconnection_order',
        header,
        orderId: order.id,
        orderNo: order.no,
        receiptNo,
        requestedAt: paidAt,
        cashier: { code: cashier.code, name: cashier.name },
        customer: { maKhang: customer.maKhang, tenKhang: customer.tenKhang, dchiKhang: customer.dchiKhang, dthoaiSms: customer.dthoaiSms, soCto: customer.soCto },
      },
      at,
    });
  }
  const facts: PaymentFacts = {
    paymentId,
    receiptNo,
    receiptYear: year,
    receiptSeq: seq,
    idempotencyKey: key,
    requestHash: hash,
    customerId: customer.id,
    maKhang: customer.maKhang,
    shiftId: shift.id,
    cashierId: cashier.id,
    paidAt,
    total,
    tendered,
    changeStep,
    changeRounding,
    reconnectionOrderId,
    lines: lines.map((l) => ({ ...l, billId: l.idHdon === null ? null : billIdByHdon.get(l.idHdon)! })),
  };
  // Every fact of the payment, so verify can hold the tables against the journal (and the other way).
  appendJournal(sqlite, { kind: 'payment', actorId: cashier.id, payload: { ...facts }, at });
  return loadCollectResult(sqlite, paymentId, false);
}

/**
 * A payment as collectPayment returned it, rebuilt from the database: amounts and lines from the
 * payment's own rows (never from a stored print document), names as printed on its receipt.
 */
export function loadCollectResult(sqlite: Sqlite, paymentId: number, replayed: boolean): CollectResult {
  const { facts } = paymentState(sqlite, paymentId)!;
  const job = sqlite.prepare("SELECT id, document FROM print_jobs WHERE payment_id = ? AND kind = 'receipt' ORDER BY id LIMIT 1").get(paymentId) as {
    id: number;
    document: string;
  };
  const doc = JSON.parse(job.document) as ReceiptDocument;
  return {
    replayed,
    paymentId,
    receiptNo: facts.receiptNo,
    paidAt: facts.paidAt,
    customer: { id: facts.customerId, ...doc.customer },
    lines: receiptLines(facts.lines),
    total: facts.total,
    tendered: facts.tendered,
    change: facts.tendered === null ? null : facts.tendered - facts.total - facts.changeRounding,
    changeRounding: facts.changeRounding,
    reconnectionOrderId: facts.reconnectionOrderId,
    printJobId: job.id,
  };
}

interface PreviousPayment {
  id: number;
  request_hash: string;
  receipt_no: string;
  voided_at: string | null;
  void_reason: string | null;
  supervisor_code: string | null;
  supervisor_name: string | null;
}

/**
 * The key's payment was voided since: "already recorded" would tell the cashier the money is on a
 * valid receipt. Nothing is collected; a new attempt (new key) makes a new receipt.
 */
function voidedReplay(p: PreviousPayment): AppError {
  const supervisor = { code: p.supervisor_code ?? '', name: p.supervisor_name ?? '' };
  return new AppError(
    'PAYMENT_VOIDED',
    `Lần thu này đã được ghi (biên nhận ${p.receipt_no}) nhưng đã bị hủy lúc ${formatDateTime(new Date(p.voided_at!))} bởi giám sát ${supervisor.code} - ${supervisor.name}, lý do: ${p.void_reason ?? ''}. Không thu thêm gì; nếu khách vẫn nộp tiền, hãy thu lại thành một lần thu mới.`,
    { paymentId: p.id, receiptNo: p.receipt_no, voidedAt: p.voided_at, supervisor, reason: p.void_reason },
  );
}

/** The screen showed the change at another step than the setting now says: nothing is collected. */
function roundingChanged(now: ChangeStep): AppError {
  const how = now === 0 ? 'không làm tròn' : `làm tròn xuống ${formatDong(now)}`;
  return new AppError(
    'CHANGE_ROUNDING_CHANGED',
    `Cách làm tròn tiền trả lại vừa được đổi (nay: ${how}), nên tiền trả lại đang hiện trên màn hình không còn đúng. Chưa thu gì: hãy xem lại tiền trả lại rồi thu lại.`,
    { changeStep: now },
  );
}

/** By id, or by a scanned or typed MA_KHANG / card number MA_THE (the search's exact lookup). */
function findCustomer(ctx: Ctx, ref: string | number): CustomerDetail {
  const customer = typeof ref === 'number' ? customerDetail(ctx, ref) : lookupCode(ctx, ref);
  if (customer === null) throw new AppError('CUSTOMER_NOT_FOUND', `Không tìm thấy khách hàng ${ref}.`);
  return customer;
}

function nextReceiptSeq(sqlite: Sqlite, pointCode: string, year: number): number {
  const { last_seq: seq } = sqlite
    .prepare(
      `INSERT INTO receipt_counters (point_code, year, last_seq) VALUES (?, ?, 1)
       ON CONFLICT (point_code, year) DO UPDATE SET last_seq = last_seq + 1 RETURNING last_seq`,
    )
    .get(pointCode, year) as { last_seq: number };
  return withinYear(seq, 'biên nhận', year);
}

/** A sequence number of the year, or RECEIPT_SEQUENCE_FULL past the six digits of its number. */
function withinYear(seq: number, what: string, year: number): number {
  if (seq > RECEIPT_SEQ_MAX) throw new AppError('RECEIPT_SEQUENCE_FULL', `Đã hết số ${what} của năm ${year} (tối đa ${RECEIPT_SEQ_MAX}).`);
  return seq;
}

function nextOrderSeq(sqlite: Sqlite, year: number): number {
  const { last_seq: seq } = sqlite
    .prepare('INSERT INTO order_counters (year, last_seq) VALUES (?, 1) ON CONFLICT (year) DO UPDATE SET last_seq = last_seq + 1 RETURNING last_seq')
    .get(year) as { last_seq: number };
  return withinYear(seq, 'lệnh đóng điện', year);
}

/** The one quote for a selection, or the refusal a collect of it would give (the window asks it: IPC `quote`). */
export function quoteSelection(sqlite: Sqlite, customer: CustomerDetail, billIds?: readonly string[]): Extract<Quote, { ok: true }> {
  const quoted = quoteCustomer(sqlite, customer, billIds);
  if (!quoted.ok) throw selectionError(sqlite, customer, quoted.problem);
  return quoted;
}

function selectionError(sqlite: Sqlite, customer: CustomerDetail, problem: QuoteProblem): AppError {
  switch (problem.code) {
    case 'NOTHING_TO_COLLECT':
      return new AppError('NOTHING_TO_COLLECT', `Khách hàng ${customer.maKhang} không có hóa đơn nào để thu.`);
    case 'BILL_DUPLICATE':
      return new AppError('BILL_DUPLICATE', `Hóa đơn ${problem.idHdon} được chọn hai lần.`, problem);
    case 'BILL_ORDER':
      return new AppError(
        'BILL_ORDER',
        `Phải thu hóa đơn kỳ cũ ${problem.olderUnpaid} trước (hoặc cùng lúc với) hóa đơn ${problem.idHdon}.`,
        problem,
      );
    case 'BILL_NOT_OUTSTANDING':
      return notOutstandingError(sqlite, customer, problem.idHdon);
    case 'BILL_PAID_AT_OTHER_COUNTER':
      // As long as the last pull says so; a void pulled later releases the bill here.
      return new AppError(
        'BILL_PAID_AT_OTHER_COUNTER',
        `${officePaidNotice(problem.paid)} Không thu lại hóa đơn này ở quầy này; nếu khách nói chưa nộp, hãy xem biên nhận của khách hoặc hỏi quầy ${problem.paid.pointCode}.`,
        problem.paid,
      );
  }
}

/** Says why a chosen bill cannot be collected: paid already, not this customer's, or no longer open. */
function notOutstandingError(sqlite: Sqlite, customer: CustomerDetail, idHdon: string): AppError {
  const bill = sqlite
    .prepare(
      `SELECT b.customer_id,
              (SELECT p.receipt_no FROM payment_lines l JOIN payments p ON p.id = l.payment_id WHERE l.bill_id = b.id AND l.voided = 0) AS receipt_no
         FROM bills b WHERE b.id_hdon = ?`,
    )
    .get(idHdon) as { customer_id: number; receipt_no: string | null } | undefined;
  if (bill === undefined || bill.customer_id !== customer.id) {
    return new AppError('BILL_NOT_FOUND', `Khách hàng ${customer.maKhang} không có hóa đơn ${idHdon}.`, { idHdon });
  }
  if (bill.receipt_no !== null) {
    return new AppError('BILL_ALREADY_PAID', `Hóa đơn ${idHdon} đã được thu (biên nhận ${bill.receipt_no}).`, { idHdon, receiptNo: bill.receipt_no });
  }
  return new AppError('BILL_NOT_OUTSTANDING', `Hóa đơn ${idHdon} không còn nợ trong dữ liệu CMIS hiện tại.`, { idHdon });
}

/** The database's own guards, in words a cashier understands. */
function mapSqliteError(error: unknown): unknown {
  const code = (error as { code?: string } | null)?.code;
  const message = (error as Error | null)?.message ?? '';
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' && message.includes('payment_lines.bill_id')) {
    return new AppError('BILL_ALREADY_PAID', 'Một hóa đơn trong lần thu này đã được thu ở lần thu khác.');
  }
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' && message.includes('payments.idempotency_key')) {
    return new AppError('IDEMPOTENCY_KEY_REUSED', 'Mã chống trùng này vừa được dùng cho một lần thu khác; hãy thử lại.');
  }
  if (code?.startsWith('SQLITE_BUSY') === true) return new AppError('DATABASE_BUSY', 'Cơ sở dữ liệu đang bận; hãy thử lại.');
  return error;
}
