import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { migration0001 } from '../../migrations/0001-initial.ts';
import { migration0002 } from '../../migrations/0002-devices.ts';
import { migration0003 } from '../../migrations/0003-users.ts';
import { openStore } from '../../electron/store/open.ts';
import { latestVersion } from '../../electron/store/migrations.ts';
import { collectPayment } from '../../electron/payments/collect.ts';
import { voidPayment } from '../../electron/payments/voids.ts';
import { exportClearing } from '../../electron/cmis/write-clearing.ts';
import { refundLines } from '../../electron/payments/refunds.ts';
import { buildEvents } from '../../electron/sync/events.ts';
import { waitingItems } from '../../electron/sync/outbox.ts';
import { syncEvent } from '../../protocol/sync.ts';
import { collectWorld, refusedWith } from '../helpers/collect-fixture.ts';
import { seedSnapshot } from '../helpers/seed.ts';
import { tempDir } from '../helpers/temp-dir.ts';

const items = (sqlite: Database.Database) =>
  sqlite.prepare('SELECT seq, kind, payment_id AS paymentId, batch_id AS batchId, status FROM sync_outbox ORDER BY seq').all() as {
    seq: number;
    kind: string;
    paymentId: number | null;
    batchId: number | null;
    status: string;
  }[];

test('each payment, void and completed clearing batch writes its outbox item with it, in the order they happened', (t) => {
  const world = collectWorld();
  t.after(() => world.ctx.close());
  const { ctx, cashier, supervisor } = world;
  seedSnapshot(ctx, [
    { maKhang: 'PC12AA0000001', tenKhang: 'Nguyễn Văn An', dchiKhang: '1 Lê Lợi', bills: [{ idHdon: 'HD1', thang: 10, nam: 2026, soTien: 100_000 }] },
    { maKhang: 'PC12AA0000002', tenKhang: 'Trần Thị Bình', dchiKhang: '2 Lê Lợi', bills: [{ idHdon: 'HD2', thang: 10, nam: 2026, soTien: 50_000 }] },
  ]);
  const a = collectPayment(ctx, { customer: 'PC12AA0000001', cashierId: cashier.id, idempotencyKey: 'k1' });
  const b = collectPayment(ctx, { customer: 'PC12AA0000002', cashierId: cashier.id, idempotencyKey: 'k2' });
  // A replay and a refusal write nothing.
  collectPayment(ctx, { customer: 'PC12AA0000001', cashierId: cashier.id, idempotencyKey: 'k1' });
  assert.throws(() => collectPayment(ctx, { customer: 'PC12AA0000001', cashierId: cashier.id, idempotencyKey: 'k3' }), refusedWith('NOTHING_TO_COLLECT'));
  voidPayment(ctx, { receiptNo: b.receiptNo, reason: 'thu nhầm', supervisorId: supervisor.id });
  const exported = exportClearing(ctx, { outDir: join(tempDir(), 'out') });
  assert.equal(exported.code, 'EXPORTED');

  assert.deepEqual(items(ctx.sqlite), [
    { seq: 1, kind: 'payment', paymentId: a.paymentId, batchId: null, status: 'waiting' },
    { seq: 2, kind: 'payment', paymentId: b.paymentId, batchId: null, status: 'waiting' },
    { seq: 3, kind: 'void', paymentId: b.paymentId, batchId: null, status: 'waiting' },
    { seq: 4, kind: 'export', paymentId: null, batchId: 1, status: 'waiting' },
  ]);
});

test('an outbox item is never deleted nor pointed at another payment; a rolled-back payment leaves no item', (t) => {
  const world = collectWorld();
  t.after(() => world.ctx.close());
  const { ctx, cashier } = world;
  seedSnapshot(ctx, [{ maKhang: 'PC12AA0000001', tenKhang: 'An', dchiKhang: 'Huế', bills: [{ idHdon: 'HD1', thang: 10, nam: 2026, soTien: 100_000 }] }]);
  collectPayment(ctx, { customer: 'PC12AA0000001', cashierId: cashier.id, idempotencyKey: 'k1' });
  assert.throws(() => ctx.sqlite.prepare('DELETE FROM sync_outbox').run(), /never deleted/);
  assert.throws(() => ctx.sqlite.prepare('UPDATE sync_outbox SET payment_id = 2').run(), /names what happened once/);
  const before = items(ctx.sqlite);
  // A payment whose transaction fails after the row went in (here: a line breaking a CHECK) takes its item with it.
  assert.throws(() =>
    ctx.sqlite.transaction(() => {
      ctx.sqlite
        .prepare(
          `INSERT INTO payments (idempotency_key, request_hash, receipt_no, receipt_year, receipt_seq, customer_id, shift_id, cashier_id, paid_at, total)
           VALUES ('x', 'h', 'DT0001-26-000099', 2026, 99, 1, 1, ?, '2026-11-27T03:00:00.000Z', 5)`,
        )
        .run(cashier.id);
      ctx.sqlite.prepare("INSERT INTO payment_lines (payment_id, loai_hdon, so_tien, tien_gtgt, tong_tien) VALUES (last_insert_rowid(), 'DC', 5, 0, 6)").run();
    })(),
  );
  assert.deepEqual(items(ctx.sqlite), before);
});

/** A version-3 database (the release before sync) with two payments, one voided, and a completed batch. */
function versionThree(path: string): void {
  const db = new Database(path);
  for (const m of [migration0001, migration0002, migration0003]) db.exec(m.sql);
  db.pragma('user_version = 3');
  const user = db.prepare("INSERT INTO users (code, name, role, pin_hash, created_at, approved_by) VALUES (?, ?, ?, 'x', '2026-11-27T01:00:00.000Z', ?)");
  user.run('GS00', 'Trưởng', 'supervisor', null);
  user.run('TN01', 'Thu ngân', 'cashier', 1);
  user.run('GS01', 'Phó', 'supervisor', 1);
  db.prepare(
    `INSERT INTO snapshots (file_name, sha256, encoding, delimiter, imported_at, row_count, customer_count, bill_count, bill_total)
     VALUES ('a.csv', 'x', 'utf8', ',', '2026-11-27T00:30:00.000Z', 1, 1, 1, 1000)`,
  ).run();
  db.prepare(
    "INSERT INTO customers (ma_khang, ma_dviqly, ten_khang, dchi_khang, name_fold, addr_fold, last_snapshot_id) VALUES ('PC12AA0000001', 'PC12AA', 'An', 'Huế', 'an', 'hue', 1)",
  ).run();
  db.prepare("INSERT INTO shifts (cashier_id, opened_at, opening_float) VALUES (2, '2026-11-27T01:30:00.000Z', 0)").run();
  const pay = db.prepare(
    `INSERT INTO payments (idempotency_key, request_hash, receipt_no, receipt_year, receipt_seq, customer_id, shift_id, cashier_id, paid_at, total)
     VALUES (?, 'h', ?, 2026, ?, 1, 1, 2, ?, 1000)`,
  );
  pay.run('k1', 'DT0001-26-000001', 1, '2026-11-27T02:00:00.000Z');
  pay.run('k2', 'DT0001-26-000002', 2, '2026-11-27T02:05:00.000Z');
  db.prepare("UPDATE payments SET voided_at = '2026-11-27T02:10:00.000Z', voided_by = 3, void_reason = 'nhầm' WHERE id = 2").run();
  db.prepare(
    `INSERT INTO clearing_batches (batch_day, seq, created_at, csv_name, csv_sha256, row_count, total, first_receipt, last_receipt, manifest, out_dir,
                                   csv_bytes, reconnection_bytes, reconnection_sha256, manifest_sha256, status, completed_at)
     VALUES ('20261127', 1, '2026-11-27T09:00:00.000Z', 'GACHNO_DT0001_20261127_01.csv', 'x', 1, 1000, 'DT0001-26-000001', 'DT0001-26-000001', '{}', '/o',
             x'', x'', 'x', 'x', 'complete', '2026-11-27T09:00:01.000Z')`,
  ).run();
  db.prepare('UPDATE payments SET batch_id = 1 WHERE id = 1').run();
  db.close();
}

test('migration 6 on a version-3 database queues its whole history once: payments, then voids, then completed batches', (t) => {
  const path = join(tempDir(), 'v3.sqlite');
  versionThree(path);
  const store = openStore(path);
  t.after(() => store.close());
  assert.equal(store.sqlite.pragma('user_version', { simple: true }), latestVersion);
  assert.deepEqual(items(store.sqlite), [
    { seq: 1, kind: 'payment', paymentId: 1, batchId: null, status: 'waiting' },
    { seq: 2, kind: 'payment', paymentId: 2, batchId: null, status: 'waiting' },
    { seq: 3, kind: 'void', paymentId: 2, batchId: null, status: 'waiting' },
    { seq: 4, kind: 'export', paymentId: null, batchId: 1, status: 'waiting' },
  ]);
  assert.deepEqual(store.sqlite.prepare('SELECT max_sent_seq, pull_cursor FROM sync_state').all(), [{ max_sent_seq: 0, pull_cursor: null }]);
});

test('a refund writes its outbox item with it; its event carries what the slip says and passes the protocol; a refused refund leaves none', (t) => {
  const world = collectWorld();
  t.after(() => world.ctx.close());
  const { ctx, cashier, supervisor } = world;
  seedSnapshot(ctx, [{ maKhang: 'PC12AA0000001', tenKhang: 'An', dchiKhang: 'Huế', bills: [{ idHdon: 'HD1', thang: 10, nam: 2026, soTien: 100_000, tienGtgt: 8_000 }] }]);
  const a = collectPayment(ctx, { customer: 'PC12AA0000001', cashierId: cashier.id, idempotencyKey: 'k1' });
  const args = { receiptNo: a.receiptNo, bills: ['HD1'], reason: 'Khách đã trả ở ngân hàng', supervisorId: supervisor.id, cashierId: cashier.id };
  assert.throws(() => refundLines(ctx, args), refusedWith('LINE_NOT_REJECTED'));
  assert.equal(items(ctx.sqlite).length, 1, 'a refused refund writes no item');
  seedSnapshot(ctx, [{ maKhang: 'PC12AA0000001', tenKhang: 'An', dchiKhang: 'Huế', bills: [] }], '2026-11-28T00:30:00.000Z');
  const r = refundLines(ctx, args);
  assert.deepEqual(items(ctx.sqlite).map((i) => [i.seq, i.kind, i.paymentId]), [[1, 'payment', a.paymentId], [2, 'refund', a.paymentId]]);
  const events = buildEvents(ctx.sqlite, waitingItems(ctx.sqlite, 10));
  assert.deepEqual(events[1], {
    kind: 'refund', seq: 2,
    refund: { pointCode: 'DT0001', refundId: r.refundId, receiptNo: a.receiptNo, refundedAt: r.refundedAt.replace('.000Z', 'Z'), cashierCode: 'TN01', supervisorCode: 'GS01', reason: 'Khách đã trả ở ngân hàng', lines: [{ idHdon: 'HD1', amount: 108_000 }], total: 108_000 },
  });
  assert.equal(syncEvent.safeParse(events[1]).success, true);
  assert.throws(() => ctx.sqlite.prepare('UPDATE sync_outbox SET refund_id = NULL WHERE seq = 2').run(), /names what happened once/);
});
