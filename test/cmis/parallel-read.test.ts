import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WORKER_FROM_BYTES, openSnapshotReader } from '../../electron/cmis/parallel-read.ts';
import { AppError } from '../../electron/core/errors.ts';
import { readSnapshot } from '../../electron/cmis/read-snapshot.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { billLine, SNAPSHOT_HEADER } from './helpers.ts';

const dying = new URL('./workers/dying-reader.ts', import.meta.url);

function readWith(file: string, readerModule = dying): { error: unknown; ms: number } {
  const reader = openSnapshotReader(file, undefined, readerModule);
  const started = performance.now();
  try {
    reader.read({ encoding: 'utf8' }, () => undefined);
    return { error: null, ms: performance.now() - started };
  } catch (error) {
    return { error, ms: performance.now() - started };
  } finally {
    reader.close();
  }
}

test('[#10] a reader worker that dies is noticed at once and reported with its cause', () => {
  const dir = tempDir();
  for (const [name, cause] of [['oom.csv', /ERR_WORKER_OUT_OF_MEMORY/], ['exit.csv', /mã thoát 3/]] as const) {
    const file = join(dir, name);
    writeFileSync(file, `${SNAPSHOT_HEADER}\r\n${billLine('PC12AA0000001', 'Lê Văn A', '9001', 10, 1000)}\r\n`);
    const { error, ms } = readWith(file);
    assert.ok(error instanceof AppError, `${name}: ${String(error)}`);
    assert.equal(error.code, 'SNAPSHOT_READER_FAILED', name);
    assert.match(String((error.details as { cause: string }).cause), cause, name);
    assert.match(error.message, /cơ sở dữ liệu không thay đổi/);
    // the cause proves it was noticed by the death, not by the 60 s stall; the time only has to be well under it on a busy machine
    assert.ok(ms < 30_000, `${name}: noticed after ${Math.round(ms)} ms`);
  }
  // A reader module that is not there at all: the same, at once.
  const file = join(dir, 'missing.csv');
  writeFileSync(file, `${SNAPSHOT_HEADER}\r\n`);
  const { error, ms } = readWith(file, new URL('./workers/no-such-reader.ts', import.meta.url));
  assert.ok(error instanceof AppError && error.code === 'SNAPSHOT_READER_FAILED', String(error));
  assert.ok(ms < 10_000);
});

test("a point's own snapshot (under 4 MB) is read on the caller's thread, a bigger one in the worker, with the same rows", () => {
  const dir = tempDir();
  const line = (i: number) => billLine(`PC12AA${String(i).padStart(7, '0')}`, 'Lê Văn A', String(9000 + i), 10, 1000);
  const rowsOf = (file: string) => {
    const reader = openSnapshotReader(file);
    const rows: unknown[] = [];
    try {
      reader.read({ encoding: 'utf8' }, (row) => rows.push(row));
      return { rows, via: reader.via() };
    } finally {
      reader.close();
    }
  };
  const small = join(dir, 'small.csv');
  writeFileSync(small, [SNAPSHOT_HEADER, ...Array.from({ length: 50 }, (_, i) => line(i))].join('\r\n'));
  const big = join(dir, 'big.csv');
  const lines = [SNAPSHOT_HEADER];
  for (let i = 0, size = 0; size < WORKER_FROM_BYTES; i++) size += (lines[lines.push(line(i)) - 1]!.length + 2);
  writeFileSync(big, lines.join('\r\n'));
  const a = rowsOf(small);
  const b = rowsOf(big);
  assert.equal(a.via, 'caller');
  assert.equal(b.via, 'worker');
  assert.deepEqual(b.rows.slice(0, 50), a.rows);
});

test('rows from the worker equal the caller thread\'s, field by field: a customer\'s later bills cross without its columns, across batches, after a refused row and when a column changes', () => {
  const dir = tempDir();
  const lines = [SNAPSHOT_HEADER];
  let bytes = 0;
  for (let i = 0; bytes < 2 * WORKER_FROM_BYTES; i++) {
    const code = `PC12AA${String(i).padStart(7, '0')}`;
    const name = `Nguyễn Thị Ánh ${i}`;
    for (let k = 0; k <= i % 3; k++) {
      let row = billLine(code, name, `${i}-${k}`, 9 + k, 1000 * (k + 1));
      if (k === 1 && i % 7 === 0) row = row.replace('Thôn 1,', 'Thôn 2,'); // same customer, another address: refused by the staging, sent whole
      if (k === 1 && i % 11 === 0) row = row.replace(',TD,', ',XX,'); // a refused row between two bills of one customer
      lines.push(row);
      bytes += row.length + 2;
    }
  }
  const file = join(dir, 'bills.csv');
  writeFileSync(file, lines.join('\r\n'));
  const viaWorker: unknown[] = [];
  const reader = openSnapshotReader(file);
  try {
    reader.read({ encoding: 'utf8' }, (row) => viaWorker.push(row));
    assert.equal(reader.via(), 'worker');
  } finally {
    reader.close();
  }
  const onCaller: unknown[] = [];
  readSnapshot(file, { encoding: 'utf8' }, (row) => onCaller.push(row));
  assert.equal(viaWorker.length, lines.length - 1);
  assert.ok(onCaller.some((row) => (row as { ok: boolean }).ok === false), 'the file has refused rows');
  assert.deepEqual(viaWorker, onCaller);
});
