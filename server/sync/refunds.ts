import { sql } from 'kysely';
import { refundHash, type RefundBody } from '../../protocol/refund.ts';
import type { Trx } from './retry.ts';
import type { Source } from './apply.ts';

export type RefundOutcome = 'accepted' | 'duplicate' | { code: 'REFUND_BODY_CHANGED' | 'REFUND_RECEIPT_UNKNOWN'; message: string };

/**
 * A point's refund, recorded once by (point, refund number); the same body again is a duplicate,
 * another body is refused (the first stays). Its receipt must be on the server already: the push
 * sends the payment first, so a missing one means something is wrong, not late.
 */
export async function applyRefund(trx: Trx, point: { code: string }, refund: RefundBody, source: Source): Promise<RefundOutcome> {
  const hash = refundHash(refund);
  const known = await sql<{ body_sha256: string }>`
    SELECT body_sha256 FROM refunds WHERE point_code = ${point.code} AND refund_id = ${refund.refundId}`.execute(trx);
  if (known.rows.length > 0) {
    if (known.rows[0]!.body_sha256 === hash) return 'duplicate';
    return { code: 'REFUND_BODY_CHANGED', message: `Lần hoàn tiền số ${refund.refundId} của điểm thu ${point.code} đã được ghi với nội dung khác; giữ nội dung đầu.` };
  }
  const payment = await sql`SELECT 1 FROM payments WHERE receipt_no = ${refund.receiptNo}`.execute(trx);
  if (payment.rows.length === 0) {
    return { code: 'REFUND_RECEIPT_UNKNOWN', message: `Máy chủ chưa có biên nhận ${refund.receiptNo} của lần hoàn tiền số ${refund.refundId}; hãy gửi khoản thu trước.` };
  }
  await sql`
    INSERT INTO refunds (point_code, refund_id, receipt_no, refunded_at, total, body, body_sha256, source)
    VALUES (${point.code}, ${refund.refundId}, ${refund.receiptNo}, ${refund.refundedAt}, ${refund.total}, ${JSON.stringify(refund)}::jsonb, ${hash}, ${source})`.execute(trx);
  return 'accepted';
}
