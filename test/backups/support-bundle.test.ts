import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../electron/cli/diemthu.ts';
import { collectWorld } from '../helpers/collect-fixture.ts';
import { captureIo } from '../helpers/capture-io.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { zipFiles } from '../../electron/core/zip.ts';

/** What Python's own zip reader (a real one) finds in an archive: names, CRC check, and each file's text. */
function readZip(file: string): { bad: string | null; files: Record<string, string> } {
  const script = 'import json,sys,zipfile\nz=zipfile.ZipFile(sys.argv[1])\nprint(json.dumps({"bad": z.testzip(), "files": {n: z.read(n).decode("utf-8", "replace") for n in z.namelist()}}))';
  return JSON.parse(execFileSync('python3', ['-c', script, file], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })) as { bad: string | null; files: Record<string, string> };
}

test('the zip writer makes archives a real reader opens: Vietnamese names, empty and large files, CRCs right', () => {
  const large = Buffer.from('Nguyễn Văn An, 573.750 ₫\n'.repeat(50_000), 'utf8');
  const file = join(tempDir(), 'a.zip');
  writeFileSync(file, zipFiles([
    { name: 'nhật-ký/main.log', bytes: large, modified: new Date('2026-11-30T03:04:06Z') },
    { name: 'trống.txt', bytes: Buffer.alloc(0), modified: new Date('2026-11-30T03:04:06Z') },
  ]));
  const { bad, files } = readZip(file);
  assert.equal(bad, null, 'every CRC checks');
  assert.deepEqual(Object.keys(files), ['nhật-ký/main.log', 'trống.txt']);
  assert.equal(files['nhật-ký/main.log'], large.toString('utf8'));
  assert.equal(files['trống.txt'], '');
});

test('diemthu support: one zip with the logs, status, verify and settings; never the PIN key', async () => {
  const w = collectWorld();
  const dataDir = w.ctx.dataDir;
  mkdirSync(join(dataDir, 'logs'), { recursive: true });
  writeFileSync(join(dataDir, 'logs', 'main.log'), '2026-11-30T03:00:00.000Z IPC collect failed Error: boom\n');
  const pinKey = readFileSync(join(dataDir, 'pin.key'));
  w.ctx.close();
  const out = join(tempDir(), 'usb');
  const io = captureIo();
  assert.equal(await main(['support', '--out', out, '--data-dir', dataDir, '--json'], io), 0, io.err());
  const { value } = JSON.parse(io.out()) as { value: { file: string; entries: string[] } };
  assert.match(value.file, /DiemThu-hotro-DT0001-\d{8}-\d{6}\.zip$/);
  const { bad, files } = readZip(value.file);
  assert.equal(bad, null);
  assert.deepEqual(Object.keys(files).sort(), ['logs/main.log', 'settings.json', 'status.json', 'verify.json', 'version.txt']);
  assert.match(files['logs/main.log'] ?? '', /IPC collect failed/);
  assert.equal((JSON.parse(files['settings.json'] ?? '{}') as { point_code?: string }).point_code, 'DT0001');
  assert.equal((JSON.parse(files['verify.json'] ?? '{}') as { ok?: boolean }).ok, true);
  assert.equal((JSON.parse(files['status.json'] ?? '{}') as { point?: { pointCode?: string } }).point?.pointCode, 'DT0001');
  const everything = readFileSync(value.file);
  assert.equal(everything.includes(pinKey), false, 'the PIN key is not in it');
  assert.ok(!Object.keys(files).some((n) => /pin\.key|\.sqlite/.test(n)), 'nor the database');
});
