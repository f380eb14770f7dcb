import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { importSnapshot } from '../../electron/cmis/import-snapshot.ts';
import { MAX_PROBLEMS } from '../../electron/cmis/snapshot-staging.ts';
import { AppError } from '../../electron/core/errors.ts';
import { verifyJournal } from '../../electron/store/journal.ts';
import { addUser } from '../../electron/users/users.ts';
import { cpuMs } from '../helpers/cpu-time.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { billLine, corpus, dumpDatabase, freshPoint, payBill, SNAPSHOT_HEADER, snapshotFile } from './helpers.ts';

const CHEAP = { N: 16, r: 1, p: 1 };

function refusedCode(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError) return error.code;
    throw error;
  }
  return 'NOT_REFUSED';
}

test('a good snapshot fills customers, bills, the search index, the snapshot row and one journal entry', () => {
  const ctx = freshPoint();
  const result = importSnapshot(ctx, { file: corpus('good-utf8.csv') });
  assert.equal(result.status, 'imported');
  assert.deepEqual(
    [result.rowCount, result.customerCount, result.billCount, result.billTotal],
    [14, 8, 13, 498960 + 439560 + 470448 + 205200 + 272160 + 299376 + 324000 + 5702400 + 5583600 + 163080 + 712800 + 974160 + 48600],
  );
  const s = ctx.sqlite;
  assert.equal((s.prepare('SELECT COUNT(*) AS n FROM customers').get() as { n: number }).n, 8);
  assert.equal((s.prepare('SELECT COUNT(*) AS n FROM bills').get() as { n: number }).n, 13);
  const cut = s.prepare("SELECT tthai_cat, name_fold, ma_the, dthoai_sms FROM customers WHERE ma_khang = 'PC12AA0012347'").get();
  assert.deepEqual(cut, { tthai_cat: 1, name_fold: "h'hen nie", ma_the: null, dthoai_sms: '0987654321' });
  const dc = s.prepare("SELECT loai_hdon, dien_tthu, han_ttoan FROM bills WHERE id_hdon = '241110903'").get();
  assert.deepEqual(dc, { loai_hdon: 'DC', dien_tthu: null, han_ttoan: null });
  // The FTS index agrees with the customers table and finds a folded name.
  s.prepare("INSERT INTO customer_search (customer_search) VALUES ('integrity-check')").run();
  const found = s.prepare("SELECT rowid FROM customer_search WHERE customer_search MATCH 'nguyen thi dao'").all();
  assert.equal(found.length, 2, 'two customers named Nguyễn Thị Đào');
  const journal = s.prepare("SELECT kind, payload FROM journal WHERE kind = 'import'").all() as { kind: string; payload: string }[];
  assert.equal(journal.length, 1);
  assert.equal((JSON.parse(journal[0]?.payload ?? '{}') as { sha256: string }).sha256, result.sha256);
  assert.equal(verifyJournal(s).ok, true);
  const snap = s.prepare('SELECT file_name, encoding, delimiter, bill_count, reimport_summary FROM snapshots').get() as Record<string, unknown>;
  assert.deepEqual(
    { ...snap, reimport_summary: JSON.parse(String(snap.reimport_summary)) },
    {
      file_name: 'good-utf8.csv',
      encoding: 'utf8',
      delimiter: ',',
      bill_count: 13,
      reimport_summary: { outstanding: 13, paid_waiting_export: 0, exported_still_open: 0, cleared_elsewhere: 0, cleared: 0, conflict: 0 },
    },
  );
  ctx.close();
});

test('an import stages in a scratch file of its own in 64 KB pages, removed after it, committed or refused; files of dead processes are swept', () => {
  const ctx = freshPoint();
  const dead = spawnSync(process.execPath, ['-e', '']).pid as number; // an id no process holds any more
  const stale = join(tmpdir(), `diemthu-stage-${dead}-0-1.sqlite`);
  const live = join(tmpdir(), `diemthu-stage-${process.pid}-99-1.sqlite`); // this process: another import may be using it
  writeFileSync(stale, '');
  writeFileSync(live, '');
  let during: { file: string; pageSize: unknown } | null = null;
  importSnapshot(ctx, { file: corpus('good-utf8.csv') }, {
    staged: () => {
      const stage = (ctx.sqlite.pragma('database_list') as { name: string; file: string }[]).find((d) => d.name === 'stage');
      during = { file: stage?.file ?? '', pageSize: ctx.sqlite.pragma('stage.page_size', { simple: true }) };
    },
  });
  const seen = during as { file: string; pageSize: unknown } | null;
  assert.equal(seen?.pageSize, 65536);
  assert.match(seen?.file ?? '', new RegExp(`diemthu-stage-${process.pid}-\\d+-\\d+\\.sqlite$`));
  assert.equal(existsSync(seen?.file ?? ''), false, 'the staging file is gone after the import');
  assert.deepEqual((ctx.sqlite.pragma('database_list') as { name: string }[]).map((d) => d.name).sort(), ['main', 'temp']);
  assert.deepEqual(ctx.sqlite.prepare("SELECT name FROM temp.sqlite_master WHERE type = 'table'").all(), []);
  assert.equal(existsSync(stale), false, 'a dead process\'s staging file is swept');
  assert.equal(existsSync(live), true, 'a live process\'s is left alone');
  rmSync(live);
  const refused = snapshotFile([billLine('PC12AA0000001', 'Lê Văn A', '1', 10, 1000), billLine('PC12AA0000002', 'Lê Văn B', '1', 10, 1000)]);
  assert.throws(() => importSnapshot(ctx, { file: refused }), (e: AppError) => e.code === 'SNAPSHOT_INVALID');
  assert.deepEqual(readdirSync(tmpdir()).filter((name) => name.startsWith(`diemthu-stage-${process.pid}-`)), [], 'nor after a refused file');
  assert.deepEqual((ctx.sqlite.pragma('database_list') as { name: string }[]).map((d) => d.name).sort(), ['main', 'temp']);
});

test('every encoding and delimiter variant leaves the same customers and bills', () => {
  const contents = (file: string) => {
    const ctx = freshPoint();
    importSnapshot(ctx, { file: corpus(file) });
    const rows = {
      customers: ctx.sqlite.prepare('SELECT * FROM customers ORDER BY ma_khang').all(),
      bills: ctx.sqlite.prepare('SELECT * FROM bills ORDER BY id_hdon').all(),
    };
    ctx.close();
    return rows;
  };
  const base = contents('good-utf8.csv');
  for (const file of ['good-utf8-bom.csv', 'good-utf16le-bom.txt', 'good-windows1258.csv', 'good-semicolon.csv', 'good-tab.tsv']) {
    assert.deepEqual(contents(file), base, file);
  }
});

test('a rejected file changes nothing in the database, and lists all its problems', () => {
  const ctx = freshPoint();
  importSnapshot(ctx, { file: corpus('good-utf8.csv') });
  const before = dumpDatabase(ctx);
  const bad = readdirSync(join(corpus('.'))).filter((f) => f.startsWith('bad-'));
  assert.ok(bad.length >= 12);
  const otherCodes: Record<string, string> = {
    'bad-missing-column.csv': 'SNAPSHOT_HEADER_INVALID',
    'bad-stray-byte.csv': 'SNAPSHOT_BAD_ENCODING',
    'bad-header-only.csv': 'SNAPSHOT_NO_ROWS',
  };
  for (const file of bad) {
    const code = refusedCode(() => importSnapshot(ctx, { file: corpus(file) }));
    assert.equal(code, otherCodes[file] ?? 'SNAPSHOT_INVALID', file);
    assert.deepEqual(dumpDatabase(ctx), before, file);
  }
  try {
    importSnapshot(ctx, { file: corpus('bad-amount-forms.csv') });
  } catch (error) {
    assert.ok(error instanceof AppError);
    const details = error.details as { problemCount: number; problems: { line: number; column: string; value: string }[] };
    assert.equal(details.problemCount, 12);
    assert.equal(details.problems.length, 12);
    assert.match(error.message, /dòng 4, cột SO_TIEN, giá trị "-5": không phải số tiền nguyên/);
  }
  ctx.close();
});

test('cross-row rules: a repeated ID_HDON and a customer whose repeated columns disagree are refused', () => {
  const ctx = freshPoint();
  const dup = () => importSnapshot(ctx, { file: corpus('bad-duplicate-id-hdon.csv') });
  assert.throws(dup, (e: unknown) => e instanceof AppError && /dòng 3, cột ID_HDON, giá trị "245110021": trùng ID_HDON/.test(e.message));
  assert.throws(
    () => importSnapshot(ctx, { file: corpus('bad-customer-conflict.csv') }),
    (e: unknown) =>
      e instanceof AppError &&
      /dòng 4, cột TEN_KHANG, giá trị "Nguyễn Văn Ân": khác với .* PC12AA0050101/.test(e.message) &&
      /dòng 4, cột TTHAI_CAT, giá trị "1"/.test(e.message),
  );
  ctx.close();
});

test('the same file twice is a no-op that says so', () => {
  const ctx = freshPoint();
  const first = importSnapshot(ctx, { file: corpus('good-utf8.csv') });
  const before = dumpDatabase(ctx);
  const again = importSnapshot(ctx, { file: corpus('good-utf8.csv') });
  assert.equal(again.status, 'already_imported');
  assert.equal(again.code, 'SNAPSHOT_ALREADY_IMPORTED');
  assert.equal(again.snapshotId, first.snapshotId);
  assert.deepEqual(dumpDatabase(ctx), before);
  ctx.close();
});

test('a dry run validates, previews the re-import table and writes nothing', () => {
  const ctx = freshPoint();
  importSnapshot(ctx, { file: snapshotFile([billLine('PC12AA0000001', 'Lê Văn A', '9001', 10, 1000), billLine('PC12AA0000002', 'Lê Văn B', '9002', 10, 2000)], 'a.csv') });
  payBill(ctx, '9002', { exported: false });
  const before = dumpDatabase(ctx);
  const preview = importSnapshot(ctx, { file: snapshotFile([billLine('PC12AA0000001', 'Lê Văn A', '9001', 10, 1000)], 'b.csv'), dryRun: true });
  assert.equal(preview.status, 'dry_run');
  assert.equal(preview.snapshotId, null);
  assert.deepEqual(preview.reimport, { outstanding: 1, paid_waiting_export: 0, exported_still_open: 0, cleared_elsewhere: 0, cleared: 0, conflict: 1 });
  assert.deepEqual(dumpDatabase(ctx), before);
  assert.equal(refusedCode(() => importSnapshot(ctx, { file: corpus('bad-period.csv'), dryRun: true })), 'SNAPSHOT_INVALID');
  assert.deepEqual(dumpDatabase(ctx), before);
  ctx.close();
});

test('--skip-invalid by a supervisor imports the valid rows, writes the rejects file and journals the choice', () => {
  const ctx = freshPoint();
  const boss = addUser(ctx, { code: 'GS01', name: 'Giám sát', role: 'supervisor', pin: '246813', approvedBy: [] }, CHEAP);
  const result = importSnapshot(ctx, { file: corpus('bad-one-bad-row.csv'), skipInvalid: { supervisorCode: 'GS01', pin: '246813' } });
  assert.equal(result.status, 'imported');
  assert.deepEqual([result.rowCount, result.billCount, result.skippedCount, result.problemCount], [3, 2, 1, 2]);
  assert.ok(result.rejectsFile !== null && result.rejectsFile.startsWith(join(ctx.dataDir, 'rejects')));
  const rejects = readFileSync(result.rejectsFile, 'utf8');
  assert.match(rejects, /^\uFEFFDONG,LY_DO,NOI_DUNG_GOC\r\n3,"dòng 3, cột SO_TIEN, giá trị ""12,5"": không phải số tiền nguyên/);
  assert.ok(rejects.includes('"PC12AA,PC12AA0050132,Trần Thị Bình,""Thôn 1, xã Ea Tu, TP. Buôn Ma Thuột"",,0,245110132,TD,1,11,2026,100,""12,5"",0,""12,5"",20/12/2026"'));
  const ids = ctx.sqlite.prepare('SELECT id_hdon FROM bills ORDER BY id_hdon').all();
  assert.deepEqual(ids, [{ id_hdon: '245110131' }, { id_hdon: '245110133' }]);
  const skipped = ctx.sqlite.prepare("SELECT actor_id, payload FROM journal WHERE kind = 'import_skipped_rows'").all() as { actor_id: number; payload: string }[];
  assert.equal(skipped.length, 1);
  assert.equal(skipped[0]?.actor_id, boss.id);
  assert.equal((JSON.parse(skipped[0]?.payload ?? '{}') as { skippedRows: number }).skippedRows, 1);
  assert.deepEqual(ctx.sqlite.prepare('SELECT skipped_count, supervisor_id FROM snapshots').get(), { skipped_count: 1, supervisor_id: boss.id });
  ctx.close();
});

test('--skip-invalid needs a supervisor with the right PIN; a refusal writes no rejects file', () => {
  const ctx = freshPoint();
  const boss = addUser(ctx, { code: 'GS01', name: 'Giám sát', role: 'supervisor', pin: '246813', approvedBy: [] }, CHEAP);
  addUser(ctx, { code: 'TN01', name: 'Thu ngân', role: 'cashier', pin: '135791', approvedBy: [boss.id] }, CHEAP);
  const file = corpus('bad-one-bad-row.csv');
  assert.equal(refusedCode(() => importSnapshot(ctx, { file, skipInvalid: { supervisorCode: 'TN01', pin: '135791' } })), 'SUPERVISOR_REQUIRED');
  assert.equal(refusedCode(() => importSnapshot(ctx, { file, skipInvalid: { supervisorCode: 'GS01', pin: '0000' } })), 'LOGIN_FAILED');
  assert.equal((ctx.sqlite.prepare('SELECT COUNT(*) AS n FROM snapshots').get() as { n: number }).n, 0);
  assert.equal(existsSync(join(ctx.dataDir, 'rejects')) ? readdirSync(join(ctx.dataDir, 'rejects')).length : 0, 0);
  ctx.close();
});

test('a new snapshot updates customers (and their search entries) and the amounts of unpaid bills only', () => {
  const ctx = freshPoint();
  importSnapshot(ctx, { file: snapshotFile([billLine('PC12AA0000001', 'Lê Văn A', '9001', 10, 1000), billLine('PC12AA0000002', 'Lê Văn B', '9002', 10, 2000)], 'a.csv') });
  payBill(ctx, '9002', { exported: false });
  importSnapshot(ctx, { file: snapshotFile([billLine('PC12AA0000001', 'Đoàn Văn Ánh', '9001', 10, 1500), billLine('PC12AA0000002', 'Lê Văn B', '9002', 10, 9900)], 'b.csv') });
  const bills = ctx.sqlite.prepare('SELECT id_hdon, so_tien, tong_tien, first_snapshot_id, last_snapshot_id FROM bills ORDER BY id_hdon').all();
  assert.deepEqual(bills, [
    { id_hdon: '9001', so_tien: 1500, tong_tien: 1620, first_snapshot_id: 1, last_snapshot_id: 2 },
    { id_hdon: '9002', so_tien: 2000, tong_tien: 2160, first_snapshot_id: 1, last_snapshot_id: 2 },
  ]);
  ctx.sqlite.prepare("INSERT INTO customer_search (customer_search) VALUES ('integrity-check')").run();
  const hit = ctx.sqlite.prepare("SELECT c.ma_khang FROM customer_search s JOIN customers c ON c.id = s.rowid WHERE customer_search MATCH 'doan van anh'").all();
  assert.deepEqual(hit, [{ ma_khang: 'PC12AA0000001' }]);
  assert.deepEqual(ctx.sqlite.prepare("SELECT 1 AS x FROM customer_search WHERE customer_search MATCH 'le van a'").all(), []);
  ctx.close();
});

test('a MA_KHANG not starting with its MA_DVIQLY is imported with a warning', () => {
  const ctx = freshPoint();
  const file = snapshotFile(['PC12AB,PC12AA0000001,Lê Văn A,Thôn 1,0,,,,,,,,']);
  const result = importSnapshot(ctx, { file });
  assert.equal(result.customerCount, 1);
  assert.equal(result.billCount, 0);
  assert.equal(result.warnings.length, 1);
  assert.match(result.warnings[0] ?? '', /1 khách hàng có MA_KHANG không bắt đầu bằng MA_DVIQLY, ví dụ dòng 2 \(PC12AA0000001, PC12AB\)/);
  ctx.close();
});

test('a dry run of --skip-invalid previews the skip and writes nothing, not even a login', () => {
  const ctx = freshPoint();
  addUser(ctx, { code: 'GS01', name: 'Giám sát', role: 'supervisor', pin: '246813', approvedBy: [] }, CHEAP);
  const before = dumpDatabase(ctx);
  const preview = importSnapshot(ctx, { file: corpus('bad-one-bad-row.csv'), dryRun: true, skipInvalid: { supervisorCode: 'GS01', pin: '246813' } });
  assert.deepEqual([preview.status, preview.billCount, preview.skippedCount, preview.rejectsFile], ['dry_run', 2, 1, null]);
  assert.deepEqual(dumpDatabase(ctx), before);
  assert.equal(existsSync(join(ctx.dataDir, 'rejects')), false);
  ctx.close();
});

/** The AppError thrown by fn (code, message, details), or NOT_REFUSED. */
function refusal(fn: () => unknown): { code: string; message: string; problems: { line: number; column: string; value: string; reason: string }[] } {
  try {
    fn();
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    const details = error.details as { problems?: { line: number; column: string; value: string; reason: string }[] } | undefined;
    return { code: error.code, message: error.message, problems: details?.problems ?? [] };
  }
  return { code: 'NOT_REFUSED', message: '', problems: [] };
}

const CARD_HEADER = 'MA_DVIQLY,MA_KHANG,TEN_KHANG,DCHI_KHANG,MA_THE,TTHAI_CAT,ID_HDON,LOAI_HDON,KY,THANG,NAM,SO_TIEN,TIEN_GTGT,TONG_TIEN';

test('[#4] two customers with the same card number, or a card equal to another customer\'s code, are refused naming both lines', () => {
  const ctx = freshPoint();
  addUser(ctx, { code: 'GS01', name: 'Giám sát', role: 'supervisor', pin: '246813', approvedBy: [] }, CHEAP);
  const before = dumpDatabase(ctx);
  const refused = refusal(() => importSnapshot(ctx, { file: corpus('bad-duplicate-ma-the.csv') }));
  assert.equal(refused.code, 'SNAPSHOT_INVALID');
  assert.deepEqual(
    refused.problems.map((p) => [p.line, p.column, p.value]),
    [
      [4, 'MA_THE', 'THE00000001'],
      [5, 'MA_THE', 'PC12AA0060004'],
    ],
  );
  assert.match(refused.message, /dòng 4, cột MA_THE, giá trị "THE00000001": đã là thẻ của khách hàng PC12AA0060001 \(dòng 2\)/);
  assert.match(refused.message, /dòng 5, cột MA_THE, giá trị "PC12AA0060004": là mã của khách hàng khác PC12AA0060004 \(dòng 6\)/);
  assert.deepEqual(dumpDatabase(ctx), before);
  // Skipping rows cannot say whose card it is: refused the same with --skip-invalid.
  const skipping = refusal(() => importSnapshot(ctx, { file: corpus('bad-duplicate-ma-the.csv'), skipInvalid: { supervisorCode: 'GS01', pin: '246813' } }));
  assert.equal(skipping.code, 'SNAPSHOT_INVALID');
  assert.equal((ctx.sqlite.prepare('SELECT COUNT(*) AS n FROM snapshots').get() as { n: number }).n, 0);
  // The class, in the other order: the code comes first, the card naming it later.
  const later = snapshotFile([], 'later.csv');
  writeFileSync(
    later,
    [
      CARD_HEADER,
      'PC12AA,PC12AA0000001,Lê Văn A,Thôn 1,,0,9001,TD,1,11,2026,1000,80,1080',
      'PC12AA,PC12AA0000002,Lê Văn B,Thôn 2,PC12AA0000001,0,9002,TD,1,11,2026,1000,80,1080',
      '',
    ].join('\r\n'),
  );
  assert.deepEqual(refusal(() => importSnapshot(ctx, { file: later })).problems.map((p) => [p.line, p.column]), [[3, 'MA_THE']]);
  ctx.close();
});

test('[#6] a UTF-8 file with one stray byte is refused naming its line, even when UTF-8 is forced; Windows-1258 still imports', () => {
  const ctx = freshPoint();
  importSnapshot(ctx, { file: corpus('good-utf8.csv') });
  const before = dumpDatabase(ctx);
  for (const encoding of [undefined, 'utf8'] as const) {
    const refused = refusal(() => importSnapshot(ctx, { file: corpus('bad-stray-byte.csv'), ...(encoding === undefined ? {} : { encoding }) }));
    assert.equal(refused.code, 'SNAPSHOT_BAD_ENCODING', String(encoding));
    assert.deepEqual(refused.problems.map((p) => [p.line, p.value]), [[7, '0x92']]);
    assert.match(refused.message, /dòng 7/);
    assert.deepEqual(dumpDatabase(ctx), before);
  }
  ctx.close();
  const other = freshPoint();
  const cp = importSnapshot(other, { file: corpus('good-windows1258.csv') });
  assert.deepEqual([cp.status, cp.encoding], ['imported', 'windows1258']);
  assert.equal((other.sqlite.prepare("SELECT ten_khang FROM customers WHERE ma_khang = 'PC12AA0012345'").get() as { ten_khang: string }).ten_khang, 'Nguyễn Thị Đào');
  other.close();
});

test('[#7] a CR-only file imports like its CRLF original; a file with no data rows is refused and changes nothing', () => {
  const contents = (file: string) => {
    const ctx = freshPoint();
    const result = importSnapshot(ctx, { file: corpus(file) });
    const rows = {
      result: [result.rowCount, result.customerCount, result.billCount, result.billTotal],
      customers: ctx.sqlite.prepare('SELECT * FROM customers ORDER BY ma_khang').all(),
      bills: ctx.sqlite.prepare('SELECT * FROM bills ORDER BY id_hdon').all(),
    };
    ctx.close();
    return rows;
  };
  assert.deepEqual(contents('good-cr-only.csv'), contents('good-utf8.csv'));

  const ctx = freshPoint();
  addUser(ctx, { code: 'GS01', name: 'Giám sát', role: 'supervisor', pin: '246813', approvedBy: [] }, CHEAP);
  importSnapshot(ctx, { file: corpus('good-utf8.csv') });
  const before = dumpDatabase(ctx);
  const empty = refusal(() => importSnapshot(ctx, { file: corpus('bad-header-only.csv') }));
  assert.equal(empty.code, 'SNAPSHOT_NO_ROWS');
  assert.equal(refusal(() => importSnapshot(ctx, { file: corpus('bad-header-only.csv'), dryRun: true })).code, 'SNAPSHOT_NO_ROWS');
  // Every row invalid and skipped is no data either: it would clear every bill "elsewhere".
  const allBad = snapshotFile(['PC12AA,PC12AA0000001,Lê Văn A,Thôn 1,0,9001,TD,1,13,2026,1000,80,1080'], 'all-bad.csv');
  assert.equal(refusal(() => importSnapshot(ctx, { file: allBad, skipInvalid: { supervisorCode: 'GS01', pin: '246813' } })).code, 'SNAPSHOT_NO_ROWS');
  const unchanged = dumpDatabase(ctx);
  delete unchanged.journal; // the supervisor's PIN check is journaled
  delete unchanged.users;
  const expected = { ...before };
  delete expected.journal;
  delete expected.users;
  assert.deepEqual(unchanged, expected);
  // The CR-only twin of the current file is another file (its bytes differ) and imports as such.
  const cr = importSnapshot(ctx, { file: corpus('good-cr-only.csv') });
  assert.deepEqual([cr.status, cr.billCount, cr.reimport.cleared_elsewhere], ['imported', 13, 0]);
  ctx.close();
});

test('[#10] through the reader worker: a million blank lines import, and a 10 MB field is refused naming its line, both at once', () => {
  const ctx = freshPoint();
  const dir = tempDir();
  const blank = join(dir, 'blank.csv');
  writeFileSync(blank, `${SNAPSHOT_HEADER}\r\n${'\r\n'.repeat(1_000_000)}${billLine('PC12AA0000001', 'Lê Văn A', '9001', 10, 1000)}\r\n`);
  const { value: result, ms } = cpuMs(() => importSnapshot(ctx, { file: blank }));
  assert.deepEqual([result.status, result.billCount], ['imported', 1]);
  assert.ok(ms < 15_000, `${Math.round(ms)} ms of CPU`);
  const huge = join(dir, 'huge.csv');
  writeFileSync(huge, `${SNAPSHOT_HEADER}\r\n${billLine('PC12AA0000001', 'Lê Văn A', '9001', 10, 1000)}\r\n${billLine('PC12AA0000002', 'x'.repeat(10 << 20), '9002', 10, 1000)}\r\n`);
  const before = dumpDatabase(ctx);
  const { value: refused, ms: refusedMs } = cpuMs(() => refusal(() => importSnapshot(ctx, { file: huge })));
  assert.equal(refused.code, 'SNAPSHOT_RECORD_TOO_LARGE');
  assert.match(refused.message, /dòng 3/i);
  assert.ok(refusedMs < 15_000, `${Math.round(refusedMs)} ms of CPU`);
  assert.deepEqual(dumpDatabase(ctx), before);
  ctx.close();
});

test('[#22] codes at import are NFKC-folded and stripped of invisible characters, so a scan finds them', () => {
  const ctx = freshPoint();
  const file = snapshotFile([], 'pasted.csv');
  writeFileSync(
    file,
    [
      CARD_HEADER,
      'PC12AA,PC12AA\u200B0000001,Lê Văn A,Thôn 1,ＴＨＥ\u00AD0001,0,9001,TD,1,11,2026,1000,80,1080',
      'ＰＣ12AA,ＰＣ12AA0000002,Lê Văn B,Thôn 2,,0,9002,TD,1,11,2026,1000,80,1080',
      '',
    ].join('\r\n'),
  );
  const result = importSnapshot(ctx, { file });
  assert.equal(result.customerCount, 2);
  assert.deepEqual(ctx.sqlite.prepare('SELECT ma_dviqly, ma_khang, ma_the FROM customers ORDER BY ma_khang').all(), [
    { ma_dviqly: 'PC12AA', ma_khang: 'PC12AA0000001', ma_the: 'THE0001' },
    { ma_dviqly: 'PC12AA', ma_khang: 'PC12AA0000002', ma_the: null },
  ]);
  ctx.close();
});

test('[#20] the rejects file of a supervised import carries no formula and no control character, only their text', () => {
  const ctx = freshPoint();
  addUser(ctx, { code: 'GS01', name: 'Giám sát', role: 'supervisor', pin: '246813', approvedBy: [] }, CHEAP);
  const file = snapshotFile([
    billLine('PC12AA0000001', 'Lê Văn A', '9001', 10, 1000),
    `=HYPERLINK("http://evil.example"),PC12AA0000002,Lê Văn B,Thôn 2,0,9002,TD,1,10,2026,1000,80,1080`,
    `PC12AA,PC12AA0000003,"Lê\u0000Văn C","Thôn 3\r\nxã Ea Tu",0,9003,TD,1,10,2026,1000,80,1080`,
  ]);
  const result = importSnapshot(ctx, { file, skipInvalid: { supervisorCode: 'GS01', pin: '246813' } });
  assert.deepEqual([result.billCount, result.skippedCount], [1, 2]);
  const text = readFileSync(result.rejectsFile ?? '', 'utf8');
  const rows = parse(text.slice(1), { columns: true }) as { DONG: string; LY_DO: string; NOI_DUNG_GOC: string }[];
  assert.deepEqual(rows.map((r) => r.DONG), ['3', '4']);
  for (const r of rows) {
    for (const cell of [r.DONG, r.LY_DO, r.NOI_DUNG_GOC]) {
      assert.ok(!/^\s*[=+\-@]/.test(cell) && !/[\u0000-\u001f]/.test(cell), JSON.stringify(cell));
    }
  }
  assert.equal(rows[0]?.NOI_DUNG_GOC, `'=HYPERLINK("http://evil.example"),PC12AA0000002,Lê Văn B,Thôn 2,0,9002,TD,1,10,2026,1000,80,1080`);
  assert.match(rows[1]?.NOI_DUNG_GOC ?? '', /"Lê\\x00Văn C","Thôn 3\\x0d\\x0axã Ea Tu"/);
  ctx.close();
});

test('[#4] one placeholder card on 20,000 customers is refused at once: every holder counted, the list bounded', () => {
  const ctx = freshPoint();
  const file = snapshotFile([], 'placeholder.csv');
  const rows = Array.from({ length: 20_000 }, (_, i) => `PC12AA,PC12AA${String(i).padStart(7, '0')},Lê Văn A,Thôn 1,0,0,${9000 + i},TD,1,11,2026,1000,80,1080`);
  writeFileSync(file, [CARD_HEADER, ...rows, ''].join('\r\n'));
  const { value: refused, ms } = cpuMs(() => refusal(() => importSnapshot(ctx, { file })));
  assert.ok(ms < 30_000, `${Math.round(ms)} ms of CPU`);
  assert.equal(refused.code, 'SNAPSHOT_INVALID');
  assert.match(refused.message, /19999 lỗi/);
  assert.equal(refused.problems.length, MAX_PROBLEMS);
  assert.deepEqual(refused.problems[0], {
    line: 3, column: 'MA_THE', value: '0', reason: 'đã là thẻ của khách hàng PC12AA0000000 (dòng 2): quét thẻ sẽ không biết thu cho ai',
  });
  ctx.close();
});
