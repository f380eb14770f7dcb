import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { R1, R2, sentDay } from '../helpers/answered-day.ts';
import { withHandlers, type Answer } from '../helpers/ipc-world.ts';
import { count } from '../helpers/collect-fixture.ts';

const GS01 = { code: 'GS01', pin: '987654' };
const value = <T>(a: Answer): T => {
  assert.equal(a.ok, true, JSON.stringify(a.error));
  return a.value as T;
};

test('IPC: CMIS\'s answer read (each line, the missing, the stage), the same file again a no-op, another answer refused; a refund paid from the signed-in cashier\'s shift and a resend decided by a supervisor', async (t) => {
  const day = sentDay();
  const w = withHandlers(day);
  t.after(() => w.ctx.close());
  const path = day.result('KQGACHNO_DT0001_20261127_01.csv', [`${R1},HD-A10,OK,`, `${R1},HD-A11,DA_GACH,Đã thu qua ngân hàng`]);
  assert.equal((await w.call('resultRead', { path })).error?.code, 'NOT_LOGGED_IN');
  value(await w.call('login', { code: 'TN01', pin: '123456' }));

  const read = value<{ status: string; lines: { ketQua: string }[]; missing: { idHdon: string }[]; batch: { stage: string } }>(await w.call('resultRead', { path }));
  assert.deepEqual([read.status, read.lines.map((l) => l.ketQua), read.missing.map((m) => m.idHdon), read.batch.stage], ['recorded', ['OK', 'DA_GACH'], ['HD-B11'], 'answered']);
  assert.equal(value<{ status: string }>(await w.call('resultRead', { path })).status, 'already_recorded');
  const changed = day.result('KQGACHNO_DT0001_20261127_01.csv', [`${R1},HD-A10,OK,`, `${R1},HD-A11,OK,`, `${R2},HD-B11,LOI,sai mã`]);
  assert.equal((await w.call('resultRead', { path: changed })).error?.code, 'RESULT_CHANGED');
  const more = day.result('KQGACHNO_DT0001_20261127_01.csv', [`${R1},HD-A10,OK,`, `${R1},HD-A11,DA_GACH,Đã thu qua ngân hàng`, `${R2},HD-B11,LOI,sai mã`]);
  assert.equal(value<{ newCount: number }>(await w.call('resultRead', { path: more })).newCount, 1);

  const state = value<{ batches: { stage: string }[]; waiting: { receiptNo: string; idHdon: string; why: string; ketQua: string; canResend: boolean }[] }>(await w.call('clearingState'));
  assert.deepEqual(state.batches.map((b) => b.stage), ['answered']);
  assert.deepEqual(state.waiting.map((l) => [l.receiptNo, l.idHdon, l.why, l.ketQua, l.canResend]), [[R1, 'HD-A11', 'rejected', 'DA_GACH', true], [R2, 'HD-B11', 'rejected', 'LOI', true]]);

  assert.equal((await w.call('decideRefund', { receiptNo: R1, bills: ['HD-A11'], reason: 'Khách đã trả ở ngân hàng', supervisor: { ...GS01, pin: '000000' } })).error?.code, 'LOGIN_FAILED');
  assert.equal((await w.call('decideRefund', { receiptNo: R1, bills: ['HD-A11'], reason: ' ', supervisor: GS01 })).error?.code, 'BAD_REQUEST');
  assert.equal(count(w.ctx, 'refunds'), 0);
  const kicks = w.kicks();
  const refund = value<{ total: number; shiftId: number }>(await w.call('decideRefund', { receiptNo: R1, bills: ['HD-A11'], reason: 'Khách đã trả ở ngân hàng', supervisor: GS01 }));
  assert.deepEqual([refund.total, refund.shiftId], [97_200, 1]);
  assert.equal(w.kicks(), kicks + 1, 'the refund slip is sent to the printer');
  value(await w.call('decideResend', { receiptNo: R2, bills: ['HD-B11'], supervisor: GS01 }));
  assert.equal((await w.call('decideResend', { receiptNo: R2, bills: ['HD-B11'], supervisor: GS01 })).error?.code, 'LINE_ALREADY_DECIDED');
  const after = value<{ batches: { stage: string }[]; waiting: unknown[] }>(await w.call('clearingState'));
  assert.deepEqual([after.batches.map((b) => b.stage), after.waiting], [['closed'], []]);
  const z = value<{ refunds: { count: number; total: number }; expectedCash: number }>(await w.call('zReport', { scope: 'shift', print: false }));
  assert.deepEqual([z.refunds, z.expectedCash], [{ count: 1, total: 97_200 }, 500_000 + 259_200 - 97_200]);
});

test('IPC: the deposit slip from the close of the day: refused while a shift is open, made by a supervisor once all are closed, printed and written beside the clearing files', async (t) => {
  const day = sentDay();
  const w = withHandlers(day);
  t.after(() => w.ctx.close());
  value(await w.call('login', { code: 'TN01', pin: '123456' }));
  const open = value<{ openShifts: { shiftId: number }[]; expected: number; slip: unknown }>(await w.call('depositState'));
  assert.deepEqual([open.openShifts.map((s) => s.shiftId), open.expected, open.slip], [[1], 0, null]);
  const notes = [{ value: 200_000, count: 1 }, { value: 50_000, count: 1 }, { value: 5_000, count: 1 }, { value: 2_000, count: 2 }, { value: 200, count: 1 }];
  assert.equal((await w.call('depositMake', { supervisor: GS01, notes: notes.slice(0, 4) })).error?.code, 'DEPOSIT_SHIFT_OPEN');
  value(await w.call('closeShift', { countedCash: 759_200 }));
  assert.equal((await w.call('depositMake', { supervisor: GS01, notes: [...notes, { value: 100, count: 2 }] })).error?.code, 'DEPOSIT_COUNT_INVALID', '100 ₫ goes in the loose change');
  assert.equal((await w.call('depositMake', { supervisor: GS01, notes, looseChange: 200 })).error?.code, 'BAD_REQUEST', '200 ₫ and more is counted by note');
  assert.equal((await w.call('depositMake', { supervisor: { code: 'TN01', pin: '123456' }, notes: notes.slice(0, 4) })).error?.code, 'SUPERVISOR_REQUIRED');
  assert.equal((await w.call('depositMake', { supervisor: GS01, notes: notes.slice(0, 4) })).error?.code, 'DEPOSIT_REASON_REQUIRED', 'short by 200 đồng');
  const kicks = w.kicks();
  const made = value<{ slip: { counted: number; difference: number; reason: string | null; looseChange: number | null; cashiers: { handedOver: number }[] }; file: string }>(
    await w.call('depositMake', { supervisor: GS01, notes, looseChange: 0 }),
  );
  assert.deepEqual([made.slip.counted, made.slip.difference, made.slip.reason, made.slip.looseChange, made.slip.cashiers.map((c) => c.handedOver)], [259_200, 0, null, 0, [259_200]], 'the 200 ₫ note counted: to the đồng, no reason');
  assert.equal(made.file, join(day.dir, 'usb1', 'BANGKE_DT0001_20261127.csv'), 'beside the clearing files of the last export');
  assert.match(readFileSync(made.file, 'utf8'), /,MENH_GIA,,,,,,,,,200,1,200,,,,\r\n.*,TIEN_LE,,,,,,,,,,,0,,,,\r\n.*,TONG,,,,2,259200,0,0,0,,,259200,0,,GS01,\r\n$/);
  assert.equal(w.kicks(), kicks + 1);
  assert.equal(count(w.ctx, 'print_jobs', "kind = 'deposit_slip'"), 1);
  assert.equal(value<{ slip: { depositId: number } }>(await w.call('depositState')).slip.depositId, 1);
  assert.equal((await w.call('depositMake', { supervisor: GS01, notes: notes.slice(0, 4), reason: 'x' })).error?.code, 'DEPOSIT_EXISTS');
});
