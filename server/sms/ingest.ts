import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parse } from 'csv-parse/sync';
import { sql } from 'kysely';
import { AppError } from '../../electron/core/errors.ts';
import { dayRange, parseDate } from '../../electron/core/local-time.ts';
import { isSafeText, MAX_SEPTETS } from '../../electron/sms/gsm7.ts';
import { SMS_COLUMNS } from '../../electron/sms/messages.ts';
import { SMS_TYPES, type SmsType } from '../../electron/sms/profile.ts';
import type { ServerDb } from '../db/connect.ts';

/** `TINNHAN_<point>_<yyyyMMdd>_<NN>.csv` (a point's confirmations) or `THONGBAO_<MA_DVIQLY>_<yyyyMMdd>.csv` (notices). */
const MESSAGE_FILE = /^(TINNHAN_[A-Z0-9]{2,20}_\d{8}_\d{2}|THONGBAO_[A-Z0-9]{1,10}_\d{8})\.csv$/;
const MAX_FILE_BYTES = 512 * 1024 * 1024;
const MAX_SHOWN = 20;

export interface QueuedMessage {
  maTin: string;
  type: SmsType;
  template: string;
  unit: string;
  maKhang: string;
  msisdn: string;
  body: string;
  rowSha256: string;
  sendFrom: Date;
  expiresAt: Date;
}

export interface SmsIngestResult {
  file: string;
  sha256: string;
  rows: number;
  /** New in the queue. */
  queued: number;
  /** Already queued with the same content: nothing new. */
  duplicates: number;
  /** Already queued with another content: refused (listed in sms_refused), the first one stays. */
  refused: number;
  refusedIds: string[];
  /** The same bytes were ingested before: nothing changed (counts as then). */
  alreadyIngested: boolean;
}

/** GUI_TU / HET_HAN `dd/MM/yyyy HH:mm`, Việt Nam time; null when not a real time. */
export function minuteToUtc(text: string): Date | null {
  const m = /^(\d{2}\/\d{2}\/\d{4}) (\d{2}):(\d{2})$/.exec(text);
  const date = m === null ? null : parseDate(m[1]!);
  if (m === null || date === null || Number(m[2]) > 23 || Number(m[3]) > 59) return null;
  const p2 = (n: number) => String(n).padStart(2, '0');
  return new Date(dayRange(`${date.year}-${p2(date.month)}-${p2(date.day)}`).start.getTime() + (Number(m[2]) * 60 + Number(m[3])) * 60_000);
}

const refuse = (file: string, problems: string[], count: number) =>
  new AppError(
    'SMS_FILE_INVALID',
    `Tệp tin nhắn ${file} không đúng quy định (mục 6): ${count} lỗi; không xếp hàng tin nào. Hãy tạo lại tệp.\n${problems.slice(0, MAX_SHOWN).join('\n')}${count > MAX_SHOWN ? `\n... và ${count - MAX_SHOWN} lỗi nữa.` : ''}`,
    { problems: problems.slice(0, 1000), problemCount: count },
  );

/** Every row of a message file, checked whole: one bad row refuses the file (it is made by a program: make it again). */
export function readMessageFile(path: string): { name: string; sha256: string; messages: QueuedMessage[] } {
  const name = basename(path);
  if (!MESSAGE_FILE.test(name)) {
    throw new AppError('SMS_FILE_NAME', `Tên tệp ${name} không phải TINNHAN_<điểm thu>_<yyyyMMdd>_<NN>.csv hay THONGBAO_<mã đơn vị>_<yyyyMMdd>.csv.`);
  }
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new AppError('SMS_FILE_UNREADABLE', `Không đọc được tệp ${path} (${(error as NodeJS.ErrnoException).code ?? String(error)}).`);
  }
  if (bytes.length > MAX_FILE_BYTES) throw new AppError('SMS_FILE_UNREADABLE', `Tệp ${name} lớn quá 512 MB.`);
  let records: string[][];
  try {
    records = parse(bytes.toString('utf8').replace(/^\uFEFF/, ''), { relax_column_count: true, skip_empty_lines: true }) as string[][];
  } catch (error) {
    throw refuse(name, [`không đọc được như CSV: ${(error as Error).message}`], 1);
  }
  const header = records[0] ?? [];
  if (header.join(',') !== SMS_COLUMNS.join(',')) throw refuse(name, [`dòng tiêu đề phải là ${SMS_COLUMNS.join(',')}`], 1);
  const problems: string[] = [];
  const messages: QueuedMessage[] = [];
  const seen = new Set<string>();
  for (let i = 1; i < records.length; i++) {
    const r = records[i]!;
    const bad = (what: string) => problems.push(`dòng ${i + 1}: ${what}`);
    if (r.length !== SMS_COLUMNS.length) {
      bad(`có ${r.length} cột, cần ${SMS_COLUMNS.length}`);
      continue;
    }
    const [maTin, type, template, unit, maKhang, msisdn, body, chars, segments, guiTu, hetHan] = r as [string, string, string, string, string, string, string, string, string, string, string];
    const sendFrom = minuteToUtc(guiTu);
    const expiresAt = minuteToUtc(hetHan);
    const before = problems.length;
    if (!SMS_TYPES.includes(type as SmsType)) bad(`LOAI_TIN "${type}" không phải ${SMS_TYPES.join(', ')}`);
    if (!/^[A-Z0-9-]{1,60}$/.test(maTin) || !maTin.includes(`-${type}`)) bad(`MA_TIN "${maTin}" không đúng dạng của loại ${type}`);
    else if (seen.has(maTin)) bad(`MA_TIN ${maTin} lặp lại trong tệp`);
    if (!/^[A-Z0-9_]{1,20}$/.test(template)) bad(`MA_MAU "${template}" không hợp lệ`);
    if (!/^[A-Z0-9]{1,10}$/.test(unit)) bad(`MA_DVIQLY "${unit}" không hợp lệ`);
    if (!/^[A-Z0-9]{1,16}$/.test(maKhang)) bad(`MA_KHANG "${maKhang}" không hợp lệ`);
    if (!/^84\d{9}$/.test(msisdn)) bad(`SO_DTHOAI "${msisdn}" không phải 84 + 9 chữ số`);
    if (body === '' || body.length > MAX_SEPTETS || !isSafeText(body)) bad(`NOI_DUNG không phải một tin GSM-7 không dấu tối đa ${MAX_SEPTETS} ký tự`);
    else if (chars !== String(body.length) || segments !== '1') bad(`SO_KY_TU/SO_BAN_TIN (${chars}/${segments}) không khớp nội dung (${body.length}/1)`);
    if (sendFrom === null || expiresAt === null || expiresAt <= sendFrom) bad(`GUI_TU/HET_HAN "${guiTu}"/"${hetHan}" không phải dd/MM/yyyy HH:mm, HET_HAN sau GUI_TU`);
    if (problems.length > before) continue;
    seen.add(maTin);
    messages.push({
      maTin, type: type as SmsType, template, unit, maKhang, msisdn, body, sendFrom: sendFrom!, expiresAt: expiresAt!,
      rowSha256: createHash('sha256').update(JSON.stringify(r)).digest('hex'),
    });
  }
  if (problems.length > 0) throw refuse(name, problems, problems.length);
  return { name, sha256: createHash('sha256').update(bytes).digest('hex'), messages };
}

const CHUNK = 5000;

/**
 * Queues a file's messages keyed by MA_TIN, in one transaction: a message already queued with the
 * same content is a duplicate (nothing changes), with another content it is refused and counted (the
 * first stays: the gateway has it under that id). The same file twice changes nothing.
 */
export async function ingestMessages(db: ServerDb, path: string): Promise<SmsIngestResult> {
  const file = readMessageFile(path);
  return db.transaction().execute(async (trx) => {
    // Two ingests of the same file at once: the second waits here and then finds the first's row.
    await sql`SELECT pg_advisory_xact_lock(hashtext(${file.sha256}))`.execute(trx);
    const before = await sql<{ rows: number; queued: number; duplicates: number; refused: number }>`
      SELECT rows, queued, duplicates, refused FROM sms_files WHERE sha256 = ${file.sha256}`.execute(trx);
    const done = before.rows[0];
    if (done !== undefined) return { file: file.name, sha256: file.sha256, ...done, refusedIds: [], alreadyIngested: true };
    let queued = 0;
    const refusedIds: string[] = [];
    for (let at = 0; at < file.messages.length; at += CHUNK) {
      const part = file.messages.slice(at, at + CHUNK);
      const col = <K extends keyof QueuedMessage>(k: K) => part.map((m) => m[k]);
      const inserted = await sql<{ ma_tin: string }>`
        INSERT INTO sms_messages (ma_tin, loai_tin, ma_mau, unit, ma_khang, msisdn, body, row_sha256, send_from, expires_at, next_attempt_at, file_name)
        SELECT t.*, t.send_from, ${file.name} FROM unnest(${col('maTin')}::text[], ${col('type')}::text[], ${col('template')}::text[], ${col('unit')}::text[],
               ${col('maKhang')}::text[], ${col('msisdn')}::text[], ${col('body')}::text[], ${col('rowSha256')}::text[],
               ${col('sendFrom')}::timestamptz[], ${col('expiresAt')}::timestamptz[])
             AS t(ma_tin, loai_tin, ma_mau, unit, ma_khang, msisdn, body, row_sha256, send_from, expires_at)
        ON CONFLICT (ma_tin) DO NOTHING RETURNING ma_tin`.execute(trx);
      queued += inserted.rows.length;
      const fresh = new Set(inserted.rows.map((r) => r.ma_tin));
      const others = part.filter((m) => !fresh.has(m.maTin));
      if (others.length === 0) continue;
      const stored = await sql<{ ma_tin: string; row_sha256: string }>`
        SELECT ma_tin, row_sha256 FROM sms_messages WHERE ma_tin = ANY(${others.map((m) => m.maTin)}::text[])`.execute(trx);
      const shaOf = new Map(stored.rows.map((r) => [r.ma_tin, r.row_sha256]));
      for (const m of others) {
        if (shaOf.get(m.maTin) === m.rowSha256) continue;
        refusedIds.push(m.maTin);
        await sql`INSERT INTO sms_refused (ma_tin, row_sha256, file_name) VALUES (${m.maTin}, ${m.rowSha256}, ${file.name}) ON CONFLICT DO NOTHING`.execute(trx);
      }
    }
    const counts = { rows: file.messages.length, queued, duplicates: file.messages.length - queued - refusedIds.length, refused: refusedIds.length };
    await sql`INSERT INTO sms_files (sha256, name, rows, queued, duplicates, refused)
              VALUES (${file.sha256}, ${file.name}, ${counts.rows}, ${counts.queued}, ${counts.duplicates}, ${counts.refused})`.execute(trx);
    return { file: file.name, sha256: file.sha256, ...counts, refusedIds, alreadyIngested: false };
  });
}
