import { sql } from 'kysely';
import { AppError } from '../../electron/core/errors.ts';
import { batchFileName, batchHash, canonicalBatch, type BatchBody } from '../../protocol/payment.ts';
import { applyVoid } from './voids.ts';
import type { Trx } from './retry.ts';
import type { Source } from './apply.ts';

export type BatchOutcome = 'accepted' | 'duplicate' | AppError;

const sample = (list: string[]) => list.slice(0, 20);

/**
 * A point's clearing batch: its receipts must be this point's payments already recorded, valid and
 * in no other batch, and their lines must add up to the manifest's rows and total. Checked before
 * anything is written; then the batch is recorded, its payments marked, its voided receipts voided.
 */
export async function applyBatch(trx: Trx, point: { code: string; office: string | null }, body: BatchBody, source: Source): Promise<BatchOutcome> {
  const batch = canonicalBatch(body);
  const hash = batchHash(batch);
  const name = batchFileName(batch);
  const existing = await sql<{ body_sha256: string }>`
    SELECT body_sha256 FROM point_batches WHERE point_code = ${point.code} AND batch_day = ${batch.batchDay} AND batch_seq = ${batch.batchSeq}`.execute(trx);
  const stored = existing.rows[0];
  if (stored !== undefined) {
    if (stored.body_sha256 === hash) return 'duplicate';
    await sql`INSERT INTO refused_bodies (point_code, kind, identity, stored_sha256, refused_sha256, source) VALUES (${point.code}, 'batch', ${name}, ${stored.body_sha256}, ${hash}, ${source})`.execute(trx);
    return new AppError('BATCH_BODY_CHANGED', `Lần xuất ${name} đã có trên máy chủ với nội dung khác; nội dung mới bị từ chối.`);
  }
  // No row lock: a receipt is voided or batched only by its own point, whose row this transaction holds.
  const rows = await sql<{ receipt_no: string; voided_at: Date | null; batch_day: string | null }>`
    SELECT p.receipt_no, p.voided_at, b.batch_day FROM payments p LEFT JOIN batch_receipts b ON b.receipt_no = p.receipt_no
     WHERE p.receipt_no = ANY(${batch.receipts}::text[])`.execute(trx);
  const found = new Set(rows.rows.map((r) => r.receipt_no));
  const missing = batch.receipts.filter((r) => !found.has(r));
  if (missing.length > 0) {
    return new AppError('BATCH_RECEIPT_UNKNOWN', `Lần xuất ${name} có ${missing.length} biên nhận máy chủ chưa nhận được; hãy gửi các khoản thu trước lần xuất.`, { receipts: sample(missing) });
  }
  const voided = rows.rows.filter((r) => r.voided_at !== null).map((r) => r.receipt_no);
  if (voided.length > 0) return new AppError('BATCH_RECEIPT_VOIDED', `Lần xuất ${name} có ${voided.length} biên nhận đã bị hủy.`, { receipts: sample(voided) });
  const elsewhere = rows.rows.filter((r) => r.batch_day !== null).map((r) => r.receipt_no);
  if (elsewhere.length > 0) return new AppError('BATCH_RECEIPT_IN_OTHER_BATCH', `Lần xuất ${name} có ${elsewhere.length} biên nhận đã thuộc lần xuất khác.`, { receipts: sample(elsewhere) });
  const exportedVoids = await sql<{ receipt_no: string }>`
    SELECT receipt_no FROM batch_receipts WHERE receipt_no = ANY(${batch.voidedReceipts}::text[])`.execute(trx);
  if (exportedVoids.rows.length > 0) {
    return new AppError('BATCH_VOID_EXPORTED', `Lần xuất ${name} ghi hủy ${exportedVoids.rows.length} biên nhận đã xuất trước đó.`, { receipts: sample(exportedVoids.rows.map((r) => r.receipt_no)) });
  }
  const sums = await sql<{ n: number; total: number | null }>`
    SELECT count(*)::bigint AS n, sum(tong_tien)::bigint AS total FROM payment_lines WHERE receipt_no = ANY(${batch.receipts}::text[])`.execute(trx);
  const { n, total } = sums.rows[0]!;
  if (n !== batch.rowCount || (total ?? 0) !== batch.totalTongTien) {
    return new AppError('BATCH_TOTALS_MISMATCH', `Lần xuất ${name} ghi ${batch.rowCount} dòng, tổng ${batch.totalTongTien}; các biên nhận của nó trên máy chủ có ${n} dòng, tổng ${total ?? 0}.`);
  }
  await sql`
    INSERT INTO point_batches (point_code, batch_day, batch_seq, csv_sha256, row_count, total, voided_receipts, body_sha256, source)
    VALUES (${point.code}, ${batch.batchDay}, ${batch.batchSeq}, ${batch.csvSha256}, ${batch.rowCount}, ${batch.totalTongTien}, ${batch.voidedReceipts}::text[], ${hash}, ${source})`.execute(trx);
  await sql`
    INSERT INTO batch_receipts (receipt_no, point_code, batch_day, batch_seq)
    SELECT r, ${point.code}, ${batch.batchDay}, ${batch.batchSeq} FROM unnest(${batch.receipts}::text[]) AS r`.execute(trx);
  for (const receipt of batch.voidedReceipts) await applyVoid(trx, point, receipt, source);
  return 'accepted';
}
