import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { openContext } from '../../electron/store/context.ts';
import { collectWorld, count } from '../helpers/collect-fixture.ts';
import { seedSnapshot } from '../helpers/seed.ts';

const WORKER = fileURLToPath(new URL('../workers/pay-same-bill.ts', import.meta.url));
const PROCESSES = 5;
const ATTEMPTS_EACH = 10;

function runWorker(args: string[]): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WORKER, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += String(d)));
    child.stderr.on('data', (d: Buffer) => (err += String(d)));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as string[]) : reject(new Error(`worker exit ${code}: ${err}`))));
  });
}

test(`${PROCESSES * ATTEMPTS_EACH} concurrent attempts from ${PROCESSES} processes to pay the same bill give exactly one payment`, async () => {
  const { ctx, cashier } = collectWorld();
  seedSnapshot(ctx, [{ maKhang: 'PC12AA0000001', tenKhang: 'An', dchiKhang: 'x', bills: [{ idHdon: 'A1', thang: 10, nam: 2026, soTien: 100_000 }] }]);
  const dataDir = ctx.dataDir;
  ctx.close();
  // Start together once every process has loaded (tsx start-up takes a while on a busy machine).
  const startAt = String(Date.now() + 4_000);
  const results = await Promise.all(
    Array.from({ length: PROCESSES }, () => runWorker([dataDir, String(cashier.id), 'A1', String(ATTEMPTS_EACH), startAt])),
  );
  const outcomes = results.flat();
  assert.equal(outcomes.length, PROCESSES * ATTEMPTS_EACH);
  const paid = outcomes.filter((o) => o.startsWith('paid:'));
  assert.equal(paid.length, 1, `exactly one payment: ${JSON.stringify(paid)}`);
  const refusals = new Set(outcomes.filter((o) => !o.startsWith('paid:')));
  assert.equal([...refusals].some((r) => r === 'refused:INTERNAL'), false, `refusals are user errors: ${[...refusals].join(', ')}`);

  const check = openContext(dataDir);
  assert.equal(count(check, 'payments'), 1);
  assert.equal(count(check, 'payment_lines', 'voided = 0'), 1);
  assert.equal(count(check, 'journal', "kind = 'payment'"), 1);
  check.close();
});
