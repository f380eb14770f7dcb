import { test } from 'node:test';
import assert from 'node:assert/strict';
import { collectPayment } from '../../electron/payments/collect.ts';
import { reprintReceipt } from '../../electron/payments/voids.ts';
import { drainOutbox } from '../../electron/printing/outbox.ts';
import { seedSnapshot } from '../helpers/seed.ts';
import { collectWorld } from '../helpers/collect-fixture.ts';
import { decode } from '../escpos/decoder.ts';
import { FakePrinter, FakeTransport } from '../devices/printer/fake-printer.ts';

test('a collected payment prints its receipt; an unplug mid-job ends in marked copies only', async () => {
  const { ctx, cashier } = collectWorld();
  seedSnapshot(ctx, [
    {
      maKhang: 'PC12AA0000001',
      tenKhang: 'Lê Văn Ân',
      dchiKhang: '12 Lý Thường Kiệt',
      bills: [{ idHdon: 'HD-10', thang: 10, nam: 2026, soTien: 1_150_000, tienGtgt: 92_000 }],
    },
  ]);
  const paid = collectPayment(ctx, { customer: 'PC12AA0000001', cashierId: cashier.id, idempotencyKey: 'k1' });
  reprintReceipt(ctx, { receiptNo: paid.receiptNo, actorId: cashier.id }); // copy 1 queued behind the original

  const device = new FakePrinter();
  const transport = new FakeTransport(device);
  device.onJob = () => {
    transport.unplugged = true;
  };
  const printer = { transport, config: { width: 576 as const, mode: 'tcvn3-epson' as const } };
  await assert.rejects(drainOutbox(ctx, printer));
  transport.unplugged = false;
  device.onJob = () => {};
  await drainOutbox(ctx, printer);

  const papers = [...device.jobs.map((bytes) => decode(bytes))];
  // the original went out once (cut short by the unplug, unconfirmed), then two marked copies
  const marks = papers.map((p) => p.lines.map((l) => l.trim()).find((l) => l.startsWith('BẢN SAO')) ?? 'original');
  assert.deepEqual(marks.slice(-2), ['BẢN SAO lần 1', 'BẢN SAO lần 2']);
  for (const paper of papers.slice(-2)) {
    const lines = paper.lines.map((l) => l.trim());
    assert.ok(lines.includes('Lê Văn Ân'));
    assert.ok(lines.join(' ').includes('Bằng chữ: Một triệu hai trăm bốn mươi hai nghìn đồng')); // wrapped at 48 columns
    assert.equal(paper.barcodes[0]!.value, paid.receiptNo);
  }
  const rows = ctx.sqlite.prepare('SELECT kind, status, copy_no FROM print_jobs ORDER BY id').all();
  assert.deepEqual(rows, [
    { kind: 'receipt', status: 'failed', copy_no: 0 },
    { kind: 'reprint', status: 'done', copy_no: 1 },
    { kind: 'reprint', status: 'done', copy_no: 2 },
  ]);
  ctx.close();
});
