import { mock, test } from 'node:test';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { main } from '../../electron/cli/diemthu.ts';
import { openContext } from '../../electron/store/context.ts';
import { initPoint } from '../../electron/store/point.ts';
import { seedSnapshot } from '../helpers/seed.ts';
import { captureIo } from '../helpers/capture-io.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { count } from '../helpers/collect-fixture.ts';

// The CLI opens its database on the machine's clock: a fixed one, so receipts are DT0001-26-… in any year.
mock.timers.enable({ apis: ['Date'], now: new Date('2026-11-27T02:00:00Z') });

function point(): string {
  const dir = tempDir();
  const ctx = openContext(dir);
  initPoint(ctx, { pointCode: 'DT0001', unitCode: 'PC12AA', pointName: 'Điểm thu số 1' });
  seedSnapshot(ctx, [
    {
      maKhang: 'PC12AA0000001',
      tenKhang: 'Lê Văn An',
      dchiKhang: '12 Lý Thường Kiệt',
      bills: [
        { idHdon: 'H10', thang: 10, nam: 2026, soTien: 100_000, tienGtgt: 8_000 },
        { idHdon: 'H11', thang: 11, nam: 2026, soTien: 200_000, tienGtgt: 16_000 },
      ],
    },
  ]);
  ctx.close();
  return dir;
}

async function run(dir: string, args: string[], pin?: string, supervisorPin?: string, env: NodeJS.ProcessEnv = {}) {
  const io = captureIo({ ...env, ...(pin === undefined ? {} : { DIEMTHU_PIN: pin }), ...(supervisorPin === undefined ? {} : { DIEMTHU_SUPERVISOR_PIN: supervisorPin }) });
  const code = await main([...args, '--data-dir', dir], io);
  return { code, out: io.out(), err: io.err() };
}

test('a cashier day through the CLI: users, shift, collect (with retry), reprint, void, close', async () => {
  const dir = point();
  assert.equal((await run(dir, ['user', 'add', 'GS01', '--name', 'Trần Văn Giám', '--role', 'supervisor'], '987654')).code, 0);
  assert.equal((await run(dir, ['user', 'add', 'TN01', '--name', 'Nguyễn Thị Thu', '--role', 'cashier', '--supervisor', 'GS01'], '123456', '987654')).code, 0);
  // The deputy who voids: GS01 approved TN01, so GS01 does not void TN01's receipts.
  assert.equal((await run(dir, ['user', 'add', 'GS02', '--name', 'Phan Thị Phó', '--role', 'supervisor', '--supervisor', 'GS01'], '555555', '987654')).code, 0);

  const noPin = await run(dir, ['shift', 'open', '--cashier', 'TN01', '--float', '500.000']);
  assert.equal(noPin.code, 2);
  assert.match(noPin.err, /\[PIN_REQUIRED\]/);
  const wrongPin = await run(dir, ['shift', 'open', '--cashier', 'TN01', '--float', '500.000'], '0000');
  assert.equal(wrongPin.code, 2);
  assert.match(wrongPin.err, /\[LOGIN_FAILED\]/);
  const opened = await run(dir, ['shift', 'open', '--cashier', 'TN01', '--float', '500.000'], '123456');
  assert.equal(opened.code, 0, opened.err);
  assert.match(opened.out, /tiền đầu ca 500\.000 ₫/);

  const refused = await run(dir, ['collect', 'PC12AA0000001', '--cashier', 'TN01', '--bills', 'H11']);
  assert.equal(refused.code, 2);
  assert.match(refused.err, /\[BILL_ORDER\]/);

  const collected = await run(dir, ['collect', 'pc12aa0000001', '--cashier', 'TN01', '--bills', 'H10', '--key', 'k-1', '--tendered', '200000']);
  assert.equal(collected.code, 0, collected.err);
  assert.match(collected.out, /^Đã thu: biên nhận DT0001-26-000001 lúc \d{2}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2}$/m);
  assert.match(collected.out, /^ {2}H10 {2}TD kỳ 1 10\/2026 {2}108\.000 ₫$/m);
  assert.match(collected.out, /^Tổng cộng: 108\.000 ₫$/m);
  assert.match(collected.out, /Trả lại: 92\.000 ₫/);

  const retry = await run(dir, ['collect', 'pc12aa0000001', '--cashier', 'TN01', '--bills', 'H10', '--key', 'k-1', '--tendered', '200000', '--json']);
  const replay = JSON.parse(retry.out) as { ok: boolean; value: { replayed: boolean; receiptNo: string } };
  assert.deepEqual([replay.ok, replay.value.replayed, replay.value.receiptNo], [true, true, 'DT0001-26-000001']);

  const second = await run(dir, ['collect', 'PC12AA0000001', '--cashier', 'TN01', '--json']);
  const secondValue = (JSON.parse(second.out) as { value: { receiptNo: string; total: number; idempotencyKey: string } }).value;
  assert.deepEqual([secondValue.receiptNo, secondValue.total], ['DT0001-26-000002', 216_000]);
  assert.ok(secondValue.idempotencyKey.length > 0);

  const reprint = await run(dir, ['reprint', 'DT0001-26-000002', '--user', 'TN01']);
  assert.equal(reprint.out.trim(), 'Đã gửi in lại biên nhận DT0001-26-000002 (bản sao lần 1).');

  const byCashier = await run(dir, ['void', 'DT0001-26-000002', '--reason', 'thu nhầm', '--supervisor', 'TN01'], '123456');
  assert.match(byCashier.err, /\[SUPERVISOR_REQUIRED\]/);
  const linked = await run(dir, ['void', 'DT0001-26-000002', '--reason', 'thu nhầm', '--supervisor', 'GS01'], '987654');
  assert.match(linked.err, /\[VOID_LINKED_USERS\]/);
  const voided = await run(dir, ['void', 'DT0001-26-000002', '--reason', 'thu nhầm', '--supervisor', 'GS02'], '555555');
  assert.equal(voided.code, 0, voided.err);
  assert.match(voided.out, /Đã hủy biên nhận DT0001-26-000002 \(216\.000 ₫\)/);

  const closed = await run(dir, ['shift', 'close', '--cashier', 'TN01', '--counted', '600000'], '123456');
  assert.equal(closed.code, 0, closed.err);
  assert.match(closed.out, /Phải có: +608\.000 ₫/);
  assert.match(closed.out, /Chênh lệch: +-8\.000 ₫ \(thiếu\)/);
  assert.match(closed.out, /Đã sao lưu: .*backups/, 'a shift close is followed by a backup');
  assert.equal(readdirSync(join(dir, 'backups')).filter((f) => f.endsWith('.sqlite')).length, 1);

  const reopened = await run(dir, ['shift', 'open', '--cashier', 'TN01', '--float', '0', '--json'], '123456');
  const shiftId = (JSON.parse(reopened.out) as { value: { id: number } }).value.id;
  const forced = await run(dir, ['shift', 'force-close', String(shiftId), '--supervisor', 'GS01'], '987654');
  assert.equal(forced.code, 0, forced.err);
  assert.match(forced.out, /giám sát đóng thay/);
  assert.match(forced.out, /Đếm được: +\(không đếm\)/);
  assert.match(forced.out, /Đã sao lưu: /);

  const ctx = openContext(dir);
  assert.deepEqual([count(ctx, 'payments'), count(ctx, 'payments', 'voided_at IS NOT NULL'), count(ctx, 'print_jobs')], [2, 1, 4]);
  ctx.close();
});

test('bad arguments are refused with exit code 2', async () => {
  const dir = point();
  assert.match((await run(dir, ['shift', 'open', '--cashier', 'TN01', '--float', '12,5'], '123456')).err, /\[CLI_BAD_ARGS\]/);
  assert.match((await run(dir, ['collect', '--cashier', 'TN01'])).err, /\[CLI_BAD_ARGS\]/);
  assert.match((await run(dir, ['collect', 'PC12AA0000001', '--cashier', 'NOBODY'])).err, /\[USER_NOT_FOUND\]/);
  assert.match((await run(dir, ['user', 'add', 'X1', '--name', 'X', '--role', 'cashier'], '123456')).err, /\[FIRST_USER_SUPERVISOR\]/);
  assert.match((await run(dir, ['user', 'add', 'GS01', '--name', 'G', '--role', 'supervisor'], '12')).err, /\[PIN_INVALID\]/);
  assert.equal((await run(dir, ['user', 'add', 'GS01', '--name', 'G', '--role', 'supervisor'], '987654')).code, 0);
  assert.match((await run(dir, ['user', 'add', 'X1', '--name', 'X', '--role', 'cashier'], '123456')).err, /Cần --supervisor/);
  assert.match((await run(dir, ['user', 'add', 'X1', '--name', 'X', '--role', 'cashier', '--supervisor', 'GS01'], '123456', '0000')).err, /\[LOGIN_FAILED\]/);
  const ctx = openContext(dir);
  assert.equal(count(ctx, 'users'), 1, 'no user added without a supervisor');
  ctx.close();
  assert.equal((await run(dir, ['void', 'DT0001-26-000001', '--supervisor', 'GS01'], '987654')).code, 2);
});

test("[#3] CLI: a supervisor's alter ego, added with `user add` after collecting, cannot `void` the payment; nor can a chain of two", async () => {
  const dir = point();
  const ok = async (args: string[], pin?: string, supervisorPin?: string, env?: NodeJS.ProcessEnv) => {
    const r = await run(dir, args, pin, supervisorPin, env);
    assert.equal(r.code, 0, r.err);
    return r;
  };
  await ok(['user', 'add', 'GS01', '--name', 'Trần Văn Giám', '--role', 'supervisor'], '987654');
  await ok(['shift', 'open', '--cashier', 'GS01', '--float', '0'], '987654');
  await ok(['collect', 'PC12AA0000001', '--cashier', 'GS01', '--bills', 'H10', '--key', 'k-1']);
  await ok(['user', 'add', 'GS02', '--name', 'Bản sao', '--role', 'supervisor', '--supervisor', 'GS01'], '555555', '987654');
  const byAlterEgo = await run(dir, ['void', 'DT0001-26-000001', '--reason', 'nhầm', '--supervisor', 'GS02'], '555555');
  assert.equal(byAlterEgo.code, 2);
  assert.match(byAlterEgo.err, /\[VOID_LINKED_USERS\]/);

  // Now two supervisors: the next one needs both, with the second PIN from its own variable.
  const add = ['user', 'add', 'GS03', '--name', 'Bản sao 2', '--role', 'supervisor', '--supervisor', 'GS02'];
  assert.match((await run(dir, add, '565656', '555555')).err, /\[SECOND_SUPERVISOR_REQUIRED\]/);
  assert.match((await run(dir, [...add, '--second-supervisor', 'GS02'], '565656', '555555', { DIEMTHU_SECOND_SUPERVISOR_PIN: '555555' })).err, /\[SECOND_SUPERVISOR_REQUIRED\]/);
  await ok([...add, '--second-supervisor', 'GS01'], '565656', '555555', { DIEMTHU_SECOND_SUPERVISOR_PIN: '987654' });
  assert.match((await run(dir, ['void', 'DT0001-26-000001', '--reason', 'nhầm', '--supervisor', 'GS03'], '565656')).err, /\[VOID_LINKED_USERS\]/);

  const list = JSON.parse((await ok(['user', 'list', '--json'])).out) as { value: Array<{ code: string; approvedBy: string[] }> };
  assert.deepEqual(list.value.map((u) => [u.code, u.approvedBy]), [['GS01', []], ['GS02', ['GS01']], ['GS03', ['GS02', 'GS01']]]);
  const ctx = openContext(dir);
  const actors = ctx.sqlite.prepare("SELECT u.code FROM journal j JOIN users u ON u.id = j.actor_id WHERE j.kind = 'user_added' ORDER BY j.id").all();
  assert.deepEqual(actors, [{ code: 'GS01' }, { code: 'GS01' }, { code: 'GS02' }]);
  assert.equal(count(ctx, 'payments', 'voided_at IS NOT NULL'), 0);
  ctx.close();
});

test('[#15] CLI: `user pin` changes one\'s own PIN, to 6-8 digits', async () => {
  const dir = point();
  assert.equal((await run(dir, ['user', 'add', 'GS01', '--name', 'Trần Văn Giám', '--role', 'supervisor'], '987654')).code, 0);
  assert.match((await run(dir, ['user', 'pin', 'GS01'], '987654', undefined, { DIEMTHU_NEW_PIN: '2468' })).err, /\[PIN_INVALID\]/);
  assert.match((await run(dir, ['user', 'pin', 'GS01'], '111111', undefined, { DIEMTHU_NEW_PIN: '24681357' })).err, /\[LOGIN_FAILED\]/);
  const changed = await run(dir, ['user', 'pin', 'GS01'], '987654', undefined, { DIEMTHU_NEW_PIN: '24681357' });
  assert.equal(changed.out.trim(), 'Đã đổi PIN của GS01.');
  assert.match((await run(dir, ['user', 'pin', 'GS01'], '987654', undefined, { DIEMTHU_NEW_PIN: '13572468' })).err, /\[LOGIN_FAILED\]/);
});
