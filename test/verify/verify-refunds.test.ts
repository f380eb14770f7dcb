import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { collectPayment } from '../../electron/payments/collect.ts';
import { refundLines } from '../../electron/payments/refunds.ts';
import { resendLines } from '../../electron/cmis/resends.ts';
import { exportClearing } from '../../electron/cmis/write-clearing.ts';
import { importResult } from '../../electron/cmis/import-result.ts';
import { verifyStore } from '../../electron/verify/verify.ts';
import { collectWorld } from '../helpers/collect-fixture.ts';
import { seedSnapshot } from '../helpers/seed.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { verifyCodes as codes, withoutTriggers } from '../helpers/tamper.ts';

/**
 * A point whose first batch CMIS answered with two rejections: HD-A11 refunded (97.200 ₫ out of
 * TN01's drawer), HD-B11 resent and carried by the second batch.
 */
function decided() {
  const w = collectWorld();
  seedSnapshot(w.ctx, [
    { maKhang: 'PC12AA0000001', tenKhang: 'Lê Văn An', dchiKhang: 'x', bills: [{ idHdon: 'HD-A10', thang: 10, nam: 2026, soTien: 100_000, tienGtgt: 8_000 }, { idHdon: 'HD-A11', thang: 11, nam: 2026, soTien: 90_000, tienGtgt: 7_200 }] },
    { maKhang: 'PC12AA0000002', tenKhang: 'Trần Thị Bình', dchiKhang: 'y', bills: [{ idHdon: 'HD-B11', thang: 11, nam: 2026, soTien: 50_000, tienGtgt: 4_000 }] },
  ]);
  const a = collectPayment(w.ctx, { customer: 'PC12AA0000001', cashierId: w.cashier.id, idempotencyKey: 'k-1' });
  const b = collectPayment(w.ctx, { customer: 'PC12AA0000002', cashierId: w.cashier.id, idempotencyKey: 'k-2' });
  const dir = tempDir();
  exportClearing(w.ctx, { outDir: join(dir, 'usb1') });
  mkdirSync(join(dir, 'kq'));
  const file = join(dir, 'kq', 'KQGACHNO_DT0001_20261127_01.csv');
  writeFileSync(file, ['SO_BIENNHAN,ID_HDON,KET_QUA,GHI_CHU', `${a.receiptNo},HD-A10,OK,`, `${a.receiptNo},HD-A11,DA_GACH,`, `${b.receiptNo},HD-B11,LOI,mất kết nối`].join('\r\n'));
  importResult(w.ctx, file);
  refundLines(w.ctx, { receiptNo: a.receiptNo, bills: ['HD-A11'], reason: 'Khách đã trả ở ngân hàng', supervisorId: w.supervisor.id, cashierId: w.cashier.id });
  resendLines(w.ctx, { receiptNo: b.receiptNo, bills: ['HD-B11'], supervisorId: w.supervisor.id });
  exportClearing(w.ctx, { outDir: join(dir, 'usb2') });
  assert.deepEqual(verifyStore(w.ctx).problems, [], 'the honest day verifies');
  return w;
}

test('verify sees a refund deleted behind dropped triggers (its slip then prints for nothing)', (t) => {
  const w = decided();
  t.after(() => w.ctx.close());
  // As the sqlite3 shell does by default: foreign keys off (the sync outbox item still names the refund).
  withoutTriggers(w.ctx, ['refunds_no_delete', 'refund_lines_no_delete'], () => {
    w.ctx.sqlite.exec('PRAGMA foreign_keys = OFF; DELETE FROM refund_lines; DELETE FROM refunds; PRAGMA foreign_keys = ON;');
  });
  assert.deepEqual(codes(w.ctx), ['DOCUMENT_MISMATCH', 'REFUND_MISSING']);
});

test('verify sees a refund\'s amount raised behind a dropped trigger', (t) => {
  const w = decided();
  t.after(() => w.ctx.close());
  withoutTriggers(w.ctx, ['refund_lines_no_update'], () => w.ctx.sqlite.exec('UPDATE refund_lines SET amount = 197200'));
  assert.deepEqual(codes(w.ctx), ['DOCUMENT_MISMATCH', 'REFUND_CHANGED']);
});

test('verify sees a refund written straight into the tables, the rules of the database obeyed', (t) => {
  const w = decided();
  t.after(() => w.ctx.close());
  // The resent line rejected again (as CMIS would answer), then refunded by SQL alone.
  const s = w.ctx.sqlite;
  const line = s.prepare("SELECT id FROM payment_lines WHERE id_hdon = 'HD-B11'").pluck().get() as number;
  const { id: resultId } = s.prepare("INSERT INTO clearing_results (batch_id, file_name, sha256, imported_at, line_count, new_count) VALUES (2, 'KQ', 'z', 'x', 1, 1) RETURNING id").get() as { id: number };
  s.prepare("INSERT INTO clearing_result_lines (batch_id, payment_line_id, result_id, ket_qua, ghi_chu) VALUES (2, ?, ?, 'LOI', '')").run(line, resultId);
  const refund = Number(s.prepare("INSERT INTO refunds (payment_id, shift_id, cashier_id, supervisor_id, reason, refunded_at) VALUES (2, 1, ?, ?, 'x', '2026-11-27T09:00:00.000Z')").run(w.cashier.id, w.supervisor.id).lastInsertRowid);
  s.prepare('INSERT INTO refund_lines (refund_id, payment_line_id, amount) VALUES (?, ?, 54000)').run(refund, line);
  assert.deepEqual(codes(w.ctx), ['REFUND_NOT_JOURNALED']);
});

test('verify sees a resend deleted, and a resend moved to another batch', (t) => {
  const w = decided();
  t.after(() => w.ctx.close());
  withoutTriggers(w.ctx, ['resends_fixed'], () => w.ctx.sqlite.exec('UPDATE resends SET batch_id = 1'));
  assert.deepEqual(codes(w.ctx), ['BATCH_CONTENT_MISMATCH', 'EXPORT_MARK_MISMATCH']);
  withoutTriggers(w.ctx, ['resends_no_delete', 'resend_lines_no_delete'], () => w.ctx.sqlite.exec('DELETE FROM resend_lines; DELETE FROM resends;'));
  assert.deepEqual(codes(w.ctx), ['BATCH_CONTENT_MISMATCH', 'RESEND_MISSING']);
});
