/**
 * Refunds and resends held against the journal, both ways: every row has its journal row with the
 * same facts (who, whose drawer, which lines, how much), every journaled decision still has its
 * rows, and each resend's batch is the one the export journaled.
 */
import type { Sqlite } from '../store/open.ts';
import { allRefundFacts } from '../payments/refunds.ts';
import { allResends } from '../cmis/resends.ts';
import { factsText, REFUND_FACTS, RESEND_FACTS, type LedgerDecision, type MoneyLedger } from './ledger.ts';
import type { Problems } from './problems.ts';

function compare(
  kind: 'REFUND' | 'RESEND',
  rows: { id: number; facts: string; what: string }[],
  journaled: Map<number, LedgerDecision>,
  problems: Problems,
): void {
  const seen = new Set<number>();
  for (const row of rows) {
    seen.add(row.id);
    const j = journaled.get(row.id);
    if (j === undefined) problems.add(`${kind}_NOT_JOURNALED`, `${row.what} không có dòng nhật ký: được thêm ngoài chương trình.`);
    else if (j.facts !== row.facts) problems.add(`${kind}_CHANGED`, `${row.what} khác với dòng nhật ký ${j.journalId} (người, ca, dòng hoặc số tiền): đã bị sửa.`);
  }
  for (const [id, j] of journaled) {
    if (!seen.has(id)) problems.add(`${kind}_MISSING`, `${kind === 'REFUND' ? 'Lần hoàn tiền' : 'Lần gửi lại'} số ${id} (dòng nhật ký ${j.journalId}) không còn trong bảng: đã bị xóa.`);
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
  for (const r of resends) {
    const journaled = ledger.resentIn.get(r.resendId) ?? null;
    if (r.batchId !== journaled && !(r.batchId !== null && ledger.carried.batches.has(r.batchId))) {
      problems.add('EXPORT_MARK_MISMATCH', `Lần gửi lại số ${r.resendId}: bảng ghi đã gửi ở lần xuất ${r.batchId ?? '(chưa gửi)'}, nhật ký ghi ${journaled ?? '(chưa gửi)'}.`);
    }
  }
}
