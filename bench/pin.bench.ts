// The cost of one PIN check at the real scrypt cost (PIN_COST), through verifyPin: key file read,
// IMMEDIATE transaction, scrypt over HMAC(key, PIN), journal row. Budget: <= 150 ms at the counter.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openContext } from '../electron/store/context.ts';
import { PIN_COST } from '../electron/core/pin-hash.ts';
import { addUser, verifyPin } from '../electron/users/users.ts';

const CHECKS = 20;

export async function run(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'diemthu-pin-'));
  const ctx = openContext(dataDir);
  addUser(ctx, { code: 'GS01', name: 'Giám sát đo', role: 'supervisor', pin: '48151623', approvedBy: [] });
  const times: number[] = [];
  for (let i = 0; i < CHECKS; i++) {
    const t0 = process.hrtime.bigint();
    verifyPin(ctx, 'GS01', '48151623');
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!.toFixed(0);
  console.log(`PIN check (scrypt N=${PIN_COST.N} r=${PIN_COST.r} p=${PIN_COST.p} over HMAC-SHA256 with the key file), ${CHECKS} checks:`);
  console.log(`  min ${times[0]!.toFixed(0)} ms, median ${at(0.5)} ms, max ${times[times.length - 1]!.toFixed(0)} ms (budget <= 150 ms)`);
  ctx.close();
  rmSync(dataDir, { recursive: true, force: true });
}
