import { z } from 'zod';
import { canonicalJson } from '../electron/core/journal-hash.ts';
import { dong, pointCode, receiptNo, sha256Hex, UTC_SECOND } from './payment.ts';

/**
 * A refund of a point (contract section 5): cash paid back for lines of one of its receipts that
 * CMIS rejected or that were paid twice. Identified by (point, refundId), the point's own number;
 * the body is what the refund slip says, so a repeat is recognised and a changed body refused.
 */
export const refundBody = z
  .object({
    pointCode,
    refundId: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
    receiptNo,
    refundedAt: z.string().regex(UTC_SECOND).refine((s) => !Number.isNaN(Date.parse(s)), 'thời điểm không hợp lệ'),
    cashierCode: z.string().min(1).max(50), // whose drawer paid it
    supervisorCode: z.string().min(1).max(50), // who decided
    reason: z.string().min(1).max(1000),
    lines: z.array(z.object({ idHdon: z.string().regex(/^[A-Za-z0-9_.-]{1,40}$/).nullable(), amount: dong.min(1) }).strict()).min(1).max(100),
    total: dong,
  })
  .strict()
  .refine((r) => r.receiptNo.startsWith(`${r.pointCode}-`), 'số biên nhận phải của chính điểm thu')
  .refine((r) => r.lines.reduce((s, l) => s + l.amount, 0) === r.total, 'tổng tiền hoàn phải bằng tổng các dòng')
  .refine((r) => new Set(r.lines.map((l) => l.idHdon)).size === r.lines.length, 'một hóa đơn chỉ một dòng trong một lần hoàn');
export type RefundBody = z.infer<typeof refundBody>;

export function refundHash(r: RefundBody): string {
  return sha256Hex(canonicalJson({ ...r, lines: [...r.lines].sort((a, b) => (a.idHdon ?? '\uffff').localeCompare(b.idHdon ?? '\uffff')) }));
}
