import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';
import type { Sqlite } from '../store/open.ts';
import { removeFilesOfEndedProcesses } from '../store/ended-processes.ts';
import { problemValue, type CustomerFields, type Problem, type SnapshotRow } from './read-snapshot.ts';

/** Problems kept in memory and reported; all are counted. */
export const MAX_PROBLEMS = 10_000;
const MAX_WARNING_EXAMPLES = 20;

/**
 * Cards of the snapshot a scan could not tell apart: `shared`, the holders of each card two or more
 * customers hold (in file order); `codes`, cards that are another customer's MA_KHANG. Lists are
 * bounded (a placeholder card on every row must not make a list per pair); `count` counts them all.
 */
export interface CardConflicts {
  shared: { card: string; holder: string }[];
  codes: { card: string; holder: string; other: string }[];
  count: number;
}

/**
 * The staging tables of an import, in a scratch database file of their own attached to the importing
 * connection as `stage`: loading them takes no lock on the point's database (the counter keeps
 * collecting), and only the short swap (snapshot-swap.ts) writes the real tables. A file rather than
 * TEMP tables so that a second thread can read them (search-aside.ts). `n` is the file order of a
 * customer, which the swap keeps for new customers' ids.
 */
const STAGING_SCHEMA = `
  CREATE TABLE stage.stage_customers (
    n INTEGER PRIMARY KEY, ma_khang TEXT NOT NULL UNIQUE, ma_dviqly TEXT NOT NULL, ten_khang TEXT NOT NULL, dchi_khang TEXT NOT NULL,
    ma_the TEXT, dthoai_sms TEXT, ma_sogcs TEXT, stt TEXT, so_cto TEXT, tthai_cat INTEGER NOT NULL, name_fold TEXT NOT NULL, addr_fold TEXT NOT NULL
  );
  CREATE TABLE stage.stage_bills (
    id_hdon TEXT NOT NULL UNIQUE, customer_n INTEGER NOT NULL, loai_hdon TEXT NOT NULL, ky INTEGER NOT NULL, thang INTEGER NOT NULL, nam INTEGER NOT NULL,
    dien_tthu INTEGER, so_tien INTEGER NOT NULL, tien_gtgt INTEGER NOT NULL, tong_tien INTEGER NOT NULL, han_ttoan TEXT
  );`;

const STAGE_FILE = /^diemthu-stage-(\d+)-\d+-\d+\.sqlite(\.search)?$/;
let opened = 0;

export interface StagingFile {
  path: string;
  /** Detaches and removes the file (after the swap, or when the import stops). */
  close(): void;
}

/**
 * Attaches a new, empty staging file (in the OS temp folder, named for this process, thread and
 * import). Files of processes that are gone (killed during an import) are removed first. The file
 * is scratch: no journal, no fsync. Its cache (16 MB) is what the staging adds to the process's
 * memory. Its pages are 64 KB: the staged tables are written once and read whole, in order, four
 * times (card index, search upkeep, the swap's two inserts), and a province in 4 KB pages was some
 * 180,000 reads and writes of the file, 12,000 in 64 KB pages.
 */
export function openStaging(sqlite: Sqlite): StagingFile {
  const dir = tmpdir();
  removeFilesOfEndedProcesses(dir, STAGE_FILE);
  const path = join(dir, `diemthu-stage-${process.pid}-${threadId}-${++opened}.sqlite`);
  sqlite.prepare('ATTACH ? AS stage').run(path);
  try {
    sqlite.exec(`PRAGMA stage.page_size = 65536; PRAGMA stage.cache_size = -16384; PRAGMA stage.journal_mode = OFF; PRAGMA stage.synchronous = OFF; ${STAGING_SCHEMA}`);
  } catch (error) {
    sqlite.exec('DETACH stage');
    rmSync(path, { force: true });
    throw error;
  }
  return {
    path,
    close() {
      sqlite.exec('DROP TABLE IF EXISTS temp.stage_renamed; DETACH stage');
      // On Windows a file another thread still holds open cannot go: the next import's sweep takes it once this process is gone.
      try {
        rmSync(path, { force: true });
      } catch {
        // left for the sweep
      }
    },
  };
}

/**
 * Loads the rows of one snapshot into the staging tables; collects problems, counts and warnings.
 * Every check a row needs (an earlier row of the same customer, a repeated ID_HDON) is asked of the
 * staging tables only: the point's tables are not read until the swap.
 */
export class StagingLoader {
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
  private last: { n: number; fields: CustomerFields; line: number } | null = null;
  /** Rows of units the point does not serve: counted, the first few kept. */
  foreignCount = 0;
  readonly foreign: { unit: string; line: number }[] = [];
  private readonly units: ReadonlySet<string>;
  private readonly insertCustomer;
  private readonly customerByCode;
  private readonly insertBill;

  constructor(
    private readonly sqlite: Sqlite,
    units: readonly string[],
  ) {
    this.units = new Set(units);
    this.insertCustomer = sqlite.prepare(
      `INSERT INTO stage.stage_customers (n, ma_dviqly, ten_khang, dchi_khang, ma_the, dthoai_sms, ma_sogcs, stt, so_cto, tthai_cat, name_fold, addr_fold, ma_khang)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (ma_khang) DO NOTHING`,
    );
    this.customerByCode = sqlite.prepare(
      'SELECT n, ma_khang, ma_dviqly, ten_khang, dchi_khang, ma_the, dthoai_sms, ma_sogcs, stt, so_cto, tthai_cat FROM stage.stage_customers WHERE ma_khang = ?',
    );
    this.insertBill = sqlite.prepare(
      `INSERT INTO stage.stage_bills (id_hdon, customer_n, loai_hdon, ky, thang, nam, dien_tthu, so_tien, tien_gtgt, tong_tien, han_ttoan)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id_hdon) DO NOTHING`,
    );
  }

  /** Loads one row; returns its problems (empty when it was staged). */
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
      const { changes } = this.insertBill.run(
        b.id_hdon, customer, b.loai_hdon, b.ky, b.thang, b.nam, b.dien_tthu, b.so_tien, b.tien_gtgt, b.tong_tien, b.han_ttoan,
      );
      if (changes === 0) {
        return this.reject([{ line: row.line, column: 'ID_HDON', value: b.id_hdon, reason: 'trùng ID_HDON với một dòng trước trong tệp' }]);
      }
      this.billCount++;
      this.billTotal += b.tong_tien;
    }
    return [];
  }

  /** The customer's staging number, or the problems when the row disagrees with an earlier row of the same MA_KHANG. */
  private customer(line: number, f: CustomerFields, nameFold: string, addrFold: string): number | Problem[] {
    if (this.last !== null && this.last.fields.ma_khang === f.ma_khang) return this.last.fields === f ? this.last.n : this.compare(line, this.last, f);
    const n = this.customerCount + 1;
    const { changes } = this.insertCustomer.run(
      n, f.ma_dviqly, f.ten_khang, f.dchi_khang, f.ma_the, f.dthoai_sms, f.ma_sogcs, f.stt, f.so_cto, f.tthai_cat, nameFold, addrFold, f.ma_khang,
    );
    if (changes === 0) {
      const stored = this.customerByCode.get(f.ma_khang) as CustomerFields & { n: number };
      const outcome = this.compare(line, { n: stored.n, fields: stored, line: 0 }, f);
      if (typeof outcome === 'number') this.last = { n: stored.n, fields: f, line };
      return outcome;
    }
    this.customerCount = n;
    if (!f.ma_khang.startsWith(f.ma_dviqly)) {
      this.prefixMismatches++;
      if (this.prefixExamples.length < MAX_WARNING_EXAMPLES) this.prefixExamples.push(`dòng ${line} (${f.ma_khang}, ${f.ma_dviqly})`);
    }
    this.last = { n, fields: f, line };
    return n;
  }

  private compare(line: number, seen: { n: number; fields: CustomerFields; line: number }, fields: CustomerFields): number | Problem[] {
    const problems = customerDifferences(line, fields, seen);
    return problems.length > 0 ? problems : seen.n;
  }

  private reject(problems: Problem[]): Problem[] {
    this.badRows++;
    this.problemCount += problems.length;
    for (const p of problems) if (this.problems.length < MAX_PROBLEMS) this.problems.push(p);
    return problems;
  }

  /**
   * Cards that two customers of the file hold, or that are another customer's code: a scan of one
   * would find the other. The card index is built after the load (one sort instead of 490,000 inserts into a tree).
   */
  cardConflicts(): CardConflicts {
    this.sqlite.exec('CREATE INDEX stage.stage_customers_ma_the ON stage_customers (ma_the) WHERE ma_the IS NOT NULL');
    const shared = `SELECT ma_the, COUNT(*) AS k FROM stage.stage_customers WHERE ma_the IS NOT NULL GROUP BY ma_the HAVING k > 1`;
    const codes = `FROM stage.stage_customers a JOIN stage.stage_customers b ON b.ma_khang = a.ma_the AND b.n <> a.n WHERE a.ma_the IS NOT NULL`;
    const count = this.sqlite.prepare(`SELECT (SELECT COALESCE(SUM(k - 1), 0) FROM (${shared})) + (SELECT COUNT(*) ${codes})`).pluck().get() as number;
    if (count === 0) return { shared: [], codes: [], count };
    return {
      // Ordered by card, then by file order.
      shared: this.sqlite
        .prepare(
          `SELECT c.ma_the AS card, c.ma_khang AS holder FROM (${shared}) d JOIN stage.stage_customers c ON c.ma_the = d.ma_the
            ORDER BY c.ma_the, c.n LIMIT ?`,
        )
        .all(2 * MAX_PROBLEMS) as CardConflicts['shared'],
      codes: this.sqlite.prepare(`SELECT a.ma_the AS card, a.ma_khang AS holder, b.ma_khang AS other ${codes} LIMIT ?`).all(MAX_PROBLEMS) as CardConflicts['codes'],
      count,
    };
  }

  /** After the last row: the warnings on customer codes. */
  finishWarnings(): void {
    if (this.prefixMismatches > 0) {
      this.warnings.push(`${this.prefixMismatches} khách hàng có MA_KHANG không bắt đầu bằng MA_DVIQLY, ví dụ ${this.prefixExamples.join('; ')}.`);
    }
  }
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
