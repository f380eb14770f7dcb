import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { formatDateTime } from '../../electron/core/local-time.ts';
import { batchHash, canonicalPayment, paymentBody, paymentHash, toBodyTime, type PaymentBody } from '../../protocol/payment.ts';
import { pullResponse, pushRequest, pushResponse, PROTOCOL_VERSION } from '../../protocol/sync.ts';
import { ngayNopToUtc } from '../../server/files/ingest.ts';
import { payment } from './helpers.ts';

const p = payment({ point: 'PT01', seq: 7, bills: ['B2', 'B1'], fee: 150_000 });

test('the body hash does not depend on key order or line order, and changes with any field', () => {
  const reordered = JSON.parse(JSON.stringify({ lines: [...p.lines].reverse(), cashierCode: p.cashierCode, paidAt: p.paidAt, tenKhang: p.tenKhang, maKhang: p.maKhang, unit: p.unit, pointCode: p.pointCode, receiptNo: p.receiptNo })) as PaymentBody;
  assert.equal(paymentHash(reordered), paymentHash(p));
  assert.deepEqual(canonicalPayment(p).lines.map((l) => l.idHdon), ['B1', 'B2', null]);
  for (const changed of [{ ...p, tenKhang: 'Nguyễn Văn Ân' }, { ...p, paidAt: '2026-11-27T02:00:01Z' }, { ...p, lines: p.lines.slice(1) }, { ...p, cashierCode: 'TN02' }]) {
    assert.notEqual(paymentHash(changed), paymentHash(p));
  }
});

test('a push request survives JSON both ways; answers are checked too', () => {
  const request = { protocol: PROTOCOL_VERSION, pointCode: 'PT01', events: [{ kind: 'payment' as const, seq: 1, payment: p }, { kind: 'void' as const, seq: 2, receiptNo: p.receiptNo }, { kind: 'resend' as const, seq: 3, receiptNo: p.receiptNo }] };
  assert.deepEqual(pushRequest.parse(JSON.parse(JSON.stringify(request))), request);
  assert.deepEqual(pushResponse.parse({ acks: [{ seq: 1, status: 'conflict', conflicts: [{ idHdon: 'B1', heldBy: 'PT02-26-000001' }] }], lastSeq: 1, serverTime: 'x' }).acks[0]!.conflicts, [{ idHdon: 'B1', heldBy: 'PT02-26-000001' }]);
  assert.equal(pullResponse.safeParse({ items: [{ kind: 'payment', receiptNo: 'PT01-26-000001' }], cursor: null, more: false, serverTime: 'x' }).success, false);
});

test('bodies that are almost right are refused by the schema', () => {
  const bad: [string, unknown][] = [
    ['total not SO_TIEN + TIEN_GTGT', { ...p, lines: [{ ...p.lines[0]!, tongTien: 1 }] }],
    ['fee line with a period', { ...p, lines: [{ ...p.lines[2]!, ky: 1 }] }],
    ['bill line without a period', { ...p, lines: [{ ...p.lines[0]!, nam: null }] }],
    ['receipt of another point', { ...p, receiptNo: 'PT02-26-000007' }],
    ['the same bill twice', { ...p, lines: [p.lines[0]!, p.lines[0]!] }],
    ['receipt number 000000', { ...p, receiptNo: 'PT01-26-000000' }],
    ['lower-case receipt', { ...p, receiptNo: 'pt01-26-000007' }],
    ['milliseconds in the time', { ...p, paidAt: '2026-11-27T02:00:00.123Z' }],
    ['a float amount', { ...p, lines: [{ ...p.lines[0]!, soTien: 100_000.5, tongTien: 108_000.5 }] }],
    ['name not NFC', { ...p, tenKhang: 'Nguyễn'.normalize('NFD') }],
    ['name with a control character', { ...p, tenKhang: 'An\u0007' }],
    ['name with spaces around', { ...p, tenKhang: ' An' }],
    ['an unknown field', { ...p, note: 'x' }],
    ['no lines', { ...p, lines: [] }],
  ];
  for (const [why, body] of bad) assert.equal(paymentBody.safeParse(body).success, false, why);
  assert.equal(paymentBody.safeParse(p).success, true);
  const notIncreasing = { protocol: 1, pointCode: 'PT01', events: [{ kind: 'void', seq: 2, receiptNo: p.receiptNo }, { kind: 'void', seq: 2, receiptNo: p.receiptNo }] };
  assert.equal(pushRequest.safeParse(notIncreasing).success, false);
  assert.equal(pushRequest.safeParse({ protocol: 2, pointCode: 'PT01', events: [] }).success, false);
});

test('NGAY_NOP read back gives the time a push carries, for any second (push and ingest agree)', () => {
  fc.assert(
    fc.property(fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T16:59:59Z'), noInvalidDate: true }), (d) => {
      assert.equal(ngayNopToUtc(formatDateTime(d)), toBodyTime(d.toISOString()));
    }),
  );
  assert.equal(ngayNopToUtc('31/02/2026 10:00:00'), null);
  assert.equal(ngayNopToUtc('27/11/2026 24:00:00'), null);
});

test('the batch hash ignores receipt order', () => {
  const b = { pointCode: 'PT01', batchDay: '20261127', batchSeq: 1, csvSha256: 'a'.repeat(64), rowCount: 2, totalTongTien: 10, receipts: ['PT01-26-000002', 'PT01-26-000001'], voidedReceipts: [] };
  assert.equal(batchHash(b), batchHash({ ...b, receipts: [...b.receipts].reverse() }));
  assert.notEqual(batchHash(b), batchHash({ ...b, batchSeq: 2 }));
});
