import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { collectPayment } from '../../electron/payments/collect.ts';
import { backupNow } from '../../electron/backups/backups.ts';
import { restore } from '../../electron/backups/restore.ts';
import { openContext } from '../../electron/store/context.ts';
import { steppingClock } from '../../electron/core/clock.ts';
import { setSettings } from '../../electron/store/settings.ts';
import { checkedDocument } from '../../electron/printing/document-check.ts';
import { encodeDocument } from '../../electron/devices/printer/encode-escpos.ts';
import type { PrintDocument } from '../../electron/core/documents.ts';
import { migrations } from '../../electron/store/migrations.ts';
import { openStore } from '../../electron/store/open.ts';
import { checkSchema } from '../../electron/verify/schema.ts';
import { Problems } from '../../electron/verify/problems.ts';
import { collectWorld } from '../helpers/collect-fixture.ts';
import { seedSnapshot } from '../helpers/seed.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { oldDatabase } from '../helpers/old-database.ts';
import { decode } from '../escpos/decoder.ts';

const cutCustomers = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    maKhang: `PC12AA000000${i + 1}`, tenKhang: `Khách ${i + 1}`, dchiKhang: 'Số 1', tthaiCat: true,
    bills: [{ idHdon: `HD${i}`, thang: 10, nam: 2026, soTien: 10_000, tienGtgt: 800 }],
  }));

test('reconnection orders are numbered <point>-<yy>-<seq> from their own counter, printed with the cashier, the time and signature lines; the number is written once', (t) => {
  const w = collectWorld();
  t.after(() => w.ctx.close());
  setSettings(w.ctx.sqlite, { reconnection_fee: 330_000 }, null, w.ctx.clock());
  seedSnapshot(w.ctx, [...cutCustomers(2), { maKhang: 'PC12AA0000009', tenKhang: 'Không cắt', dchiKhang: 'x', bills: [{ idHdon: 'N1', thang: 10, nam: 2026, soTien: 1000, tienGtgt: 80 }] }]);
  const numbers = ['PC12AA0000001', 'PC12AA0000009', 'PC12AA0000002'].map((customer, i) => {
    const paid = collectPayment(w.ctx, { customer, cashierId: w.cashier.id, idempotencyKey: `k${i}` });
    return (w.ctx.sqlite.prepare('SELECT order_no FROM reconnection_orders WHERE payment_id = ?').get(paid.paymentId) as { order_no: string } | undefined)?.order_no ?? null;
  });
  assert.deepEqual(numbers, ['DT0001-26-000001', null, 'DT0001-26-000002'], 'a gapless sequence of orders, apart from receipt numbers');

  const job = w.ctx.sqlite.prepare("SELECT id, kind, payment_id, document FROM print_jobs WHERE kind = 'reconnection_order' ORDER BY id DESC LIMIT 1").get() as { id: number; kind: string; payment_id: number; document: string };
  const doc = checkedDocument(w.ctx.sqlite, job);
  for (const width of [576, 384] as const) {
    const lines = decode(encodeDocument(doc, 0, { width, mode: 'ascii' })).lines.map((l) => l.trim());
    const all = lines.join('\n');
    assert.ok(lines.some((l) => /^So lenh:\s+DT0001-26-000002$/.test(l)), all);
    assert.ok(lines.some((l) => /^Lap luc:\s+27\/11\/2026/.test(l)), all);
    assert.match(all.replace(/\s+/g, ' '), /Thu ngan lap: TN01 - Nguyen Thi Thu/);
    assert.ok(all.includes('Thu ngan ky') && all.includes('Khach hang ky'), all);
    assert.ok(all.includes('Nguoi dong dien ky'), all);
  }
  // The number printed is the stored one: an order document with another number is refused.
  const forged = { ...job, document: JSON.stringify({ ...(JSON.parse(job.document) as PrintDocument), orderNo: 'DT0001-26-000009' }) };
  assert.throws(() => checkedDocument(w.ctx.sqlite, forged), { code: 'PRINT_DOCUMENT_MISMATCH' });
  assert.throws(() => w.ctx.sqlite.prepare("UPDATE reconnection_orders SET order_no = 'DT0001-26-000009' WHERE order_no = 'DT0001-26-000001'").run(), /written once/);
  assert.throws(
    () => w.ctx.sqlite.prepare("INSERT INTO reconnection_orders (payment_id, customer_id, requested_at, fee_source, order_no) VALUES (2, 1, 'x', 'settings', 'DT0001-26-000001')").run(),
    /UNIQUE/,
  );
});

test('a forced restore of an older backup never issues an order number twice', async () => {
  const w = collectWorld();
  const dataDir = w.ctx.dataDir;
  seedSnapshot(w.ctx, cutCustomers(3));
  const collect = (ctx: typeof w.ctx, customer: string, key: string) => {
    const paid = collectPayment(ctx, { customer, cashierId: w.cashier.id, idempotencyKey: key });
    return (ctx.sqlite.prepare('SELECT order_no FROM reconnection_orders WHERE payment_id = ?').get(paid.paymentId) as { order_no: string }).order_no;
  };
  assert.equal(collect(w.ctx, 'PC12AA0000001', 'k1'), 'DT0001-26-000001');
  const { file } = await backupNow(w.ctx, { outDir: join(dataDir, '..', 'b') });
  assert.equal(collect(w.ctx, 'PC12AA0000002', 'k2'), 'DT0001-26-000002');
  w.ctx.close();
  const clock = steppingClock(new Date('2026-11-27T05:00:00.000Z'));
  await restore(dataDir, file, { clock, force: { supervisorCode: 'GS01', pin: '987654' } });
  const ctx = openContext(dataDir, { clock });
  try {
    assert.equal(collect(ctx, 'PC12AA0000003', 'k3'), 'DT0001-26-000003', 'order 2 was issued before the restore');
  } finally {
    ctx.close();
  }
});

test('migration order-numbers: orders made before keep no number (printed by their id), the schema as a fresh database has it', (t) => {
  const at = migrations.findIndex((m) => m.name === 'order-numbers');
  assert.ok(at > 0);
  const path = join(tempDir(), 'before.sqlite');
  oldDatabase(
    path,
    at,
    `INSERT INTO payments (id, idempotency_key, request_hash, receipt_no, receipt_year, receipt_seq, customer_id, shift_id, cashier_id, paid_at, total)
      VALUES (1, 'k', 'h', 'DT0001-26-000001', 26, 1, 1, 1, 1, '2026-11-27T02:00:00.000Z', 1000);
    INSERT INTO reconnection_orders (id, payment_id, customer_id, requested_at, fee_source) VALUES (17, 1, 1, '2026-11-27T02:00:00.000Z', 'settings');`,
  );
  const store = openStore(path);
  t.after(() => store.close());
  assert.deepEqual(store.sqlite.prepare('SELECT id, order_no FROM reconnection_orders').all(), [{ id: 17, order_no: null }]);
  assert.deepEqual(store.sqlite.prepare('SELECT * FROM order_counters').all(), []);
  const problems = new Problems();
  checkSchema(store.sqlite, problems);
  assert.deepEqual(problems.list, []);
});
