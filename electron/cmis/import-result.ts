import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Ctx } from '../store/context.ts';
import type { Sqlite } from '../store/open.ts';
import { query, selectAll, selectFirst } from '../store/typed-query.ts';
import { AppError } from '../core/errors.ts';
import { appendJournal } from '../store/journal.ts';
import { requireSetting } from '../store/settings.ts';
import { batchState, batchLines, type BatchState } from './clearing-state.ts';
import { readResultFile, refusedFile, type ResultCode } from './read-result.ts';
import type { Problem } from './read-snapshot.ts';

export interface AnsweredLine {
  receiptNo: string;
  idHdon: string;
  ketQua: ResultCode;
  ghiChu: string;
}

export interface ResultImport {
  /** `recorded`: new answers stored; `already_recorded`: this file (or these same answers) was taken in before: nothing done. */
  status: 'recorded' | 'already_recorded';
  fileName: string;
  batch: BatchState;
  /** Every line of the file with CMIS's answer (OK or the reason it was not cleared). */
  lines: AnsweredLine[];
  /** Lines this file answered first. */
  newCount: number;
  /** Lines of the batch no result (this file or an earlier one) has answered yet. */
  missing: { receiptNo: string; idHdon: string }[];
}

const key = (receiptNo: string, idHdon: string) => `${receiptNo}\u0000${idHdon}`;

/**
 * Contract section 5: takes CMIS's answer to one of the point's clearing batches, all or nothing in
 * one transaction. The file must name an exported batch of this point and only its lines, each once.
 * An answer already recorded for a line never changes: a file answering a line differently is refused
 * and the lines listed. The same answers again (the same file, or a copy) are a no-op that says so.
 */
export function importResult(ctx: Ctx, file: string): ResultImport {
  const parsed = readResultFile(file);
  const pointCode = requireSetting(ctx.sqlite, 'point_code');
  if (parsed.pointCode !== pointCode) {
    throw new AppError('RESULT_OTHER_POINT', `Tệp ${parsed.fileName} là kết quả của điểm thu ${parsed.pointCode}, không phải điểm thu này (${pointCode}): không ghi nhận gì.`);
  }
  const sha256 = createHash('sha256').update(readFileSync(file)).digest('hex');
  const at = ctx.clock();
  return ctx.sqlite
    .transaction((): ResultImport => {
      const batch = selectFirst(ctx.sqlite, query.selectFrom('clearing_batches').where('csv_name', '=', parsed.batchCsv).select('id'));
      if (batch === undefined) {
        throw new AppError('RESULT_BATCH_UNKNOWN', `Tệp ${parsed.fileName} trả lời lần xuất ${parsed.batchCsv}, lần xuất này không có ở điểm thu: không ghi nhận gì.`);
      }
      const lines = new Map(batchLines(ctx.sqlite, batch.id).map((l) => [key(l.receiptNo, l.idHdon), l]));
      const recorded = answers(ctx.sqlite, batch.id);
      const problems: Problem[] = [];
      const changed: Problem[] = [];
      const seen = new Map<string, number>();
      const fresh: { lineId: number; ketQua: ResultCode; ghiChu: string }[] = [];
      for (const r of parsed.lines) {
        const k = key(r.receiptNo, r.idHdon);
        const what = `biên nhận ${r.receiptNo}, hóa đơn ${r.idHdon === '' ? '(phí đóng điện)' : r.idHdon}`;
        const line = lines.get(k);
        const earlier = seen.get(k);
        seen.set(k, r.line);
        if (line === undefined) problems.push({ line: r.line, column: 'SO_BIENNHAN', value: r.receiptNo, reason: `${what} không có trong lần xuất ${parsed.batchCsv}` });
        else if (earlier !== undefined) problems.push({ line: r.line, column: 'ID_HDON', value: r.idHdon, reason: `${what} đã có kết quả ở dòng ${earlier} của tệp` });
        else {
          const before = recorded.get(line.lineId);
          if (before === undefined) fresh.push({ lineId: line.lineId, ketQua: r.ketQua, ghiChu: r.ghiChu });
          else if (before.ketQua !== r.ketQua || before.ghiChu !== r.ghiChu) {
            changed.push({ line: r.line, column: 'KET_QUA', value: r.ketQua, reason: `${what} đã được ghi nhận là ${before.ketQua}${before.ghiChu === '' ? '' : ` (${before.ghiChu})`}: kết quả đã ghi không đổi` });
          }
        }
      }
      if (problems.length > 0) throw refusedFile(parsed.fileName, problems, 'RESULT_LINE_UNKNOWN');
      if (changed.length > 0) throw refusedFile(parsed.fileName, changed, 'RESULT_CHANGED');
      const done = selectFirst(ctx.sqlite, query.selectFrom('clearing_results').where('sha256', '=', sha256).select('id')) !== undefined;
      if (!done && fresh.length > 0) {
        const resultId = Number(
          ctx.sqlite
            .prepare('INSERT INTO clearing_results (batch_id, file_name, sha256, imported_at, line_count, new_count) VALUES (?, ?, ?, ?, ?, ?)')
            .run(batch.id, parsed.fileName, sha256, at.toISOString(), parsed.lines.length, fresh.length).lastInsertRowid,
        );
        const insert = ctx.sqlite.prepare('INSERT INTO clearing_result_lines (batch_id, payment_line_id, result_id, ket_qua, ghi_chu) VALUES (?, ?, ?, ?, ?)');
        for (const f of fresh) insert.run(batch.id, f.lineId, resultId, f.ketQua, f.ghiChu);
        appendJournal(ctx.sqlite, {
          kind: 'clearing_result',
          actorId: null,
          payload: { resultId, batchId: batch.id, fileName: parsed.fileName, sha256, answers: fresh.map((f) => [f.lineId, f.ketQua, f.ghiChu]) },
          at,
        });
      }
      const answered = answers(ctx.sqlite, batch.id);
      return {
        status: fresh.length > 0 && !done ? 'recorded' : 'already_recorded',
        fileName: parsed.fileName,
        batch: batchState(ctx.sqlite, batch.id),
        lines: parsed.lines.map(({ receiptNo, idHdon, ketQua, ghiChu }) => ({ receiptNo, idHdon, ketQua, ghiChu })),
        newCount: done ? 0 : fresh.length,
        missing: [...lines.values()].filter((l) => !answered.has(l.lineId)).map(({ receiptNo, idHdon }) => ({ receiptNo, idHdon })),
      };
    })
    .immediate();
}

function answers(sqlite: Sqlite, batchId: number): Map<number, { ketQua: ResultCode; ghiChu: string }> {
  const rows = selectAll(
    sqlite,
    query.selectFrom('clearing_result_lines').where('batch_id', '=', batchId).select(['payment_line_id as lineId', 'ket_qua as ketQua', 'ghi_chu as ghiChu']),
  );
  return new Map(rows.map((r) => [r.lineId, { ketQua: r.ketQua, ghiChu: r.ghiChu }]));
}
