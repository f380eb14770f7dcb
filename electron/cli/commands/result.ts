import type { Command } from '../command.ts';
import { AppError } from '../../core/errors.ts';
import { importResult, type ResultImport } from '../../cmis/import-result.ts';
import { describeBatch } from '../../cmis/clearing-state.ts';

export const resultCommand: Command = {
  name: 'result',
  usage: 'result <tệp KQGACHNO_<điểm thu>_<yyyyMMdd>_<NN>.csv>   (kết quả gạch nợ CMIS trả về cho một lần xuất)',
  options: {},
  run({ positionals, open }) {
    const file = positionals[0];
    if (file === undefined || positionals.length > 1) throw new AppError('CLI_BAD_ARGS', 'Cần đúng một tệp kết quả: diemthu result <tệp KQGACHNO_...csv>.');
    const result = importResult(open(), file);
    return { json: result, text: describe(result) };
  },
};

const REASONS: Record<string, string> = {
  DA_GACH: 'CMIS đã gạch nợ từ nguồn khác (khách có thể đã trả hai lần)',
  KHONG_TON_TAI: 'CMIS không có hóa đơn này',
  SAI_SO_TIEN: 'số tiền khác với CMIS',
  LOI: 'lỗi khác',
};

function describe(r: ResultImport): string {
  const head =
    r.status === 'recorded'
      ? `Đã ghi nhận kết quả ${r.fileName}: ${r.newCount} dòng mới.`
      : `[RESULT_ALREADY_RECORDED] Kết quả trong ${r.fileName} đã được ghi nhận trước đây: không làm gì thêm.`;
  const lines = r.lines.map((l) => {
    const what = `${l.receiptNo} ${l.idHdon === '' ? '(phí đóng điện)' : l.idHdon}`;
    return l.ketQua === 'OK' ? `  OK        ${what}` : `  BỊ TỪ CHỐI ${what}: ${l.ketQua} — ${REASONS[l.ketQua] ?? ''}${l.ghiChu === '' ? '' : ` (${l.ghiChu})`}`;
  });
  const missing = r.missing.length === 0 ? [] : [`Chưa có kết quả cho ${r.missing.length} dòng:`, ...r.missing.map((m) => `  ${m.receiptNo} ${m.idHdon === '' ? '(phí đóng điện)' : m.idHdon}`)];
  return [head, ...lines, ...missing, describeBatch(r.batch)].join('\n');
}
