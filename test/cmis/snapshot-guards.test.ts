import { test } from 'node:test';
import assert from 'node:assert/strict';
import { utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { importSnapshot } from '../../electron/cmis/import-snapshot.ts';
import { setSettings } from '../../electron/store/settings.ts';
import { initPoint } from '../../electron/store/point.ts';
import { collectWorld, count, refusedWith } from '../helpers/collect-fixture.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { billLine, dumpDatabase, SNAPSHOT_HEADER } from './helpers.ts';

/** A snapshot file named `name` in its own folder; `lines` after the header; `header` to add columns. */
function file(name: string, lines: string[], header = SNAPSHOT_HEADER): string {
  const path = join(tempDir(), name);
  writeFileSync(path, [header, ...lines].join('\r\n') + '\r\n');
  return path;
}

let variant = 0;
/** `n` customers of PC12AA with one bill each (ids B1..Bn); amounts differ from call to call, so each file is a new file. */
function customers(n: number, unit = 'PC12AA'): string[] {
  const amount = 1000 + 100 * ++variant;
  return Array.from({ length: n }, (_, i) => billLine(`PC12AA${String(i + 1).padStart(7, '0')}`, `Khách ${i + 1}`, `B${i + 1}`, 11, amount).replace(/^PC12AA,/, `${unit},`));
}

const GS01 = { supervisorCode: 'GS01', pin: '987654' };

/** Everything but the journal and users (a PIN check journals a login and counts failures). */
function moneyAndSnapshots(w: ReturnType<typeof collectWorld>) {
  const dump = dumpDatabase(w.ctx);
  delete dump.journal;
  delete dump.users;
  return dump;
}

test('extract time: from the name (day or minute), else NGAY_TRICH, else the file time (not verified); stored with the snapshot', (t) => {
  const w = collectWorld();
  t.after(() => w.ctx.close());
  const byDay = importSnapshot(w.ctx, { file: file('NO_PC12AA_20261126.csv', customers(3)) });
  assert.deepEqual(byDay.extract, { at: '2026-11-25T17:00:00.000Z', source: 'name_day' });
  const byMinute = importSnapshot(w.ctx, { file: file('NO_PC12AA_20261127_0615.csv', customers(3)) });
  assert.deepEqual(byMinute.extract, { at: '2026-11-26T23:15:00.000Z', source: 'name_minute' });
  const column = file('bang-no.csv', customers(3).map((l) => `${l},27/11/2026 06:30`), `${SNAPSHOT_HEADER},NGAY_TRICH`);
  assert.deepEqual(importSnapshot(w.ctx, { file: column }).extract, { at: '2026-11-26T23:30:00.000Z', source: 'column' });
  const plain = file('bang-no-2.csv', customers(3));
  utimesSync(plain, new Date('2026-11-27T00:00:00Z'), new Date('2026-11-27T00:40:00Z'));
  const byFile = importSnapshot(w.ctx, { file: plain });
  assert.deepEqual(byFile.extract, { at: '2026-11-27T00:40:00.000Z', source: 'file' });
  assert.deepEqual(w.ctx.sqlite.prepare('SELECT extracted_at, extract_source FROM snapshots WHERE id = ?').get(byFile.snapshotId), {
    extracted_at: '2026-11-27T00:40:00.000Z',
    extract_source: 'file',
  });
});

test('NGAY_TRICH must be a real time and the same on every row', (t) => {
  const w = collectWorld();
  t.after(() => w.ctx.close());
  const rows = customers(3);
  const mixed = file('mixed.csv', [`${rows[0]},27/11/2026 06:30`, `${rows[1]},27/11/2026 06:30`, `${rows[2]},26/11/2026 06:30`], `${SNAPSHOT_HEADER},NGAY_TRICH`);
  assert.throws(
    () => importSnapshot(w.ctx, { file: mixed }),
    (e: Error & { code?: string }) => e.code === 'SNAPSHOT_INVALID' && /dòng 4, cột NGAY_TRICH, giá trị "26\/11\/2026 06:30": khác với dòng 2/.test(e.message),
  );
  const bad = file('bad.csv', [`${rows[0]},31/11/2026 06:30`], `${SNAPSHOT_HEADER},NGAY_TRICH`);
  assert.throws(() => importSnapshot(w.ctx, { file: bad }), (e: Error & { code?: string }) => e.code === 'SNAPSHOT_INVALID' && /cột NGAY_TRICH/.test(e.message));
  assert.equal(count(w.ctx, 'snapshots'), 0);
});

test("the neighbouring unit's file is refused whole, also with --skip-invalid; by its name before a row is read", (t) => {
  const w = collectWorld();
  t.after(() => w.ctx.close());
  importSnapshot(w.ctx, { file: file('NO_PC12AA_20261126.csv', customers(5)) });
  const before = moneyAndSnapshots(w);
  const theirs = file('bang-no-pc12bb.csv', customers(5, 'PC12BB'));
  assert.throws(() => importSnapshot(w.ctx, { file: theirs }), (e: Error & { code?: string }) => e.code === 'SNAPSHOT_UNIT_NOT_SERVED' && /PC12BB/.test(e.message) && /dòng 2 \(PC12BB\)/.test(e.message));
  assert.throws(() => importSnapshot(w.ctx, { file: theirs, dryRun: true }), refusedWith('SNAPSHOT_UNIT_NOT_SERVED'));
  assert.throws(() => importSnapshot(w.ctx, { file: theirs, skipInvalid: GS01 }), refusedWith('SNAPSHOT_UNIT_NOT_SERVED'));
  // One row of another unit among ours: the file is still not this point's.
  const oneWrong = customers(5);
  oneWrong[3] = oneWrong[3]!.replace(/^PC12AA,/, 'PC12BB,');
  assert.throws(() => importSnapshot(w.ctx, { file: file('one-wrong.csv', oneWrong) }), (e: Error & { code?: string; details?: unknown }) => {
    return e.code === 'SNAPSHOT_UNIT_NOT_SERVED' && (e.details as { count: number }).count === 1 && /dòng 5 \(PC12BB\)/.test(e.message);
  });
  // The name says another unit: refused before reading (the rows would pass).
  assert.throws(() => importSnapshot(w.ctx, { file: file('NO_PC12BB_20261127.csv', customers(5)) }), (e: Error & { code?: string }) => {
    return e.code === 'SNAPSHOT_UNIT_NOT_SERVED' && /theo tên tệp/.test(e.message);
  });
  assert.deepEqual(moneyAndSnapshots(w), before);
});

test('a point serving several units takes each; a point set up with one unit keeps working', (t) => {
  const w = collectWorld();
  t.after(() => w.ctx.close());
  initPoint(w.ctx, { pointCode: 'DT0001', unitCode: 'PC12AA', unitCodes: ['PC12AA', 'pc12bb'], pointName: 'Điểm thu số 1' });
  const both = () => [...customers(2), ...customers(2, 'PC12BB').map((l) => l.replace(/PC12AA000000(\d)/, 'PC12BB000000$1').replace(/,B(\d),/, ',BB$1,'))];
  assert.equal(importSnapshot(w.ctx, { file: file('NO_PC12BB_20261126.csv', both()) }).status, 'imported');
  // A database from before unit lists has only unit_code.
  w.ctx.sqlite.prepare("DELETE FROM settings WHERE key = 'unit_codes'").run();
  assert.equal(importSnapshot(w.ctx, { file: file('NO_PC12AA_20261127.csv', both().slice(0, 2)), confirm: GS01 }).status, 'imported');
  assert.throws(() => importSnapshot(w.ctx, { file: file('NO_PC12AA_20261128.csv', both()) }), refusedWith('SNAPSHOT_UNIT_NOT_SERVED'));
});

test("yesterday's file after today's is refused (nothing changes) unless a supervisor forces it; journaled", (t) => {
  const w = collectWorld();
  t.after(() => w.ctx.close());
  importSnapshot(w.ctx, { file: file('NO_PC12AA_20261127_0600.csv', customers(5)) });
  const before = moneyAndSnapshots(w);
  const yesterday = file('NO_PC12AA_20261126_0600.csv', customers(5));
  assert.throws(() => importSnapshot(w.ctx, { file: yesterday }), (e: Error & { code?: string }) => e.code === 'SNAPSHOT_OLDER' && /cũ hơn bảng đang dùng/.test(e.message) && /--force/.test(e.message));
  // A confirmation is not a force.
  assert.throws(() => importSnapshot(w.ctx, { file: yesterday, confirm: GS01 }), refusedWith('SNAPSHOT_OLDER'));
  // The preview says what it needs and writes nothing.
  const preview = importSnapshot(w.ctx, { file: yesterday, dryRun: true });
  assert.deepEqual(preview.guards.map((g) => [g.code, g.needs]), [['SNAPSHOT_OLDER', 'force']]);
  // A cashier's PIN forces nothing.
  assert.throws(() => importSnapshot(w.ctx, { file: yesterday, confirm: { supervisorCode: 'TN01', pin: '123456', force: true } }), refusedWith('SUPERVISOR_REQUIRED'));
  assert.deepEqual(moneyAndSnapshots(w), before);
  // Same day by name only (no time) and a later minute are not older.
  assert.equal(importSnapshot(w.ctx, { file: file('NO_PC12AA_20261127.csv', customers(5)) }).status, 'imported');
  const forced = importSnapshot(w.ctx, { file: yesterday, confirm: { ...GS01, force: true } });
  assert.equal(forced.status, 'imported');
  assert.deepEqual(w.ctx.sqlite.prepare('SELECT u.code FROM snapshots s JOIN users u ON u.id = s.confirmed_by WHERE s.id = ?').pluck().all(forced.snapshotId), ['GS01']);
  const row = w.ctx.sqlite.prepare("SELECT actor_id, payload FROM journal WHERE kind = 'import_confirmed'").get() as { actor_id: number; payload: string };
  assert.equal(row.actor_id, w.supervisor.id);
  assert.deepEqual((JSON.parse(row.payload) as { forced: boolean; guards: { code: string }[] }).guards.map((g) => g.code), ['SNAPSHOT_OLDER']);
  // The column's time is compared the same way.
  const oldColumn = file('col.csv', customers(5).map((l) => `${l},25/11/2026 06:30`), `${SNAPSHOT_HEADER},NGAY_TRICH`);
  assert.throws(() => importSnapshot(w.ctx, { file: oldColumn }), refusedWith('SNAPSHOT_OLDER'));
});

test('a snapshot clearing more than 10% of outstanding bills or listing fewer than 90% of customers needs a supervisor', (t) => {
  const w = collectWorld();
  t.after(() => w.ctx.close());
  importSnapshot(w.ctx, { file: file('NO_PC12AA_20261126.csv', customers(20)) });
  const before = moneyAndSnapshots(w);
  // 2 of 20 gone: 10% is not more than 10%, 90% is not fewer than 90%.
  assert.deepEqual(importSnapshot(w.ctx, { file: file('NO_PC12AA_20261127.csv', customers(18)), dryRun: true }).guards, []);
  const short = file('NO_PC12AA_20261127_0700.csv', customers(17));
  const preview = importSnapshot(w.ctx, { file: short, dryRun: true });
  assert.deepEqual(preview.guards.map((g) => [g.code, g.needs]), [['SNAPSHOT_CLEARS_MANY', 'confirmation'], ['SNAPSHOT_FEWER_CUSTOMERS', 'confirmation']]);
  assert.match(preview.guards[0]!.message, /3 trong 20 hóa đơn đang nợ \(15%, ngưỡng 10%\)/);
  assert.match(preview.guards[1]!.message, /17 trong 20 khách hàng hiện có \(85%/);
  assert.throws(() => importSnapshot(w.ctx, { file: short }), (e: Error & { code?: string }) => e.code === 'SNAPSHOT_CONFIRMATION_REQUIRED' && /--supervisor/.test(e.message));
  assert.throws(() => importSnapshot(w.ctx, { file: short, confirm: { supervisorCode: 'TN01', pin: '123456' } }), refusedWith('SUPERVISOR_REQUIRED'));
  assert.throws(() => importSnapshot(w.ctx, { file: short, confirm: { supervisorCode: 'GS01', pin: '000000' } }), (e: Error & { code?: string }) => e.code !== undefined && e.code !== 'INTERNAL');
  // A header-only file never empties the point.
  assert.throws(() => importSnapshot(w.ctx, { file: file('NO_PC12AA_20261127_0800.csv', []), confirm: { ...GS01, force: true } }), refusedWith('SNAPSHOT_NO_ROWS'));
  assert.deepEqual(moneyAndSnapshots(w), before);
  const confirmed = importSnapshot(w.ctx, { file: short, confirm: GS01 });
  assert.equal(confirmed.status, 'imported');
  assert.equal(w.ctx.sqlite.prepare('SELECT confirmed_by FROM snapshots WHERE id = ?').pluck().get(confirmed.snapshotId), w.supervisor.id);
  const journaled = JSON.parse(w.ctx.sqlite.prepare("SELECT payload FROM journal WHERE kind = 'import_confirmed'").pluck().get() as string) as { guards: { code: string }[] };
  assert.deepEqual(journaled.guards.map((g) => g.code), ['SNAPSHOT_CLEARS_MANY', 'SNAPSHOT_FEWER_CUSTOMERS']);
  // The thresholds are settings.
  setSettings(w.ctx.sqlite, { snapshot_cleared_confirm_percent: 50, snapshot_customers_confirm_percent: 50 }, w.head.id, new Date());
  assert.equal(importSnapshot(w.ctx, { file: file('NO_PC12AA_20261127_0900.csv', customers(12)) }).status, 'imported');
});
