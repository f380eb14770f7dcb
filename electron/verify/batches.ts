/**
 * Clearing batches against the journal's export rows: the same files (SHA-256), rows and total, the
 * stored bytes still those files, completion as journaled, and the payments marked with a batch
 * (and the lines resent in it) adding up to what the batch wrote. Returns the journal heads the batches' manifests name.
 */
import type { Sqlite } from '../store/open.ts';
import { batchRows, storedBatch } from '../cmis/stored-batch.ts';
import { carried } from '../cmis/clearing-state.ts';
import { iterateRows, query, selectAll } from '../store/typed-query.ts';
import { diffPaths } from '../core/diff.ts';
import type { MoneyLedger } from './ledger.ts';
import type { Problems } from './problems.ts';
import type { Anchor } from './anchors.ts';

export function reconcileBatches(sqlite: Sqlite, ledger: MoneyLedger, problems: Problems): Anchor[] {
  // A batch's rows: its payments' lines and the lines resent in it.
  const content = new Map(
    selectAll(
      sqlite,
      query
        .selectFrom(carried)
        .where('c.batch_id', 'is not', null)
        .groupBy('c.batch_id')
        .select((eb) => [eb.ref('c.batch_id').$notNull().as('id'), eb.fn.countAll<number>().as('rows'), eb.fn.sum<number>('c.tong_tien').as('total')]),
    ).map((c) => [c.id, c]),
  );
  const anchors: Anchor[] = [];
  const seen = new Set<number>();
  // Batches hold their files' bytes: read them one at a time.
  for (const row of iterateRows(sqlite, batchRows.select(['row_count', 'total', 'completed_at']).orderBy('id'))) {
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
