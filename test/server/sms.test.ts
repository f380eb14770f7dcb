import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { isAppError } from '../../electron/core/errors.ts';
import { ingestMessages } from '../../server/sms/ingest.ts';
import { httpGateway, parseGatewayProfile, type Gateway } from '../../server/sms/gateway.ts';
import { inSendWindow, pollReports, sendDue, smsStatus, type SendRun } from '../../server/sms/sender.ts';
import { serverCli } from './cli-process.ts';
import { sendWindow } from '../../electron/sms/messages.ts';
import { openDb, type ServerDb } from '../../server/db/connect.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { serverDb } from './helpers.ts';
import { fakeGateway, type Fault } from './fake-gateway.ts';
import { noticeFile } from './sms-files.ts';

/** 15:00 on 27/11/2026, Việt Nam time. */
const AFTERNOON = new Date('2026-11-27T08:00:00.000Z');
const HOUR = 3_600_000;

/** The gateway as the sender sees it, counting sends of a MA_TIN after the sender got its acceptance. */
function watched(inner: Gateway): { gateway: Gateway; sentAfterAck: () => number } {
  const acknowledged = new Set<string>();
  let again = 0;
  const gateway: Gateway = {
    name: inner.name,
    ratePerSecond: inner.ratePerSecond,
    reports: (cursor) => inner.reports(cursor),
    async send(m) {
      if (acknowledged.has(m.maTin)) again++;
      const outcome = await inner.send(m);
      if (outcome.kind === 'accepted') acknowledged.add(m.maTin);
      return outcome;
    },
  };
  return { gateway, sentAfterAck: () => again };
}

const states = async (db: ServerDb) =>
  Object.fromEntries((await sql<{ state: string; n: number }>`SELECT state, count(*)::int AS n FROM sms_messages GROUP BY state ORDER BY state`.execute(db)).rows.map((r) => [r.state, r.n]));

test('sms ingest queues each MA_TIN once: the same file twice changes nothing, another body for a MA_TIN is refused and counted, a bad row refuses the file', async () => {
  const { db } = await serverDb();
  const dir = tempDir();
  const file = noticeFile(dir, 50);
  const first = await ingestMessages(db, file);
  assert.deepEqual([first.rows, first.queued, first.duplicates, first.refused, first.alreadyIngested], [50, 50, 0, 0, false]);
  const before = await sql`SELECT * FROM sms_messages ORDER BY ma_tin`.execute(db);
  const again = await ingestMessages(db, file);
  assert.equal(again.alreadyIngested, true);
  assert.deepEqual((await sql`SELECT * FROM sms_messages ORDER BY ma_tin`.execute(db)).rows, before.rows, 'the same file twice changes nothing');

  // The same messages in another file (40 of them) and 10 whose amount changed: duplicates and refusals.
  const other = join(dir, 'other');
  mkdirSync(other);
  const changed = noticeFile(other, 60, { amount: 260_000 });
  const lines = readFileSync(changed, 'utf8').split('\r\n');
  const original = readFileSync(file, 'utf8').split('\r\n');
  writeFileSync(changed, [...original.slice(0, 41), ...lines.slice(41)].join('\r\n'));
  const mixed = await ingestMessages(db, changed);
  assert.deepEqual([mixed.rows, mixed.queued, mixed.duplicates, mixed.refused], [60, 10, 40, 10]);
  assert.equal((await sql<{ n: number }>`SELECT count(*)::int AS n FROM sms_refused`.execute(db)).rows[0]!.n, 10);
  const kept = await sql<{ body: string }>`SELECT body FROM sms_messages WHERE ma_tin = ${mixed.refusedIds[0]!}`.execute(db);
  assert.match(kept.rows[0]!.body, /250\.000/, 'the first body stays');

  const broken = join(dir, 'broken');
  mkdirSync(broken);
  const bad = noticeFile(broken, 3, { unit: 'PC12BB' });
  writeFileSync(bad, readFileSync(bad, 'utf8').replace(/,849(\d{8}),/, ',0912345678,'));
  await assert.rejects(ingestMessages(db, bad), (e: unknown) => isAppError(e) && e.code === 'SMS_FILE_INVALID' && /dòng 2: SO_DTHOAI "0912345678"/.test(e.message));
  assert.equal((await sql<{ n: number }>`SELECT count(*)::int AS n FROM sms_messages WHERE unit = 'PC12BB'`.execute(db)).rows[0]!.n, 0);
});

test('the sender against a gateway that fails, times out, cuts, answers twice and reports late, two senders at once: each message at the gateway once, none acknowledged sent again, none lost', async () => {
  const { db, url } = await serverDb();
  const db2 = openDb(url);
  test.after(() => db2.destroy());
  const dir = tempDir();
  const file = noticeFile(dir, 300);
  await ingestMessages(db, file);
  const ids = (await sql<{ ma_tin: string }>`SELECT ma_tin FROM sms_messages ORDER BY ma_tin`.execute(db)).rows.map((r) => r.ma_tin);
  const faultOf = new Map<string, Fault>();
  ids.forEach((id, i) => {
    if (i % 17 === 3) faultOf.set(id, 'reject');
    else if (i % 7 === 1) faultOf.set(id, 'error500');
    else if (i % 11 === 2) faultOf.set(id, 'timeout');
    else if (i % 13 === 5) faultOf.set(id, 'cut');
  });
  const gw = await fakeGateway({ fault: (id, attempt) => (attempt === 1 || faultOf.get(id) === 'reject' ? (faultOf.get(id) ?? null) : null), holdMs: 2000, reportTwice: true, lateReports: true });
  const profile = parseGatewayProfile({ timeoutMs: 1000, ratePerSecond: 2000 });
  const { gateway, sentAfterAck } = watched(httpGateway(gw.url, profile));
  let now = AFTERNOON;
  const clock = () => now;
  const common = { gateway, clock, backoffMs: 60_000, parallel: 8, batch: 40 };
  const runs: SendRun[] = [];
  for (let pass = 0; pass < 6; pass++) {
    runs.push(...(await Promise.all([sendDue(db, { ...common, owner: 'A' }), sendDue(db2, { ...common, owner: 'B' })])));
    now = new Date(now.getTime() + HOUR);
  }
  const total = (k: 'claimed' | 'sent' | 'retried' | 'failed') => runs.reduce((n, r) => n + r[k], 0);
  const rejected = [...faultOf.values()].filter((f) => f === 'reject').length;
  assert.deepEqual(gw.protocolErrors, []);
  assert.equal(gw.accepted.size, ids.length - rejected, 'every message but the refused ones is at the gateway');
  assert.equal(sentAfterAck(), 0, 'no message sent again after the gateway acknowledged it');
  assert.equal(total('sent'), ids.length - rejected);
  assert.equal(total('failed'), rejected);
  assert.ok(runs.filter((r) => r.claimed > 0).length >= 2 && runs[0]!.claimed > 0 && runs[1]!.claimed > 0, 'both senders worked');
  assert.deepEqual(await states(db), { failed: rejected, sent: ids.length - rejected });
  // The timed-out and cut ones were at the gateway already: the retry got "duplicate" with the first id
  // (an answer late only because the machine is busy is in doubt too, and goes the same way).
  const inDoubt = [...faultOf].filter(([, f]) => f === 'timeout' || f === 'cut').map(([id]) => id);
  assert.ok(gw.duplicates >= inDoubt.length, `${gw.duplicates} repeats for ${inDoubt.length} in doubt`);
  const recorded = await sql<{ ma_tin: string; gateway_id: string }>`SELECT ma_tin, gateway_id FROM sms_messages WHERE ma_tin = ANY(${inDoubt}::text[])`.execute(db);
  for (const r of recorded.rows) assert.equal(r.gateway_id, gw.accepted.get(r.ma_tin)!.messageId);

  // Reports: none yet (late), then every one listed twice: recorded once each.
  assert.equal((await pollReports(db, gateway)).reports, 0);
  gw.releaseReports();
  const reports = await pollReports(db, gateway);
  assert.equal(reports.delivered, ids.length - rejected);
  assert.equal(reports.repeated, ids.length - rejected);
  assert.equal((await pollReports(db, gateway)).reports, 0, 'the cursor moved on');
  assert.deepEqual(await states(db), { delivered: ids.length - rejected, failed: rejected });
  assert.deepEqual(await smsStatus(db), [{ day: '2026-11-27', type: 'TBTD', queued: 0, sent: 0, delivered: ids.length - rejected, failed: rejected, expired: 0 }]);
  await assert.rejects(sql`UPDATE sms_messages SET state = 'queued' WHERE state = 'delivered'`.execute(db), /never sent again/);
  console.log(`fake gateway: ${ids.length} messages, ${gw.requests} requests (${total('retried')} retries, ${gw.duplicates} answered as repeats), ${gw.accepted.size} at the gateway, ${rejected} refused, sent again after acknowledgement ${sentAfterAck()}`);
});

test('nothing goes out before 07:00 or from 21:00, a message past HET_HAN expires unsent, and the rate limit paces the gateway', async () => {
  const { db } = await serverDb();
  await ingestMessages(db, noticeFile(tempDir(), 40));
  const gw = await fakeGateway();
  const gateway = httpGateway(gw.url, parseGatewayProfile({ ratePerSecond: 50 }));
  for (const at of ['2026-11-27T14:00:00.000Z', '2026-11-27T23:59:00.000Z']) {
    const run = await sendDue(db, { gateway, owner: 'A', clock: () => new Date(at) }); // 21:00 and 06:59 in Việt Nam
    assert.deepEqual([run.outsideWindow, run.claimed], [true, 0], at);
  }
  assert.equal(gw.requests, 0);
  const started = Date.now();
  const run = await sendDue(db, { gateway, owner: 'A', clock: () => AFTERNOON, batch: 20, maxBatches: 1 });
  const seconds = (Date.now() - started) / 1000;
  assert.equal(run.sent, 20);
  assert.ok(seconds >= 19 / 50 - 0.02, `20 sends at 50/s take at least 0.38 s (took ${seconds})`);
  // 30/11 14:00 is HET_HAN: the other 20 expire unsent.
  const late = await sendDue(db, { gateway, owner: 'A', clock: () => new Date('2026-11-30T07:00:00.000Z') });
  assert.deepEqual([late.expired, late.claimed], [20, 0]);
  assert.equal(gw.requests, 20);
  assert.deepEqual(await states(db), { expired: 20, sent: 20 });
});

test('a sender killed mid-batch (SIGKILL): after its lease another sender sends the rest with the same keys; nothing lost, nothing twice at the gateway', async () => {
  const { db, url } = await serverDb();
  await ingestMessages(db, noticeFile(tempDir(), 120));
  const holder: { child?: ChildProcess } = {};
  const gw = await fakeGateway({ onRequest: (_id, count) => (count === 30 ? holder.child?.kill('SIGKILL') : undefined) });
  const child = (holder.child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./sms-sender-child.ts', import.meta.url)), url, gw.url, AFTERNOON.toISOString()], { stdio: 'ignore' }));
  const exit = await new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  assert.equal(exit, 'SIGKILL');
  const left = await states(db);
  assert.ok((left.sending ?? 0) > 0, `the killed sender left claimed messages: ${JSON.stringify(left)}`);
  const gateway = httpGateway(gw.url, parseGatewayProfile({ ratePerSecond: 2000 }));
  // Before the lease runs out the claimed messages are not touched; after it, they are sent again.
  await sendDue(db, { gateway, owner: 'B', clock: () => new Date(AFTERNOON.getTime() + 30_000) });
  assert.equal((await states(db)).sending, left.sending, 'a live lease is respected');
  await sendDue(db, { gateway, owner: 'B', clock: () => new Date(AFTERNOON.getTime() + 61_000) });
  assert.deepEqual(await states(db), { sent: 120 });
  assert.equal(gw.accepted.size, 120, 'every message at the gateway');
  const rows = await sql<{ ma_tin: string; gateway_id: string }>`SELECT ma_tin, gateway_id FROM sms_messages`.execute(db);
  for (const r of rows.rows) assert.equal(r.gateway_id, gw.accepted.get(r.ma_tin)!.messageId, `${r.ma_tin} once at the gateway`);
  // Only messages whose acknowledgement died with the sender went again, and the gateway dropped them as repeats.
  assert.ok(gw.sendsAfterAck <= (left.sending ?? 0) && gw.duplicates === gw.sendsAfterAck, `${gw.sendsAfterAck} after ack, ${gw.duplicates} repeats`);
});

test('diemthu-server sms ingest, send and status as commands: counts by day and type, the same file twice changes nothing', async () => {
  const { url } = await serverDb();
  // Made now, as the company would: the command runs on the real clock.
  const madeAt = new Date();
  const file = noticeFile(tempDir(), 5, { madeAt });
  const first = await serverCli(['sms', 'ingest', file, '--database', url, '--json']);
  assert.equal(first.code, 0, first.stderr);
  assert.equal((JSON.parse(first.stdout) as { value: { queued: number }[] }).value[0]!.queued, 5);
  const again = await serverCli(['sms', 'ingest', file, '--database', url]);
  assert.match(again.stdout, /đã được nhập trước đó: không thay đổi gì/);
  const gw = await fakeGateway();
  const openBefore = inSendWindow(new Date());
  const sent = await serverCli(['sms', 'send', '--gateway', gw.url, '--database', url, '--json']);
  assert.equal(sent.code, 0, sent.stderr);
  const run = (JSON.parse(sent.stdout) as { value: { send: SendRun } }).value.send;
  // The command runs on the real clock: inside 07:00-21:00 (Việt Nam) it sends, outside it waits. The
  // window as the clock had it while the command ran (07:00 or 21:00 may pass during it on a slow machine).
  const open = !run.outsideWindow;
  assert.ok(open === openBefore || open === inSendWindow(new Date()), `outsideWindow ${run.outsideWindow} at ${new Date().toISOString()}`);
  assert.equal(run.sent, open ? 5 : 0);
  const [d, m, y] = sendWindow(madeAt).guiTu.slice(0, 10).split('/');
  const status = await serverCli(['sms', 'status', '--database', url, '--json']);
  assert.deepEqual((JSON.parse(status.stdout) as { value: unknown }).value, [{ day: `${y}-${m}-${d}`, type: 'TBTD', queued: open ? 0 : 5, sent: 0, delivered: open ? 5 : 0, failed: 0, expired: 0 }]);
  const bad = await serverCli(['sms', 'ingest', join(tempDir(), 'GACHNO_PT01_20261127_01.csv'), '--database', url]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /\[SMS_FILE_NAME\]/);
});
