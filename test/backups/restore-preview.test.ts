import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openContext } from '../../electron/store/context.ts';
import { initPoint } from '../../electron/store/point.ts';
import { backupNow } from '../../electron/backups/backups.ts';
import { previewRestore } from '../../electron/backups/restore.ts';
import { journalHead } from '../../electron/store/journal.ts';
import { collectPayment } from '../../electron/payments/collect.ts';
import { collectWorld, type CollectWorld } from '../helpers/collect-fixture.ts';
import { seedSnapshot } from '../helpers/seed.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { listing, readOnlyView } from '../helpers/files.ts';
import { captureIo } from '../helpers/capture-io.ts';
import { main } from '../../electron/cli/diemthu.ts';

function world(t: { after(fn: () => void): void }): CollectWorld & { root: string } {
  const w = collectWorld();
  t.after(() => w.ctx.close());
  seedSnapshot(w.ctx, ['PC12AA0000001', 'PC12AA0000002'].map((ma, i) => ({
    maKhang: ma, tenKhang: `Khách ${i}`, dchiKhang: 'Số 1', bills: [{ idHdon: `HD${i}`, thang: 10, nam: 2026, soTien: 10000, tienGtgt: 1000 }],
  })));
  return { ...w, root: join(w.ctx.dataDir, '..') };
}

const collect = (w: CollectWorld, ma: string, key: string) => collectPayment(w.ctx, { customer: ma, cashierId: w.cashier.id, idempotencyKey: key }).receiptNo;

/** The data folder as it is, the open database's files aside (the live connection may checkpoint them). */
const dataFolderNames = (dataDir: string) => fs.readdirSync(dataDir).filter((n) => !n.startsWith('diemthu.sqlite')).sort();

test('preview of the newest backup, read while the app keeps the database open: what it holds, not older, nothing touched', async (t) => {
  const w = world(t);
  const receipt = collect(w, 'PC12AA0000001', 'k1');
  const { file } = await backupNow(w.ctx, { outDir: join(w.root, 'b') });
  const head = journalHead(w.ctx.sqlite);
  const before = dataFolderNames(w.ctx.dataDir);

  const preview = previewRestore(w.ctx.dataDir, file);
  assert.equal(preview.file, file);
  assert.equal(preview.pointCode, 'DT0001');
  assert.equal(preview.receipts, 1);
  assert.equal(preview.lastReceiptNo, receipt);
  assert.match(preview.lastEntryAt ?? '', /^\d{4}-\d\d-\d\dT/);
  assert.equal(preview.older, false, 'only the backup row itself came after it');
  assert.equal(preview.behindBy, 0);
  assert.equal(preview.currentJournalRows, head.id);
  assert.equal(preview.journalRows, head.id - 1, 'the backup row is written after the copy');
  assert.deepEqual(journalHead(w.ctx.sqlite), head, 'the preview wrote nothing');
  assert.deepEqual(dataFolderNames(w.ctx.dataDir), before, 'no checked copy or safety copy left behind');
});

test('preview of a backup made before a payment: older, behind by the rows a restore would undo', async (t) => {
  const w = world(t);
  collect(w, 'PC12AA0000001', 'k1');
  const { file } = await backupNow(w.ctx, { outDir: join(w.root, 'b') });
  const before = journalHead(w.ctx.sqlite).id;
  collect(w, 'PC12AA0000002', 'k2');
  const after = w.ctx.sqlite.prepare("SELECT COUNT(*) FROM journal WHERE id > ? AND kind NOT IN ('backup', 'login', 'login_failed')").pluck().get(before) as number;
  assert.ok(after >= 1);
  const preview = previewRestore(w.ctx.dataDir, file);
  assert.equal(preview.older, true);
  assert.equal(preview.behindBy, after);
  assert.equal(preview.receipts, 1);
});

test('preview refuses, with the codes of restore, a backup of another point, a truncated one, a tampered one, a missing one', async (t) => {
  const w = world(t);
  const { file } = await backupNow(w.ctx, { outDir: join(w.root, 'b') });

  const otherDir = tempDir();
  const other = openContext(otherDir);
  t.after(() => other.close());
  initPoint(other, { pointCode: 'PT02', unitCode: 'PC12AA', pointName: '' });
  const otherBackup = await backupNow(other, { outDir: join(otherDir, 'b') });
  assert.throws(() => previewRestore(w.ctx.dataDir, otherBackup.file), { code: 'BACKUP_OTHER_POINT' });

  const truncated = join(w.root, 'truncated.sqlite');
  const bytes = fs.readFileSync(file);
  fs.writeFileSync(truncated, bytes.subarray(0, Math.floor(bytes.length / 2)));
  assert.throws(() => previewRestore(w.ctx.dataDir, truncated), { code: 'RESTORE_CORRUPT' });

  const tampered = join(w.root, 'tampered.sqlite');
  fs.copyFileSync(file, tampered);
  const db = new Database(tampered);
  db.exec('DROP TRIGGER journal_no_update');
  db.prepare("UPDATE journal SET payload = '{}' WHERE id = 2").run();
  db.close();
  assert.throws(() => previewRestore(w.ctx.dataDir, tampered), { code: 'RESTORE_JOURNAL_BROKEN' });

  assert.throws(() => previewRestore(w.ctx.dataDir, join(w.root, 'missing.sqlite')), { code: 'RESTORE_FILE_MISSING' });
  assert.deepEqual(fs.readdirSync(w.ctx.dataDir).filter((n) => n.startsWith('restore') || n === 'safety'), [], 'no checked copy or safety copy left');
});

test('preview from a write-protected stick reads the backup and writes nothing beside it', async (t) => {
  const w = world(t);
  const usb = join(w.root, 'usb');
  const backup = await backupNow(w.ctx, { outDir: usb });
  const stick = readOnlyView(t, usb);
  const before = listing(stick);
  const preview = previewRestore(w.ctx.dataDir, join(stick, backup.file.split('/').pop()!));
  assert.equal(preview.pointCode, 'DT0001');
  assert.deepEqual(listing(stick), before);
});

test('CLI: restore --check describes the backup and restores nothing, while the app keeps the database open (exit 0); a damaged file exits 2', async (t) => {
  const w = world(t);
  collect(w, 'PC12AA0000001', 'k1');
  const { file } = await backupNow(w.ctx, { outDir: join(w.root, 'b') });
  collect(w, 'PC12AA0000002', 'k2');
  const head = journalHead(w.ctx.sqlite);
  const io = captureIo();
  assert.equal(await main(['restore', file, '--check', '--json', '--data-dir', w.ctx.dataDir], io), 0, io.err());
  const shown = (JSON.parse(io.out()) as { value: { older: boolean; receipts: number; pointCode: string } }).value;
  assert.deepEqual({ older: shown.older, receipts: shown.receipts, pointCode: shown.pointCode }, { older: true, receipts: 1, pointCode: 'DT0001' });
  assert.deepEqual(journalHead(w.ctx.sqlite), head, 'nothing restored, nothing written');
  const both = captureIo();
  assert.equal(await main(['restore', file, '--check', '--force', '--supervisor', 'GS01', '--data-dir', w.ctx.dataDir], both), 2);
  const empty = join(w.root, 'empty.sqlite');
  fs.writeFileSync(empty, '');
  const bad = captureIo();
  assert.equal(await main(['restore', empty, '--check', '--data-dir', w.ctx.dataDir], bad), 2);
  assert.match(bad.err(), /BACKUP_INVALID/);
});
