import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openContext, type Ctx } from '../../electron/store/context.ts';
import { steppingClock } from '../../electron/core/clock.ts';
import { initPoint } from '../../electron/store/point.ts';
import { setSettings } from '../../electron/store/settings.ts';
import { verifyStore } from '../../electron/verify/verify.ts';
import { main } from '../../electron/cli/diemthu.ts';
import { captureIo } from '../helpers/capture-io.ts';
import { tempDir } from '../helpers/temp-dir.ts';

const START = new Date('2026-11-27T01:00:00.000Z');

/** A point with journal rows 1..5 (init's settings + init, then three settings changes). */
function setup(): { ctx: Ctx; dataDir: string } {
  const dataDir = join(tempDir(), 'data');
  const ctx = openContext(dataDir, { clock: steppingClock(START) });
  initPoint(ctx, { pointCode: 'PT01', unitCode: 'PC12AA', pointName: '' });
  for (const name of ['a', 'b', 'c']) setSettings(ctx.sqlite, { point_name: name }, null, START);
  return { ctx, dataDir };
}

test('verify passes an untouched chain', () => {
  const { ctx } = setup();
  const result = verifyStore(ctx);
  assert.equal(result.ok, true);
  assert.equal(result.integrity, 'ok');
  assert.equal(result.journal.rows, 5);
  ctx.close();
});

const tampering: [string, string, number][] = [
  ['a changed row', `UPDATE journal SET payload = '{"changed":{"point_name":"x"}}' WHERE id = 3`, 3],
  ['a deleted row', 'DELETE FROM journal WHERE id = 3', 4],
  [
    'an inserted row',
    `UPDATE journal SET id = 6 WHERE id = 5; UPDATE journal SET id = 5 WHERE id = 4; UPDATE journal SET id = 4 WHERE id = 3;
     INSERT INTO journal (id, at, kind, actor_id, payload, prev_hash, hash)
       SELECT 3, at, kind, actor_id, '{}', prev_hash, 'forged' FROM journal WHERE id = 4`,
    3,
  ],
];

for (const [what, sql, badId] of tampering) {
  test(`verify detects ${what} and names row ${badId}; the CLI exits 2`, async () => {
    const { ctx, dataDir } = setup();
    ctx.sqlite.exec('DROP TRIGGER journal_no_update; DROP TRIGGER journal_no_delete;');
    ctx.sqlite.exec(sql);
    const result = verifyStore(ctx);
    assert.equal(result.ok, false);
    assert.equal(!result.journal.ok && result.journal.firstBadId, badId);
    ctx.close();
    const io = captureIo();
    assert.equal(await main(['verify', '--data-dir', dataDir, '--json'], io), 2);
    const out = JSON.parse(io.out()) as { ok: false; error: { code: string; details: { journal: { firstBadId: number } } } };
    assert.equal(out.error.code, 'VERIFY_FAILED');
    assert.equal(out.error.details.journal.firstBadId, badId);
    assert.match(io.err(), new RegExp(`dòng ${badId}\\b`));
  });
}

test('the CLI verify exits 0 on a sound database', async () => {
  const { ctx, dataDir } = setup();
  ctx.close();
  const io = captureIo();
  assert.equal(await main(['verify', '--data-dir', dataDir], io), 0);
  assert.match(io.out(), /5 dòng nhật ký/);
});
