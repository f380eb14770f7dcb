import { closeSync, mkdirSync, openSync, unlinkSync, writeSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Ctx } from '../store/context.ts';
import type { Sqlite } from '../store/open.ts';
import { AppError } from '../core/errors.ts';
import { printable, startsLikeFormula } from '../core/cell-text.ts';
import { compactDate, localParts } from '../core/local-time.ts';
import { formatDong, MAX_SNAPSHOT_TOTAL } from '../core/money.ts';
import { appendJournal } from '../store/journal.ts';
import { requireSupervisor } from '../users/users.ts';
import { snapshotById, type ReimportSummary, type SnapshotInfo } from './snapshots.ts';
import type { MappingProfile } from './profiles.ts';
import { openSnapshotReader, type SnapshotReader } from './parallel-read.ts';
import { pointUnits } from '../store/point.ts';
import { currentForGuards, enforceGuards, snapshotGuards, unitNotServed, type SnapshotGuard } from './snapshot-guards.ts';
import { extractTime, nameTime, type ExtractTime } from './snapshot-time.ts';
import {
  formatProblem,
  inspectFile,
  problemValue,
  readSnapshot,
  type CustomerFields,
  type FileFacts,
  type Problem,
  type ReadOptions,
  type SnapshotEncoding,
  type SnapshotRow,
} from './read-snapshot.ts';

export interface ImportOptions {
  file: string;
  /** Overrides the detected encoding. */
  encoding?: SnapshotEncoding;
  profile?: MappingProfile;
  /** Full validation, summary and re-import preview; nothing is written. */
  dryRun?: boolean;
  /** Import the valid rows, write the invalid ones to a rejects file: a supervisor's choice (code + PIN). */
  skipInvalid?: { supervisorCode: string; pin: string };
  /**
   * A supervisor's confirmation (code + PIN) for what section 4 asks one to confirm; with `force`,
   * also an extract time older than the current snapshot's.
   */
  confirm?: { supervisorCode: string; pin: string; force?: boolean };
}

/** What an import did (or would do): the snapshot's figures as stored, plus the outcome. */
export interface ImportResult extends Omit<SnapshotInfo, 'id' | 'importedAt' | 'encoding'> {
  status: 'imported' | 'dry_run' | 'already_imported';
  /** SNAPSHOT_ALREADY_IMPORTED when the same file (SHA-256) was imported before: nothing done. */
  code: 'SNAPSHOT_IMPORTED' | 'SNAPSHOT_DRY_RUN' | 'SNAPSHOT_ALREADY_IMPORTED';
  snapshotId: number | null;
  encoding: SnapshotEncoding;
  /** Problems of skipped rows (first MAX_PROBLEMS kept), when --skip-invalid was used. */
  problems: Problem[];
  problemCount: number;
  /** When CMIS made the file, and from where that was read (contract section 4). */
  extract: ExtractTime;
  /** What the import needed or needs from a supervisor (a dry run lists them; an import met them). */
  guards: SnapshotGuard[];
}

/** Problems kept in memory and reported; all are counted. */
export const MAX_PROBLEMS = 10_000;
const MAX_WARNING_EXAMPLES = 20;

class Rollback extends Error {
  constructor(readonly result: ImportResult) {
    super('rollback');
  }
}

/**
 * Imports a debt snapshot per the file contract: one IMMEDIATE transaction that upserts customers
 * and bills row by row as the file streams, computes the re-import table and journals it. Any
 * invalid row (unless a supervisor chose --skip-invalid) rolls everything back and is reported with
 * all the others as SNAPSHOT_INVALID. A dry run does the same work and always rolls back.
 * Payments, their lines and the journal's earlier rows are never touched.
 */
export function importSnapshot(ctx: Ctx, options: ImportOptions): ImportResult {
  // The reader's worker boots while this thread hashes the file.
  const reader = openSnapshotReader(options.file);
  try {
    return importWith(ctx, options, reader);
  } finally {
    reader.close();
  }
}

function importWith(ctx: Ctx, options: ImportOptions, reader: SnapshotReader): ImportResult {
  const facts = inspectFile(options.file);
  const fileName = basename(options.file);
  const already = ctx.sqlite.prepare('SELECT id FROM snapshots WHERE sha256 = ?').get(facts.sha256) as { id: number } | undefined;
  if (already !== undefined) {
    return {
      ...storedResult(ctx.sqlite, already.id),
      status: 'already_imported',
      code: 'SNAPSHOT_ALREADY_IMPORTED',
    };
  }
  const units = pointUnits(ctx.sqlite);
  const named = nameTime(options.file);
  if (named !== null && !units.includes(named.unit)) throw unitNotServed(fileName, units, [{ unit: named.unit, line: 0 }], 0, true);
  const encoding = chosenEncoding(facts, options.encoding, fileName);
  const dryRun = options.dryRun === true;
  const skipping = options.skipInvalid !== undefined;
  // A dry run previews the skip without the PIN check: checking it journals a login, and a dry run writes nothing.
  const supervisor = options.skipInvalid === undefined || dryRun ? null : requireSupervisor(ctx, options.skipInvalid.supervisorCode, options.skipInvalid.pin);
  const confirm = options.confirm;
  const confirmer =
    confirm === undefined || dryRun
      ? null
      : supervisor !== null && supervisor.code === confirm.supervisorCode.trim().toUpperCase()
        ? supervisor
        : requireSupervisor(ctx, confirm.supervisorCode, confirm.pin);
  const at = ctx.clock();
  const rejectsPath =
    supervisor === null
      ? null
      : join(ctx.dataDir, 'rejects', `${compactDate(at)}-${hhmmss(at)}-${fileName.replace(/\.[^.]*$/, '')}-loai.csv`);

  let rejects: RejectsWriter | null = null;
  // Every reference the import writes holds by construction (customer ids come from this transaction's
  // own inserts or lookups, snapshot ids from its own snapshot row), and enforcing them costs four index
  // probes a row (about 2.5 s a province). The pragma is a no-op inside a transaction, so it is switched
  // off around it and always restored.
  const foreignKeys = ctx.sqlite.pragma('foreign_keys', { simple: true }) as number;
  ctx.sqlite.pragma('foreign_keys = OFF');
  try {
    const result = ctx.sqlite
      .transaction(() => {
        const current = currentForGuards(ctx.sqlite);
        const sid = Number(
          ctx.sqlite
            .prepare(
              `INSERT INTO snapshots (file_name, sha256, encoding, delimiter, imported_at, row_count, customer_count, bill_count, bill_total)
               VALUES (?, ?, ?, '', ?, 0, 0, 0, 0)`,
            )
            .run(fileName, facts.sha256, encoding, at.toISOString()).lastInsertRowid,
        );
        const loader = new SnapshotLoader(ctx.sqlite, sid, units);
        if (rejectsPath !== null) rejects = new RejectsWriter(rejectsPath);
        const header = reader.read({ encoding, profile: options.profile, keepRaw: rejectsPath !== null }, (row) => {
          const problems = loader.load(row);
          if (problems.length > 0) rejects?.write(row.line, problems, row.raw);
        });
        if (header.unknownColumns.length > 0) loader.warnings.unshift(`Bỏ qua các cột không biết: ${header.unknownColumns.join(', ')}.`);
        // A card two customers hold cannot be fixed by skipping a row: refused even with --skip-invalid.
        // The neighbouring unit's file is the wrong file, whatever its rows: refused before any row problem, also with --skip-invalid.
        if (loader.foreignCount > 0) throw unitNotServed(fileName, units, loader.foreign, loader.foreignCount, false);
        const conflicts = loader.cardConflicts();
        const cards = cardProblems(conflicts, (wanted) => customerLines(options.file, { encoding, profile: options.profile }, wanted));
        const problemList = loader.problems;
        if ((loader.problemCount > 0 && !skipping) || conflicts.count > 0) {
          const problems = (skipping ? cards : [...problemList, ...cards].sort((a, b) => a.line - b.line)).slice(0, MAX_PROBLEMS);
          const count = (skipping ? 0 : loader.problemCount) + conflicts.count;
          const shown = problems.map(formatProblem);
          const more = count > shown.length ? [`... và ${count - shown.length} lỗi nữa.`] : [];
          const badRows = (skipping ? 0 : loader.badRows) + conflicts.count;
          throw new AppError(
            'SNAPSHOT_INVALID',
            `Tệp ${fileName} bị từ chối: ${count} lỗi ở ${badRows} dòng; cơ sở dữ liệu không thay đổi.\n${[...shown, ...more].join('\n')}`,
            { problems, problemCount: count, badRows },
          );
        }
        // Contract section 4: no data rows (or none valid) would turn every bill into "cleared elsewhere".
        if (loader.rowCount === loader.badRows) {
          throw new AppError(
            'SNAPSHOT_NO_ROWS',
            `Tệp ${fileName} không có dòng dữ liệu ${loader.rowCount === 0 ? 'nào' : 'hợp lệ nào'}: tệp bị từ chối, cơ sở dữ liệu không thay đổi (nhập nó sẽ coi mọi hóa đơn là đã gạch nợ nơi khác).`,
            { rowCount: loader.rowCount },
          );
        }
        if (loader.billTotal > MAX_SNAPSHOT_TOTAL) {
          throw new AppError(
            'SNAPSHOT_TOTAL_TOO_LARGE',
            `Tổng tiền các hóa đơn trong tệp ${fileName} vượt quá ${formatDong(MAX_SNAPSHOT_TOTAL)}, giới hạn của một bảng nợ: tệp bị từ chối, cơ sở dữ liệu không thay đổi.`,
            { limit: MAX_SNAPSHOT_TOTAL },
          );
        }
        const delimiter = header.delimiter === '\t' ? 'tab' : header.delimiter;
        const reimport = loader.finish(delimiter);
        const extract = extractTime(options.file, header.extractedAt);
        const guards = snapshotGuards(ctx.sqlite, current, { sid, extract, clearedElsewhere: reimport.cleared_elsewhere });
        if (!dryRun) enforceGuards(guards, fileName, confirmer === null ? null : { forced: confirm?.force === true });
        const summary: ImportResult = {
          status: dryRun ? 'dry_run' : 'imported',
          code: dryRun ? 'SNAPSHOT_DRY_RUN' : 'SNAPSHOT_IMPORTED',
          snapshotId: dryRun ? null : sid,
          fileName,
          sha256: facts.sha256,
          encoding,
          delimiter,
          rowCount: loader.rowCount,
          customerCount: loader.customerCount,
          billCount: loader.billCount,
          billTotal: loader.billTotal,
          skippedCount: loader.badRows,
          rejectsFile: loader.badRows > 0 ? rejectsPath : null,
          warnings: loader.warnings,
          reimport,
          problems: problemList,
          problemCount: loader.problemCount,
          extract,
          guards,
        };
        if (dryRun) throw new Rollback(summary);
        ctx.sqlite
          .prepare('UPDATE snapshots SET skipped_count = ?, rejects_file = ?, supervisor_id = ?, extracted_at = ?, extract_source = ?, confirmed_by = ? WHERE id = ?')
          .run(
            summary.skippedCount, summary.rejectsFile, summary.skippedCount > 0 ? (supervisor?.id ?? null) : null,
            extract.at, extract.source, guards.length > 0 ? (confirmer?.id ?? null) : null, sid,
          );
        appendJournal(ctx.sqlite, {
          kind: 'import',
          actorId: null,
          payload: {
            snapshotId: sid,
            fileName,
            sha256: facts.sha256,
            rows: summary.rowCount,
            customers: summary.customerCount,
            bills: summary.billCount,
            billTotal: summary.billTotal,
            reimport,
            extract,
          },
          at,
        });
        if (guards.length > 0 && confirmer !== null) {
          appendJournal(ctx.sqlite, {
            kind: 'import_confirmed',
            actorId: confirmer.id,
            payload: { snapshotId: sid, supervisor: confirmer.code, forced: confirm?.force === true, guards: guards.map((g) => ({ code: g.code, message: g.message })) },
            at,
          });
        }
        if (summary.skippedCount > 0 && supervisor !== null) {
          appendJournal(ctx.sqlite, {
            kind: 'import_skipped_rows',
            actorId: supervisor.id,
            payload: { snapshotId: sid, supervisor: supervisor.code, skippedRows: summary.skippedCount, problemCount: summary.problemCount, rejectsFile: summary.rejectsFile },
            at,
          });
        }
        return summary;
      })
      .immediate();
    (rejects as RejectsWriter | null)?.close(result.skippedCount === 0);
    return result;
  } catch (error) {
    (rejects as RejectsWriter | null)?.close(true);
    if (error instanceof Rollback) return error.result;
    throw error;
  } finally {
    ctx.sqlite.pragma(`foreign_keys = ${foreignKeys === 1 ? 'ON' : 'OFF'}`);
  }
}

/** The summary of a snapshot already in the database (for the same-file no-op). */
function storedResult(sqlite: Sqlite, id: number): Omit<ImportResult, 'status' | 'code'> {
  const { id: snapshotId, importedAt, encoding, extract, ...info } = snapshotById(sqlite, id) as SnapshotInfo;
  // A snapshot from before extract times were kept: its import time stands in.
  return { ...info, snapshotId, encoding: encoding as SnapshotEncoding, problems: [], problemCount: 0, extract: extract ?? { at: importedAt, source: 'file' }, guards: [] };
}

/**
 * The encoding to read with: the operator's choice, else the detected one. UTF-8 over bytes that
 * are not UTF-8 (a damaged file, or a UTF-8 BOM on one) and a file whose encoding was not
 * recognised are refused, naming the lines with the bad bytes.
 */
export function chosenEncoding(facts: FileFacts, override: SnapshotEncoding | undefined, fileName: string): SnapshotEncoding {
  const chosen = override ?? facts.detected;
  const bad = facts.notUtf8;
  if (bad === null || (chosen !== null && chosen !== 'utf8')) return chosen ?? 'utf8';
  const lines = bad.problems.map(formatProblem);
  const more = bad.lineCount > lines.length ? [`... và ${bad.lineCount - lines.length} dòng nữa.`] : [];
  const what = bad.damagedUtf8
    ? `Tệp ${fileName} là UTF-8 nhưng có byte hỏng ở ${bad.lineCount} dòng: đọc tiếp sẽ làm sai tên, địa chỉ. Tệp bị từ chối, cơ sở dữ liệu không thay đổi; hãy xuất lại tệp từ CMIS.`
    : `Không nhận ra bảng mã của tệp ${fileName} (không phải UTF-8, không giống Windows-1258; ${bad.lineCount} dòng có byte lạ). Tệp bị từ chối, cơ sở dữ liệu không thay đổi; nếu biết bảng mã, hãy chọn nó khi nhập.`;
  throw new AppError('SNAPSHOT_BAD_ENCODING', `${what}\n${[...lines, ...more].join('\n')}`, {
    problems: bad.problems,
    problemCount: bad.lineCount,
    damagedUtf8: bad.damagedUtf8,
  });
}

/**
 * Cards of the snapshot a scan could not tell apart: `shared`, the holders of each card two or more
 * customers hold (in file order); `codes`, cards that are another customer's MA_KHANG. Lists are
 * bounded (a placeholder card on every row must not make a list per pair); `count` counts them all.
 */
interface CardConflicts {
  shared: { card: string; holder: string }[];
  codes: { card: string; holder: string; other: string }[];
  count: number;
}

/** The line where each of these customers is first listed in the file (read again: only when a conflict was found). */
function customerLines(file: string, options: ReadOptions, wanted: ReadonlySet<string>): Map<string, number> {
  const lines = new Map<string, number>();
  readSnapshot(file, options, (row) => {
    if (row.ok && wanted.has(row.customer.ma_khang) && !lines.has(row.customer.ma_khang)) lines.set(row.customer.ma_khang, row.line);
  });
  return lines;
}

/**
 * Problems naming both lines: a card held twice is refused on every holder after the first, a card
 * that is another customer's code on the card's line.
 */
function cardProblems(conflicts: CardConflicts, linesOf: (wanted: ReadonlySet<string>) => Map<string, number>): Problem[] {
  if (conflicts.count === 0) return [];
  const lines = linesOf(new Set([...conflicts.shared.map((c) => c.holder), ...conflicts.codes.flatMap((c) => [c.holder, c.other])]));
  const lineOf = (code: string): number => lines.get(code) ?? 0;
  const problems: Problem[] = conflicts.codes.map((c) => ({
    line: lineOf(c.holder),
    column: 'MA_THE',
    value: c.card,
    reason: `là mã của khách hàng khác ${c.other} (dòng ${lineOf(c.other)}): quét thẻ sẽ ra khách hàng đó`,
  }));
  let first = { card: '', holder: '' };
  for (const c of conflicts.shared) {
    if (c.card !== first.card) first = c;
    else {
      const reason = `đã là thẻ của khách hàng ${first.holder} (dòng ${lineOf(first.holder)}): quét thẻ sẽ không biết thu cho ai`;
      problems.push({ line: lineOf(c.holder), column: 'MA_THE', value: c.card, reason });
    }
  }
  return problems.sort((a, b) => a.line - b.line);
}

function hhmmss(at: Date): string {
  const t = localParts(at);
  return [t.hour, t.minute, t.second].map((n) => String(n).padStart(2, '0')).join('');
}

const CUSTOMER_FIELDS = ['ma_dviqly', 'ten_khang', 'dchi_khang', 'ma_the', 'dthoai_sms', 'ma_sogcs', 'stt', 'so_cto', 'tthai_cat'] as const;
const COLUMN_OF: Record<(typeof CUSTOMER_FIELDS)[number], string> = {
  ma_dviqly: 'MA_DVIQLY',
  ten_khang: 'TEN_KHANG',
  dchi_khang: 'DCHI_KHANG',
  ma_the: 'MA_THE',
  dthoai_sms: 'DTHOAI_SMS',
  ma_sogcs: 'MA_SOGCS',
  stt: 'STT',
  so_cto: 'SO_CTO',
  tthai_cat: 'TTHAI_CAT',
};

/**
 * A row's customer columns against an earlier row of the same MA_KHANG (`seen.line` 0: a row not
 * located): one problem per differing column. The notices (`sms notices`) apply the same rule.
 */
export function customerDifferences(line: number, fields: CustomerFields, seen: { fields: CustomerFields; line: number }): Problem[] {
  const problems: Problem[] = [];
  for (const key of CUSTOMER_FIELDS) {
    if (seen.fields[key] !== fields[key]) {
      const where = seen.line > 0 ? `dòng ${seen.line}` : 'một dòng trước';
      problems.push({
        line,
        column: COLUMN_OF[key],
        value: problemValue(String(fields[key] ?? '')),
        reason: `khác với ${where} của cùng khách hàng ${fields.ma_khang} ("${problemValue(String(seen.fields[key] ?? ''))}")`,
      });
    }
  }
  return problems;
}

/** Writes the rows of one snapshot into the open transaction; collects problems, counts and warnings. */
class SnapshotLoader {
  readonly problems: Problem[] = [];
  readonly warnings: string[] = [];
  problemCount = 0;
  badRows = 0;
  rowCount = 0;
  customerCount = 0;
  billCount = 0;
  billTotal = 0;
  private prefixMismatches = 0;
  private prefixExamples: string[] = [];
  private last: { id: number; fields: CustomerFields; line: number } | null = null;
  private readonly previousSnapshot: number | null;
  /** Rows of units the point does not serve: counted, the first few kept. */
  foreignCount = 0;
  readonly foreign: { unit: string; line: number }[] = [];
  private readonly units: ReadonlySet<string>;
  private readonly insertCustomer;
  private readonly updateCustomer;
  private readonly customerByCode;
  private readonly upsertBill;

  constructor(
    private readonly sqlite: Sqlite,
    private readonly sid: number,
    units: readonly string[],
  ) {
    this.units = new Set(units);
    this.previousSnapshot = (sqlite.prepare('SELECT MAX(id) AS id FROM snapshots WHERE id < ?').get(sid) as { id: number | null }).id;
    // Positional parameters and .run() (no RETURNING): this is the bulk path, 600,000 rows a morning.
    this.insertCustomer = sqlite.prepare(
      `INSERT INTO customers (ma_dviqly, ten_khang, dchi_khang, ma_the, dthoai_sms, ma_sogcs, stt, so_cto, tthai_cat, name_fold, addr_fold, last_snapshot_id, ma_khang)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (ma_khang) DO NOTHING`,
    );
    this.updateCustomer = sqlite.prepare(
      `UPDATE customers SET ma_dviqly = ?, ten_khang = ?, dchi_khang = ?, ma_the = ?, dthoai_sms = ?, ma_sogcs = ?, stt = ?, so_cto = ?,
              tthai_cat = ?, name_fold = ?, addr_fold = ?, last_snapshot_id = ?
        WHERE ma_khang = ?`,
    );
    this.customerByCode = sqlite.prepare(
      'SELECT id, last_snapshot_id, ma_khang, ma_dviqly, ten_khang, dchi_khang, ma_the, dthoai_sms, ma_sogcs, stt, so_cto, tthai_cat FROM customers WHERE ma_khang = ?',
    );
    // A bill paid here keeps its amounts and customer (the payment copied them); only its presence is recorded.
    // No change = the same ID_HDON was already written by an earlier row of this file.
    this.upsertBill = sqlite.prepare(
      `INSERT INTO bills (id_hdon, customer_id, loai_hdon, ky, thang, nam, dien_tthu, so_tien, tien_gtgt, tong_tien, han_ttoan, first_snapshot_id, last_snapshot_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id_hdon) DO UPDATE SET
         customer_id = iif(paid, customer_id, excluded.customer_id),
         loai_hdon = iif(paid, loai_hdon, excluded.loai_hdon),
         ky = iif(paid, ky, excluded.ky),
         thang = iif(paid, thang, excluded.thang),
         nam = iif(paid, nam, excluded.nam),
         dien_tthu = iif(paid, dien_tthu, excluded.dien_tthu),
         so_tien = iif(paid, so_tien, excluded.so_tien),
         tien_gtgt = iif(paid, tien_gtgt, excluded.tien_gtgt),
         tong_tien = iif(paid, tong_tien, excluded.tong_tien),
         han_ttoan = iif(paid, han_ttoan, excluded.han_ttoan),
         last_snapshot_id = excluded.last_snapshot_id
       WHERE bills.last_snapshot_id <> excluded.last_snapshot_id`.replaceAll(
        'paid',
        'EXISTS (SELECT 1 FROM payment_lines l WHERE l.bill_id = bills.id AND l.voided = 0)',
      ),
    );
  }

  /** Loads one row; returns its problems (empty when it was written). */
  load(row: SnapshotRow): Problem[] {
    this.rowCount++;
    if (!row.ok) return this.reject(row.problems);
    if (!this.units.has(row.customer.ma_dviqly)) {
      if (this.foreignCount++ < MAX_WARNING_EXAMPLES) this.foreign.push({ unit: row.customer.ma_dviqly, line: row.line });
      return [];
    }
    const customer = this.customer(row.line, row.customer, row.nameFold, row.addrFold);
    if (typeof customer !== 'number') return this.reject(customer);
    const b = row.bill;
    if (b !== null) {
      const { changes } = this.upsertBill.run(
        b.id_hdon, customer, b.loai_hdon, b.ky, b.thang, b.nam, b.dien_tthu, b.so_tien, b.tien_gtgt, b.tong_tien, b.han_ttoan, this.sid, this.sid,
      );
      if (changes === 0) {
        return this.reject([{ line: row.line, column: 'ID_HDON', value: b.id_hdon, reason: 'trùng ID_HDON với một dòng trước trong tệp' }]);
      }
      this.billCount++;
      this.billTotal += b.tong_tien;
    }
    return [];
  }

  /** The customer's id, or the problems when the row disagrees with an earlier row of the same MA_KHANG. */
  private customer(line: number, f: CustomerFields, nameFold: string, addrFold: string): number | Problem[] {
    if (this.last !== null && this.last.fields.ma_khang === f.ma_khang) return this.compare(line, this.last, f);
    const values = [
      f.ma_dviqly, f.ten_khang, f.dchi_khang, f.ma_the, f.dthoai_sms, f.ma_sogcs, f.stt, f.so_cto, f.tthai_cat,
      nameFold, addrFold, this.sid, f.ma_khang,
    ];
    const inserted = this.insertCustomer.run(values);
    let id: number;
    if (inserted.changes === 1) {
      id = Number(inserted.lastInsertRowid);
    } else {
      const stored = this.customerByCode.get(f.ma_khang) as CustomerFields & { id: number; last_snapshot_id: number };
      if (stored.last_snapshot_id === this.sid) {
        const outcome = this.compare(line, { id: stored.id, fields: stored, line: 0 }, f);
        if (typeof outcome === 'number') this.last = { id: stored.id, fields: f, line };
        return outcome;
      }
      this.updateCustomer.run(values);
      id = stored.id;
    }
    this.customerCount++;
    if (!f.ma_khang.startsWith(f.ma_dviqly)) {
      this.prefixMismatches++;
      if (this.prefixExamples.length < MAX_WARNING_EXAMPLES) this.prefixExamples.push(`dòng ${line} (${f.ma_khang}, ${f.ma_dviqly})`);
    }
    this.last = { id, fields: f, line };
    return id;
  }

  private compare(line: number, seen: { id: number; fields: CustomerFields; line: number }, fields: CustomerFields): number | Problem[] {
    const problems = customerDifferences(line, fields, seen);
    return problems.length > 0 ? problems : seen.id;
  }

  private reject(problems: Problem[]): Problem[] {
    this.badRows++;
    this.problemCount += problems.length;
    for (const p of problems) if (this.problems.length < MAX_PROBLEMS) this.problems.push(p);
    return problems;
  }

  /**
   * Cards of this snapshot that two customers hold, or that are another customer's code: a scan of
   * one would find the other. Driven by the card index: as many steps as customers with a card.
   */
  cardConflicts(): CardConflicts {
    const shared = `SELECT ma_the, COUNT(*) AS n FROM customers INDEXED BY customers_ma_the
                     WHERE ma_the IS NOT NULL AND +last_snapshot_id = @sid GROUP BY ma_the HAVING n > 1`;
    const codes = `FROM customers a INDEXED BY customers_ma_the JOIN customers b ON b.ma_khang = a.ma_the AND b.id <> a.id
                   WHERE a.ma_the IS NOT NULL AND +a.last_snapshot_id = @sid AND +b.last_snapshot_id = @sid`;
    const count = this.sqlite
      .prepare(`SELECT (SELECT COALESCE(SUM(n - 1), 0) FROM (${shared})) + (SELECT COUNT(*) ${codes})`)
      .pluck()
      .get({ sid: this.sid }) as number;
    if (count === 0) return { shared: [], codes: [], count };
    return {
      // Ordered by card, then by id: the order the customers were first listed in the file.
      shared: this.sqlite
        .prepare(
          `SELECT c.ma_the AS card, c.ma_khang AS holder FROM (${shared}) d
             JOIN customers c INDEXED BY customers_ma_the ON c.ma_the = d.ma_the AND +c.last_snapshot_id = @sid
            ORDER BY c.ma_the, c.id LIMIT @limit`,
        )
        .all({ sid: this.sid, limit: 2 * MAX_PROBLEMS }) as CardConflicts['shared'],
      codes: this.sqlite
        .prepare(`SELECT a.ma_the AS card, a.ma_khang AS holder, b.ma_khang AS other ${codes} LIMIT @limit`)
        .all({ sid: this.sid, limit: MAX_PROBLEMS }) as CardConflicts['codes'],
      count,
    };
  }

  /** After the last row: the re-import table, the search index, the snapshot's counts. */
  finish(delimiter: string): ReimportSummary {
    if (this.prefixMismatches > 0) {
      this.warnings.push(
        `${this.prefixMismatches} khách hàng có MA_KHANG không bắt đầu bằng MA_DVIQLY, ví dụ ${this.prefixExamples.join('; ')}.`,
      );
    }
    const reimport = computeReimport(this.sqlite, this.sid, this.previousSnapshot, this.billCount);
    // A full rebuild of the external-content index is one pass in C; row-by-row upkeep costs more at this size.
    // FTS5 writes its in-memory terms out as a new segment every `hashsize` bytes (1 MB by default) and
    // merges segments as it goes: a 16 MB buffer (a persistent setting of the index, written with it)
    // makes the province's rebuild about 40% faster. Queries do not depend on it.
    this.sqlite.prepare("INSERT INTO customer_search (customer_search, rank) VALUES ('hashsize', 16777216)").run();
    this.sqlite.prepare("INSERT INTO customer_search (customer_search) VALUES ('rebuild')").run();
    this.sqlite
      .prepare(
        `UPDATE snapshots SET delimiter = ?, row_count = ?, customer_count = ?, bill_count = ?, bill_total = ?, warnings = ?, reimport_summary = ?
         WHERE id = ?`,
      )
      .run(delimiter, this.rowCount, this.customerCount, this.billCount, this.billTotal, JSON.stringify(this.warnings), JSON.stringify(reimport), this.sid);
    return reimport;
  }
}

/**
 * The contract's re-import table for snapshot `sid`: every bill paid here that the snapshot lists,
 * every bill of the previous snapshot that this one no longer lists, and every earlier conflict
 * still unresolved (paid here, not exported, gone from CMIS). Plain outstanding bills are only counted.
 */
function computeReimport(sqlite: Sqlite, sid: number, previous: number | null, billsInSnapshot: number): ReimportSummary {
  // Two index-driven halves (bills that left since the previous snapshot; bills with a valid payment
  // here) instead of one OR over every bill: the second half is as small as the point's payments.
  sqlite
    .prepare(
      `INSERT INTO snapshot_bill_states (snapshot_id, bill_id, state)
       SELECT @sid, b.id,
              CASE
                WHEN b.last_snapshot_id = @sid THEN CASE WHEN p.batch_id IS NULL THEN 'paid_waiting_export' ELSE 'exported_still_open' END
                WHEN l.id IS NULL THEN 'cleared_elsewhere'
                WHEN p.batch_id IS NOT NULL THEN 'cleared'
                ELSE 'conflict'
              END
         FROM (SELECT id FROM bills WHERE last_snapshot_id = @previous
               UNION
               SELECT l.bill_id FROM payment_lines l JOIN payments p ON p.id = l.payment_id JOIN bills b ON b.id = l.bill_id
                WHERE l.voided = 0 AND (b.last_snapshot_id = @sid OR (p.batch_id IS NULL AND b.last_snapshot_id < @sid))) AS pick
         JOIN bills b ON b.id = pick.id
         LEFT JOIN payment_lines l ON l.bill_id = b.id AND l.voided = 0
         LEFT JOIN payments p ON p.id = l.payment_id`,
    )
    .run({ sid, previous: previous ?? -1 });
  const counts = Object.fromEntries(
    (sqlite.prepare('SELECT state, COUNT(*) AS n FROM snapshot_bill_states WHERE snapshot_id = ? GROUP BY state').all(sid) as { state: string; n: number }[]).map(
      (r) => [r.state, r.n],
    ),
  ) as Partial<ReimportSummary>;
  const paidWaiting = counts.paid_waiting_export ?? 0;
  const exportedOpen = counts.exported_still_open ?? 0;
  return {
    outstanding: billsInSnapshot - paidWaiting - exportedOpen,
    paid_waiting_export: paidWaiting,
    exported_still_open: exportedOpen,
    cleared_elsewhere: counts.cleared_elsewhere ?? 0,
    cleared: counts.cleared ?? 0,
    conflict: counts.conflict ?? 0,
  };
}

/**
 * The rejects file of a supervised import: UTF-8 with BOM, one line per skipped row with its reasons
 * and original text. A supervisor opens it in a spreadsheet: control characters are shown as \xNN
 * and a text a spreadsheet would run gets a leading apostrophe (it then shows as text).
 */
class RejectsWriter {
  private readonly fd: number;

  constructor(private readonly path: string) {
    mkdirSync(join(path, '..'), { recursive: true });
    this.fd = openSync(path, 'w');
    writeSync(this.fd, '\uFEFFDONG,LY_DO,NOI_DUNG_GOC\r\n');
  }

  write(line: number, problems: Problem[], raw: string | null): void {
    const cell = (text: string) => {
      const shown = printable(text);
      return `"${(startsLikeFormula(shown) ? `'${shown}` : shown).replace(/"/g, '""')}"`;
    };
    writeSync(this.fd, `${line},${cell(problems.map(formatProblem).join('; '))},${cell(raw ?? '')}\r\n`);
  }

  /** Closes the file; removes it when the import did not commit or skipped nothing. */
  close(remove: boolean): void {
    closeSync(this.fd);
    if (remove) unlinkSync(this.path);
  }
}
