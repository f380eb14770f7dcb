// `npm run fuzz [-- --files N] [--seed S] [--replay <file seed> --out <dir>]`: the fuzz campaign of
// test/fuzz/campaign.ts (10,000 files by default; CI runs 500 in test/cmis/fuzz.test.ts). Prints the
// figures and every finding with the seed that replays it; exit 1 when there is a finding.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { mutatedFile, runCampaign } from './campaign.ts';

const { values } = parseArgs({ options: { files: { type: 'string' }, seed: { type: 'string' }, replay: { type: 'string' }, out: { type: 'string' } } });
if (values.replay !== undefined) {
  const made = mutatedFile(Number(values.replay), resolve(values.out ?? '.'));
  console.log(`${made.file} (from ${made.base}: ${made.steps.join(', ')})`);
  process.exit(0);
}
const files = Number(values.files ?? 10_000);
const seed = Number(values.seed ?? Date.now() % 1_000_000);
const workDir = mkdtempSync(join(tmpdir(), 'diemthu-fuzz-'));
console.log(`fuzz: ${files} files, campaign seed ${seed}`);
try {
  const figures = runCampaign({
    files,
    seed,
    workDir,
    onProgress: (done, f) => {
      if (done % 1000 === 0) console.log(`  ${done} files: ${f.imported} imported, ${f.refused} refused, ${f.findings.length} findings`);
    },
  });
  const codes = Object.entries(figures.refusedByCode).sort((a, b) => b[1] - a[1]);
  console.log(`files:            ${figures.files}`);
  console.log(`imported:         ${figures.imported} (a mutation can leave a valid file; already imported: ${figures.alreadyImported})`);
  console.log(`refused:          ${figures.refused}: ${codes.map(([c, n]) => `${c} ${n}`).join(', ')}`);
  const count = (what: string) => figures.findings.filter((f) => f.what === what).length;
  console.log(`internal errors:  ${count('internal_error')}`);
  console.log(`partial changes:  ${count('partial_change')}`);
  console.log(`refusals naming no line: ${count('refusal_names_no_line')}`);
  console.log(`wall time:        ${(figures.wallMs / 1000).toFixed(1)} s (${(figures.wallMs / figures.files).toFixed(1)} ms a file)`);
  for (const f of figures.findings.slice(0, 50)) {
    console.log(`\n${f.what} — replay: npm run fuzz -- --replay ${f.seed} --out .  (from ${f.base}: ${f.steps.join(', ')})\n${f.detail}`);
  }
  process.exitCode = figures.findings.length > 0 ? 1 : 0;
} finally {
  rmSync(workDir, { recursive: true, force: true });
}
