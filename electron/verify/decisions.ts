/**
 * Refunds, resends and deposit slips held against the journal, both ways: every row has its journal
 * row with the same facts (who, whose drawer, which lines, how much; a slip's count, shifts and bank
 * reference), every journaled decision still has its rows, and each resend's batch is the one the
 * export journaled.
 */
import type { Sqlite } from '../store/open.ts';
import { allRefundFacts } from '../payments/refunds.ts';
import { allResends } from '../cmis/resends.ts';
import { allDeposits, handedOverOf } from '../shifts/deposit.ts';
import { DEPOSIT_FACTS, DEPOSIT_REFERENCE_FACTS, factsText, REFUND_FACTS, RESEND_FACTS, type LedgerDecision, type MoneyLedger } from './ledger.ts';
import type { Problems } from './problems.ts';

const MISSING: Record<Kind, string> = { REFUND: 'Lần hoàn tiền', RESEND: 'Lần gửi lại', DEPOSIT: 'Bảng kê nộp tiền', DEPOSIT_REFERENCE: 'Số tham chiếu ngân hàng của bảng kê' };
type Kind = 'REFUND' | 'RESEND' | 'DEPOSIT' | 'DEPOSIT_REFERENCE';

function compare(kind: Kind, rows: { id: number; facts: string; what: string }[], journaled: Map<number, LedgerDecision>, problems: Problems): void {
  const seen = new Set<number>();
  for (const row of rows) {
    seen.add(row.id);
    const j = journaled.get(row.id);
    if (j === undefined) problems.add(`${kind}_NOT_JOURNALED`, `${row.what} không có dòng nhật ký: được thêm ngoài chương trình.`);
    else if (j.facts !== row.facts) problems.add(`${kind}_CHANGED`, `${row.what} khác với dòng nhật ký ${j.journalId} (người, ca, dòng hoặc số tiền): đã bị sửa.`);
  }
  for (const [id, j] of journaled) {
    if (!seen.has(id)) problems.add(`${kind}_MISSING`, `${MISSING[kind]} số ${id} (dòng nhật ký ${j.journalId}) không còn trong bảng: đã bị xóa.`);
  }
}

export function reconcileDecisions(sqlite: Sqlite, ledger: MoneyLedger, problems: Problems): void {
  const refunds = allRefundFacts(sqlite).map((f) => ({
    id: f.refundId,
    facts: factsText(f, REFUND_FACTS),
    what: `Lần hoàn tiền số ${f.refundId} (biên nhận ${f.receiptNo}, ${f.lines.reduce((sum, [, , amount]) => sum + amount, 0)} đồng)`,
  }));
  compare('REFUND', refunds, ledger.refunds, problems);
  const resends = allResends(sqlite);
  compare('RESEND', resends.map((r) => ({ id: r.resendId, facts: factsText(r, RESEND_FACTS), what: `Lần gửi lại số ${r.resendId}` })), ledger.resends, problems);
  const deposits = allDeposits(sqlite);
  const slip = (id: number, day: string) => `Bảng kê nộp tiền số ${id} (ngày ${day})`;
  compare('DEPOSIT', deposits.map((d) => ({ id: d.facts.depositId, facts: factsText(d.facts, DEPOSIT_FACTS), what: slip(d.facts.depositId, d.facts.day) })), ledger.deposits, problems);
  const references = deposits.flatMap((d) => (d.reference === null ? [] : [{ id: d.reference.depositId, facts: factsText(d.reference, DEPOSIT_REFERENCE_FACTS), what: `Số tham chiếu ngân hàng của ${slip(d.facts.depositId, d.facts.day).toLowerCase()}` }]));
  compare('DEPOSIT_REFERENCE', references, ledger.depositRefs, problems);
  for (const d of deposits) {
    const listed = d.facts.shifts.reduce((sum, [, , , receiptsTotal, , refundsTotal, roundingTotal]) => sum + handedOverOf({ receiptsTotal, refundsTotal, roundingTotal }), 0);
    if (listed !== d.facts.expected) problems.add('DEPOSIT_CHANGED', `${slip(d.facts.depositId, d.facts.day)} ghi tiền phải nộp ${d.facts.expected} nhưng các ca của nó cộng lại ${listed}.`);
  }
  for (const r of resends) {
    const journaled = ledger.resentIn.get(r.resendId) ?? null;
    if (r.batchId !== journaled && !(r.batchId !== null && ledger.carried.batches.has(r.batchId))) {
      problems.add('EXPORT_MARK_MISMATCH', `Lần gửi lại số ${r.resendId}: bảng ghi đã gửi ở lần xuất ${r.batchId ?? '(chưa gửi)'}, nhật ký ghi ${journaled ?? '(chưa gửi)'}.`);
    }
  }
}
