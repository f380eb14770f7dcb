// A 1 GB snapshot streamed through the import in a child process (issue 12 item 5): wall time and
// peak RSS against the 300 MB budget, whatever the file's size. The file is generated once into
// .bench/ (about 4.3 million customers) and reused.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GENERATOR_VERSION, generateSnapshot } from '../fixtures/generate-snapshot.ts';

const here = dirname(fileURLToPath(import.meta.url));
const CUSTOMERS = 4_300_000;
const RSS_BUDGET_MB = 300;

function bigSnapshot(): string {
  const path = join(here, '..', '.bench', `big-${CUSTOMERS}-v${GENERATOR_VERSION}.csv`);
  if (!existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true });
    const partial = `${path}.${process.pid}.tmp`;
    const started = performance.now();
    generateSnapshot({ seed: 1, customers: CUSTOMERS, out: partial });
    renameSync(partial, path);
    console.log(`generated in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  return path;
}

export async function run(): Promise<void> {
  const file = bigSnapshot();
  const dir = mkdtempSync(join(tmpdir(), 'diemthu-bench-big-'));
  try {
    const out = execFileSync(process.execPath, ['--import', 'tsx', join(here, 'import-child.ts'), dir, file], { encoding: 'utf8', maxBuffer: 1 << 20 });
    const f = JSON.parse(out) as { ms: number; swapMs: number; maxRssMb: number; rows: number; bills: number };
    const gb = statSync(file).size / 2 ** 30;
    console.log(`load average at start:            ${loadavg()[0]!.toFixed(2)}`);
    console.log(`file:                             ${gb.toFixed(2)} GiB, ${f.rows.toLocaleString('en')} rows, ${f.bills.toLocaleString('en')} bills`);
    console.log(`import wall time:                 ${(f.ms / 1000).toFixed(1)} s (swap ${(f.swapMs / 1000).toFixed(1)} s)`);
    console.log(`import peak RSS:                  ${f.maxRssMb} MB (budget <= ${RSS_BUDGET_MB} MB) ${f.maxRssMb <= RSS_BUDGET_MB ? 'OK' : 'OVER'}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
