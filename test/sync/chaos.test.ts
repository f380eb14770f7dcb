import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { sql } from 'kysely';
import { AppError, isAppError } from '../../electron/core/errors.ts';
import { voidPayment } from '../../electron/payments/voids.ts';
import { exportClearing } from '../../electron/cmis/write-clearing.ts';
import { paymentBodies } from '../../electron/sync/events.ts';
import { outboxCounts } from '../../electron/sync/outbox.ts';
import { openSyncConflicts } from '../../electron/sync/pulled.ts';
import { paymentHash } from '../../protocol/payment.ts';
import { openDb } from '../../server/db/connect.ts';
import { migrate } from '../../server/db/migrate.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { testDatabase } from '../server/pg.ts';
import { startServe, type Served } from '../server/cli-process.ts';
import { chaosProxy } from './chaos-proxy.ts';
import { customers, syncPoint, withPush, type SyncPoint } from './helpers.ts';
import type { SeedCustomer } from '../helpers/seed.ts';
import { rng } from '../../fixtures/generate-snapshot.ts';

/**
 * Five points collect through the real services into their own SQLite files and sync through a proxy
 * that drops, delays and cuts connections, while `diemthu-server serve` (a child process) is killed
 * with SIGKILL twice mid-push and restarted, answers are lost after the server committed; point clocks are skewed by up to ±10 minutes; some bills
 * are paid at two points. Scale: DIEMTHU_CHAOS_PAYMENTS per point (default 200; the full run
 * is 2000) and DIEMTHU_CHAOS_DOUBLES bills paid twice (default a tenth of that, 200 for the full run).
 */
const POINTS = 5;
const PER_POINT = Number(process.env.DIEMTHU_CHAOS_PAYMENTS ?? 200);
const DOUBLES = Number(process.env.DIEMTHU_CHAOS_DOUBLES ?? Math.floor(PER_POINT / 10));
const VOIDS_PER_POINT = 2;

const url = await testDatabase();
const db = openDb(url);
test.after(() => db.destroy());
await migrate(db);

test(`chaos: ${POINTS} points x ${PER_POINT} payments, ${DOUBLES} bills paid at two points, dropped/cut connections, server killed twice, skewed clocks`, { timeout: 30 * 60_000 }, async () => {
  const random = rng(20261127);
  const started = Date.now();
  // Double bill d is on the snapshot of points d % 5 and (d + 1) % 5; every point has its own customers besides.
  const doubles = customers(5_000_000, DOUBLES);
  const plans: SeedCustomer[][] = Array.from({ length: POINTS }, () => []);
  doubles.forEach((c, d) => {
    plans[d % POINTS]!.push(c);
    plans[(d + 1) % POINTS]!.push(c);
  });
  // The two points of a shared bill are never of one office (a counter that pulled the other's payment
  // refuses the bill: issue 13, item 5), but offices A and B have two points each, so office payments
  // are pulled under the chaos too: pairs (1,2) A-B, (2,3) B-A, (3,4) A-B, (4,5) B-C, (5,1) C-A.
  const offices = ['PGD A', 'PGD B', 'PGD A', 'PGD B', 'PGD C'];
  const points: SyncPoint[] = [];
  for (let i = 0; i < POINTS; i++) {
    const own = customers((i + 1) * 100_000, PER_POINT - plans[i]!.length);
    // Collect order: the shared bills spread through the day.
    const list = [...own, ...plans[i]!].sort(() => random() - 0.5);
    const skewMs = Math.round((random() * 2 - 1) * 10 * 60_000);
    points.push(await syncPoint(db, `CX0${i + 1}`, list, offices[i]!, new Date(Date.parse('2026-11-27T02:00:00.000Z') + skewMs)));
    plans[i] = list;
  }

  const tlsDir = tempDir();
  let served: Served = await startServe(url, tlsDir);
  const pin = served.fingerprint;
  const proxy = await chaosProxy(random, () => Number(new URL(served.url).port));
  const proxyUrl = `https://127.0.0.1:${proxy.port}`;
  test.after(() => {
    if (served.child.exitCode === null && served.child.signalCode === null) served.child.kill('SIGKILL');
  });

  // The server is killed whenever the payments it holds pass 30% and 65% of all: pushes are in flight then.
  let kills = 0;
  let watching = true;
  const watcher = (async () => {
    for (const share of [0.3, 0.65]) {
      while (watching) {
        const { n } = (await sql<{ n: number }>`SELECT count(*)::int AS n FROM payments`.execute(db)).rows[0]!;
        if (n >= share * POINTS * PER_POINT) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      if (!watching) return;
      served.child.kill('SIGKILL');
      await served.exited;
      kills += 1;
      served = await startServe(url, tlsDir);
      assert.equal(served.fingerprint, pin);
    }
  })();

  const errors = new Map<string, number>();
  // Besides the proxy's cuts (which under a heavy load may all land in handshakes), every 5th sync of a
  // point loses the answer of its first push after the server committed it.
  let syncs = 0;
  const loseAnswer = withPush(async (c, body) => {
    await c.push(body);
    throw new AppError('SYNC_NETWORK', 'câu trả lời bị mất');
  });
  const syncQuietly = async (p: SyncPoint) => {
    try {
      return await p.sync(proxyUrl, pin, ++syncs % 5 === 0 ? loseAnswer : undefined);
    } catch (error) {
      if (!isAppError(error)) throw error;
      errors.set(error.code, (errors.get(error.code) ?? 0) + 1);
      return null;
    }
  };
  const voided = new Set<string>();
  const work = points.map(async (p, i) => {
    const plan = plans[i]!;
    let voids = 0;
    const doubleCodes = new Set(doubles.map((c) => c.maKhang));
    for (let next = 0; next < plan.length; ) {
      const burst = 1 + Math.floor(random() * 25);
      for (const c of plan.slice(next, next + burst)) {
        const paid = p.pay(c.maKhang);
        // A few of the point's own payments are voided by the supervisor before export.
        if (!doubleCodes.has(c.maKhang) && voids < VOIDS_PER_POINT && next > plan.length / 3 && random() < 0.05) {
          voids += 1;
          voidPayment(p.ctx, { receiptNo: paid.receiptNo, reason: 'thu nhầm', supervisorId: p.supervisor.id });
          voided.add(paid.receiptNo);
        }
      }
      next += burst;
      await syncQuietly(p);
      await new Promise((resolve) => setTimeout(resolve, Math.floor(random() * 30)));
    }
    // The server is killed twice while pushes are in flight. A point that is through its payments before the
    // second kill (they are local: its syncs may all have failed while a killed server restarted) keeps
    // pushing until then, so the kills never depend on how the points and the restarts interleave.
    for (let extra = 0; kills < 2; extra++) {
      assert.ok(extra < 5_000, 'the server came back and took the payments');
      await syncQuietly(p);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.equal(exportClearing(p.ctx, { outDir: join(tempDir(), 'usb') }).code, 'EXPORTED');
    await syncQuietly(p);
  });
  await Promise.all(work);
  watching = false;
  await watcher;

  // The network heals: every point syncs until nothing waits (then once more, so each pulls the others' conflicts).
  proxy.calm();
  for (let round = 0; points.some((p) => outboxCounts(p.ctx.sqlite).waiting > 0) || round < 2; round++) {
    assert.ok(round < 20, 'the outboxes drain once the network is back');
    for (const p of points) await syncQuietly(p);
  }

  const total = POINTS * PER_POINT;
  const server = (await sql<{ payments: number; voided: number; batches: number; refused: number; live_bills: number; conflicts: number }>`
    SELECT (SELECT count(*)::int FROM payments) AS payments,
           (SELECT count(*)::int FROM payments WHERE voided_at IS NOT NULL) AS voided,
           (SELECT count(*)::int FROM point_batches) AS batches,
           (SELECT count(*)::int FROM refused_bodies) AS refused,
           (SELECT count(DISTINCT id_hdon)::int FROM payment_lines WHERE live) AS live_bills,
           (SELECT count(*)::int FROM conflicts) AS conflicts`.execute(db)).rows[0]!;
  assert.deepEqual(server, { payments: total, voided: voided.size, batches: POINTS, refused: 0, live_bills: total - DOUBLES - voided.size, conflicts: DOUBLES });

  // Every payment on the server once, with the body its point holds.
  const stored = new Map((await sql<{ receipt_no: string; body_sha256: string }>`SELECT receipt_no, body_sha256 FROM payments`.execute(db)).rows.map((r) => [r.receipt_no, r.body_sha256]));
  for (const p of points) {
    const ids = p.ctx.sqlite.prepare('SELECT id FROM payments').pluck().all() as number[];
    for (const body of paymentBodies(p.ctx.sqlite, ids).values()) assert.equal(stored.get(body.receiptNo), paymentHash(body), body.receiptNo);
    assert.deepEqual(outboxCounts(p.ctx.sqlite), { waiting: 0, oldestWaiting: null, refused: 0 }, p.code);
  }
  assert.equal(stored.size, total);

  // The conflicts are exactly the bills paid twice, one each, and each of the two points has it in its "trùng thu" list.
  const conflicts = (await sql<{ id_hdon: string }>`SELECT id_hdon FROM conflicts WHERE status = 'open' ORDER BY id_hdon`.execute(db)).rows.map((r) => r.id_hdon);
  assert.deepEqual(conflicts, doubles.map((c) => c.bills![0]!.idHdon).sort());
  doubles.forEach((c, d) => {
    for (const i of [d % POINTS, (d + 1) % POINTS]) {
      assert.ok(openSyncConflicts(points[i]!.ctx.sqlite).some((x) => x.idHdon === c.bills![0]!.idHdon), `${points[i]!.code} lists ${c.bills![0]!.idHdon}`);
    }
  });

  // Office payments came through the chaos too: each point of offices A and B holds every payment of the other, voids marked.
  for (const [i, j] of [[0, 2], [2, 0], [1, 3], [3, 1]] as const) {
    const office = points[i]!.ctx.sqlite.prepare('SELECT COUNT(*) AS n, SUM(voided) AS voided FROM sync_office_payments WHERE point_code = ?').get(points[j]!.code);
    const own = points[j]!.ctx.sqlite.prepare('SELECT COUNT(*) AS n, SUM(voided_at IS NOT NULL) AS voided FROM payments').get();
    assert.deepEqual(office, own, `${points[i]!.code} knows ${points[j]!.code}'s payments`);
  }

  // Answers lost after the server committed: the point learnt them from lastSeq (seen) or got them again (duplicate).
  const repeats = points.reduce((n, p) => n + (p.ctx.sqlite.prepare("SELECT COUNT(*) FROM sync_outbox WHERE status IN ('seen', 'duplicate')").pluck().get() as number), 0);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const figures = { seconds, kills, repeats, proxy: proxy.stats, errors: Object.fromEntries(errors) };
  process.stdout.write(`# chaos figures: ${JSON.stringify(figures)}\n`);
  assert.equal(kills, 2);
  assert.ok(repeats > 0, 'answers were lost, so pushes were repeated');
  assert.ok(proxy.stats.dropped > 0 && proxy.stats.cut > 0, 'the proxy dropped and cut connections');
});
