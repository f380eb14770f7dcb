import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileLog } from '../../electron/app/main-log.ts';
import { steppingClock } from '../../electron/core/clock.ts';
import { AppError } from '../../electron/core/errors.ts';
import { tempDir } from '../helpers/temp-dir.ts';

test('lines carry the UTC time, the message and the stack; the file rolls over once past the limit', () => {
  const dir = tempDir();
  const echoed: string[] = [];
  const clock = steppingClock(new Date('2026-11-27T02:00:00Z'));
  const log = fileLog(dir, clock, 100_000, (m) => echoed.push(m));
  log('IPC collect failed', new AppError('INTERNAL', 'Lỗi thử.'));
  log('scan refused', { reason: 'DUPLICATE' });
  const first = readFileSync(join(dir, 'logs', 'main.log'), 'utf8');
  assert.match(first, /^2026-11-27T02:00:00\.000Z IPC collect failed AppError: Lỗi thử\.\n\s+at /);
  assert.match(first, /2026-11-27T02:00:01\.000Z scan refused {"reason":"DUPLICATE"}\n$/);
  assert.deepEqual(echoed, ['IPC collect failed', 'scan refused']);

  fileLog(dir, clock, 100)('after the limit');
  assert.equal(readFileSync(join(dir, 'logs', 'main.1.log'), 'utf8'), first);
  assert.match(readFileSync(join(dir, 'logs', 'main.log'), 'utf8'), /^2026-11-27T02:00:02\.000Z after the limit\n$/);
});

test('a log that cannot be written does not throw, and still echoes', () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'logs'), 'a file where the folder should be');
  const echoed: string[] = [];
  const log = fileLog(dir, () => new Date(0), 1000, (m) => echoed.push(m));
  assert.doesNotThrow(() => log('cannot write'));
  assert.deepEqual(echoed, ['cannot write']);
});
