import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { generateSnapshot } from '../../fixtures/generate-snapshot.ts';
import { tempDir } from '../helpers/temp-dir.ts';

const child = join(import.meta.dirname, '..', '..', 'bench', 'import-child.ts');

/**
 * The import streams: its live JavaScript heap stays about 20 MB whatever the file size. Holding the
 * rows would need about 1 KB each, so 80,000 rows could not be imported in a 40 MB old generation
 * (the child would die of "heap out of memory"). Peak RSS is checked against the 300 MB budget too.
 */
test('an 80,000-row snapshot imports with the V8 heap capped at 40 MB and peak RSS under 300 MB', () => {
  const dir = tempDir();
  const file = join(dir, 'snapshot.csv');
  generateSnapshot({ seed: 7, customers: 60_000, out: file });
  const out = execFileSync(
    process.execPath,
    ['--max-old-space-size=40', '--max-semi-space-size=2', '--import', 'tsx', child, join(dir, 'data'), file],
    { encoding: 'utf8' },
  );
  const result = JSON.parse(out) as { maxRssMb: number; rows: number };
  assert.ok(result.rows > 80_000, `${result.rows} rows`);
  assert.ok(result.maxRssMb < 300, `peak RSS ${result.maxRssMb} MB`);
});
