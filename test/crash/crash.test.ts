import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { tempDir } from '../helpers/temp-dir.ts';
import { runCrashHarness } from './harness.ts';

// CI size; `npm run crash` runs >= 1000 kills.
const KILLS = 60;

test(`crash harness (${KILLS} SIGKILLs at random moments and forced points): nothing lost, doubled, gapped or broken`, { timeout: 600_000 }, async () => {
  const figures = await runCrashHarness({ dataDir: join(tempDir(), 'data'), kills: KILLS, seed: 20261127 });
  assert.equal(figures.kills, KILLS);
  for (const point of ['random', 'before_commit', 'after_commit', 'export_rename', 'export_mark']) {
    assert.ok((figures.killsByPoint[point] ?? 0) > 0, `killed at ${point}`);
  }
  assert.ok(figures.acknowledged > 0 && figures.batches > 0, JSON.stringify(figures));
  assert.deepEqual(
    {
      acknowledgedLost: figures.acknowledgedLost,
      doubledBills: figures.doubledBills,
      receiptGaps: figures.receiptGaps,
      chainBreaks: figures.chainBreaks,
      verifyProblems: figures.verifyProblems,
      integrity: figures.integrity,
      batchFilesMismatched: figures.batchFilesMismatched,
      linesNotExportedOnce: figures.linesNotExportedOnce,
    },
    { acknowledgedLost: 0, doubledBills: 0, receiptGaps: 0, chainBreaks: 0, verifyProblems: 0, integrity: 'ok', batchFilesMismatched: 0, linesNotExportedOnce: 0 },
  );
});
