import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../electron/cli/diemthu.ts';
import { openContext } from '../../electron/store/context.ts';
import { initPoint } from '../../electron/store/point.ts';
import { enqueueBacked } from '../helpers/backed-jobs.ts';
import { captureIo } from '../helpers/capture-io.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { zReport } from '../../fixtures/receipts/documents.ts';

test('diemthu print drains the outbox into the file printer; --preview writes a PNG', async () => {
  const dir = tempDir();
  const ctx = openContext(dir);
  initPoint(ctx, { pointCode: 'DT0001', unitCode: 'PC12AA', pointName: 'Điểm thu số 1' });
  const id = enqueueBacked(ctx, zReport);
  ctx.close();

  const io = captureIo();
  assert.equal(await main(['print', '--json', '--data-dir', dir], io), 0);
  assert.deepEqual(JSON.parse(io.out()).value.printed, [id]);
  assert.deepEqual(readdirSync(join(dir, 'receipts')).sort(), [`${id}-z_report.bin`, `${id}-z_report.png`]);

  const out = join(dir, 'preview.png');
  assert.equal(await main(['print', '--preview', String(id), '--out', out, '--width', '384', '--data-dir', dir], captureIo()), 0);
  assert.ok(existsSync(out));
  assert.equal(await main(['print', '--preview', '999', '--out', out, '--data-dir', dir], captureIo()), 2);
});
