// `npm run crash [-- <kills> [seed]]`: the full crash harness (default 1000 kills); prints its figures.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCrashHarness } from './harness.ts';

const kills = Number(process.argv[2] ?? '1000');
const seed = Number(process.argv[3] ?? String(Date.now() % 1_000_000));
const root = mkdtempSync(join(tmpdir(), 'diemthu-crash-'));
const started = Date.now();
console.log(`crash harness: ${kills} kills, seed ${seed}, data in ${root}`);
const f = await runCrashHarness({ dataDir: join(root, 'data'), kills, seed, log: (l) => console.log(l) });
console.log(`kills: ${f.kills} (${Object.entries(f.killsByPoint).map(([k, v]) => `${k} ${v}`).join(', ')}) in ${((Date.now() - started) / 1000).toFixed(0)} s`);
console.log(`payments: ${f.payments}; acknowledged: ${f.acknowledged}; clearing batches: ${f.batches}`);
console.log(`acknowledged payments lost = ${f.acknowledgedLost}`);
console.log(`doubled bills = ${f.doubledBills}`);
console.log(`receipt gaps = ${f.receiptGaps}`);
console.log(`chain breaks = ${f.chainBreaks}; verify problems = ${f.verifyProblems}`);
console.log(`integrity_check = ${f.integrity}`);
console.log(`clearing files not matching their batch = ${f.batchFilesMismatched}; lines not exported exactly once = ${f.linesNotExportedOnce}`);
const sound = f.acknowledgedLost + f.doubledBills + f.receiptGaps + f.chainBreaks + f.verifyProblems + f.batchFilesMismatched + f.linesNotExportedOnce === 0 && f.integrity === 'ok';
if (sound) rmSync(root, { recursive: true, force: true });
else console.log(`KEPT for inspection: ${root}`);
process.exitCode = sound ? 0 : 1;
