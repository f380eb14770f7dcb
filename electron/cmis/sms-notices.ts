import { basename } from 'node:path';
import { AppError } from '../core/errors.ts';
import { compactDate } from '../core/local-time.ts';
import { formatDong, MAX_SNAPSHOT_TOTAL } from '../core/money.ts';
import { chosenEncoding } from './import-snapshot.ts';
import { customerDifferences, MAX_PROBLEMS } from './snapshot-staging.ts';
import { openSnapshotReader } from './parallel-read.ts';
import type { MappingProfile } from './profiles.ts';
import { formatProblem, inspectFile, readSnapshot, type CustomerFields, type Problem, type SnapshotEncoding } from './read-snapshot.ts';
import { noticeFileName, smsFile, type SmsSummary } from '../sms/files.ts';
import { noticeBuilder, type NoticeType, type SmsBill, type SmsCustomer, type SmsOutcome } from '../sms/messages.ts';
import type { SmsProfile } from '../sms/profile.ts';

export interface NoticesOptions {
  file: string;
  types?: readonly NoticeType[];
  /** When the files are made: their day, GUI_TU, "today" for reminders. */
  madeAt: Date;
  profile: SmsProfile;
  optOut?: ReadonlySet<string>;
  encoding?: SnapshotEncoding;
  mapping?: MappingProfile;
}

export interface NoticeFile {
  unitCode: string;
  name: string;
  bytes: Uint8Array;
  summary: SmsSummary;
}

export interface NoticesResult {
  fileName: string;
  sha256: string;
  encoding: SnapshotEncoding;
  rowCount: number;
  customerCount: number;
  billCount: number;
  /** One file per MA_DVIQLY of the snapshot's customers, in code order. */
  files: NoticeFile[];
}

/** The columns of a customer the notices do not use, as one number: two rows of a customer must agree on them too. */
function fingerprint(f: CustomerFields): number {
  let a = 0x811c9dc5;
  let b = 0x01000193;
  for (const v of [f.ten_khang, f.dchi_khang, f.ma_the, f.ma_sogcs, f.stt, f.so_cto]) {
    const text = v === null ? '\u0001' : `${v}\u0000`;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x5bd1e995);
    }
  }
  return (a >>> 0) * 0x200000 + ((b >>> 0) & 0x1fffff);
}

type Entry = SmsCustomer & { bills: SmsBill[]; fingerprint: number };

/**
 * The notices of a snapshot, without importing it: read by the import's reader with the import's
 * rules (every per-row rule, repeated customer columns that must agree, a bill listed twice, no
 * data rows, the total bound); a file the import would refuse is refused the same way, nothing
 * written. Card conflicts are the scanner's concern and are not checked here.
 */
export function snapshotNotices(options: NoticesOptions): NoticesResult {
  const fileName = basename(options.file);
  const reader = openSnapshotReader(options.file);
  try {
    const facts = inspectFile(options.file);
    const encoding = chosenEncoding(facts, options.encoding, fileName);
    const readOptions = { encoding, ...(options.mapping === undefined ? {} : { profile: options.mapping }) };
    const customers = new Map<string, Entry>();
    const bills = new Set<string>();
    const problems: Problem[] = [];
    const refuse = (list: Problem[]) => {
      badRows++;
      problemCount += list.length;
      for (const p of list) if (problems.length < MAX_PROBLEMS) problems.push(p);
    };
    const differing = new Set<string>();
    let rowCount = 0;
    let badRows = 0;
    let problemCount = 0;
    let billTotal = 0;
    reader.read(readOptions, (row) => {
      rowCount++;
      if (!row.ok) return refuse(row.problems);
      const f = row.customer;
      const print = fingerprint(f);
      let c = customers.get(f.ma_khang);
      if (c === undefined) {
        customers.set(f.ma_khang, (c = { ma_dviqly: f.ma_dviqly, ma_khang: f.ma_khang, dthoai_sms: f.dthoai_sms, tthai_cat: f.tthai_cat, bills: [], fingerprint: print }));
      } else if (c.fingerprint !== print || c.ma_dviqly !== f.ma_dviqly || c.dthoai_sms !== f.dthoai_sms || c.tthai_cat !== f.tthai_cat) {
        differing.add(f.ma_khang); // the exact problems come from a second reading, below
        return;
      }
      const b = row.bill;
      if (b === null) return;
      if (bills.has(b.id_hdon)) return refuse([{ line: row.line, column: 'ID_HDON', value: b.id_hdon, reason: 'trùng ID_HDON với một dòng trước trong tệp' }]);
      bills.add(b.id_hdon);
      billTotal += b.tong_tien;
      c.bills.push({ ky: b.ky, thang: b.thang, nam: b.nam, dien_tthu: b.dien_tthu, tong_tien: b.tong_tien, han_ttoan: b.han_ttoan });
    });
    if (differing.size > 0) {
      const first = new Map<string, { fields: CustomerFields; line: number }>();
      readSnapshot(options.file, readOptions, (row) => {
        if (!row.ok || !differing.has(row.customer.ma_khang)) return;
        const seen = first.get(row.customer.ma_khang);
        if (seen === undefined) first.set(row.customer.ma_khang, { fields: row.customer, line: row.line });
        else {
          const found = customerDifferences(row.line, row.customer, seen);
          if (found.length > 0) refuse(found);
        }
      });
    }
    if (problemCount > 0) {
      const shown = problems.sort((a, b) => a.line - b.line).map(formatProblem);
      const more = problemCount > shown.length ? [`... và ${problemCount - shown.length} lỗi nữa.`] : [];
      throw new AppError(
        'SNAPSHOT_INVALID',
        `Tệp ${fileName} bị từ chối như khi nhập: ${problemCount} lỗi ở ${badRows} dòng; không tạo tin nhắn nào.\n${[...shown, ...more].join('\n')}`,
        { problems, problemCount, badRows },
      );
    }
    if (rowCount === 0) throw new AppError('SNAPSHOT_NO_ROWS', `Tệp ${fileName} không có dòng dữ liệu nào: không tạo tin nhắn nào.`, { rowCount });
    if (billTotal > MAX_SNAPSHOT_TOTAL) {
      throw new AppError('SNAPSHOT_TOTAL_TOO_LARGE', `Tổng tiền các hóa đơn trong tệp ${fileName} vượt quá ${formatDong(MAX_SNAPSHOT_TOTAL)}, giới hạn của một bảng nợ: không tạo tin nhắn nào.`, {
        limit: MAX_SNAPSHOT_TOTAL,
      });
    }
    const build = noticeBuilder(options.profile, { madeAt: options.madeAt, ...(options.optOut === undefined ? {} : { optOut: options.optOut }), ...(options.types === undefined ? {} : { types: options.types }) });
    const byUnit = new Map<string, SmsOutcome[]>();
    for (const c of customers.values()) {
      let list = byUnit.get(c.ma_dviqly);
      if (list === undefined) byUnit.set(c.ma_dviqly, (list = []));
      for (const o of build(c)) list.push(o);
    }
    const day = compactDate(options.madeAt);
    const files = [...byUnit.keys()].sort().map((unitCode): NoticeFile => {
      const made = smsFile(byUnit.get(unitCode)!);
      return { unitCode, name: noticeFileName(unitCode, day), bytes: made.bytes, summary: made.summary };
    });
    return { fileName, sha256: facts.sha256, encoding, rowCount, customerCount: customers.size, billCount: bills.size, files };
  } finally {
    reader.close();
  }
}
