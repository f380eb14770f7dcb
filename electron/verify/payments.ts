/**
 * Payments, their lines, voids, reconnection orders and export marks held against the journal's
 * ledger, both ways: every payment row has its journal row with the same facts, every journaled
 * payment still has its rows, and each void and export mark is the one the journal recorded.
 */
import type { Sqlite } from '../store/open.ts';
import { query, selectOne } from '../store/typed-query.ts';
import { factsDiff, factsDigest, type PaymentFacts } from '../core/payment-facts.ts';
import { forEachState, paymentStateSql, type PaymentState, type PaymentStateRow } from '../payments/payment-state.ts';
import type { MoneyLedger } from './ledger.ts';
import type { Problems } from './problems.ts';

/** Which payments to read: all, or (before an export) the ones the journal segment names plus every one not yet exported. */
export type PaymentScope = { all: true } | { all: false; segmentIds: number[] };

const UNEXPORTED = `p.id IN (SELECT value FROM json_each(@ids)) OR (p.batch_id IS NULL AND (p.voided_at IS NULL OR p.void_batch_id IS NULL))`;

/** Compares the payments in scope; returns how many were read. */
export function reconcilePayments(sqlite: Sqlite, ledger: MoneyLedger, scope: PaymentScope, problems: Problems): number {
  const stmt = sqlite.prepare(paymentStateSql(scope.all ? '1' : UNEXPORTED));
  const seen = new Set<number>();
  const changed: Array<{ facts: PaymentFacts; journalId: number }> = [];
  // One pass over a join: better-sqlite3 runs no other statement while an iterator is open.
  const rows = stmt.iterate({ ids: scope.all ? '[]' : JSON.stringify(scope.segmentIds) }) as Iterable<PaymentStateRow>;
  forEachState(rows, (state) => {
    seen.add(state.facts.paymentId);
    checkPayment(state, ledger, problems);
    const journaled = ledger.payments.get(state.facts.paymentId);
    if (journaled !== undefined && journaled.digest !== factsDigest({ ...state.facts })) changed.push({ facts: state.facts, journalId: journaled.journalId });
  });

  const journalPayload = (id: number) => selectOne(sqlite, query.selectFrom('journal').where('id', '=', id).select('payload')).payload;
  for (const { facts, journalId } of changed) {
    const journaled = JSON.parse(journalPayload(journalId)) as Record<string, unknown>;
    problems.add(
      'PAYMENT_CHANGED',
      `Khoản thu ${facts.receiptNo} khác với dòng nhật ký ${journalId} ghi lúc thu: ${factsDiff({ ...facts }, journaled).join(', ')}.`,
    );
  }
  for (const [id, p] of ledger.payments) {
    if (!seen.has(id)) problems.add('PAYMENT_MISSING', `Khoản thu ${p.receiptNo} (dòng nhật ký ${p.journalId}) không còn trong bảng khoản thu: đã bị xóa.`);
  }
  const orphans = selectOne(
    sqlite,
    query
      .selectFrom('payment_lines')
      .where('payment_id', 'not in', query.selectFrom('payments').select('id'))
      .select((eb) => eb.fn.countAll<number>().as('n')),
  ).n;
  if (orphans > 0) problems.add('PAYMENT_MISSING', `${orphans} dòng chi tiết thu thuộc khoản thu không còn tồn tại.`);
  return seen.size;
}

/** One payment's void, order and export marks against the journal's. */
function checkPayment(state: PaymentState, ledger: MoneyLedger, problems: Problems): void {
  const { facts, void: voided } = state;
  const id = facts.paymentId;
  const receipt = `Khoản thu ${facts.receiptNo}`;
  if (!ledger.payments.has(id)) problems.add('PAYMENT_NOT_JOURNALED', `${receipt} không có dòng nhật ký thu tiền: được thêm ngoài chương trình.`);

  const journaledVoid = ledger.voids.get(id);
  if (voided !== null && journaledVoid === undefined) {
    problems.add('VOID_NOT_JOURNALED', `${receipt} bị đánh dấu hủy (${voided.voidedAt}) mà nhật ký không có lần hủy nào: hủy ngoài chương trình.`);
  } else if (voided === null && journaledVoid !== undefined) {
    problems.add('VOID_MISSING', `${receipt} đã bị hủy theo nhật ký (${journaledVoid.voidedAt}) nhưng bảng khoản thu không còn dấu hủy.`);
  } else if (
    voided !== null &&
    journaledVoid !== undefined &&
    (journaledVoid.voidedAt !== voided.voidedAt || journaledVoid.voidedBy !== voided.voidedBy || journaledVoid.reason !== voided.reason)
  ) {
    problems.add('VOID_CHANGED', `${receipt}: lần hủy trong bảng (lúc, người hủy, lý do) khác với nhật ký.`);
  }
  if (state.linesVoided.some((v) => v !== (voided !== null))) problems.add('VOID_CHANGED', `${receipt}: dấu hủy của các dòng chi tiết không theo khoản thu.`);
  // The order is made with the payment (same time) and cancelled with its void (same time).
  if (state.order !== null && state.order.cancelledAt !== (voided?.voidedAt ?? null)) {
    problems.add('RECONNECTION_ORDER_CHANGED', `${receipt}: lệnh đóng điện số ${state.order.id} ${voided !== null ? 'chưa được hủy theo khoản thu' : 'bị hủy mà khoản thu còn hiệu lực'}.`);
  }
  if (state.order !== null && state.order.requestedAt !== facts.paidAt) {
    problems.add('RECONNECTION_ORDER_CHANGED', `${receipt}: lệnh đóng điện số ${state.order.id} ghi lúc ${state.order.requestedAt}, khoản thu lúc ${facts.paidAt}.`);
  }

  const carried = (batch: number | null) => batch !== null && ledger.carried.batches.has(batch);
  const exportedIn = ledger.exportedIn.get(id) ?? null;
  if (state.batchId !== exportedIn && !(carried(state.batchId) && ledger.carried.exportedReceipts.has(facts.receiptNo))) {
    problems.add('EXPORT_MARK_MISMATCH', `${receipt}: bảng ghi đã xuất ở lần ${state.batchId ?? '(chưa xuất)'}, nhật ký ghi ${exportedIn ?? '(chưa xuất)'}.`);
  }
  const voidListedIn = ledger.voidListedIn.get(id) ?? null;
  if (state.voidBatchId !== voidListedIn && !carried(state.voidBatchId)) {
    problems.add('EXPORT_MARK_MISMATCH', `${receipt}: lần hủy được báo ở lần xuất ${state.voidBatchId ?? '(chưa báo)'} theo bảng, ${voidListedIn ?? '(chưa báo)'} theo nhật ký.`);
  }
}
