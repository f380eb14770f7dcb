import { closeSync, mkdirSync, openSync, unlinkSync, writeSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Ctx } from '../store/context.ts';
import type { Sqlite } from '../store/open.ts';
import { query, selectFirst } from '../store/typed-query.ts';
import { AppError } from '../core/errors.ts';
import { printable, startsLikeFormula } from '../core/cell-text.ts';
import { compactDate, localParts } from '../core/local-time.ts';
import { formatDong, MAX_SNAPSHOT_TOTAL } from '../core/money.ts';
import { appendJournal } from '../store/journal.ts';
import { requireSupervisor } from '../users/users.ts';
import { snapshotById, type SnapshotInfo } from './snapshots.ts';
import { MAX_PROBLEMS, openStaging, StagingLoader, type CardConflicts, type StagingFile } from './snapshot-staging.ts';
import { buildSearchAside, type SearchAside } from './search-aside.ts';
import { computeReimport, swapStaged, type SearchUpkeep } from './snapshot-swap.ts';
import type { MappingProfile } from './profiles.ts';
import { openSnapshotReader, type SnapshotReader } from './parallel-read.ts';
import { pointUnits } from '../store/point.ts';
import { currentForGuards, enforceGuards, snapshotGuards, unitNotServed, type SnapshotGuard } from './snapshot-guards.ts';
import { extractTime, nameTime, type ExtractTime } from './snapshot-time.ts';
import { formatProblem, inspectFile, readSnapshot, type FileFacts, type Problem, type ReadOptions, type SnapshotEncoding } from './read-snapshot.ts';

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

/** Where an import is, for the window's progress bar: reading the file (by bytes and rows), checking it, writing it. */
export interface ImportProgress {
  phase: 'reading' | 'checking' | 'writing';
  bytesRead: number;
  totalBytes: number;
  rows: number;
}

export interface ImportHooks {
  onProgress?(progress: ImportProgress): void;
  /**
   * The file is read, checked and staged; the swap's transaction has not begun. The counter collected
   * all along: what it committed until now is in the re-import table the swap computes.
   */
  staged?(): void;
  /** In the swap: how the search index was brought up to date. */
  searchUpkeep?(upkeep: SearchUpkeep): void;
}

class Rollback extends Error {
  constructor(readonly result: ImportResult) {
    super('rollback');
  }
}

/**
 * Imports a debt snapshot per the file contract, in two steps. First the file is read, checked and
 * loaded into staging tables (snapshot-staging.ts) that take no lock on the point's database: the
 * counter goes on scanning and collecting on the current snapshot. Then one short IMMEDIATE
 * transaction swaps it in (snapshot-swap.ts), computes the re-import table as of that moment and
 * journals it. Any invalid row (unless a supervisor chose --skip-invalid) refuses the file before the
 * swap, reported with all the others as SNAPSHOT_INVALID. A dry run runs the swap and rolls it back.
 * Payments, their lines and the journal's earlier rows are never touched.
 */
export function importSnapshot(ctx: Ctx, options: ImportOptions, hooks: ImportHooks = {}): ImportResult {
  // The reader's worker boots while this thread hashes the file.
  const reader = openSnapshotReader(options.file);
  let staging: StagingFile | null = null;
  let aside: SearchAside | null = null;
  try {
    staging = openStaging(ctx.sqlite);
    const stage = staging;
    // A point with no customers yet: its search index is built on the other core during the swap (search-aside.ts).
    return importWith(ctx, options, reader, hooks, (customers) => {
      aside = customers < ASIDE_FROM_CUSTOMERS || hasCustomers(ctx.sqlite) ? null : buildSearchAside(ctx.sqlite, stage.path);
      return aside;
    });
  } finally {
    reader.close();
    (aside as SearchAside | null)?.close();
    staging?.close();
  }
}

/** Progress is sent at most this often while reading (each 1 MB chunk of the file would be ~100 a second). */
const PROGRESS_EVERY_MS = 100;

/** Below this many customers the swap's own rebuild takes less than booting the worker (~0.1 s). */
export const ASIDE_FROM_CUSTOMERS = 50_000;

function hasCustomers(sqlite: Sqlite): boolean {
  return sqlite.prepare('SELECT EXISTS (SELECT 1 FROM customers)').pluck().get() === 1;
}

function importWith(ctx: Ctx, options: ImportOptions, reader: SnapshotReader, hooks: ImportHooks, startAside: (customers: number) => SearchAside | null): ImportResult {
  const facts = inspectFile(options.file);
  const fileName = basename(options.file);
  const stored = importedBefore(ctx.sqlite, facts.sha256);
  if (stored !== null) return stored;
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
  const report = hooks.onProgress ?? (() => undefined);
  // Every reference the swap writes holds by construction (customer ids come from its own inserts or
  // lookups, snapshot ids from its own snapshot row), and enforcing them costs four index probes a row
  // (about 2.5 s a province). The pragma is a no-op inside a transaction, so it is switched off around
  // the swap and always restored.
  const foreignKeys = ctx.sqlite.pragma('foreign_keys', { simple: true }) as number;
  try {
    const loader = new StagingLoader(ctx.sqlite, units);
    if (rejectsPath !== null) rejects = new RejectsWriter(rejectsPath);
    let reported = 0;
    report({ phase: 'reading', bytesRead: 0, totalBytes: facts.size, rows: 0 });
    // One transaction over the temp tables only: it takes no lock on the point's database.
    const header = ctx.sqlite.transaction(() =>
      reader.read(
        { encoding, profile: options.profile, keepRaw: rejectsPath !== null },
        (row) => {
          const problems = loader.load(row);
          if (problems.length > 0) rejects?.write(row.line, problems, row.raw);
        },
        (bytesRead) => {
          const now = performance.now();
          if (now - reported < PROGRESS_EVERY_MS) return;
          reported = now;
          report({ phase: 'reading', bytesRead, totalBytes: facts.size, rows: loader.rowCount });
        },
      ),
    )();
    report({ phase: 'checking', bytesRead: facts.size, totalBytes: facts.size, rows: loader.rowCount });
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
    loader.finishWarnings();
    const delimiter = header.delimiter === '\t' ? 'tab' : header.delimiter;
    const extract = extractTime(options.file, header.extractedAt);
    hooks.staged?.();
    report({ phase: 'writing', bytesRead: facts.size, totalBytes: facts.size, rows: loader.rowCount });
    const aside = startAside(loader.customerCount);
    ctx.sqlite.pragma('foreign_keys = OFF');
    const result = ctx.sqlite
      .transaction((): ImportResult => {
        // Another process may have imported the same file while this one was reading it.
        const meanwhile = importedBefore(ctx.sqlite, facts.sha256);
        if (meanwhile !== null) return meanwhile;
        const current = currentForGuards(ctx.sqlite);
        const sid = Number(
          ctx.sqlite
            .prepare(
              `INSERT INTO snapshots (file_name, sha256, encoding, delimiter, imported_at, row_count, customer_count, bill_count, bill_total, warnings)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
            )
            .run(fileName, facts.sha256, encoding, delimiter, at.toISOString(), loader.rowCount, loader.customerCount, loader.billCount, loader.billTotal, JSON.stringify(loader.warnings))
            .lastInsertRowid,
        );
        const upkeep = swapStaged(ctx.sqlite, sid, aside);
        hooks.searchUpkeep?.(upkeep);
        const reimport = computeReimport(ctx.sqlite, sid, current?.id ?? null, loader.billCount);
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
          .prepare(
            `UPDATE snapshots SET reimport_summary = ?, skipped_count = ?, rejects_file = ?, supervisor_id = ?, extracted_at = ?, extract_source = ?, confirmed_by = ?
              WHERE id = ?`,
          )
          .run(
            JSON.stringify(reimport), summary.skippedCount, summary.rejectsFile, summary.skippedCount > 0 ? (supervisor?.id ?? null) : null,
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
    (rejects as RejectsWriter | null)?.close(result.skippedCount === 0 || result.status !== 'imported');
    return result;
  } catch (error) {
    (rejects as RejectsWriter | null)?.close(true);
    if (error instanceof Rollback) return error.result;
    throw error;
  } finally {
    ctx.sqlite.pragma(`foreign_keys = ${foreignKeys === 1 ? 'ON' : 'OFF'}`);
  }
}

/** The same file (SHA-256) imported before: its summary, and nothing done. */
export function importedBefore(sqlite: Sqlite, sha256: string): ImportResult | null {
  const already = selectFirst(sqlite, query.selectFrom('snapshots').where('sha256', '=', sha256).select('id'));
  if (already === undefined) return null;
  return { ...storedResult(sqlite, already.id), status: 'already_imported', code: 'SNAPSHOT_ALREADY_IMPORTED' };
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
