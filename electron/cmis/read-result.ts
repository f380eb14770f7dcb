import { basename } from 'node:path';
import { isUtf8 } from 'node:buffer';
import { AppError, type ErrorCode } from '../core/errors.ts';
import { CONTROL } from '../core/cell-text.ts';
import { parseRecords } from './csv-records.ts';
import { headerKey } from './profiles.ts';
import { readRegularFile } from './regular-file.ts';
import { detectDelimiter, formatProblem, problemValue, type Problem } from './read-snapshot.ts';

/** Contract section 5: what CMIS did with one line of a clearing file. */
export const RESULT_CODES = ['OK', 'DA_GACH', 'KHONG_TON_TAI', 'SAI_SO_TIEN', 'LOI'] as const;
export type ResultCode = (typeof RESULT_CODES)[number];

export interface ResultLine {
  line: number;
  receiptNo: string;
  /** '' for a locally charged fee. */
  idHdon: string;
  ketQua: ResultCode;
  ghiChu: string;
}

export interface ResultFile {
  fileName: string;
  /** The batch it answers: GACHNO_<point>_<yyyyMMdd>_<NN>.csv */
  batchCsv: string;
  pointCode: string;
  lines: ResultLine[];
}

/** A result file is one line per bill of a day's batch: a few MB at most. */
const MAX_RESULT_BYTES = 64 * 1024 * 1024;
const MAX_NOTE_CHARS = 1000;
const NAME = /^KQGACHNO_([A-Z0-9]{2,20})_(\d{8})_(\d{2,})\.csv$/i;
const COLUMNS = ['SO_BIENNHAN', 'ID_HDON', 'KET_QUA', 'GHI_CHU'] as const;
const REQUIRED = ['SO_BIENNHAN', 'ID_HDON', 'KET_QUA'] as const;

function refusedFile(fileName: string, problems: Problem[], code: ErrorCode = 'RESULT_INVALID'): AppError {
  const shown = problems.slice(0, 200).map(formatProblem);
  const more = problems.length > shown.length ? [`... và ${problems.length - shown.length} lỗi nữa.`] : [];
  return new AppError(code, `Tệp kết quả ${fileName} bị từ chối: ${problems.length} lỗi; không ghi nhận gì.\n${[...shown, ...more].join('\n')}`, {
    problems: problems.slice(0, 10_000),
    problemCount: problems.length,
  });
}

/**
 * Reads KQGACHNO_<point>_<yyyyMMdd>_<NN>.csv: UTF-8 (BOM optional), `,` `;` or tab, a header with
 * SO_BIENNHAN, ID_HDON, KET_QUA and (optionally) GHI_CHU. Every problem is collected and the file
 * refused whole. Which batch and lines it answers is checked against the database by the caller.
 */
export function readResultFile(path: string): ResultFile {
  const fileName = basename(path);
  const named = NAME.exec(fileName);
  if (named === null) {
    throw new AppError('RESULT_NAME_INVALID', `Tên tệp ${fileName} không phải tệp kết quả gạch nợ (KQGACHNO_<mã điểm thu>_<yyyyMMdd>_<NN>.csv): không đọc.`);
  }
  const pointCode = (named[1] ?? '').toUpperCase();
  const bytes = readRegularFile(path, MAX_RESULT_BYTES);
  if (!Buffer.isBuffer(bytes)) {
    throw new AppError('RESULT_UNREADABLE', `Không đọc được tệp kết quả ${fileName} (${bytes.refused === 'too-large' ? 'quá lớn' : bytes.refused === 'not-a-file' ? 'không phải tệp' : 'lỗi đọc'}).`);
  }
  if (!isUtf8(bytes)) throw new AppError('RESULT_UNREADABLE', `Tệp kết quả ${fileName} không phải UTF-8: không đọc. Hãy lấy lại tệp từ CMIS.`);
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  const lines: ResultLine[] = [];
  const problems: Problem[] = [];
  let index: Partial<Record<(typeof COLUMNS)[number], number>> | null = null;
  let width = 0;
  const firstLine = /^[^\r\n]*/.exec(text.replace(/^[\r\n]+/, ''))?.[0] ?? '';
  const parsed = parseRecords(text, detectDelimiter(firstLine), 1, true, (fields, line) => {
    if (fields.length === 1 && (fields[0] ?? '').trim() === '') return;
    if (index === null) {
      index = {};
      width = fields.length;
      fields.forEach((name, i) => {
        const key = headerKey(name) as (typeof COLUMNS)[number];
        if ((COLUMNS as readonly string[]).includes(key) && index !== null && index[key] === undefined) index[key] = i;
      });
      const missing = REQUIRED.filter((c) => index?.[c] === undefined);
      if (missing.length > 0) {
        throw new AppError('RESULT_HEADER_INVALID', `Dòng tiêu đề của tệp kết quả ${fileName} thiếu cột ${missing.join(', ')}: không ghi nhận gì.`, { missing });
      }
      return;
    }
    const at = index;
    const bad = (column: string, value: string, reason: string) => problems.push({ line, column, value: problemValue(value), reason });
    if (fields.length !== width) {
      bad('*', String(fields.length), `số cột là ${fields.length}, dòng tiêu đề có ${width}`);
      return;
    }
    const get = (c: (typeof COLUMNS)[number]) => (at[c] === undefined ? '' : (fields[at[c]] ?? '').trim());
    const before = problems.length;
    for (const c of COLUMNS) if (CONTROL.test(get(c))) bad(c, get(c), 'có ký tự điều khiển trong ô');
    const receiptNo = get('SO_BIENNHAN');
    const ketQua = get('KET_QUA').toUpperCase();
    const ghiChu = get('GHI_CHU');
    if (receiptNo === '') bad('SO_BIENNHAN', '', 'số biên nhận trống');
    if (!(RESULT_CODES as readonly string[]).includes(ketQua)) bad('KET_QUA', get('KET_QUA'), `phải là một trong ${RESULT_CODES.join(', ')}`);
    if (ghiChu.length > MAX_NOTE_CHARS) bad('GHI_CHU', ghiChu, `dài quá ${MAX_NOTE_CHARS} ký tự`);
    if (problems.length === before) lines.push({ line, receiptNo, idHdon: get('ID_HDON'), ketQua: ketQua as ResultCode, ghiChu });
  });
  if (parsed.unclosedQuote) problems.push({ line: parsed.line, column: '*', value: '', reason: 'dấu ngoặc kép mở không được đóng đến cuối tệp' });
  if (index === null || (lines.length === 0 && problems.length === 0)) {
    throw new AppError('RESULT_NO_ROWS', `Tệp kết quả ${fileName} không có dòng kết quả nào: không ghi nhận gì.`);
  }
  if (problems.length > 0) throw refusedFile(fileName, problems);
  return { fileName, batchCsv: `${fileName.slice(2, -4).toUpperCase()}.csv`, pointCode, lines };
}

export { refusedFile };
