/**
 * `BANGKE_<point>_<yyyyMMdd>.csv`: the day's deposit slip beside the clearing files, as the clearing
 * files are written (UTF-8 with BOM, CRLF, comma, header row; atomically). One file per day, its rows
 * typed by LOAI_DONG (README "Decisions on the contract"): one THU_NGAN row per cashier, one MENH_GIA
 * row per note value, one TIEN_LE row (the loose change under 200 ₫; not on a slip made before it was
 * counted), one TONG row. Written again when the bank's reference is added: same name,
 * the reference filled in.
 */
import { join } from 'node:path';
import type { Ctx } from '../store/context.ts';
import { AppError, diskFullError, isDiskFull } from '../core/errors.ts';
import { csvBytes } from '../core/csv.ts';
import { requireAbsolute } from '../core/paths.ts';
import { dayRange, formatDate } from '../core/local-time.ts';
import { realFs, sweepPartials, writeFilesAtomically, type AtomicFs } from '../store/atomic-write.ts';
import type { DepositSlipDocument } from '../core/documents.ts';
import { showDeposit } from './deposit.ts';

export const DEPOSIT_COLUMNS = [
  'MA_DIEMTHU', 'NGAY', 'LOAI_DONG', 'MA_TNGAN', 'TEN_TNGAN', 'CA', 'SO_BIENNHAN', 'TIEN_THU', 'TIEN_LAM_TRON', 'SO_PHIEU_HOAN', 'TIEN_HOAN',
  'MENH_GIA', 'SO_TO', 'SO_TIEN', 'CHENH_LECH', 'LY_DO', 'MA_GSAT', 'SO_THAM_CHIEU_NH',
] as const;

type Cell = string | number | null;

export const depositFileName = (pointCode: string, day: string) => `BANGKE_${pointCode}_${day.replaceAll('-', '')}.csv`;

export function depositCsv(slip: DepositSlipDocument, bankRef: string | null): Uint8Array {
  const start = [slip.header.pointCode, formatDate(dayRange(slip.day).start)];
  const row = (cells: Partial<Record<(typeof DEPOSIT_COLUMNS)[number], Cell>>): Cell[] => [...start, ...DEPOSIT_COLUMNS.slice(2).map((c) => cells[c] ?? null)];
  const sum = (pick: (c: DepositSlipDocument['cashiers'][number]) => number) => slip.cashiers.reduce((s, c) => s + pick(c), 0);
  const rows = [
    ...slip.cashiers.map((c) =>
      row({
        LOAI_DONG: 'THU_NGAN', MA_TNGAN: c.cashier.code, TEN_TNGAN: c.cashier.name, CA: c.shiftIds.join(' '), SO_BIENNHAN: c.receipts,
        TIEN_THU: c.receiptsTotal, TIEN_LAM_TRON: c.roundingTotal, SO_PHIEU_HOAN: c.refunds, TIEN_HOAN: c.refundsTotal, SO_TIEN: c.handedOver,
      }),
    ),
    ...slip.notes.map((n) => row({ LOAI_DONG: 'MENH_GIA', MENH_GIA: n.value, SO_TO: n.count, SO_TIEN: n.value * n.count })),
    ...(slip.looseChange === undefined ? [] : [row({ LOAI_DONG: 'TIEN_LE', SO_TIEN: slip.looseChange })]),
    row({
      LOAI_DONG: 'TONG', SO_BIENNHAN: sum((c) => c.receipts), TIEN_THU: sum((c) => c.receiptsTotal), TIEN_LAM_TRON: sum((c) => c.roundingTotal), SO_PHIEU_HOAN: sum((c) => c.refunds),
      TIEN_HOAN: sum((c) => c.refundsTotal), SO_TIEN: slip.counted, CHENH_LECH: slip.difference, LY_DO: slip.reason, MA_GSAT: slip.supervisor.code,
      SO_THAM_CHIEU_NH: bankRef,
    }),
  ];
  return csvBytes(DEPOSIT_COLUMNS, rows);
}

/** Writes the day's slip file into `outDir` (atomically); the slip is in the database whatever happens here. */
export function writeDepositFile(ctx: Ctx, options: { day?: string; outDir: string; fs?: AtomicFs }): string {
  requireAbsolute(options.outDir, 'Thư mục xuất bảng kê');
  const fs = options.fs ?? realFs;
  const { slip, bankRef } = showDeposit(ctx, options.day);
  const path = join(options.outDir, depositFileName(slip.header.pointCode, slip.day));
  sweepPartials(options.outDir, fs);
  try {
    writeFilesAtomically([{ path, bytes: depositCsv(slip, bankRef) }], fs);
  } catch (error) {
    const again = `Bảng kê ngày ${slip.day} đã lưu; ghi lại tệp bằng "diemthu deposit --export --date ${slip.day} --out <thư mục>".`;
    if (isDiskFull(error)) throw diskFullError(error, `Ổ đĩa ${options.outDir} đã đầy: chưa ghi được tệp ${path}. ${again}`);
    throw new AppError('DEPOSIT_WRITE_FAILED', `Chưa ghi được tệp ${path}. ${again}`, { path, cause: String(error) });
  }
  return path;
}
