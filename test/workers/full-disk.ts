// Child process of test/disk-full.test.ts: a point on a small tmpfs that it mounts itself (as root,
// or as the root of a user namespace under `unshare -Urm`), driven through the real CLI while the
// disk is full, nearly full, then freed. Prints one JSON line: [{step, args, exit, code?, message?, value?}].
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { join } from 'node:path';
import { main } from '../../electron/cli/diemthu.ts';
import { openContext } from '../../electron/store/context.ts';
import { initPoint } from '../../electron/store/point.ts';
import { addUser } from '../../electron/users/users.ts';
import { openShift } from '../../electron/shifts/shifts.ts';
import { collectPayment } from '../../electron/payments/collect.ts';
import { backupNow } from '../../electron/backups/backups.ts';
import { TEST_PIN_COST } from '../helpers/collect-fixture.ts';
import { seedSnapshot } from '../helpers/seed.ts';
import { captureIo } from '../helpers/capture-io.ts';

const mnt = process.argv[2]!;
try {
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', mnt], { stdio: 'pipe' });
} catch (error) {
  process.stderr.write(`MOUNT_DENIED ${String(error)}\n`);
  process.exit(3);
}

const dataDir = join(mnt, 'data');
const usb = join(mnt, 'usb');
const steps: { step: string; args: string[]; exit: number; code?: string; message?: string; value?: unknown }[] = [];

/** Writes `name` until the disk refuses (ENOSPC), after setting aside `reserve` bytes in another file. */
function fill(reserve: number): void {
  if (reserve > 0) fs.writeFileSync(join(mnt, 'reserve'), Buffer.alloc(reserve, 1));
  const fd = fs.openSync(join(mnt, 'filler'), 'a');
  try {
    for (;;) fs.writeSync(fd, Buffer.alloc(4096, 1));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    fs.closeSync(fd);
  }
}

async function run(step: string, args: string[]): Promise<void> {
  const io = captureIo();
  const exit = await main([...args, '--data-dir', dataDir, '--json'], io);
  const answer = io.out() === '' ? { ok: false, error: { code: 'NO_JSON', message: io.err() } } : (JSON.parse(io.out()) as { ok: boolean; value?: unknown; error?: { code: string; message: string } });
  steps.push({ step, args, exit, ...(answer.ok ? { value: answer.value } : { code: answer.error!.code, message: answer.error!.message }) });
}

try {
  const ctx = openContext(dataDir);
  initPoint(ctx, { pointCode: 'DT0001', unitCode: 'PC12AA', pointName: '' });
  const head = addUser(ctx, { code: 'GS00', name: 'Trưởng điểm', role: 'supervisor', pin: '123400', approvedBy: [] }, TEST_PIN_COST);
  const cashier = addUser(ctx, { code: 'TN01', name: 'Thu ngân', role: 'cashier', pin: '123456', approvedBy: [head.id] }, TEST_PIN_COST);
  openShift(ctx, { cashierId: cashier.id, openingFloat: 0 });
  seedSnapshot(ctx, ['PC12AA0000001', 'PC12AA0000002'].map((maKhang, i) => ({ maKhang, tenKhang: `Khách ${i}`, dchiKhang: 'Số 1', bills: [{ idHdon: `HD${i}`, thang: 10, nam: 2026, soTien: 10_000 }] })));
  collectPayment(ctx, { customer: 'PC12AA0000001', cashierId: cashier.id, idempotencyKey: 'k1' });
  const { file: backup } = await backupNow(ctx, { outDir: usb });
  ctx.close();

  fill(36 * 1024);
  await run('full', ['status']);
  await run('full', ['collect', 'PC12AA0000002', '--cashier', 'TN01']);
  fs.rmSync(join(mnt, 'reserve'));
  await run('nearly full', ['collect', 'PC12AA0000002', '--cashier', 'TN01']);
  await run('nearly full', ['backup', '--out', usb]);
  await run('nearly full', ['export', '--out', usb]);
  await run('nearly full', ['restore', backup]);
  fs.rmSync(join(mnt, 'filler'));
  await run('freed', ['collect', 'PC12AA0000002', '--cashier', 'TN01']);
  await run('freed', ['export', '--out', usb]);
  await run('freed', ['verify']);
} finally {
  process.stdout.write(JSON.stringify(steps) + '\n');
  execFileSync('umount', ['-l', mnt]);
}
