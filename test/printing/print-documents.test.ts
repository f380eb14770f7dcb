import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Ctx } from '../../electron/store/context.ts';
import { collectPayment } from '../../electron/payments/collect.ts';
import { reprintReceipt, voidPayment } from '../../electron/payments/voids.ts';
import { printZReport } from '../../electron/shifts/z-report.ts';
import { verifyStore } from '../../electron/verify/verify.ts';
import { drainOutbox, type Printer } from '../../electron/printing/outbox.ts';
import { decode } from '../escpos/decoder.ts';
import { FakePrinter, FakeTransport } from '../devices/printer/fake-printer.ts';
import { seedSnapshot } from '../helpers/seed.ts';
import { collectWorld, type CollectWorld } from '../helpers/collect-fixture.ts';

/** A 205.200 ₫ customer (cut off: paying everything also issues a reconnection order) and a 54.000 ₫ one. */
function world(): CollectWorld & { pay: (maKhang: string, key: string, tendered?: number) => ReturnType<typeof collectPayment> } {
  const w = collectWorld();
  seedSnapshot(w.ctx, [
    {
      maKhang: 'PC12AA0000001',
      tenKhang: 'Lê Văn An',
      dchiKhang: '12 Lý Thường Kiệt',
      tthaiCat: true,
      bills: [{ idHdon: 'HD-A11', thang: 11, nam: 2026, soTien: 190_000, tienGtgt: 15_200 }],
    },
    { maKhang: 'PC12AA0000002', tenKhang: 'Trần Thị Bình', dchiKhang: '3 Hùng Vương', bills: [{ idHdon: 'HD-B11', thang: 11, nam: 2026, soTien: 50_000, tienGtgt: 4_000 }] },
  ]);
  const pay = (maKhang: string, key: string, tendered?: number) =>
    collectPayment(w.ctx, { customer: maKhang, cashierId: w.cashier.id, idempotencyKey: key, ...(tendered === undefined ? {} : { tendered }) });
  return Object.assign(w, { pay });
}

const printerOn = (device: FakePrinter): Printer => ({ transport: new FakeTransport(device), config: { width: 576, mode: 'tcvn3-epson' } });
const printedText = (device: FakePrinter) => device.jobs.map((bytes) => decode(bytes).lines.join('\n'));
const job = (ctx: Ctx, id: number) =>
  ctx.sqlite.prepare('SELECT status, last_error FROM print_jobs WHERE id = ?').get(id) as { status: string; last_error: string | null };
const editDocument = (ctx: Ctx, id: number, path: string, value: unknown) =>
  ctx.sqlite.prepare('UPDATE print_jobs SET document = json_set(document, ?, json(?)) WHERE id = ?').run(path, JSON.stringify(value), id);

test('[#19] a receipt whose stored document says 1 đ is set aside, never printed, and the queue goes on', async () => {
  const w = world();
  const victim = w.pay('PC12AA0000001', 'k-1');
  assert.equal(victim.total, 205_200);
  const other = w.pay('PC12AA0000002', 'k-2');
  editDocument(w.ctx, victim.printJobId, '$.total', 1);

  const device = new FakePrinter();
  const result = await drainOutbox(w.ctx, printerOn(device));
  const texts = printedText(device);
  assert.ok(texts.every((t) => !/TỔNG CỘNG:\s*1 đ|Một đồng/i.test(t)), texts.join('\n----\n'));
  assert.ok(texts.every((t) => !t.includes(victim.receiptNo) || t.includes('LỆNH ĐÓNG ĐIỆN')), 'no receipt of the victim came out');
  assert.ok(texts.some((t) => t.includes(other.receiptNo)), 'the next receipt printed');
  assert.deepEqual(result.setAside.map((s) => [s.jobId, s.code]), [[victim.printJobId, 'PRINT_DOCUMENT_MISMATCH']]);
  assert.ok(result.printed.includes(other.printJobId));
  const row = job(w.ctx, victim.printJobId);
  assert.equal(row.status, 'failed');
  assert.match(row.last_error ?? '', /^PRINT_DOCUMENT_MISMATCH: .*total/);
  const failed = w.ctx.sqlite.prepare("SELECT payload FROM journal WHERE kind = 'print_failed'").all() as { payload: string }[];
  assert.equal(failed.length, 1);
  assert.match(failed[0]!.payload, /PRINT_DOCUMENT_MISMATCH/);

  const verified = verifyStore(w.ctx);
  assert.equal(verified.ok, false);
  const mismatch = verified.problems.filter((p) => p.code === 'DOCUMENT_MISMATCH');
  assert.equal(mismatch.length, 1);
  assert.match(mismatch[0]!.message, new RegExp(`${victim.receiptNo}.*total`));
  w.ctx.close();
});

/** One way to make each kind of printed document disagree with the money it prints. */
const edits: Array<[string, (w: ReturnType<typeof world>) => number]> = [
  ['a receipt line', (w) => {
    const paid = w.pay('PC12AA0000002', 'k');
    editDocument(w.ctx, paid.printJobId, '$.lines[0].tongTien', 4_000);
    return paid.printJobId;
  }],
  ['the cash tendered on a receipt', (w) => {
    const paid = w.pay('PC12AA0000002', 'k', 100_000);
    editDocument(w.ctx, paid.printJobId, '$.tendered', 54_000);
    return paid.printJobId;
  }],
  ['a reprint', (w) => {
    const paid = w.pay('PC12AA0000002', 'k');
    const copy = reprintReceipt(w.ctx, { receiptNo: paid.receiptNo, actorId: w.cashier.id });
    editDocument(w.ctx, copy.printJobId, '$.total', 5_400);
    return copy.printJobId;
  }],
  ['a void slip', (w) => {
    const paid = w.pay('PC12AA0000002', 'k');
    const voided = voidPayment(w.ctx, { receiptNo: paid.receiptNo, reason: 'Thu nhầm', supervisorId: w.supervisor.id });
    editDocument(w.ctx, voided.printJobId, '$.total', 5_400);
    return voided.printJobId;
  }],
  ['a reconnection order moved to another receipt', (w) => {
    const other = w.pay('PC12AA0000002', 'k0');
    const paid = w.pay('PC12AA0000001', 'k');
    const { id } = w.ctx.sqlite.prepare("SELECT id FROM print_jobs WHERE payment_id = ? AND kind = 'reconnection_order'").get(paid.paymentId) as { id: number };
    editDocument(w.ctx, id, '$.receiptNo', other.receiptNo);
    return id;
  }],
  ['a Z report', (w) => {
    w.pay('PC12AA0000002', 'k');
    const { printJobId } = printZReport(w.ctx, { day: '2026-11-27' });
    editDocument(w.ctx, printJobId, '$.grandTotal', 1);
    return printJobId;
  }],
  ['a receipt job moved to another payment', (w) => {
    const first = w.pay('PC12AA0000002', 'k');
    const second = w.pay('PC12AA0000001', 'k2');
    w.ctx.sqlite.prepare('UPDATE print_jobs SET payment_id = ? WHERE id = ?').run(second.paymentId, first.printJobId);
    return first.printJobId;
  }],
  ['a receipt job with no payment at all', (w) => {
    const paid = w.pay('PC12AA0000002', 'k');
    const { id } = w.ctx.sqlite
      .prepare("INSERT INTO print_jobs (kind, payment_id, copy_no, document, created_at) SELECT 'receipt', NULL, 0, document, created_at FROM print_jobs WHERE id = ? RETURNING id")
      .get(paid.printJobId) as { id: number };
    return id;
  }],
];

for (const [what, edit] of edits) {
  test(`[#19] ${what} that disagrees with the money is set aside, not printed, and verify names it`, async () => {
    const w = world();
    const id = edit(w);
    const device = new FakePrinter();
    const result = await drainOutbox(w.ctx, printerOn(device));
    assert.deepEqual(result.setAside.map((s) => [s.jobId, s.code]), [[id, 'PRINT_DOCUMENT_MISMATCH']]);
    assert.equal(result.printed.includes(id), false);
    assert.match(job(w.ctx, id).last_error ?? '', /^PRINT_DOCUMENT_MISMATCH: /);
    const problems = verifyStore(w.ctx).problems;
    assert.deepEqual(
      problems.map((p) => p.code),
      ['DOCUMENT_MISMATCH'],
      problems.map((p) => p.message).join('\n'),
    );
    assert.match(problems[0]!.message, new RegExp(`bản in ${id}\\b`, 'i'));
    w.ctx.close();
  });
}

test('[#19] a replay answers with the payment\'s own amounts, not an edited receipt document', () => {
  const w = world();
  const paid = w.pay('PC12AA0000002', 'k-1', 100_000);
  editDocument(w.ctx, paid.printJobId, '$.total', 1);
  editDocument(w.ctx, paid.printJobId, '$.lines[0].tongTien', 1);
  const replay = w.pay('PC12AA0000002', 'k-1', 100_000);
  assert.equal(replay.replayed, true);
  assert.equal(replay.total, 54_000);
  assert.deepEqual(replay.lines, paid.lines);
  w.ctx.close();
});
