import { test } from 'node:test';
import assert from 'node:assert/strict';
import { collectPayment } from '../../electron/payments/collect.ts';
import { reprintReceipt, voidPayment } from '../../electron/payments/voids.ts';
import { drainOutbox } from '../../electron/printing/outbox.ts';
import { seedSnapshot } from '../helpers/seed.ts';
import { collectWorld } from '../helpers/collect-fixture.ts';
import { decode } from '../escpos/decoder.ts';
import { FakePrinter, FakeTransport } from '../devices/printer/fake-printer.ts';

test('printer offline, the payment is voided, printer back: only the void slip prints, never the receipt', async () => {
  const { ctx, cashier, supervisor } = collectWorld();
  seedSnapshot(ctx, [
    {
      maKhang: 'PC12AA0000001',
      tenKhang: 'Lê Văn Ân',
      dchiKhang: '12 Lý Thường Kiệt',
      tthaiCat: true, // cut off: the payment also queues a reconnection order
      bills: [{ idHdon: 'HD-10', thang: 10, nam: 2026, soTien: 1_150_000, tienGtgt: 92_000 }],
    },
  ]);
  ctx.sqlite.prepare("INSERT INTO settings (key, value) VALUES ('reconnection_fee', '50000')").run();
  const paid = collectPayment(ctx, { customer: 'PC12AA0000001', cashierId: cashier.id, idempotencyKey: 'k1' });
  reprintReceipt(ctx, { receiptNo: paid.receiptNo, actorId: cashier.id });
  voidPayment(ctx, { receiptNo: paid.receiptNo, reason: 'Thu nhầm khách', supervisorId: supervisor.id });
  const queued = ctx.sqlite.prepare('SELECT kind FROM print_jobs ORDER BY id').all() as Array<{ kind: string }>;
  assert.deepEqual(queued.map((j) => j.kind).sort(), ['receipt', 'reconnection_order', 'reprint', 'void_slip'].sort());

  const device = new FakePrinter();
  const result = await drainOutbox(ctx, { transport: new FakeTransport(device), config: { width: 576, mode: 'tcvn3-epson' } });

  const rows = ctx.sqlite.prepare('SELECT id, kind, status, last_error FROM print_jobs ORDER BY id').all() as Array<{ id: number; kind: string; status: string; last_error: string | null }>;
  const slip = rows.find((r) => r.kind === 'void_slip')!;
  assert.deepEqual(result.printed, [slip.id]);
  assert.equal(device.jobs.length, 1);
  assert.ok(decode(device.jobs[0]!).lines.some((l) => l.includes(paid.receiptNo)));
  for (const row of rows.filter((r) => r.kind !== 'void_slip')) {
    assert.equal(row.status, 'failed', row.kind);
    assert.match(row.last_error ?? '', /^VOIDED: /, row.kind);
  }
  assert.equal(slip.status, 'done');
  const failures = (ctx.sqlite.prepare("SELECT payload FROM journal WHERE kind = 'print_failed'").all() as Array<{ payload: string }>).map(
    (r) => JSON.parse(r.payload) as { error: string },
  );
  assert.equal(failures.length, 3);
  assert.ok(failures.every((f) => f.error.startsWith('VOIDED: ')));
  // a later pass has nothing left: the voided jobs are never tried again
  assert.deepEqual(await drainOutbox(ctx, { transport: new FakeTransport(device), config: { width: 576, mode: 'tcvn3-epson' } }), { printed: [], replaced: [], setAside: [] });
  assert.equal(device.jobs.length, 1);
  ctx.close();
});
