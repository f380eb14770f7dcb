/**
 * The money as the journal tells it: payments, voids, refunds, resends, export marks, batches and receipt numbers,
 * folded from the journal rows in order. verify then holds the tables against it, both ways.
 */
import type { JournalRow } from '../store/journal.ts';
import { factsDigest } from '../core/payment-facts.ts';
import { parseReceiptNo } from '../core/receipt-number.ts';
import type { Problems } from './problems.ts';

export interface LedgerPayment {
  journalId: number;
  digest: string;
  receiptNo: string;
}

export interface LedgerVoid {
  voidedAt: string;
  voidedBy: number | null;
  reason: string;
}

export interface LedgerBatch {
  journalId: number;
  csvFile: string;
  csvSha256: string;
  reconnectionSha256: string;
  manifestSha256: string;
  /** null: a batch made before payment confirmations */
  smsSha256: string | null;
  rows: number;
  total: number;
  completedAt: string | null;
}

/** A refund or a resend as journaled: its facts (canonical JSON of the rows' shape). */
export interface LedgerDecision {
  journalId: number;
  facts: string;
}

export interface MoneyLedger {
  payments: Map<number, LedgerPayment>;
  voids: Map<number, LedgerVoid>;
  /** payment id -> the batch that exported it / that listed its void */
  exportedIn: Map<number, number>;
  voidListedIn: Map<number, number>;
  batches: Map<number, LedgerBatch>;
  /** refund id / resend id -> as journaled; resend id -> the batch that carried it again */
  refunds: Map<number, LedgerDecision>;
  resends: Map<number, LedgerDecision>;
  resentIn: Map<number, number>;
  /** deposit id -> the slip as journaled / its bank reference as journaled */
  deposits: Map<number, LedgerDecision>;
  depositRefs: Map<number, LedgerDecision>;
  /** "<point>|<year>" -> the receipt sequence numbers issued */
  receiptSeqs: Map<string, number[]>;
  /** What forced restores carried over from the database they replaced (it has no journal rows here). */
  carried: { batches: Set<number>; exportedReceipts: Set<string>; counters: Map<string, { from: number; to: number }[]> };
  /** Folded from a part of the journal (the rows since the last export): earlier rows are not here. */
  partial: boolean;
}

export function newLedger(partial = false): MoneyLedger {
  return {
    partial,
    payments: new Map(),
    voids: new Map(),
    exportedIn: new Map(),
    voidListedIn: new Map(),
    batches: new Map(),
    refunds: new Map(),
    resends: new Map(),
    resentIn: new Map(),
    deposits: new Map(),
    depositRefs: new Map(),
    receiptSeqs: new Map(),
    carried: { batches: new Set(), exportedReceipts: new Set(), counters: new Map() },
  };
}

export const counterKey = (pointCode: string, year: number) => `${pointCode}|${year}`;

const MONEY_KINDS = new Set(['payment', 'void', 'refund', 'resend', 'deposit', 'deposit_reference', 'export', 'export_complete', 'restore']);

/** The facts of a refund and of a resend, in this order: what the journal row and the rows must both say. */
export const REFUND_FACTS = ['refundId', 'paymentId', 'receiptNo', 'shiftId', 'cashierId', 'cashierCode', 'supervisorId', 'supervisorCode', 'reason', 'refundedAt', 'lines'] as const;
export const RESEND_FACTS = ['resendId', 'paymentId', 'supervisorId', 'decidedAt', 'lineIds'] as const;
/** A deposit slip's facts (shifts/deposit.ts DepositFacts), and its bank reference, journaled on its own. */
export const DEPOSIT_FACTS = ['depositId', 'day', 'supervisorId', 'madeAt', 'notes', 'looseChange', 'counted', 'expected', 'reason', 'shifts'] as const;
export const DEPOSIT_REFERENCE_FACTS = ['depositId', 'bankRef', 'bankRefAt', 'bankRefBy'] as const;

/** Canonical JSON of `keys` of a record (a payload or a row's facts). */
export const factsText = (record: object, keys: readonly string[]): string =>
  JSON.stringify(keys.map((k) => (record as Record<string, unknown>)[k] ?? null));

type Payload = Record<string, unknown>;
const isInt = (v: unknown): v is number => Number.isSafeInteger(v);
const isText = (v: unknown): v is string => typeof v === 'string';
const ints = (v: unknown): number[] | null => (Array.isArray(v) && v.every(isInt) ? v : null);

/** Adds one journal row's money event to the ledger; a row that cannot be read is a problem. */
export function foldRow(ledger: MoneyLedger, row: JournalRow, problems: Problems): void {
  if (!MONEY_KINDS.has(row.kind)) return;
  let payload: Payload;
  try {
    payload = JSON.parse(row.payload) as Payload;
  } catch {
    payload = {};
  }
  const unreadable = () => problems.add('JOURNAL_ROW_UNREADABLE', `Dòng nhật ký ${row.id} (${row.kind}) thiếu hoặc hỏng dữ liệu tiền.`);
  switch (row.kind) {
    case 'payment':
      return foldPayment(ledger, row, payload, problems, unreadable);
    case 'void': {
      if (!isInt(payload.paymentId) || !isText(payload.reason)) return unreadable();
      if (ledger.voids.has(payload.paymentId)) problems.add('JOURNAL_DUPLICATE', `Dòng nhật ký ${row.id} hủy lần thứ hai khoản thu số ${payload.paymentId}.`);
      ledger.voids.set(payload.paymentId, { voidedAt: row.at, voidedBy: row.actor_id, reason: payload.reason });
      return;
    }
    case 'refund':
    case 'resend':
    case 'deposit':
    case 'deposit_reference': {
      const [id, keys, into] = {
        refund: [payload.refundId, REFUND_FACTS, ledger.refunds] as const,
        resend: [payload.resendId, RESEND_FACTS, ledger.resends] as const,
        deposit: [payload.depositId, DEPOSIT_FACTS, ledger.deposits] as const,
        deposit_reference: [payload.depositId, DEPOSIT_REFERENCE_FACTS, ledger.depositRefs] as const,
      }[row.kind];
      if (!isInt(id)) return unreadable();
      if (into.has(id)) problems.add('JOURNAL_DUPLICATE', `Dòng nhật ký ${row.id} ghi lần thứ hai quyết định ${row.kind} số ${id}.`);
      into.set(id, { journalId: row.id, facts: factsText(payload, keys) });
      return;
    }
    case 'export':
      return foldExport(ledger, row, payload, problems, unreadable);
    case 'export_complete': {
      const batch = isInt(payload.batchId) ? ledger.batches.get(payload.batchId) : undefined;
      if (batch === undefined && ledger.partial) return; // its export row is before the part read
      if (batch === undefined) return problems.add('JOURNAL_ROW_UNREADABLE', `Dòng nhật ký ${row.id} ghi xong một lần xuất mà nhật ký không có.`);
      batch.completedAt = row.at;
      return;
    }
    case 'restore':
      return foldRestore(ledger, payload);
  }
}

function foldPayment(ledger: MoneyLedger, row: JournalRow, payload: Payload, problems: Problems, unreadable: () => void): void {
  const id = payload.paymentId;
  const receipt = isText(payload.receiptNo) ? parseReceiptNo(payload.receiptNo) : null;
  if (!isInt(id) || receipt === null || !isInt(payload.receiptSeq) || !Array.isArray(payload.lines)) return unreadable();
  if (ledger.payments.has(id)) problems.add('JOURNAL_DUPLICATE', `Dòng nhật ký ${row.id} ghi lần thứ hai khoản thu số ${id}.`);
  ledger.payments.set(id, { journalId: row.id, digest: factsDigest(payload), receiptNo: payload.receiptNo as string });
  const key = counterKey(receipt.pointCode, receipt.year);
  const seqs = ledger.receiptSeqs.get(key) ?? [];
  seqs.push(payload.receiptSeq);
  ledger.receiptSeqs.set(key, seqs);
}

function foldExport(ledger: MoneyLedger, row: JournalRow, payload: Payload, problems: Problems, unreadable: () => void): void {
  const { batchId, csvFile, csvSha256, reconnectionSha256, manifestSha256, rows, total } = payload;
  const paymentIds = ints(payload.paymentIds);
  const voidIds = ints(payload.voidIds);
  // Export rows from before resends have none.
  const resendIds = payload.resendIds === undefined ? [] : ints(payload.resendIds);
  if (!isInt(batchId) || !isText(csvFile) || !isText(csvSha256) || !isText(reconnectionSha256) || !isText(manifestSha256) || !isInt(rows) || !isInt(total)) {
    return unreadable();
  }
  if (paymentIds === null || voidIds === null || resendIds === null) return unreadable();
  if (ledger.batches.has(batchId)) problems.add('JOURNAL_DUPLICATE', `Dòng nhật ký ${row.id} ghi lần thứ hai lần xuất số ${batchId}.`);
  const smsSha256 = isText(payload.smsSha256) ? payload.smsSha256 : null;
  ledger.batches.set(batchId, { journalId: row.id, csvFile, csvSha256, reconnectionSha256, manifestSha256, smsSha256, rows, total, completedAt: null });
  for (const [ids, marks] of [[paymentIds, ledger.exportedIn], [voidIds, ledger.voidListedIn], [resendIds, ledger.resentIn]] as const) {
    for (const id of ids) {
      if (marks.has(id)) problems.add('JOURNAL_DUPLICATE', `Dòng nhật ký ${row.id} xuất lần thứ hai khoản thu số ${id}.`);
      marks.set(id, batchId);
    }
  }
}

/** A forced restore (electron/backups.ts carryOver): counters raised, batches and export marks carried. */
function foldRestore(ledger: MoneyLedger, payload: Payload): void {
  if (payload.forced !== true) return;
  for (const id of ints(payload.batchesCarried) ?? []) ledger.carried.batches.add(id);
  if (Array.isArray(payload.paymentsMarkedExported)) {
    for (const no of payload.paymentsMarkedExported) if (isText(no)) ledger.carried.exportedReceipts.add(no);
  }
  if (Array.isArray(payload.receiptCounters)) {
    for (const c of payload.receiptCounters as Payload[]) {
      if (!isText(c.pointCode) || !isInt(c.year) || !isInt(c.from) || !isInt(c.to)) continue;
      const key = counterKey(c.pointCode, c.year);
      ledger.carried.counters.set(key, [...(ledger.carried.counters.get(key) ?? []), { from: c.from, to: c.to }]);
    }
  }
}
