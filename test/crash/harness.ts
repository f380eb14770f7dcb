import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openContext } from '../../electron/store/context.ts';
import { initPoint } from '../../electron/store/point.ts';
import { setSettings } from '../../electron/store/settings.ts';
import { addUser } from '../../electron/users/users.ts';
import { openShift } from '../../electron/shifts/shifts.ts';
import { exportClearing } from '../../electron/cmis/write-clearing.ts';
import { verifyJournal } from '../../electron/store/journal.ts';
import { verifyStore } from '../../electron/verify/verify.ts';
import { seedSnapshot, type SeedCustomer } from '../helpers/seed.ts';
import { TEST_PIN_COST } from '../helpers/collect-fixture.ts';
import { ACK_FILE, EXPORT_DIR, planCustomer, readAcks } from './plan.ts';

const CHILD = fileURLToPath(new URL('./child.ts', import.meta.url));
const FORCED = ['before_commit', 'after_commit', 'export_rename', 'export_mark'] as const;

export interface CrashFigures {
  kills: number;
  killsByPoint: Record<string, number>;
  acknowledged: number;
  payments: number;
  acknowledgedLost: number;
  doubledBills: number;
  receiptGaps: number;
  chainBreaks: number;
  /** What `verify` finds besides the chain: money tables against the journal, schema, print documents, anchors. */
  verifyProblems: number;
  integrity: string;
  batches: number;
  batchFilesMismatched: number;
  linesNotExportedOnce: number;
}

/** A seeded sequence in [0, 1), so a failing run can be replayed with the same seed. */
function random(seed: number): () => number {
  let n = 0;
  return () => createHash('sha256').update(`${seed}:${n++}`).digest().readUInt32BE(0) / 2 ** 32;
}

/** A point with one cashier on shift and `customers` customers of one bill each (every 10th cut off). */
function setUp(dataDir: string, customers: number): number {
  const ctx = openContext(dataDir);
  initPoint(ctx, { pointCode: 'DT0001', unitCode: 'PC12AA', pointName: 'Điểm thu thử va chạm' });
  setSettings(ctx.sqlite, { reconnection_fee: 30_000 }, null, new Date());
  const head = addUser(ctx, { code: 'GS01', name: 'Giám sát', role: 'supervisor', pin: '246800', approvedBy: [] }, TEST_PIN_COST);
  const cashier = addUser(ctx, { code: 'TN01', name: 'Thu ngân', role: 'cashier', pin: '123456', approvedBy: [head.id] }, TEST_PIN_COST);
  openShift(ctx, { cashierId: cashier.id, openingFloat: 0 });
  const list: SeedCustomer[] = Array.from({ length: customers }, (_, i) => ({
    maKhang: planCustomer(i),
    tenKhang: `Khách hàng ${i}`,
    dchiKhang: `Số ${i} đường Thử`,
    tthaiCat: i % 10 === 9,
    bills: [{ idHdon: `HD${i}`, thang: 10, nam: 2026, soTien: 10_000 + i, tienGtgt: 1_000 }],
  }));
  seedSnapshot(ctx, list);
  ctx.close();
  return cashier.id;
}

type ChildEnd = 'killed_by_parent' | 'killed_itself' | 'finished';

/** Runs the child once: it kills itself at a forced point (env), or the parent kills it `killAfterMs` after it is ready. */
function runChild(args: string[], env: Record<string, string>, killAfterMs: number): Promise<ChildEnd> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let out = '';
    let err = '';
    let timer: NodeJS.Timeout | undefined;
    let killedByParent = false;
    child.stdout.on('data', (d: Buffer) => {
      out += String(d);
      if (timer === undefined && out.startsWith('ready\n')) {
        timer = setTimeout(() => {
          killedByParent = true;
          child.kill('SIGKILL');
        }, killAfterMs);
      }
    });
    child.stderr.on('data', (d: Buffer) => (err += String(d)));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal === 'SIGKILL') resolve(killedByParent ? 'killed_by_parent' : 'killed_itself');
      else if (code === 0 && out.includes('finished')) resolve('finished');
      else reject(new Error(`crash child failed (exit ${code}): ${err}`));
    });
  });
}

/** The checks after the run: what the issue asks to print, all of them 0 / ok in a sound system. */
export function check(dataDir: string): Omit<CrashFigures, 'kills' | 'killsByPoint'> {
  const ctx = openContext(dataDir);
  const { sqlite } = ctx;
  // A last clean export, so every payment must end up in exactly one complete batch.
  exportClearing(ctx, { outDir: join(dataDir, EXPORT_DIR) });
  const acks = readAcks(join(dataDir, ACK_FILE));
  const byKey = sqlite.prepare('SELECT receipt_no FROM payments WHERE idempotency_key = ?');
  const acknowledgedLost = acks.filter((a) => (byKey.get(a.key) as { receipt_no: string } | undefined)?.receipt_no !== a.receiptNo).length;
  const one = <T>(sql: string) => sqlite.prepare(sql).get() as T;
  const doubledBills = one<{ n: number }>(
    `SELECT COUNT(*) AS n FROM (SELECT bill_id FROM payment_lines WHERE voided = 0 AND bill_id IS NOT NULL GROUP BY bill_id HAVING COUNT(*) > 1)`,
  ).n + one<{ n: number }>(`SELECT COUNT(*) AS n FROM (SELECT customer_id FROM payments GROUP BY customer_id HAVING COUNT(*) > 1)`).n;
  const gaps = one<{ n: number; max: number | null }>('SELECT COUNT(*) AS n, MAX(receipt_seq) AS max FROM payments');
  const receiptGaps = (gaps.max ?? 0) - gaps.n;
  const chain = verifyJournal(sqlite);
  const verifyProblems = verifyStore(ctx).problemCount;
  const integrity = (sqlite.pragma('integrity_check', { simple: true }) as string) ?? '';
  // Every file of every batch on disk with the bytes recorded, every batch complete, and no clearing file on disk that is no batch's.
  const batches = sqlite.prepare('SELECT csv_name, csv_sha256, reconnection_sha256, sms_sha256, manifest, manifest_sha256, out_dir, status FROM clearing_batches').all() as {
    csv_name: string; csv_sha256: string; reconnection_sha256: string; sms_sha256: string | null; manifest: string; manifest_sha256: string; out_dir: string; status: string;
  }[];
  const known = new Set<string>();
  const batchFilesMismatched = batches.filter((b) => {
    const manifest = JSON.parse(b.manifest) as { reconnectionFile: string; smsFile?: string };
    const files: Array<readonly [string, string]> = [
      [b.csv_name, b.csv_sha256],
      [manifest.reconnectionFile, b.reconnection_sha256],
      [b.csv_name.replace(/\.csv$/, '.json'), b.manifest_sha256],
    ];
    // the batch's payment confirmations (TINNHAN), a file of the batch like the others
    if (manifest.smsFile !== undefined) files.push([manifest.smsFile, b.sms_sha256 ?? '']);
    for (const [name] of files) known.add(join(b.out_dir, name));
    const differs = ([name, sha]: readonly [string, string]) => {
      const path = join(b.out_dir, name);
      return !fs.existsSync(path) || createHash('sha256').update(fs.readFileSync(path)).digest('hex') !== sha;
    };
    return b.status !== 'complete' || files.some(differs);
  }).length + (fs.existsSync(join(dataDir, EXPORT_DIR)) ? fs.readdirSync(join(dataDir, EXPORT_DIR)) : []).filter((n) => !known.has(join(dataDir, EXPORT_DIR, n))).length;
  const linesNotExportedOnce = one<{ n: number }>(
    `SELECT (SELECT COUNT(*) FROM payment_lines l JOIN payments p ON p.id = l.payment_id WHERE p.batch_id IS NULL AND p.voided_at IS NULL)
          + ABS((SELECT COUNT(*) FROM payment_lines l JOIN payments p ON p.id = l.payment_id WHERE p.voided_at IS NULL) - (SELECT COALESCE(SUM(row_count), 0) FROM clearing_batches)) AS n`,
  ).n;
  const payments = one<{ n: number }>('SELECT COUNT(*) AS n FROM payments').n;
  ctx.close();
  return {
    acknowledged: acks.length,
    payments,
    acknowledgedLost,
    doubledBills,
    receiptGaps,
    chainBreaks: chain.ok ? 0 : 1,
    verifyProblems,
    integrity,
    batches: batches.length,
    batchFilesMismatched,
    linesNotExportedOnce,
  };
}

/**
 * Kills a collecting child `kills` times: half at random moments, half at the forced points in turn.
 * Then checks the database and the clearing files.
 */
export async function runCrashHarness(options: { dataDir: string; kills: number; seed?: number; log?: (line: string) => void }): Promise<CrashFigures> {
  const rnd = random(options.seed ?? 1);
  // Enough customers that no machine runs out of them before the last kill: a random kill comes up to
  // 250 ms after the child is ready, and a fast idle machine collects a payment a millisecond or less
  // (40 a kill was three quarters used on the loaded development machine: a faster runner would finish the
  // plan, stop short of its kills and fail).
  const planSize = options.kills * 250 + 200;
  const cashierId = setUp(options.dataDir, planSize);
  const killsByPoint: Record<string, number> = {};
  let kills = 0;
  while (kills < options.kills) {
    const forced = rnd() < 0.5 ? FORCED[kills % FORCED.length]! : null;
    const env: Record<string, string> = forced === null ? {} : { CRASH_AT: forced, CRASH_AFTER: String(Math.floor(rnd() * 20)) };
    // A forced child kills itself within a few payments; the long limit only catches one that never reaches its point.
    const end = await runChild([options.dataDir, String(cashierId), String(planSize)], env, forced === null ? Math.floor(rnd() * 250) : 60_000);
    if (end === 'finished') break; // the plan ran out
    if (forced !== null && end !== 'killed_itself') throw new Error(`the child never reached the forced point ${forced}`);
    kills++;
    const point = forced ?? 'random';
    killsByPoint[point] = (killsByPoint[point] ?? 0) + 1;
    if (kills % 50 === 0) options.log?.(`${kills} kills...`);
  }
  return { kills, killsByPoint, ...check(options.dataDir) };
}
