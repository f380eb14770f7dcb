import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { openContext } from '../../electron/store/context.ts';
import { AppError, isAppError } from '../../electron/core/errors.ts';
import { collectPayment } from '../../electron/payments/collect.ts';
import { voidPayment } from '../../electron/payments/voids.ts';
import { exportClearing } from '../../electron/cmis/write-clearing.ts';
import { refundLines } from '../../electron/payments/refunds.ts';
import { seedSnapshot } from '../helpers/seed.ts';
import { fitBody, syncOnce } from '../../electron/sync/run.ts';
import { MAX_BODY_BYTES, type SyncEvent } from '../../protocol/sync.ts';
import { startSyncLoop, syncStatus, type SyncStatus } from '../../electron/sync/loop.ts';
import { setSettings } from '../../electron/store/settings.ts';
import { officePaidBills, officePaidNotice, openSyncConflicts } from '../../electron/sync/pulled.ts';
import { main } from '../../electron/cli/diemthu.ts';
import { SyncClient } from '../../protocol/client.ts';
import { captureIo } from '../helpers/capture-io.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { moneyState, serverDb, startServer } from '../server/helpers.ts';
import { customers, syncPoint, withPush } from './helpers.ts';

const { db } = await serverDb();
const server = await startServer(db, tempDir());

const serverReceipts = async (point: string) =>
  (await sql<{ receipt_no: string; voided: boolean }>`SELECT receipt_no, voided_at IS NOT NULL AS voided FROM payments WHERE point_code = ${point} ORDER BY receipt_no`.execute(db)).rows;
const statuses = (sqlite: { prepare(s: string): { all(): unknown[] } }) => sqlite.prepare('SELECT seq, kind, status FROM sync_outbox ORDER BY seq').all() as { seq: number; kind: string; status: string }[];

test('a day of one point reaches the server once: payments, a void, the batch, a later payment; a second sync sends nothing', async () => {
  const p = await syncPoint(db, 'PT01', customers(101, 5));
  const paid = [1, 2, 3, 4].map((k) => p.pay(k));
  voidPayment(p.ctx, { receiptNo: paid[1]!.receiptNo, reason: 'thu nhầm', supervisorId: p.supervisor.id });
  assert.equal(exportClearing(p.ctx, { outDir: join(tempDir(), 'usb') }).code, 'EXPORTED');
  p.pay(5);

  const first = await p.sync(server.url, server.pin);
  assert.deepEqual({ pushed: first.pushed, accepted: first.accepted, refused: first.refused, waiting: first.waiting }, { pushed: 7, accepted: 7, refused: [], waiting: 0 });
  assert.deepEqual(await serverReceipts('PT01'), [1, 2, 3, 4, 5].map((n) => ({ receipt_no: `PT01-26-00000${n}`, voided: n === 2 })));
  assert.equal(Number((await sql<{ n: number }>`SELECT count(*) AS n FROM point_batches WHERE point_code = 'PT01'`.execute(db)).rows[0]!.n), 1);
  assert.ok(statuses(p.ctx.sqlite).every((i) => i.status === 'accepted'));

  const before = await moneyState(db);
  const second = await p.sync(server.url, server.pin);
  assert.equal(second.pushed, 0);
  assert.deepEqual(await moneyState(db), before);
});

test('an answer lost after the server committed: the next sync learns it from lastSeq and sends nothing again', async () => {
  const p = await syncPoint(db, 'PT02', customers(201, 3));
  p.pay(1);
  p.pay(2);
  const lostAnswer = withPush(async (c, body) => {
    await c.push(body);
    throw new AppError('SYNC_NETWORK', 'mất câu trả lời');
  });
  await assert.rejects(p.sync(server.url, server.pin, lostAnswer), /mất câu trả lời/);
  assert.ok(statuses(p.ctx.sqlite).every((i) => i.status === 'waiting'));
  assert.deepEqual(p.ctx.sqlite.prepare('SELECT last_error_code FROM sync_state').get(), { last_error_code: 'SYNC_NETWORK' });

  const again = await p.sync(server.url, server.pin);
  assert.deepEqual({ pushed: again.pushed, seen: again.seen, waiting: again.waiting }, { pushed: 0, seen: 2, waiting: 0 });
  assert.equal((await serverReceipts('PT02')).length, 2);
});

test('a push lost on the way (the server never saw it) is sent again', async () => {
  const p = await syncPoint(db, 'PT03', customers(301, 3));
  p.pay(1);
  const lostRequest = withPush(() => Promise.reject(new AppError('SYNC_NETWORK', 'mất yêu cầu')));
  await assert.rejects(p.sync(server.url, server.pin, lostRequest), /mất yêu cầu/);
  p.pay(2);
  const again = await p.sync(server.url, server.pin);
  assert.deepEqual({ pushed: again.pushed, accepted: again.accepted, seen: again.seen }, { pushed: 2, accepted: 2, seen: 0 });
  assert.equal((await serverReceipts('PT03')).length, 2);
});

test('an older copy of the database (a restored backup, numbers carried forward) renumbers its waiting items: its new payment is not taken for one the server has', async () => {
  const p = await syncPoint(db, 'PT04', customers(401, 5));
  p.pay(1);
  await p.sync(server.url, server.pin);
  const backup = join(tempDir(), 'backup.sqlite');
  await p.ctx.sqlite.backup(backup);
  p.pay(2);
  p.pay(3);
  await p.sync(server.url, server.pin); // the server has seen seq 3

  // The PC is replaced: the backup comes back, receipt numbers carried forward as a forced restore does.
  const dir = join(tempDir(), 'restored');
  mkdirSync(dir);
  copyFileSync(backup, join(dir, 'diemthu.sqlite'));
  const restored = openContext(dir, { clock: p.ctx.clock });
  test.after(() => restored.close());
  restored.sqlite.prepare("UPDATE receipt_counters SET last_seq = 3 WHERE point_code = 'PT04'").run();
  const fresh = collectPayment(restored, { customer: 'PC12AA0000404', cashierId: p.cashier.id, idempotencyKey: 'after-restore' });
  assert.equal(fresh.receiptNo, 'PT04-26-000004');
  assert.equal((restored.sqlite.prepare("SELECT seq FROM sync_outbox WHERE status = 'waiting'").get() as { seq: number }).seq, 2, 'the copy reuses seq 2');

  const client = new SyncClient({ url: server.url, token: p.token, pin: server.pin });
  test.after(() => client.close());
  const r = await syncOnce(restored.sqlite, client, { clock: restored.clock });
  assert.deepEqual({ renumbered: r.renumbered, accepted: r.accepted, seen: r.seen }, { renumbered: 1, accepted: 1, seen: 0 });
  assert.deepEqual((await serverReceipts('PT04')).map((x) => x.receipt_no), ['PT04-26-000001', 'PT04-26-000002', 'PT04-26-000003', 'PT04-26-000004']);
});

test('collecting never waits for a sync: while a push is on the network, payments commit here and from another process connection', async () => {
  const p = await syncPoint(db, 'PT05', customers(501, 4));
  p.pay(1);
  // No busy wait on the other connection: a write lock held across the push refuses its payment at once
  // (SQLITE_BUSY) instead of making it wait, so no clock decides the outcome on a busy machine.
  const other = openContext(p.ctx.dataDir, { busyTimeoutMs: 0 });
  test.after(() => other.close());
  let paidDuringPush = false;
  const slow = withPush((c, body) => {
    if (!paidDuringPush) {
      p.pay(2); // same connection
      collectPayment(other, { customer: 'PC12AA0000503', cashierId: p.cashier.id, idempotencyKey: 'other-connection' });
      paidDuringPush = true;
    }
    return c.push(body);
  });
  const r = await p.sync(server.url, server.pin, slow);
  assert.ok(paidDuringPush);
  // The push in flight had only the first payment; the two made meanwhile went in the next chunk of the same sync.
  assert.equal(r.accepted, 3);
  assert.equal(r.waiting, 0);
});

async function cli(args: string[]) {
  const io = captureIo();
  const code = await main(args, io);
  return { code, out: io.out(), err: io.err() };
}

test('diemthu sync: settings saved and used, --json; refusals are a code and a Vietnamese sentence, never a stack, nothing written', async () => {
  const p = await syncPoint(db, 'PT06', customers(601, 2));
  const other = await syncPoint(db, 'PT07', customers(701, 2));
  p.pay(1);
  const dir = p.ctx.dataDir;
  const ok = await cli(['sync', '--data-dir', dir, '--server', server.url, '--token-file', p.tokenFile, '--fingerprint', server.pin, '--save', '--json']);
  assert.equal(ok.code, 0, ok.err);
  assert.equal((JSON.parse(ok.out) as { value: { accepted: number } }).value.accepted, 1);
  p.pay(2);
  const again = await cli(['sync', '--data-dir', dir]);
  assert.equal(again.code, 0, again.err);
  assert.match(again.out, /đã gửi 1 mục \(mới 1/);

  const before = await moneyState(db);
  const refusals: [string[], string][] = [
    [['--server', server.url, '--token-file', p.tokenFile, '--fingerprint', 'AB:'.repeat(31) + 'AB'], 'SYNC_TLS_PIN_MISMATCH'],
    [['--server', server.url, '--token-file', p.tokenFile], 'SYNC_TLS_UNTRUSTED'],
    [['--server', 'https://127.0.0.1:1', '--token-file', p.tokenFile, '--fingerprint', server.pin], 'SYNC_UNREACHABLE'],
    [['--server', server.url, '--token-file', other.tokenFile, '--fingerprint', server.pin], 'POINT_NOT_YOURS'],
    [['--server', server.url, '--token-file', join(tempDir(), 'none'), '--fingerprint', server.pin], 'SYNC_TOKEN_FILE'],
    [['--server', server.url.replace('https', 'http'), '--token-file', p.tokenFile], 'SYNC_URL_INVALID'],
  ];
  for (const [args, code] of refusals) {
    const r = await cli(['sync', '--data-dir', dir, ...args, '--json']);
    assert.equal(r.code, 2, `${code}: ${r.err}`);
    assert.match(r.err, new RegExp(`^\\[${code}\\] \\S`), r.err);
    assert.doesNotMatch(r.err, /\n\s+at /, 'no stack');
    assert.equal((JSON.parse(r.out) as { error: { code: string } }).error.code, code);
  }
  assert.deepEqual(await moneyState(db), before);
  const fresh = await syncPoint(db, 'PT08', []);
  const none = await cli(['sync', '--data-dir', fresh.ctx.dataDir]);
  assert.equal(none.code, 2);
  assert.match(none.err, /^\[SYNC_NOT_CONFIGURED\]/);
});

/** Timers the test fires by hand: each delay the loop asks for is recorded. */
function manualTimers() {
  const delays: number[] = [];
  let pending: (() => void) | null = null;
  return {
    delays,
    timers: {
      setTimeout: (fn: () => void, ms: number) => {
        delays.push(ms);
        pending = fn;
        return fn;
      },
      clearTimeout: () => {
        pending = null;
      },
    },
    /** Runs the scheduled pass and waits until the loop has scheduled the next one. */
    async fire() {
      const fn = pending!;
      pending = null;
      const count = delays.length;
      fn();
      while (delays.length === count) await new Promise((r) => setTimeout(r, 5));
    },
  };
}

test('the background loop: nothing while no server is set; syncs at its interval, backs off while the server is unreachable, raises the alarm when an item waits too long', async () => {
  const p = await syncPoint(db, 'PT09', customers(901, 3));
  const t = manualTimers();
  const statuses: SyncStatus[] = [];
  const loop = startSyncLoop(p.ctx, { log: () => {}, onStatus: (s) => statuses.push(s), timers: t.timers });
  test.after(() => loop.stop());
  await t.fire();
  assert.equal(loop.status().state, 'off');
  assert.equal(t.delays.at(-1), 60_000, 'checks again for settings at the default interval');

  p.pay(1);
  p.now.at = new Date(p.now.at.getTime() + 31 * 60_000);
  setSettings(p.ctx.sqlite, { sync: { serverUrl: 'https://127.0.0.1:1', tokenFile: p.tokenFile, fingerprint: server.pin, intervalSeconds: 30, alarmMinutes: 30 } }, null, p.now.at);
  for (let i = 0; i < 4; i++) await t.fire();
  assert.deepEqual(t.delays.slice(-4), [5_000, 10_000, 20_000, 40_000], 'backs off while unreachable');
  const down = loop.status();
  assert.deepEqual(
    { state: down.state, code: down.lastErrorCode, waiting: down.waiting, alarm: down.alarm, lastSyncAt: down.lastSyncAt },
    { state: 'error', code: 'SYNC_UNREACHABLE', waiting: 1, alarm: true, lastSyncAt: null },
  );

  setSettings(p.ctx.sqlite, { sync: { serverUrl: server.url, tokenFile: p.tokenFile, fingerprint: server.pin, intervalSeconds: 30, alarmMinutes: 30 } }, null, p.now.at);
  await t.fire();
  assert.equal(t.delays.at(-1), 30_000, 'back to the interval after a success');
  const up = syncStatus(p.ctx.sqlite, p.ctx.clock());
  assert.deepEqual({ state: up.state, waiting: up.waiting, alarm: up.alarm, code: up.lastErrorCode }, { state: 'ok', waiting: 0, alarm: false, code: null });
  assert.notEqual(up.lastSyncAt, null);
  assert.deepEqual(statuses.map((x) => x.state), ['error', 'error', 'error', 'error', 'ok'], 'each pass with a server set reports its status');
});

test('counters of one office: the customer card learns a bill was taken at another counter; a bill paid at two counters joins both "trùng thu" lists and status', async () => {
  const list = customers(1001, 3);
  const a = await syncPoint(db, 'QA01', list, 'PGD Phường 9');
  const b = await syncPoint(db, 'QA02', list, 'PGD Phường 9');
  const elsewhere = await syncPoint(db, 'QB01', customers(1101, 1), 'PGD Phường 10');
  const paidAtA = a.pay(1);
  await a.sync(server.url, server.pin);
  await b.sync(server.url, server.pin);
  await elsewhere.sync(server.url, server.pin);
  assert.deepEqual(officePaidBills(b.ctx.sqlite, 'PC12AA0001001'), [
    { idHdon: 'HD0001001', receiptNo: paidAtA.receiptNo, pointCode: 'QA01', paidAt: new Date(Math.floor(Date.parse(paidAtA.paidAt) / 1000) * 1000).toISOString(), cashierCode: 'TN01' },
  ]);
  assert.match(officePaidNotice(officePaidBills(b.ctx.sqlite, 'PC12AA0001001')[0]!), /^Hóa đơn HD0001001 đã thu tại quầy QA01 lúc 27\/11\/2026 \d{2}:\d{2}:\d{2} \(biên nhận QA01-26-000001, thu ngân TN01\)\.$/);
  assert.deepEqual(officePaidBills(a.ctx.sqlite, 'PC12AA0001001'), [], 'a counter is not told about its own payments');
  assert.deepEqual(officePaidBills(elsewhere.ctx.sqlite, 'PC12AA0001001'), [], 'another office sees nothing');

  // Both counters offline take customer 2's bill; B arrives first, so A's receipt is the conflict.
  const atB = b.pay(2);
  const atA = a.pay(2);
  await b.sync(server.url, server.pin);
  const ra = await a.sync(server.url, server.pin);
  assert.deepEqual(ra.conflicts.map((c) => [c.idHdon, c.heldBy]), [['HD0001002', atB.receiptNo]]);
  await b.sync(server.url, server.pin);
  for (const p of [a, b]) {
    assert.deepEqual(
      openSyncConflicts(p.ctx.sqlite).map((c) => [c.idHdon, c.receiptNo, c.heldBy]),
      [['HD0001002', atA.receiptNo, atB.receiptNo]],
      p.code,
    );
  }
  const status = await cli(['status', '--data-dir', a.ctx.dataDir, '--json']);
  const value = (JSON.parse(status.out) as { value: { syncConflicts: unknown[]; sync: { openConflicts: number } } }).value;
  assert.equal(value.syncConflicts.length, 1);
  assert.equal(value.sync.openConflicts, 1);
  const text = await cli(['status', '--data-dir', a.ctx.dataDir]);
  assert.match(text.out, new RegExp(`Trùng thu giữa các điểm thu \\(máy chủ\\): 1\\n  hóa đơn HD0001002: biên nhận ${atA.receiptNo} \\(QA01\\) thu sau biên nhận ${atB.receiptNo} \\(QA02\\)`));
});

test('a body changed in the point database after it was pushed is refused by the server: recorded on its item with the code, the server keeps the first body, the CLI exits 2', async () => {
  const p = await syncPoint(db, 'PT10', customers(1201, 2));
  const paid = p.pay(1);
  await p.sync(server.url, server.pin);
  // Someone with the database file lowers the amount (dropping the trigger that forbids it) and queues the item again.
  const trigger = (p.ctx.sqlite.prepare("SELECT sql FROM sqlite_master WHERE name = 'payment_lines_amounts_fixed'").get() as { sql: string }).sql;
  p.ctx.sqlite.exec('DROP TRIGGER payment_lines_amounts_fixed');
  p.ctx.sqlite.prepare('UPDATE payment_lines SET so_tien = 1000, tong_tien = 1000 + tien_gtgt WHERE payment_id = ?').run(paid.paymentId);
  p.ctx.sqlite.exec(trigger);
  p.ctx.sqlite.prepare("UPDATE sync_outbox SET status = 'waiting', answered_at = NULL WHERE payment_id = ?").run(paid.paymentId);
  // And makes the database look like an older copy, so the item is renumbered and sent again (otherwise lastSeq marks it seen).
  p.ctx.sqlite.prepare('UPDATE sync_state SET max_sent_seq = 0').run();

  const before = (await moneyState(db)) as { payments: unknown[]; lines: unknown[] };
  const r = await cli(['sync', '--data-dir', p.ctx.dataDir, '--server', server.url, '--token-file', p.tokenFile, '--fingerprint', server.pin, '--json']);
  assert.equal(r.code, 2);
  assert.match(r.err, /^\[SYNC_ITEMS_REFUSED\] /);
  assert.match(r.err, /\[PAYMENT_BODY_CHANGED\]/);
  const after = (await moneyState(db)) as { payments: unknown[]; lines: unknown[] };
  assert.deepEqual([after.payments, after.lines], [before.payments, before.lines], 'the server keeps the first body');
  const refused = await sql<{ identity: string }>`SELECT identity FROM refused_bodies WHERE point_code = 'PT10'`.execute(db);
  assert.deepEqual(refused.rows.map((x) => x.identity), [paid.receiptNo]);
  assert.deepEqual(p.ctx.sqlite.prepare('SELECT status, code FROM sync_outbox WHERE payment_id = ?').get(paid.paymentId), { status: 'refused', code: 'PAYMENT_BODY_CHANGED' });
  assert.equal(syncStatus(p.ctx.sqlite, p.ctx.clock()).refused, 1);
});

test('a push never exceeds the server body limit: a long outbox is cut into requests that fit; one item too large for any request is a refusal, not a send', () => {
  const body = (seq: number, name: string): SyncEvent => ({
    kind: 'payment',
    seq,
    payment: { receiptNo: `PT11-26-${String(seq).padStart(6, '0')}`, pointCode: 'PT11', unit: 'PC12AA', maKhang: 'PC12AA0000001', tenKhang: name, paidAt: '2026-11-27T02:00:00Z', cashierCode: 'TN01', lines: [] },
  });
  const events = Array.from({ length: 2000 }, (_, i) => body(i + 1, 'x'.repeat(2000)));
  const head = fitBody(events);
  assert.ok(head.length > 100 && head.length < 2000, `${head.length} events`);
  assert.ok(Buffer.byteLength(JSON.stringify({ protocol: 1, pointCode: 'PT11', events: head })) < MAX_BODY_BYTES);
  assert.throws(() => fitBody([body(1, 'x'.repeat(MAX_BODY_BYTES))]), (e: unknown) => isAppError(e) && e.code === 'SYNC_ITEM_TOO_LARGE');
});

test('a payment whose body the protocol refuses (a name with a trailing space from a hand-made snapshot) is set aside with a code; the items behind it still go', async () => {
  const list = customers(1301, 2);
  list[0] = { ...list[0]!, tenKhang: 'Nguyễn Văn An ' };
  const p = await syncPoint(db, 'PT12', list);
  const bad = p.pay(1);
  const good = p.pay(2);
  const r = await p.sync(server.url, server.pin);
  assert.deepEqual(r.refused.map((x) => x.code), ['SYNC_BODY_INVALID']);
  assert.equal(r.accepted, 1);
  assert.deepEqual((await serverReceipts('PT12')).map((x) => x.receipt_no), [good.receiptNo]);
  assert.deepEqual(p.ctx.sqlite.prepare('SELECT status, code FROM sync_outbox WHERE payment_id = ?').get(bad.paymentId), { status: 'refused', code: 'SYNC_BODY_INVALID' });
  assert.equal((await p.sync(server.url, server.pin)).pushed, 0, 'not sent again');
});

test('a refund reaches the server after its payment, once; a second sync sends nothing', async () => {
  const list = customers(2001, 2);
  const p = await syncPoint(db, 'PT20', list);
  const paid = p.pay(1);
  // The next snapshot no longer lists the bill: paid twice ("trùng thu"), refunded at the counter.
  seedSnapshot(p.ctx, [{ ...list[0]!, bills: [] }, list[1]!], '2026-11-28T00:30:00.000Z');
  const r = refundLines(p.ctx, { receiptNo: paid.receiptNo, bills: [list[0]!.bills![0]!.idHdon], reason: 'Khách đã trả ở ngân hàng', supervisorId: p.supervisor.id, cashierId: p.cashier.id });
  const first = await p.sync(server.url, server.pin);
  assert.deepEqual({ pushed: first.pushed, accepted: first.accepted, refused: first.refused, waiting: first.waiting }, { pushed: 2, accepted: 2, refused: [], waiting: 0 });
  assert.deepEqual(statuses(p.ctx.sqlite), [{ seq: 1, kind: 'payment', status: 'accepted' }, { seq: 2, kind: 'refund', status: 'accepted' }]);
  const stored = await sql<{ receipt_no: string; total: string }>`SELECT receipt_no, total::text FROM refunds WHERE point_code = 'PT20' AND refund_id = ${r.refundId}`.execute(db);
  assert.deepEqual(stored.rows, [{ receipt_no: paid.receiptNo, total: String(r.total) }]);
  assert.equal((await p.sync(server.url, server.pin)).pushed, 0);
});
