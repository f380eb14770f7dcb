import type { Statement } from 'better-sqlite3';
import type { Ctx } from '../store/context.ts';
import type { Sqlite } from '../store/open.ts';
import { AppError } from '../core/errors.ts';
import { normaliseCode } from '../core/fold.ts';
import { compareMatch, ftsPrefixQuery, matchScorer, parseSearchQuery, prefixFilter, splitWords, type SearchQuery } from '../core/search-query.ts';
import { currentSnapshotId, outstandingBills, outstandingBillsOf, partOfficePaid, type BillPaidElsewhere, type BillRow } from './bills.ts';
import { officePaidBills, officePaidOf } from '../sync/pulled.ts';
import { quote, quoteFacts } from '../payments/quote.ts';
import { wordDensities, type WordDensities } from './word-density.ts';

/** One search result: what tells same-named customers apart, and what they owe. */
export interface CustomerHit {
  id: number;
  maKhang: string;
  tenKhang: string;
  dchiKhang: string;
  maSogcs: string | null;
  stt: string | null;
  soCto: string | null;
  tthaiCat: boolean;
  /** false only when no customer of the current snapshot matched and older ones are shown. */
  inCurrentSnapshot: boolean;
  outstandingCount: number;
  outstandingTotal: number;
  /** What collecting every outstanding bill charges now: bills and any reconnection fee (the one quote). */
  total: number;
}

/** A customer as the collection screen shows it, with the bills to pay oldest first. */
export interface CustomerDetail {
  id: number;
  maKhang: string;
  maDviqly: string;
  tenKhang: string;
  dchiKhang: string;
  maThe: string | null;
  dthoaiSms: string | null;
  maSogcs: string | null;
  stt: string | null;
  soCto: string | null;
  tthaiCat: boolean;
  inCurrentSnapshot: boolean;
  /** Outstanding and to collect here, oldest first. */
  bills: BillRow[];
  /** Outstanding in the snapshot but taken at another counter of the office (last sync pull): not to collect here. */
  officePaid: BillPaidElsewhere[];
  outstandingCount: number;
  outstandingTotal: number;
}

export const SEARCH_LIMIT = 50;
/**
 * Index matches read per query, in rowid order, before ranking in JS. Bounds a broad prefix
 * ("nguyen": ~40% of a province) to 200 rows (~1 ms); narrower queries are ranked in full.
 */
export const SEARCH_CANDIDATES = 200;
/**
 * Rows read on the rarer words alone while the common ones are checked in JS: when few of them pass
 * (the sample misjudged), the index takes every word again from where the reading stopped.
 */
const CHECKED_READ_LIMIT = 3 * SEARCH_CANDIDATES;

interface CustomerRow {
  id: number;
  ma_khang: string;
  ten_khang: string;
  dchi_khang: string;
  ma_sogcs: string | null;
  stt: string | null;
  so_cto: string | null;
  tthai_cat: number;
  name_fold: string;
  addr_fold: string;
  last_snapshot_id: number;
}

interface DetailRow extends CustomerRow {
  ma_dviqly: string;
  ma_the: string | null;
  dthoai_sms: string | null;
}

const HIT_COLUMNS = 'c.id, c.ma_khang, c.ten_khang, c.dchi_khang, c.ma_sogcs, c.stt, c.so_cto, c.tthai_cat, c.name_fold, c.addr_fold, c.last_snapshot_id';
/** `@snapshot` NULL = any snapshot (the fallback when the current one has no match). */
const IN_SNAPSHOT = '(@snapshot IS NULL OR c.last_snapshot_id = @snapshot)';

interface Statements {
  byCode: Statement;
  detail: Statement;
  exactCode: Statement;
  codePrefix: Statement;
  text: Statement;
}

const cache = new WeakMap<Sqlite, Statements>();

function statements(sqlite: Sqlite): Statements {
  let s = cache.get(sqlite);
  if (s === undefined) {
    s = {
      // The import keeps codes and cards unique within a snapshot, not across snapshots: a card may
      // carry the code of a customer who has left, or have moved. The current snapshot's customer
      // wins, then a code over a card, then the most recently listed.
      byCode: sqlite
        .prepare(
          `SELECT id FROM customers WHERE ma_khang = @code OR ma_the = @code
            ORDER BY last_snapshot_id IS @snapshot DESC, ma_khang = @code DESC, last_snapshot_id DESC, id DESC LIMIT 1`,
        )
        .pluck(),
      detail: sqlite.prepare(`SELECT ${HIT_COLUMNS}, c.ma_dviqly, c.ma_the, c.dthoai_sms FROM customers c WHERE c.id = ?`),
      exactCode: sqlite.prepare(
        `SELECT ${HIT_COLUMNS} FROM customers c WHERE c.ma_khang = @code AND ${IN_SNAPSHOT}
         UNION
         SELECT ${HIT_COLUMNS} FROM customers c WHERE c.ma_the = @code AND ${IN_SNAPSHOT}`,
      ),
      // Range scans on the MA_KHANG and MA_THE indexes; codes are A-Z0-9, so `code || '~'` bounds the prefix.
      codePrefix: sqlite.prepare(
        `SELECT * FROM (
           SELECT ${HIT_COLUMNS} FROM customers c
            WHERE c.ma_khang >= @code AND c.ma_khang < @code || '~' AND ${IN_SNAPSHOT} ORDER BY c.ma_khang LIMIT @limit)
         UNION
         SELECT * FROM (
           SELECT ${HIT_COLUMNS} FROM customers c
            WHERE c.ma_the >= @code AND c.ma_the < @code || '~' AND ${IN_SNAPSHOT} ORDER BY c.ma_the LIMIT @limit)
         ORDER BY ma_khang LIMIT @limit`,
      ),
      // No bm25: FTS5 hands rows over in rowid order, from just after @after, and stops at the LIMIT.
      text: sqlite.prepare(
        `SELECT ${HIT_COLUMNS} FROM customer_search s JOIN customers c ON c.id = s.rowid
          WHERE customer_search MATCH @match AND s.rowid > @after AND ${IN_SNAPSHOT} ORDER BY s.rowid LIMIT @limit`,
      ),
    };
    cache.set(sqlite, s);
  }
  return s;
}

/** Exact lookup of a scanned or typed MA_KHANG or MA_THE (normaliseCode: invisible characters and spaces dropped, NFKC, upper-cased). */
export function lookupCode(ctx: Ctx, code: string): CustomerDetail | null {
  const normalised = normaliseCode(code);
  if (normalised === '') return null;
  const s = statements(ctx.sqlite);
  const id = s.byCode.get({ code: normalised, snapshot: currentSnapshotId(ctx.sqlite) }) as number | undefined;
  return id === undefined ? null : customerDetail(ctx, id);
}

export function customerDetail(ctx: Ctx, customerId: number): CustomerDetail {
  const s = statements(ctx.sqlite);
  const row = s.detail.get(customerId) as DetailRow | undefined;
  if (row === undefined) throw new AppError('CUSTOMER_NOT_FOUND', `Không tìm thấy khách hàng số ${customerId}.`, { customerId });
  const snapshot = currentSnapshotId(ctx.sqlite);
  const { bills, officePaid } = partOfficePaid(outstandingBills(ctx.sqlite, customerId), officePaidBills(ctx.sqlite, row.ma_khang));
  const tthaiCat = row.tthai_cat === 1;
  return {
    id: row.id,
    maKhang: row.ma_khang,
    maDviqly: row.ma_dviqly,
    tenKhang: row.ten_khang,
    dchiKhang: row.dchi_khang,
    maThe: row.ma_the,
    dthoaiSms: row.dthoai_sms,
    maSogcs: row.ma_sogcs,
    stt: row.stt,
    soCto: row.so_cto,
    tthaiCat,
    inCurrentSnapshot: row.last_snapshot_id === snapshot,
    bills,
    officePaid,
    outstandingCount: bills.length,
    outstandingTotal: bills.reduce((sum, b) => sum + b.tong_tien, 0),
  };
}

/**
 * The search box: codes (exact, then prefix) first, then name/address word prefixes ignoring
 * diacritics, those whose diacritics match the typed words ranked first. Customers of the current
 * snapshot only, unless none of them matches.
 */
export function searchCustomers(ctx: Ctx, query: string, limit = SEARCH_LIMIT): CustomerHit[] {
  const parsed = parseSearchQuery(query);
  const max = Math.max(0, Math.min(Math.trunc(limit), SEARCH_LIMIT));
  if (max === 0 || (parsed.code === null && parsed.folded.length === 0)) return [];
  const s = statements(ctx.sqlite);
  const current = currentSnapshotId(ctx.sqlite);
  // Rated on a sample only when there is a choice of words to give the index.
  const rate = parsed.folded.length > 1 ? wordDensities(ctx.sqlite, current) : null;
  let rows = matchRows(s, parsed, rate, current, max);
  if (rows.length === 0 && current !== null) rows = matchRows(s, parsed, rate, null, max);
  return withOutstanding(ctx.sqlite, rows, current);
}

function matchRows(s: Statements, query: SearchQuery, rate: WordDensities | null, snapshot: number | null, max: number): CustomerRow[] {
  const found = new Map<number, CustomerRow>();
  const add = (rows: CustomerRow[]) => {
    for (const r of rows) if (found.size < max && !found.has(r.id)) found.set(r.id, r);
  };
  if (query.code !== null) {
    add(s.exactCode.all({ code: query.code, snapshot }) as CustomerRow[]);
    add(s.codePrefix.all({ code: query.code, snapshot, limit: max }) as CustomerRow[]);
  }
  if (found.size < max && query.folded.length > 0) {
    const candidates = textCandidates(s, query.folded, rate, snapshot);
    const score = matchScorer(query);
    const scored = candidates.map((row) => ({
      row,
      score: score({ name: row.ten_khang, address: row.dchi_khang, nameFold: row.name_fold, addrFold: row.addr_fold }),
    }));
    scored.sort((a, b) => compareMatch(a.score, b.score) || compareText(a.row.name_fold, b.row.name_fold) || a.row.id - b.row.id);
    add(scored.map((x) => x.row));
  }
  return [...found.values()];
}

/**
 * The first SEARCH_CANDIDATES rows in rowid order whose name and address hold every word as a
 * prefix: the common words are checked on the rows the index finds for the rarer ones.
 */
function textCandidates(s: Statements, folded: string[], rate: WordDensities | null, snapshot: number | null): CustomerRow[] {
  const read = (match: string, after: number, limit: number) => s.text.all({ match, snapshot, after, limit }) as CustomerRow[];
  const every = ftsPrefixQuery(folded);
  if (rate === null) return read(every, 0, SEARCH_CANDIDATES);
  const { indexed, checked } = splitWords(folded, rate.density, rate.customers);
  if (checked.length === 0) return read(every, 0, SEARCH_CANDIDATES);
  const passes = prefixFilter(checked);
  const rarer = ftsPrefixQuery(indexed);
  // Expected share of rows passing, from the sample; then as observed.
  let passRate = checked.reduce((p, w) => p * rate.density(w), 1);
  const found: CustomerRow[] = [];
  let after = 0;
  let seen = 0;
  while (found.length < SEARCH_CANDIDATES) {
    const wanted = SEARCH_CANDIDATES - found.length;
    if (seen >= CHECKED_READ_LIMIT) return found.concat(read(every, after, wanted));
    const limit = Math.min(CHECKED_READ_LIMIT - seen, Math.ceil((wanted * 1.1) / passRate) + 8);
    const rows = read(rarer, after, limit);
    for (const r of rows) if (passes(r.name_fold, r.addr_fold)) found.push(r);
    seen += rows.length;
    if (rows.length < limit) break;
    after = rows[rows.length - 1]!.id;
    passRate = Math.max(found.length / seen, 0.1);
  }
  return found.slice(0, SEARCH_CANDIDATES);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Each hit with what it owes and what collecting it all charges now (the one quote). */
function withOutstanding(sqlite: Sqlite, rows: CustomerRow[], snapshot: number | null): CustomerHit[] {
  const owed = rows.length === 0 || snapshot === null ? new Map<number, BillRow[]>() : outstandingBillsOf(sqlite, rows.map((r) => r.id), snapshot);
  const held = officePaidOf(sqlite, rows.map((r) => r.ma_khang));
  const customers = rows.map((r) => ({ id: r.id, tthaiCat: r.tthai_cat === 1, ...partOfficePaid(owed.get(r.id) ?? [], held.get(r.ma_khang) ?? []) }));
  const facts = quoteFacts(sqlite, customers);
  return rows.map((r, i) => {
    const bills = customers[i]!.bills;
    const quoted = quote(facts[i]!);
    return {
      id: r.id,
      maKhang: r.ma_khang,
      tenKhang: r.ten_khang,
      dchiKhang: r.dchi_khang,
      maSogcs: r.ma_sogcs,
      stt: r.stt,
      soCto: r.so_cto,
      tthaiCat: r.tthai_cat === 1,
      inCurrentSnapshot: r.last_snapshot_id === snapshot,
      outstandingCount: bills.length,
      outstandingTotal: bills.reduce((sum, b) => sum + b.tong_tien, 0),
      total: quoted.ok ? quoted.total : 0,
    };
  });
}
