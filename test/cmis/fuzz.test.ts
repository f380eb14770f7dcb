import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { tempDir } from '../helpers/temp-dir.ts';
import { runCampaign } from '../fuzz/campaign.ts';
import { AppError } from '../../electron/core/errors.ts';

// CI's share of `npm run fuzz` (10,000 files): 500 mutated corpus files, a seed per day so the runs
// differ over time while any failure prints the file seed that replays it.
const FILES = 500;
const SEED = Number(new Date().toISOString().slice(0, 10).replaceAll('-', ''));

test(`[#12] ${FILES} mutated snapshot files: no internal error, nothing changed by a refused file, every refusal names its line or file`, () => {
  const figures = runCampaign({ files: FILES, seed: SEED, workDir: join(tempDir(), 'fuzz') });
  const shown = figures.findings
    .slice(0, 10)
    .map((f) => `${f.what} (replay: npm run fuzz -- --replay ${f.seed} --out .; from ${f.base}: ${f.steps.join(', ')}): ${f.detail}`);
  assert.deepEqual(shown, [], `campaign seed ${SEED}`);
  assert.equal(figures.files, FILES);
  // The mutator reaches both sides: files refused for many reasons, and some left valid and imported.
  assert.ok(figures.imported > 0, 'some mutated files stay valid and are imported');
  assert.ok(Object.keys(figures.refusedByCode).length >= 5, `refusals of several kinds: ${JSON.stringify(figures.refusedByCode)}`);
});

test('[#12] the campaign sees each kind of finding: an internal error, a refused file that changed a table, a refusal naming no line', () => {
  let n = 0;
  const figures = runCampaign({
    files: 3,
    seed: 1,
    workDir: join(tempDir(), 'fuzz'),
    importer: (ctx) => {
      n++;
      if (n === 1) throw new TypeError('boom');
      if (n === 2) {
        ctx.sqlite.prepare("INSERT INTO settings (key, value) VALUES ('fuzz_left_this', '1')").run();
        throw new AppError('SNAPSHOT_INVALID', 'Dòng 2: sai.');
      }
      throw new AppError('SNAPSHOT_INVALID', 'Tệp sai.');
    },
  });
  assert.deepEqual(
    figures.findings.map((f) => f.what),
    ['internal_error', 'partial_change', 'refusal_names_no_line'],
  );
});
