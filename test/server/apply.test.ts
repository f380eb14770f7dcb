import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { addPoint } from '../../server/points.ts';
import { applyEvents } from '../../server/sync/apply.ts';
import { payEvent, payment, serverDb } from './helpers.ts';

const { db } = await serverDb();
await addPoint(db, { point: 'PT01', unit: 'PC12AA', office: 'PGD Phường 1' });
await addPoint(db, { point: 'PT02', unit: 'PC12AA', office: 'PGD Phường 1' });
await addPoint(db, { point: 'PT03', unit: 'PC12AA' });

const push = (point: string, events: Parameters<typeof applyEvents>[2]) => applyEvents(db, point, events, 'push', { recordSeq: true });

test('a payment is recorded once; the same body again is a duplicate; another body is refused and counted', async () => {
  const p = payment({ point: 'PT01', seq: 1, bills: ['A1', 'A2'], fee: 30_000 });
  const first = await push('PT01', [payEvent(1, p)]);
  assert.deepEqual(first.acks, [{ seq: 1, status: 'accepted' }]);
  assert.equal(first.lastSeq, 1);
  const again = await push('PT01', [payEvent(1, { ...p, lines: [...p.lines].reverse() })]);
  assert.deepEqual(again.acks, [{ seq: 1, status: 'duplicate' }], 'line order is not part of the body');
  const changed = await push('PT01', [payEvent(2, { ...p, tenKhang: 'Nguyễn Văn Ân' })]);
  assert.equal(changed.acks[0]!.status, 'refused');
  assert.equal(changed.acks[0]!.code, 'PAYMENT_BODY_CHANGED');
  const stored = await sql<{ ten_khang: string; n: number }>`SELECT ten_khang, (SELECT count(*) FROM payment_lines WHERE receipt_no = 'PT01-26-000001')::int AS n FROM payments WHERE receipt_no = 'PT01-26-000001'`.execute(db);
  assert.deepEqual(stored.rows, [{ ten_khang: 'Nguyễn Văn An', n: 3 }]);
  const refused = await sql<{ n: number }>`SELECT count(*)::int AS n FROM refused_bodies WHERE identity = 'PT01-26-000001'`.execute(db);
  assert.equal(refused.rows[0]!.n, 1);
});

test('the later arrival of a bill is a conflict; a void releases it to the oldest open conflict', async () => {
  const a = await push('PT01', [payEvent(10, payment({ point: 'PT01', seq: 10, bills: ['B1'] }))]);
  assert.equal(a.acks[0]!.status, 'accepted');
  const b = await push('PT02', [payEvent(1, payment({ point: 'PT02', seq: 1, bills: ['B1', 'B2'] }))]);
  assert.deepEqual(b.acks[0], { seq: 1, status: 'conflict', conflicts: [{ idHdon: 'B1', heldBy: 'PT01-26-000010' }] });
  const c = await push('PT03', [payEvent(1, payment({ point: 'PT03', seq: 1, bills: ['B1'] }))]);
  assert.equal(c.acks[0]!.status, 'conflict');
  const v = await push('PT01', [{ kind: 'void', seq: 11, receiptNo: 'PT01-26-000010' }]);
  assert.deepEqual(v.acks, [{ seq: 11, status: 'accepted' }]);
  const live = await sql<{ receipt_no: string }>`SELECT receipt_no FROM payment_lines WHERE id_hdon = 'B1' AND live`.execute(db);
  assert.deepEqual(live.rows, [{ receipt_no: 'PT02-26-000001' }]);
  const conflicts = await sql`SELECT receipt_no, held_by, status FROM conflicts WHERE id_hdon = 'B1' ORDER BY id`.execute(db);
  assert.deepEqual(conflicts.rows, [
    { receipt_no: 'PT02-26-000001', held_by: 'PT01-26-000010', status: 'promoted' },
    { receipt_no: 'PT03-26-000001', held_by: 'PT02-26-000001', status: 'open' },
  ]);
  const vv = await push('PT01', [{ kind: 'void', seq: 12, receiptNo: 'PT01-26-000010' }]);
  assert.deepEqual(vv.acks, [{ seq: 12, status: 'duplicate' }]);
});

test('a batch names only recorded, valid receipts of no other batch, with its rows and total; a receipt in a batch is not voided', async () => {
  const p1 = payment({ point: 'PT03', seq: 20, bills: ['C1'] });
  const p2 = payment({ point: 'PT03', seq: 21, bills: ['C2'] });
  await push('PT03', [payEvent(20, p1), payEvent(21, p2)]);
  const batch = (receipts: string[], rows: number, total: number, seq = 1) =>
    ({ kind: 'export' as const, seq: 30 + seq, batch: { pointCode: 'PT03', batchDay: '20261127', batchSeq: seq, csvSha256: 'b'.repeat(64), rowCount: rows, totalTongTien: total, receipts, voidedReceipts: [] } });
  const codes = async (e: ReturnType<typeof batch>) => (await push('PT03', [e])).acks.map((a) => a.code ?? a.status);
  assert.deepEqual(await codes(batch(['PT03-26-000099'], 1, 108_000)), ['BATCH_RECEIPT_UNKNOWN']);
  assert.deepEqual(await codes(batch([p1.receiptNo], 1, 1)), ['BATCH_TOTALS_MISMATCH']);
  assert.deepEqual(await codes(batch([p1.receiptNo], 1, 108_000)), ['accepted']);
  assert.deepEqual(await codes(batch([p1.receiptNo], 1, 108_000)), ['duplicate']);
  assert.deepEqual(await codes(batch([p1.receiptNo, p2.receiptNo], 2, 216_000)), ['BATCH_BODY_CHANGED']);
  assert.deepEqual(await codes(batch([p1.receiptNo, p2.receiptNo], 2, 216_000, 2)), ['BATCH_RECEIPT_IN_OTHER_BATCH']);
  assert.deepEqual((await push('PT03', [{ kind: 'void', seq: 40, receiptNo: p1.receiptNo }])).acks.map((a) => a.code), ['VOID_AFTER_EXPORT']);
  const marks = await sql`SELECT receipt_no, batch_seq FROM batch_receipts WHERE point_code = 'PT03'`.execute(db);
  assert.deepEqual(marks.rows, [{ receipt_no: p1.receiptNo, batch_seq: 1 }]);
  const unknown = await push('PT03', [{ kind: 'resend', seq: 41 }, payEvent(42, payment({ point: 'PT03', seq: 42, bills: ['C3'] }))]);
  assert.deepEqual(unknown.acks.map((a) => a.code ?? a.status), ['EVENT_KIND_NOT_SUPPORTED', 'accepted'], 'a later kind is answered, the rest goes on');
});

test('a refund is recorded once per point and refund number, for a receipt the server has; the same body again is a duplicate, another body is refused', async () => {
  const p = payment({ point: 'PT02', seq: 50, bills: ['D1', 'D2'] });
  const refund = (over: Record<string, unknown> = {}) => ({
    pointCode: 'PT02', refundId: 1, receiptNo: p.receiptNo, refundedAt: '2026-11-28T03:00:00Z', cashierCode: 'TN01', supervisorCode: 'GS01',
    reason: 'Khách đã trả ở ngân hàng', lines: [{ idHdon: 'D2', amount: 108_000 }], total: 108_000, ...over,
  });
  const codes = async (seq: number, body: ReturnType<typeof refund>) => (await push('PT02', [{ kind: 'refund', seq, refund: body } as never])).acks.map((a) => a.code ?? a.status);
  assert.deepEqual(await codes(60, refund()), ['REFUND_RECEIPT_UNKNOWN'], 'the payment comes first');
  await push('PT02', [payEvent(50, p)]);
  assert.deepEqual(await codes(61, refund()), ['accepted']);
  assert.deepEqual(await codes(62, refund()), ['duplicate']);
  assert.deepEqual(await codes(63, refund({ reason: 'khác' })), ['REFUND_BODY_CHANGED']);
  const stored = await sql<{ receipt_no: string; total: string }>`SELECT receipt_no, total::text FROM refunds WHERE point_code = 'PT02'`.execute(db);
  assert.deepEqual(stored.rows, [{ receipt_no: p.receiptNo, total: '108000' }]);
  await assert.rejects(sql`DELETE FROM refunds`.execute(db), /never changes/);
  await assert.rejects(push('PT01', [{ kind: 'refund', seq: 70, refund: refund() } as never]), { code: 'POINT_NOT_YOURS' });
});
