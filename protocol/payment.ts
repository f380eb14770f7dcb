import { createHash } from 'node:crypto';
import { z } from 'zod';
import { canonicalJson } from '../electron/core/journal-hash.ts';

/**
 * A payment as the company sees it: exactly what one receipt puts in the clearing file (contract
 * section 3), nothing the file does not carry. So a push of the payment and an `ingest` of the
 * GACHNO file holding it build the same canonical body and the same SHA-256, and the server cannot
 * tell (nor needs to) which way it came. Identity: the receipt number `<point>-<yy>-<seq>`, unique
 * company-wide because point codes are.
 */
export const POINT_CODE = /^[A-Z0-9]{2,20}$/;
export const UNIT_CODE = /^[A-Z0-9]{4,10}$/;
const MA_KHANG = /^[A-Z0-9]{10,16}$/;
/** ISO UTC to the second: NGAY_NOP carries seconds, so the body does too (milliseconds are dropped). */
export const UTC_SECOND = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
/** A bound far above any bill, far below 2^53: money stays exact integers. */
export const MAX_DONG = 1_000_000_000_000;

export const pointCode = z.string().regex(POINT_CODE);
export const unitCode = z.string().regex(UNIT_CODE);
/** `<point>-<yy>-<seq>` exactly as formatReceiptNo writes it (a plain regex: thousands are checked per push). */
export const receiptNo = z.string().regex(/^[A-Z0-9]{2,20}-\d{2}-(?!000000)\d{6}$/, 'số biên nhận phải có dạng <điểm thu>-<yy>-<6 chữ số>');
export const dong = z.number().int().min(0).max(MAX_DONG);
const text = (max: number) =>
  z
    .string()
    .max(max)
    .regex(/^[^\s\u0000-\u001f\u007f](?:[^\u0000-\u001f\u007f]*[^\s\u0000-\u001f\u007f])?$/, 'không rỗng, không khoảng trắng thừa ở hai đầu, không ký tự điều khiển')
    .refine((s) => s.normalize('NFC') === s, 'phải ở dạng Unicode NFC');

export const paymentLine = z
  .object({
    idHdon: z.string().regex(/^[A-Za-z0-9_.-]{1,40}$/).nullable(),
    loaiHdon: z.enum(['TD', 'VC', 'DC']),
    ky: z.number().int().min(1).max(3).nullable(),
    thang: z.number().int().min(1).max(12).nullable(),
    nam: z.number().int().min(2000).max(2099).nullable(),
    soTien: dong.min(1),
    tienGtgt: dong,
    tongTien: dong,
  })
  .strict()
  .refine((l) => l.tongTien === l.soTien + l.tienGtgt, 'TONG_TIEN phải bằng SO_TIEN + TIEN_GTGT')
  .refine(
    (l) => (l.idHdon === null ? l.loaiHdon === 'DC' && l.ky === null && l.thang === null && l.nam === null : l.ky !== null && l.thang !== null && l.nam !== null),
    'dòng hóa đơn cần KY, THANG, NAM; phí đóng điện thu tại điểm (không ID_HDON) là DC và không có kỳ',
  );
export type PaymentLine = z.infer<typeof paymentLine>;

export const paymentBody = z
  .object({
    receiptNo,
    pointCode,
    unit: unitCode, // MA_DVIQLY of the customer (the file's per-line column)
    maKhang: z.string().regex(MA_KHANG),
    tenKhang: text(200), // as on the receipt (a later snapshot's rename does not change it)
    paidAt: z.string().regex(UTC_SECOND).refine((s) => !Number.isNaN(Date.parse(s)), 'thời điểm không hợp lệ'),
    cashierCode: text(50), // MA_TNGAN
    lines: z.array(paymentLine).min(1).max(100),
  })
  .strict()
  .refine((p) => p.receiptNo.startsWith(`${p.pointCode}-`), 'số biên nhận phải bắt đầu bằng mã điểm thu của khoản thu')
  .refine((p) => new Set(p.lines.map((l) => l.idHdon)).size === p.lines.length, 'một hóa đơn (hoặc phí đóng điện) chỉ một dòng trong một biên nhận')
  .refine((p) => p.lines.reduce((s, l) => s + l.tongTien, 0) <= MAX_DONG, 'tổng biên nhận quá lớn');
export type PaymentBody = z.infer<typeof paymentBody>;

/** Bills in ascending ID_HDON, the fee line (no bill) last: the order a push or a file had does not change the body. */
export function canonicalPayment(p: PaymentBody): PaymentBody {
  const key = (l: PaymentLine) => (l.idHdon === null ? '\uffff' : l.idHdon);
  return { ...p, lines: [...p.lines].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0)) };
}

export const sha256Hex = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** SHA-256 of the canonical JSON of the canonical body: equal bodies, equal hashes, whatever the key or line order. */
export function paymentHash(p: PaymentBody): string {
  return sha256Hex(canonicalJson(canonicalPayment(p)));
}

/** The point's ISO time (milliseconds) as the body holds it: floored to the second, as NGAY_NOP is. */
export function toBodyTime(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new RangeError(`not a time: ${iso}`);
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** A point's clearing batch as the company sees it: the manifest's facts and the receipts the CSV holds. */
export const batchBody = z
  .object({
    pointCode,
    batchDay: z.string().regex(/^20\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])$/), // yyyyMMdd local
    batchSeq: z.number().int().min(1).max(99), // NN
    csvSha256: z.string().regex(/^[0-9a-f]{64}$/),
    // 0 for a batch that only resends lines of earlier batches (contract section 5)
    rowCount: z.number().int().min(0).max(1_000_000),
    totalTongTien: dong.max(Number.MAX_SAFE_INTEGER),
    receipts: z.array(receiptNo).max(100_000),
    voidedReceipts: z.array(receiptNo).max(100_000),
  })
  .strict()
  .refine((b) => [...b.receipts, ...b.voidedReceipts].every((r) => r.startsWith(`${b.pointCode}-`)), 'biên nhận của lần xuất phải của chính điểm thu')
  .refine((b) => new Set([...b.receipts, ...b.voidedReceipts]).size === b.receipts.length + b.voidedReceipts.length, 'biên nhận lặp lại trong lần xuất');
export type BatchBody = z.infer<typeof batchBody>;

export function canonicalBatch(b: BatchBody): BatchBody {
  return { ...b, receipts: [...b.receipts].sort(), voidedReceipts: [...b.voidedReceipts].sort() };
}

export function batchHash(b: BatchBody): string {
  return sha256Hex(canonicalJson(canonicalBatch(b)));
}

/** `GACHNO_<point>_<yyyyMMdd>_<NN>.csv`, contract section 3. */
export function batchFileName(b: { pointCode: string; batchDay: string; batchSeq: number }): string {
  return `GACHNO_${b.pointCode}_${b.batchDay}_${String(b.batchSeq).padStart(2, '0')}.csv`;
}
