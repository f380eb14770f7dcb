/**
 * Clearing batches against the journal's export rows: the same files (SHA-256), rows and total, the
 * stored bytes still those files, completion as journaled, and the payments marked with a batch
 * (and the lines resent in it) adding up to what the batch wrote. Returns the journal heads the batches' manifests name.
 */
import type { Sqlite } from '../store/open.ts';
import { BATCH_ROW, storedBatch, type BatchRow } from '../cmis/stored-batch.ts';
import { diffPaths } from '../core/diff.ts';
import type { MoneyLedger } from './ledger.ts';
import type { Problems } from './problems.ts';
import type { Anchor } from './anchors.ts';

interface Row extends BatchRow {
  row_count: number;
  total: number;
  completed_at: string | null;
}

export function reconcileBatches(sqlite: Sqlite, ledger: MoneyLedger, problems: Problems): Anchor[] {
  // A batch's rows: its payments' lines and the lines resent in it.
  const content = new Map(
    (
      sqlite
        .prepare(
          `SELECT id, SUM(rows) AS rows, SUM(total) AS total FROM (
             SELECT p.batch_id AS id, COUNT(*) AS rows, SUM(l.tong_tien) AS total
               FROM payments p JOIN payment_lines l ON l.payment_id = p.id WHERE p.batch_id IS NOT NULL GROUP BY p.batch_id
             UNION ALL
             SELECT s.batch_id, COUNT(*), SUM(l.tong_tien)
               FROM resends s JOIN resend_lines x ON x.resend_id = s.id JOIN payment_lines l ON l.id = x.payment_line_id WHERE s.batch_id IS NOT NULL GROUP BY s.batch_id)
           GROUP BY id`,
        )
        .all() as { id: number; rows: number; total: number }[]
    ).map((c) => [c.id, c]),
  );
  const anchors: Anchor[] = [];
  const seen = new Set<number>();
  // Batches hold their files' bytes: read them one at a time.
  for (const row of sqlite.prepare(`SELECT ${BATCH_ROW}, row_count, total, completed_at FROM clearing_batches ORDER BY id`).iterate() as Iterable<Row>) {
    seen.add(row.id);
    const batch = `Lần xuất ${row.csv_name}`;
    const stored = storedBatch(row);
    if (stored.bad.length > 0) problems.add('BATCH_CHANGED', `${batch}: tệp lưu không còn khớp mã SHA-256 (${stored.bad.join(', ')}).`);
    // Carried over by a forced restore: its export and its payments are in the replaced database's journal.
    if (ledger.carried.batches.has(row.id)) continue;
    const journaled = ledger.batches.get(row.id);
    if (journaled === undefined) {
      problems.add('BATCH_NOT_JOURNALED', `${batch} không có dòng nhật ký xuất: được thêm ngoài chương trình.`);
      continue;
    }
    const differs = diffPaths(
      { csvFile: journaled.csvFile, csvSha256: journaled.csvSha256, reconnectionSha256: journaled.reconnectionSha256, manifestSha256: journaled.manifestSha256,
        smsSha256: journaled.smsSha256, rows: journaled.rows, total: journaled.total, completedAt: journaled.completedAt },
      { csvFile: row.csv_name, csvSha256: row.csv_sha256, reconnectionSha256: row.reconnection_sha256, manifestSha256: row.manifest_sha256,
        smsSha256: row.sms_sha256, rows: row.row_count, total: row.total, completedAt: row.status === 'complete' ? row.completed_at : null },
    );
    if (differs.length > 0) problems.add('BATCH_CHANGED', `${batch} khác với dòng nhật ký ${journaled.journalId}: ${differs.join(', ')}.`);
    const marked = content.get(row.id) ?? { rows: 0, total: 0 };
    if (marked.rows !== row.row_count || marked.total !== row.total) {
      problems.add(
        'BATCH_CONTENT_MISMATCH',
        `${batch} ghi ${row.row_count} dòng, tổng ${row.total} đồng; các khoản thu mang dấu lần xuất này có ${marked.rows} dòng, tổng ${marked.total} đồng.`,
      );
    }
    if (stored.manifest?.journalHead !== undefined) anchors.push({ source: `Bản kê ${row.csv_name.replace(/\.csv$/, '.json')} (lưu trong cơ sở dữ liệu)`, ...stored.manifest.journalHead });
  }
  for (const [id, b] of ledger.batches) {
    if (!seen.has(id)) problems.add('BATCH_MISSING', `Lần xuất ${b.csvFile} (dòng nhật ký ${b.journalId}) không còn trong bảng lần xuất: đã bị xóa.`);
  }
  return anchors;
}
