import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { openContext } from '../../electron/store/context.ts';
import { steppingClock } from '../../electron/core/clock.ts';
import { collectPayment } from '../../electron/payments/collect.ts';
import { reprintReceipt, voidPayment } from '../../electron/payments/voids.ts';
import { closeShift } from '../../electron/shifts/shifts.ts';
import { backupNow } from '../../electron/backups/backups.ts';
import { restore } from '../../electron/backups/restore.ts';
import { exportAgain, exportClearing } from '../../electron/cmis/write-clearing.ts';
import { drainOutbox } from '../../electron/printing/outbox.ts';
import { FileTransport, receiptsDir } from '../../electron/devices/printer/transports/file.ts';
import { printZReport } from '../../electron/shifts/z-report.ts';
import { verifyStore } from '../../electron/verify/verify.ts';
import { main } from '../../electron/cli/diemthu.ts';
import { seedSnapshot } from '../helpers/seed.ts';
import { collectWorld, count, refusedWith } from '../helpers/collect-fixture.ts';
import { captureIo } from '../helpers/capture-io.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { verifyCodes as codes, withoutTriggers } from '../helpers/tamper.ts';

/** A point with three payments of the day (108.000 + 97.200, 54.000, 75.600 ₫), nothing exported yet. */
function day() {
  const w = collectWorld();
  seedSnapshot(w.ctx, [
    {
      maKhang: 'PC12AA0000001',
      tenKhang: 'Lê Văn An',
      dchiKhang: '12 Lý Thường Kiệt',
      bills: [
        { idHdon: 'HD-A10', thang: 10, nam: 2026, soTien: 100_000, tienGtgt: 8_000 },
        { idHdon: 'HD-A11', thang: 11, nam: 2026, soTien: 90_000, tienGtgt: 7_200 },
      ],
    },
    { maKhang: 'PC12AA0000002', tenKhang: 'Trần Thị Bình', dchiKhang: '3 Hùng Vương', bills: [{ idHdon: 'HD-B11', thang: 11, nam: 2026, soTien: 50_000, tienGtgt: 4_000 }] },
    { maKhang: 'PC12AA0000003', tenKhang: 'Lê Văn Cường', dchiKhang: '9 Trần Phú', bills: [{ idHdon: 'HD-C11', thang: 11, nam: 2026, soTien: 70_000, tienGtgt: 5_600 }] },
  ]);
  const pay = (maKhang: string, key: string) => collectPayment(w.ctx, { customer: maKhang, cashierId: w.cashier.id, idempotencyKey: key });
  const payments = [pay('PC12AA0000001', 'k-1'), pay('PC12AA0000002', 'k-2'), pay('PC12AA0000003', 'k-3')];
  return { ...w, payments, usb: join(tempDir(), 'usb') };
}

/** The export refuses: no batch recorded, no file on the stick, nothing marked exported. */
function assertExportRefused(w: ReturnType<typeof day>): void {
  assert.throws(() => exportClearing(w.ctx, { outDir: w.usb }), refusedWith('EXPORT_VERIFY_FAILED'));
  assert.equal(count(w.ctx, 'clearing_batches'), 0);
  assert.equal(count(w.ctx, 'payments', 'batch_id IS NOT NULL OR void_batch_id IS NOT NULL'), 0);
  assert.deepEqual(existsSync(w.usb) ? readdirSync(w.usb) : [], []);
}

async function cliVerify(dataDir: string, extra: string[] = []): Promise<{ code: number; out: string; err: string }> {
  const io = captureIo();
  const code = await main(['verify', '--data-dir', dataDir, ...extra], io);
  return { code, out: io.out(), err: io.err() };
}

test('[#2] verify sees a payment voided by SQL, and the export refuses to write it', async () => {
  const w = day();
  const victim = w.payments[1]!;
  w.ctx.sqlite
    .prepare("UPDATE payments SET voided_at = '2026-11-27T02:30:00.000Z', voided_by = ?, void_reason = 'nhầm' WHERE id = ?")
    .run(w.supervisor.id, victim.paymentId);
  assert.deepEqual(codes(w.ctx), ['VOID_NOT_JOURNALED']);
  assertExportRefused(w);
  w.ctx.close();
  const cli = await cliVerify(w.ctx.dataDir);
  assert.equal(cli.code, 2);
  assert.match(cli.err, /\[VERIFY_FAILED\]/);
  assert.match(cli.err, new RegExp(`VOID_NOT_JOURNALED.*${victim.receiptNo}`));
  const io = captureIo();
  assert.equal(await main(['export', '--out', w.usb, '--data-dir', w.ctx.dataDir], io), 2);
  assert.match(io.err(), new RegExp(`^\\[EXPORT_VERIFY_FAILED\\] .*${victim.receiptNo}.*không ghi tệp gạch nợ nào`));
});

test('[#2] verify sees a line and a payment total lowered behind dropped triggers, put back or not', () => {
  const w = day();
  const victim = w.payments[0]!;
  const lower = () => {
    w.ctx.sqlite.exec(`UPDATE payment_lines SET so_tien = so_tien - 100000, tong_tien = tong_tien - 100000
                        WHERE id = (SELECT MIN(id) FROM payment_lines WHERE payment_id = ${victim.paymentId})`);
    w.ctx.sqlite.exec(`UPDATE payments SET total = total - 100000 WHERE id = ${victim.paymentId}`);
  };
  w.ctx.sqlite.exec('DROP TRIGGER payments_amounts_fixed; DROP TRIGGER payment_lines_amounts_fixed');
  lower();
  // The receipt printed for it says the old amount: the document no longer matches the payment either.
  assert.deepEqual(codes(w.ctx), ['DOCUMENT_MISMATCH', 'PAYMENT_CHANGED', 'SCHEMA_MISSING']);
  const missing = verifyStore(w.ctx).problems.filter((p) => p.code === 'SCHEMA_MISSING').map((p) => p.message);
  assert.equal(missing.length, 2);
  assert.ok(missing.some((m) => m.includes('payments_amounts_fixed')) && missing.some((m) => m.includes('payment_lines_amounts_fixed')));
  assertExportRefused(w);

  // The same deed with the triggers put back exactly: the schema is whole, the money still disagrees.
  const w2 = day();
  withoutTriggers(w2.ctx, ['payments_amounts_fixed', 'payment_lines_amounts_fixed'], () => {
    w2.ctx.sqlite.exec(`UPDATE payment_lines SET so_tien = so_tien - 100000, tong_tien = tong_tien - 100000
                         WHERE id = (SELECT MIN(id) FROM payment_lines WHERE payment_id = ${w2.payments[0]!.paymentId})`);
    w2.ctx.sqlite.exec(`UPDATE payments SET total = total - 100000 WHERE id = ${w2.payments[0]!.paymentId}`);
  });
  assert.deepEqual(codes(w2.ctx), ['DOCUMENT_MISMATCH', 'PAYMENT_CHANGED']);
  const changed = verifyStore(w2.ctx).problems.find((p) => p.code === 'PAYMENT_CHANGED')!;
  assert.match(changed.message, new RegExp(`${w2.payments[0]!.receiptNo}.*: lines\\[0\\]\\.soTien, lines\\[0\\]\\.tongTien, total\\.$`));
  assertExportRefused(w2);
  w.ctx.close();
  w2.ctx.close();
});

test('[#2] verify sees a deleted payment and a receipt counter set back', () => {
  const w = day();
  const victim = w.payments[2]!;
  withoutTriggers(w.ctx, ['payments_no_delete', 'payment_lines_no_delete', 'sync_outbox_no_delete'], () => {
    w.ctx.sqlite.exec(`DELETE FROM sync_outbox WHERE payment_id = ${victim.paymentId};
                       DELETE FROM print_jobs WHERE payment_id = ${victim.paymentId};
                       DELETE FROM payment_lines WHERE payment_id = ${victim.paymentId};
                       DELETE FROM payments WHERE id = ${victim.paymentId};
                       UPDATE receipt_counters SET last_seq = last_seq - 1;`);
  });
  assert.deepEqual(codes(w.ctx), ['PAYMENT_MISSING', 'RECEIPT_COUNTER_MISMATCH']);
  assert.ok(verifyStore(w.ctx).problems.some((p) => p.code === 'PAYMENT_MISSING' && p.message.includes(victim.receiptNo)));
  assertExportRefused(w);
  w.ctx.close();
});

test('[#2] verify sees the last journal rows deleted: the payment they recorded is left without its row', () => {
  const w = day();
  const last = w.payments[2]!;
  const { id } = w.ctx.sqlite.prepare("SELECT MIN(id) AS id FROM journal WHERE kind = 'payment' AND json_extract(payload, '$.paymentId') = ?").get(last.paymentId) as {
    id: number;
  };
  withoutTriggers(w.ctx, ['journal_no_delete'], () => w.ctx.sqlite.prepare('DELETE FROM journal WHERE id >= ?').run(id));
  assert.deepEqual(codes(w.ctx), ['PAYMENT_NOT_JOURNALED', 'RECEIPT_COUNTER_MISMATCH']);
  assertExportRefused(w);
  w.ctx.close();
});

test('[#2] verify sees a journal cut back behind a Z report: the stored report and the paper both name the head', async () => {
  const w = day();
  const { report, printJobId } = printZReport(w.ctx, { day: '2026-11-27' });
  // The attacker takes the last payment out with every row it left, the journal back to before it,
  // and the counter back: the tables and the journal agree again.
  const victim = w.payments[2]!;
  const { id } = w.ctx.sqlite.prepare("SELECT MIN(id) AS id FROM journal WHERE kind = 'payment' AND json_extract(payload, '$.paymentId') = ?").get(victim.paymentId) as {
    id: number;
  };
  withoutTriggers(w.ctx, ['journal_no_delete', 'payments_no_delete', 'payment_lines_no_delete', 'sync_outbox_no_delete'], () => {
    w.ctx.sqlite.exec(`DELETE FROM journal WHERE id >= ${id};
                       DELETE FROM sync_outbox WHERE payment_id = ${victim.paymentId};
                       DELETE FROM print_jobs WHERE payment_id = ${victim.paymentId};
                       DELETE FROM payment_lines WHERE payment_id = ${victim.paymentId};
                       DELETE FROM payments WHERE id = ${victim.paymentId};
                       UPDATE receipt_counters SET last_seq = last_seq - 1;`);
  });
  // The stored report names a head the journal no longer has, and its own journal row is gone.
  assert.deepEqual(codes(w.ctx), ['ANCHOR_MISSING', 'DOCUMENT_MISMATCH']);
  w.ctx.sqlite.prepare('DELETE FROM print_jobs WHERE id = ?').run(printJobId);
  assert.equal(verifyStore(w.ctx).ok, true, 'with the report gone too, only the paper remembers');
  assert.deepEqual(codes(w.ctx, { anchors: [report.chainHead] }), ['ANCHOR_MISSING']);
  w.ctx.close();
  // Typed from the paper as printed: four groups of 16 hex digits.
  const cli = await cliVerify(w.ctx.dataDir, ['--anchor', report.chainHead.match(/.{16}/g)!.join(' ')]);
  assert.equal(cli.code, 2);
  assert.match(cli.err, /ANCHOR_MISSING/);
});

test('[#2] verify --manifests sees a journal cut back past an export: the manifest on the stick keeps the head', async () => {
  const w = day();
  const exported = exportClearing(w.ctx, { outDir: w.usb });
  assert.equal(exported.code, 'EXPORTED');
  assert.equal(verifyStore(w.ctx, { manifestsDir: w.usb }).ok, true);
  // Undo the export in the database: its journal rows, the batch and the marks.
  const { id } = w.ctx.sqlite.prepare("SELECT id FROM journal WHERE kind = 'export'").get() as { id: number };
  withoutTriggers(w.ctx, ['journal_no_delete', 'payments_export_once', 'sync_outbox_no_delete'], () => {
    w.ctx.sqlite.exec(`DELETE FROM journal WHERE id >= ${id};
                       DELETE FROM sync_outbox WHERE kind = 'export';
                       UPDATE payments SET batch_id = NULL, void_batch_id = NULL;
                       DELETE FROM clearing_batches;`);
  });
  assert.equal(verifyStore(w.ctx).ok, true, 'the database alone looks like a day not yet exported');
  assert.deepEqual(codes(w.ctx, { manifestsDir: w.usb }), ['ANCHOR_MISSING', 'MANIFEST_UNKNOWN_BATCH']);
  w.ctx.close();
  const cli = await cliVerify(w.ctx.dataDir, ['--manifests', w.usb]);
  assert.equal(cli.code, 2);
  assert.match(cli.err, /GACHNO_DT0001_20261127_01\.json/);
});

test('[#2] verify compares the schema with the migrations: a dropped index, an added trigger, a loosened CHECK', () => {
  const w = day();
  w.ctx.sqlite.exec('DROP INDEX payment_lines_one_valid');
  w.ctx.sqlite.exec(`CREATE TRIGGER payments_quiet AFTER INSERT ON payments BEGIN UPDATE receipt_counters SET last_seq = last_seq; END`);
  w.ctx.sqlite.unsafeMode(true);
  w.ctx.sqlite.pragma('writable_schema = ON');
  w.ctx.sqlite.exec("UPDATE sqlite_master SET sql = replace(sql, 'CHECK (total > 0)', 'CHECK (total >= 0)') WHERE name = 'payments'");
  w.ctx.sqlite.pragma('writable_schema = OFF');
  w.ctx.sqlite.unsafeMode(false);
  const problems = verifyStore(w.ctx).problems.map((p) => `${p.code} ${p.message}`);
  assert.equal(problems.length, 3, problems.join('\n'));
  assert.ok(problems.some((p) => p.startsWith('SCHEMA_MISSING') && p.includes('payment_lines_one_valid')));
  assert.ok(problems.some((p) => p.startsWith('SCHEMA_EXTRA') && p.includes('payments_quiet')));
  assert.ok(problems.some((p) => p.startsWith('SCHEMA_CHANGED') && p.includes('payments')));
  assertExportRefused(w);
  w.ctx.close();
});

test('verify passes a whole day of the program’s own work: fee and order, void, reprint, prints, exports, Z reports, close, backup', async () => {
  const w = collectWorld();
  w.ctx.sqlite.prepare("INSERT INTO settings (key, value) VALUES ('reconnection_fee', '50000')").run();
  seedSnapshot(w.ctx, [
    { maKhang: 'PC12AA0000001', tenKhang: 'Lê Văn An', dchiKhang: '12 Lý Thường Kiệt', tthaiCat: true, bills: [{ idHdon: 'HD-A11', thang: 11, nam: 2026, soTien: 190_000, tienGtgt: 15_200 }] },
    { maKhang: 'PC12AA0000002', tenKhang: 'Trần Thị Bình', dchiKhang: '3 Hùng Vương', bills: [{ idHdon: 'HD-B11', thang: 11, nam: 2026, soTien: 50_000, tienGtgt: 4_000 }] },
    { maKhang: 'PC12AA0000003', tenKhang: 'Lê Văn Cường', dchiKhang: '9 Trần Phú', bills: [{ idHdon: 'HD-C11', thang: 11, nam: 2026, soTien: 70_000, tienGtgt: 5_600 }] },
    { maKhang: 'PC12AA0000004', tenKhang: 'Phạm Thị Dung', dchiKhang: '1 Ngô Quyền', bills: [{ idHdon: 'HD-D11', thang: 11, nam: 2026, soTien: 30_000, tienGtgt: 2_400 }] },
  ]);
  const pay = (maKhang: string, key: string, tendered?: number) =>
    collectPayment(w.ctx, { customer: maKhang, cashierId: w.cashier.id, idempotencyKey: key, ...(tendered === undefined ? {} : { tendered }) });
  const cut = pay('PC12AA0000001', 'k-1');
  assert.ok(cut.reconnectionOrderId !== null && cut.lines.some((l) => l.idHdon === null));
  const b = pay('PC12AA0000002', 'k-2', 100_000);
  const c = pay('PC12AA0000003', 'k-3');
  reprintReceipt(w.ctx, { receiptNo: b.receiptNo, actorId: w.cashier.id });
  voidPayment(w.ctx, { receiptNo: c.receiptNo, reason: 'Thu nhầm khách', supervisorId: w.supervisor.id });
  const morning = printZReport(w.ctx, { day: '2026-11-27' }).report;
  const printed = await drainOutbox(w.ctx, { transport: new FileTransport(receiptsDir(w.ctx.dataDir)), config: { width: 384, mode: 'raster' } });
  assert.deepEqual(printed.setAside, []);
  const usb = join(tempDir(), 'usb');
  assert.equal(exportClearing(w.ctx, { outDir: usb }).code, 'EXPORTED');
  exportAgain(w.ctx, { batch: '1', outDir: join(tempDir(), 'again') });
  pay('PC12AA0000004', 'k-4');
  assert.equal(exportClearing(w.ctx, { outDir: usb }).code, 'EXPORTED');
  const closed = closeShift(w.ctx, { cashierId: w.cashier.id, countedCash: 700_000 });
  const evening = printZReport(w.ctx, { shiftId: closed.shiftId }).report;
  await backupNow(w.ctx, { outDir: join(tempDir(), 'backups') });

  const result = verifyStore(w.ctx, { manifestsDir: usb, anchors: [morning.chainHead, evening.chainHead] });
  assert.deepEqual(result.problems, []);
  assert.equal(result.ok, true);
  assert.deepEqual(result.checked, { payments: 4, printJobs: count(w.ctx, 'print_jobs'), anchors: 2 + 2 + 2 + 2 });
  w.ctx.close();
  const cli = await cliVerify(w.ctx.dataDir, ['--manifests', usb, '--anchor', evening.chainHead]);
  assert.equal(cli.code, 0, cli.err);
  assert.match(cli.out, /Đã đối chiếu 4 khoản thu, \d+ bản in và 7 mốc đầu chuỗi/);
});

test('verify passes after a forced restore of an older backup: carried receipt numbers, batches and export marks are the journal’s restore row', async () => {
  const w = day();
  const root = tempDir();
  const { file } = await backupNow(w.ctx, { outDir: join(root, 'b') }); // the three payments, not exported
  voidPayment(w.ctx, { receiptNo: w.payments[2]!.receiptNo, reason: 'Thu nhầm khách', supervisorId: w.supervisor.id });
  assert.equal(exportClearing(w.ctx, { outDir: w.usb }).code, 'EXPORTED'); // receipts 1 and 2, the void of 3
  w.ctx.close();
  await restore(w.ctx.dataDir, file, { clock: steppingClock(new Date('2026-11-27T05:00:00.000Z')), force: { supervisorCode: 'GS01', pin: '987654' } });
  const ctx = openContext(w.ctx.dataDir, { clock: steppingClock(new Date('2026-11-27T05:01:00.000Z')) });
  assert.equal(verifyStore(ctx, { manifestsDir: w.usb }).ok, true);
  const next = exportClearing(ctx, { outDir: w.usb });
  assert.equal(next.code === 'EXPORTED' && next.manifest.firstReceipt, w.payments[2]!.receiptNo, 'the restored database exports what it still holds');
  const result = verifyStore(ctx, { manifestsDir: w.usb });
  assert.deepEqual(result.problems, []);
  assert.equal(result.ok, true);
  ctx.close();
});

test('[#2] verify sees a reconnection order moved in time or cancelled by SQL, and the export refuses it', () => {
  const deeds: [string, string[]][] = [
    // the printed order names the time too
    ["requested_at = '2026-11-26T01:00:00.000Z'", ['DOCUMENT_MISMATCH', 'RECONNECTION_ORDER_CHANGED']],
    ["cancelled_at = '2026-11-27T03:00:00.000Z'", ['RECONNECTION_ORDER_CHANGED']],
  ];
  for (const [deed, expected] of deeds) {
    const w = day();
    w.ctx.sqlite.prepare("INSERT INTO settings (key, value) VALUES ('reconnection_fee', '50000')").run();
    seedSnapshot(w.ctx, [{ maKhang: 'PC12AA0000009', tenKhang: 'Võ Văn Cắt', dchiKhang: '5 Lê Lợi', tthaiCat: true, bills: [{ idHdon: 'HD-X11', thang: 11, nam: 2026, soTien: 80_000 }] }]);
    const cut = collectPayment(w.ctx, { customer: 'PC12AA0000009', cashierId: w.cashier.id, idempotencyKey: 'k-cut' });
    w.ctx.sqlite.exec(`UPDATE reconnection_orders SET ${deed} WHERE id = ${cut.reconnectionOrderId}`);
    assert.deepEqual(codes(w.ctx), expected, deed);
    assertExportRefused(w);
    w.ctx.close();
  }
});
