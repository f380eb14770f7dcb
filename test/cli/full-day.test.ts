import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { main } from '../../electron/cli/diemthu.ts';
import { captureIo } from '../helpers/capture-io.ts';
import { tempDir } from '../helpers/temp-dir.ts';

const HEADER = 'MA_DVIQLY,MA_KHANG,TEN_KHANG,DCHI_KHANG,TTHAI_CAT,ID_HDON,LOAI_HDON,KY,THANG,NAM,SO_TIEN,TIEN_GTGT,TONG_TIEN,DTHOAI_SMS';
// Mobile numbers for the payment confirmations (TINNHAN): an old 11-digit one, and one customer without.
const PHONES: Record<string, string> = { PC12AA0000001: '0905123456', PC12AA0000002: '01681234567', PC12AA0000004: '0912000004', PC12AA0000006: '0121 555 6789' };
const bill = (ma: string, name: string, id: string, thang: number, soTien: number, cut = 0) =>
  `PC12AA,${ma},${name},Số ${ma.slice(-1)} Lê Lợi,${cut},${id},TD,1,${thang},2026,${soTien},${soTien / 10},${soTien + soTien / 10},${PHONES[ma] ?? ''}`;

// Day 1: six customers. What happens to each during the day decides its row of the re-import table.
const DAY1 = [
  HEADER,
  bill('PC12AA0000001', 'Nguyễn Văn An', 'A1', 9, 100000), // paid, exported; gone tomorrow -> cleared
  bill('PC12AA0000001', 'Nguyễn Văn An', 'A2', 10, 120000), // paid, exported; still there -> exported_still_open
  bill('PC12AA0000002', 'Trần Thị Bình', 'B1', 10, 50000), // paid then voided; still there -> outstanding
  bill('PC12AA0000003', 'Lê Văn Cường', 'C1', 10, 70000), // not paid; gone -> cleared_elsewhere
  bill('PC12AA0000004', 'Phạm Thị Dung', 'D1', 10, 80000), // not paid; still there -> outstanding
  bill('PC12AA0000005', 'Hoàng Văn Em', 'E1', 10, 90000), // paid after the export; gone -> conflict
  bill('PC12AA0000006', 'Vũ Thị Phương', 'F1', 10, 60000, 1), // cut off; paid after the export; still there -> paid_waiting_export
];
const DAY2 = [HEADER, DAY1[2], DAY1[3], DAY1[5], DAY1[7]];

test('a full day through the CLI: import, users, shift, collects, void, reprint, Z report, close, export, next-morning import', async () => {
  const root = tempDir();
  const dataDir = join(root, 'data');
  const outDir = join(root, 'usb');
  fs.writeFileSync(join(root, 'day1.csv'), DAY1.join('\r\n') + '\r\n');
  fs.writeFileSync(join(root, 'day2.csv'), DAY2.join('\r\n') + '\r\n');

  /** Runs one command; returns the --json value, failing the test on a non-zero exit. */
  const run = async (args: string[], pin?: string, supervisorPin?: string): Promise<Record<string, unknown>> => {
    const io = captureIo({ ...(pin === undefined ? {} : { DIEMTHU_PIN: pin }), ...(supervisorPin === undefined ? {} : { DIEMTHU_SUPERVISOR_PIN: supervisorPin }) });
    const code = await main([...args, '--data-dir', dataDir, '--json'], io);
    assert.equal(code, 0, `diemthu ${args.join(' ')} -> ${code}: ${io.err()}`);
    return (JSON.parse(io.out()) as { value: Record<string, unknown> }).value;
  };

  await run(['init', '--point', 'DT0001', '--unit', 'PC12AA', '--name', 'Điểm thu số 1']);
  const day1 = await run(['import', join(root, 'day1.csv')]);
  assert.equal(day1.billCount, 7);
  await run(['user', 'add', 'GS01', '--name', 'Trần Văn Giám', '--role', 'supervisor'], '987654');
  await run(['user', 'add', 'TN01', '--name', 'Nguyễn Thị Thu', '--role', 'cashier', '--supervisor', 'GS01'], '123456', '987654');
  await run(['user', 'add', 'GS02', '--name', 'Phan Thị Phó', '--role', 'supervisor', '--supervisor', 'GS01'], '555555', '987654');
  await run(['shift', 'open', '--cashier', 'TN01', '--float', '500000'], '123456');

  const a = await run(['collect', 'PC12AA0000001', '--cashier', 'TN01', '--key', 'day1-a']);
  const b = await run(['collect', 'PC12AA0000002', '--cashier', 'TN01', '--key', 'day1-b']);
  const again = await run(['collect', 'PC12AA0000001', '--cashier', 'TN01', '--key', 'day1-a']);
  assert.equal(again.replayed, true, 'the same key returns the first result');
  assert.equal(again.receiptNo, a.receiptNo);
  assert.equal(a.total, 110000 + 132000);
  await run(['void', String(b.receiptNo), '--reason', 'Thu nhầm khách', '--supervisor', 'GS02'], '555555');
  await run(['reprint', String(a.receiptNo)]);

  const z = (await run(['report', '--shift', '1'])).report as Record<string, unknown>;
  assert.equal(z.receiptCount, 1);
  assert.equal(z.grandTotal, a.total);
  assert.deepEqual(z.voids, { count: 1, total: b.total, receipts: [b.receiptNo] });
  assert.equal(z.reprints, 1);

  const closed = await run(['shift', 'close', '--cashier', 'TN01', '--counted', String(500000 + Number(a.total))], '123456');
  assert.equal(closed.variance, 0);
  const exported = await run(['export', '--out', outDir]);
  assert.equal(exported.code, 'EXPORTED');
  assert.equal((exported.backup as { ok: boolean }).ok, true, 'the export made a backup');
  const manifest = exported.manifest as { csvFile: string; rowCount: number; voidedReceipts: string[] };
  assert.equal(manifest.rowCount, 2);
  assert.deepEqual(manifest.voidedReceipts, [b.receiptNo]);
  const rows = parse(fs.readFileSync(join(outDir, manifest.csvFile), 'utf8').slice(1), { columns: true }) as Record<string, string>[];
  assert.deepEqual(rows.map((r) => [r.SO_BIENNHAN, r.ID_HDON, r.MA_TNGAN]), [[a.receiptNo, 'A1', 'TN01'], [a.receiptNo, 'A2', 'TN01']]);
  // The payment confirmations of the batch: the voided payment has none.
  const smsFile = manifest.csvFile.replace('GACHNO_', 'TINNHAN_');
  assert.equal((exported.manifest as { smsFile: string }).smsFile, smsFile);
  const messages = parse(fs.readFileSync(join(outDir, smsFile), 'utf8').slice(1), { columns: true }) as Record<string, string>[];
  assert.deepEqual(messages.map((m) => [m.MA_TIN, m.LOAI_TIN, m.MA_KHANG, m.SO_DTHOAI]), [[`${String(a.receiptNo)}-XNTT`, 'XNTT', 'PC12AA0000001', '84905123456']]);
  assert.match(messages[0]!.NOI_DUNG!, new RegExp(`^EVN da nhan 242\\.000 dong tien dien thang 9-10/2026 cua ma KH PC12AA0000001 tai diem thu DT0001 .*So bien nhan ${String(a.receiptNo)}`));
  assert.equal((await run(['export', '--out', outDir])).code, 'EXPORT_NOTHING_NEW');

  // Evening: two more payments after the export (one with the reconnection fee).
  await run(['shift', 'open', '--cashier', 'TN01', '--float', '0'], '123456');
  await run(['collect', 'PC12AA0000005', '--cashier', 'TN01', '--key', 'day1-e']);
  const f = await run(['collect', 'PC12AA0000006', '--cashier', 'TN01', '--key', 'day1-f']);
  assert.ok(f.reconnectionOrderId !== null, 'a cut-off customer who paid everything gets a reconnection order');
  await run(['shift', 'close', '--cashier', 'TN01', '--counted', String(99000 + Number(f.total))], '123456');

  // Next morning: the re-import table shows each case of the contract.
  // It clears half of yesterday's outstanding bills: a supervisor confirms (contract section 4).
  const day2 = await run(['import', join(root, 'day2.csv'), '--supervisor', 'GS01'], undefined, '987654');
  assert.deepEqual(day2.reimport, { outstanding: 2, paid_waiting_export: 1, exported_still_open: 1, cleared_elsewhere: 1, cleared: 1, conflict: 1 });

  const verify = await run(['verify']);
  assert.equal(verify.ok, true);
  const rewritten = join(root, 'again');
  await run(['export', '--again', '1', '--out', rewritten]);
  const batchFiles = fs.readdirSync(rewritten).sort();
  assert.deepEqual(batchFiles, [manifest.csvFile, manifest.csvFile.replace('.csv', '.json'), manifest.csvFile.replace('GACHNO_', 'LENHDONGDIEN_'), smsFile]);
  for (const name of batchFiles) assert.ok(fs.readFileSync(join(rewritten, name)).equals(fs.readFileSync(join(outDir, name))), `export --again writes ${name} byte for byte`);
});
