/**
 * Counters of one office see each other (issue 13, item 5): what a pull brought from the server
 * decides, at this counter, which bills are still to collect. Two real points (SQLite files), the
 * real server on PostgreSQL, the real pull.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { collectPayment } from '../../electron/payments/collect.ts';
import { quoteSelection } from '../../electron/payments/collect.ts';
import { voidPayment } from '../../electron/payments/voids.ts';
import { customerDetail, lookupCode, searchCustomers } from '../../electron/customers/find.ts';
import { isAppError } from '../../electron/core/errors.ts';
import { count } from '../helpers/collect-fixture.ts';
import { CUT, type SeedCustomer } from '../helpers/seed.ts';
import { setSettings } from '../../electron/store/settings.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { serverDb, startServer } from '../server/helpers.ts';
import { storePulled } from '../../electron/sync/pulled.ts';
import { syncPoint, type SyncPoint } from './helpers.ts';

/** A company server of its own for each test (a database and the HTTPS app): a bill is unique company-wide, and the tests pay the same bills. */
async function company() {
  const { db } = await serverDb();
  return { db, server: await startServer(db, tempDir()) };
}

/** Customer 1 owes October and November; customer 2 owes October only. */
const LIST: SeedCustomer[] = [
  {
    maKhang: 'PC12AA0002001',
    tenKhang: 'Đỗ Văn Hai',
    dchiKhang: '12 Hai Bà Trưng',
    bills: [
      { idHdon: 'HD2001-10', thang: 10, nam: 2026, soTien: 200_000, tienGtgt: 16_000 },
      { idHdon: 'HD2001-11', thang: 11, nam: 2026, soTien: 150_000, tienGtgt: 12_000 },
    ],
  },
  { maKhang: 'PC12AA0002002', tenKhang: 'Vũ Thị Ba', dchiKhang: '14 Hai Bà Trưng', bills: [{ idHdon: 'HD2002-10', thang: 10, nam: 2026, soTien: 90_000, tienGtgt: 7_200 }] },
];

const card = (p: SyncPoint, maKhang: string) => lookupCode(p.ctx, maKhang)!;
let keys = 0;
const collect = (p: SyncPoint, maKhang: string, billIds?: string[]) =>
  collectPayment(p.ctx, { customer: maKhang, cashierId: p.cashier.id, idempotencyKey: `office-${++keys}`, ...(billIds === undefined ? {} : { billIds }) });

/** Runs `fn` and returns the AppError it throws (fails when it does not throw one). */
function refusal(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (error) {
    if (isAppError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  assert.fail('expected a refusal');
}

const PAID_AT_A = /^Hóa đơn HD2001-10 đã thu tại quầy QO01 lúc 27\/11\/2026 \d{2}:\d{2}:\d{2} \(biên nhận QO01-26-000001, thu ngân TN01\)\. Không thu lại hóa đơn này ở quầy này; .*hỏi quầy QO01\.$/

test('[#13] a bill taken at another counter of the office: the card says where and when, the quote and collect refuse it here, the other bill stays collectable', async () => {
  const { db, server } = await company();
  const a = await syncPoint(db, 'QO01', LIST, 'PGD Phường 5');
  const b = await syncPoint(db, 'QO02', LIST, 'PGD Phường 5');
  const atA = collect(a, 'PC12AA0002001', ['HD2001-10']);
  await a.sync(server.url, server.pin);
  await b.sync(server.url, server.pin);

  const shown = card(b, 'PC12AA0002001');
  assert.deepEqual(shown.bills.map((x) => x.id_hdon), ['HD2001-11'], 'only the November bill is still to collect here');
  assert.deepEqual(
    shown.officePaid.map((o) => ({ idHdon: o.idHdon, receiptNo: o.receiptNo, pointCode: o.pointCode, cashierCode: o.cashierCode, total: o.bill.tong_tien })),
    [{ idHdon: 'HD2001-10', receiptNo: atA.receiptNo, pointCode: 'QO01', cashierCode: 'TN01', total: 216_000 }],
  );
  const [hit] = searchCustomers(b.ctx, 'PC12AA0002001');
  assert.deepEqual({ owed: hit!.outstandingCount, total: hit!.total }, { owed: 1, total: 162_000 }, 'the search result charges what collecting it all charges here');

  // Chosen anyway (a card shown before the pull, a script): the one quote and collect refuse it.
  for (const chosen of [['HD2001-10'], ['HD2001-10', 'HD2001-11']]) {
    const quoted = refusal(() => quoteSelection(b.ctx.sqlite, shown, chosen));
    assert.equal(quoted.code, 'BILL_PAID_AT_OTHER_COUNTER', chosen.join());
    assert.match(quoted.message, PAID_AT_A);
    const collected = refusal(() => collect(b, 'PC12AA0002001', chosen));
    assert.deepEqual(collected, quoted, 'collect refuses as the quote does');
  }
  assert.equal(count(b.ctx, 'payments'), 0, 'nothing written');

  // Everything still owed here: the November bill alone.
  const rest = collect(b, 'PC12AA0002001');
  assert.equal(rest.total, 162_000);
  assert.deepEqual(rest.lines.map((l) => l.idHdon), ['HD2001-11']);
  assert.equal(card(b, 'PC12AA0002001').bills.length, 0);
});

test('[#13] a customer whose only bill was taken at another counter: collecting is refused with that counter and time; a void pulled from the server releases it', async () => {
  const { db, server } = await company();
  const a = await syncPoint(db, 'QP01', LIST, 'PGD Phường 6');
  const b = await syncPoint(db, 'QP02', LIST, 'PGD Phường 6');
  const atA = collect(a, 'PC12AA0002002');
  await a.sync(server.url, server.pin);
  await b.sync(server.url, server.pin);

  const shown = card(b, 'PC12AA0002002');
  assert.deepEqual({ bills: shown.bills.length, held: shown.officePaid.map((o) => o.receiptNo) }, { bills: 0, held: [atA.receiptNo] });
  const all = refusal(() => collect(b, 'PC12AA0002002'));
  assert.equal(all.code, 'BILL_PAID_AT_OTHER_COUNTER', 'not "nothing to collect": the cashier learns where it was paid');
  assert.match(all.message, /^Hóa đơn HD2002-10 đã thu tại quầy QP01 lúc /);
  assert.equal(refusal(() => quoteSelection(b.ctx.sqlite, customerDetail(b.ctx, shown.id))).code, 'BILL_PAID_AT_OTHER_COUNTER');

  voidPayment(a.ctx, { receiptNo: atA.receiptNo, reason: 'thu nhầm khách', supervisorId: a.supervisor.id });
  await a.sync(server.url, server.pin);
  assert.equal(card(b, 'PC12AA0002002').officePaid.length, 1, 'until B pulls, the last pull still holds the bill');
  await b.sync(server.url, server.pin);
  const released = card(b, 'PC12AA0002002');
  assert.deepEqual({ bills: released.bills.map((x) => x.id_hdon), held: released.officePaid }, { bills: ['HD2002-10'], held: [] });
  assert.equal(collect(b, 'PC12AA0002002').total, 97_200);
});

test('[#13] offline (nothing pulled) nothing changes: the other counter collects, and the server records the conflict', async () => {
  const { db, server } = await company();
  const a = await syncPoint(db, 'QR01', LIST, 'PGD Phường 7');
  const b = await syncPoint(db, 'QR02', LIST, 'PGD Phường 7');
  const atA = collect(a, 'PC12AA0002002');
  await a.sync(server.url, server.pin);
  // B has not pulled since: its card and its collect know nothing of A's payment.
  assert.deepEqual(card(b, 'PC12AA0002002').officePaid, []);
  const atB = collect(b, 'PC12AA0002002');
  const report = await b.sync(server.url, server.pin);
  assert.deepEqual(report.conflicts.map((c) => [c.idHdon, c.heldBy]), [['HD2002-10', atA.receiptNo]]);
  // Once pulled, A's payment is no notice at B: B holds the bill itself (its receipt is the refund case).
  assert.deepEqual(card(b, 'PC12AA0002002').officePaid, []);
  assert.equal(atB.total, 97_200);
});

test('[#13] a bill paid at two counters, then voided at the first: the third counter learns that the second now holds it and still refuses it', async () => {
  const { db, server } = await company();
  const [a, b, c] = [await syncPoint(db, 'QU01', LIST, 'PGD Phường 13'), await syncPoint(db, 'QU02', LIST, 'PGD Phường 13'), await syncPoint(db, 'QU03', LIST, 'PGD Phường 13')];
  const atA = collect(a, 'PC12AA0002002');
  await a.sync(server.url, server.pin);
  const atB = collect(b, 'PC12AA0002002'); // B had not pulled: the server makes it a conflict
  await b.sync(server.url, server.pin);
  await c.sync(server.url, server.pin);
  assert.deepEqual(card(c, 'PC12AA0002002').officePaid.map((o) => o.receiptNo), [atA.receiptNo]);

  voidPayment(a.ctx, { receiptNo: atA.receiptNo, reason: 'khách đã nộp ở quầy khác', supervisorId: a.supervisor.id });
  await a.sync(server.url, server.pin); // the server gives the bill to B's receipt
  await c.sync(server.url, server.pin);
  assert.deepEqual(card(c, 'PC12AA0002002').officePaid.map((o) => o.receiptNo), [atB.receiptNo]);
  assert.match(refusal(() => collect(c, 'PC12AA0002002')).message, /^Hóa đơn HD2002-10 đã thu tại quầy QU02 lúc /);
});

test('[#13] a cut customer pays one bill at one counter and the rest at another: the second counter settles all, so the fee and the reconnection order are there', async () => {
  const { db, server } = await company();
  const a = await syncPoint(db, 'QT01', [...LIST, CUT], 'PGD Phường 12');
  const b = await syncPoint(db, 'QT02', [...LIST, CUT], 'PGD Phường 12');
  setSettings(b.ctx.sqlite, { reconnection_fee: 330_000 }, b.supervisor.id, b.ctx.clock());
  const first = collect(a, CUT.maKhang, ['C-10']);
  assert.equal(first.reconnectionOrderId, null, 'a part of the debt: no fee, no order');
  await a.sync(server.url, server.pin);
  await b.sync(server.url, server.pin);
  const rest = collect(b, CUT.maKhang);
  assert.deepEqual(rest.lines.map((l) => [l.idHdon, l.tongTien]), [['C-11', 108_000], [null, 330_000]]);
  assert.notEqual(rest.reconnectionOrderId, null);
});

test('[#13] a pulled row edited by hand into bad JSON does not stop the counter: the customer is still looked up, that row tells nothing', async () => {
  const { db } = await serverDb();
  const b = await syncPoint(db, 'QS02', LIST, 'PGD Phường 8');
  const paidAt = '2026-11-27T02:10:00.000Z';
  const pulled = (receiptNo: string, maKhang: string, bills: string[]) => ({ kind: 'payment' as const, receiptNo, pointCode: 'QS01', maKhang, paidAt, cashierCode: 'TN01', total: 1, bills, voided: false });
  storePulled(b.ctx.sqlite, [pulled('QS01-26-000001', 'PC12AA0002001', ['HD2001-10']), pulled('QS01-26-000002', 'PC12AA0002001', ['HD2001-11'])], null, new Date(paidAt));
  b.ctx.sqlite.prepare("UPDATE sync_office_payments SET bills = '[\"HD2001-11\"' WHERE receipt_no = 'QS01-26-000002'").run();
  const shown = card(b, 'PC12AA0002001');
  assert.deepEqual({ bills: shown.bills.map((x) => x.id_hdon), held: shown.officePaid.map((o) => o.idHdon) }, { bills: ['HD2001-11'], held: ['HD2001-10'] });
  assert.equal(searchCustomers(b.ctx, 'PC12AA0002001')[0]!.total, 162_000);
});
