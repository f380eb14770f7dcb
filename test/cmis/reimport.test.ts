import { test } from 'node:test';
import assert from 'node:assert/strict';
import { importSnapshot } from '../../electron/cmis/import-snapshot.ts';
import { currentSnapshot, openConflicts, outstandingTotals, paidNotExported, reimportTable } from '../../electron/cmis/snapshots.ts';
import { setSettings } from '../../electron/store/settings.ts';
import type { Ctx } from '../../electron/store/context.ts';
import { billLine, dumpDatabase, freshPoint as point, payBill, snapshotFile } from './helpers.ts';

/**
 * A point whose snapshots need no supervisor's confirmation however many bills leave them: these
 * tests are about the re-import table (the confirmations: snapshot-guards.test.ts).
 */
function freshPoint(): Ctx {
  const ctx = point();
  setSettings(ctx.sqlite, { snapshot_cleared_confirm_percent: 100, snapshot_customers_confirm_percent: 0 }, null, new Date('2026-11-27T00:00:00Z'));
  return ctx;
}

/**
 * The contract's table "what a new snapshot does", one bill per row of it:
 *   B1 listed again, unpaid              -> outstanding (amount from the new snapshot)
 *   B2 listed again, paid, not exported  -> paid_waiting_export
 *   B3 listed again, paid, exported      -> exported_still_open
 *   B4 gone, unpaid                      -> cleared_elsewhere
 *   B5 gone, paid, exported              -> cleared
 *   B6 gone, paid, not exported          -> conflict
 */
test('the re-import table: all six cases, stored per snapshot, payments and journal untouched', () => {
  const ctx = freshPoint();
  const lines = (amountOfB1: number) => [
    billLine('PC12AA0000001', 'Nguyễn Văn Một', 'B1', 11, amountOfB1),
    billLine('PC12AA0000002', 'Nguyễn Văn Hai', 'B2', 11, 2000),
    billLine('PC12AA0000003', 'Nguyễn Văn Ba', 'B3', 11, 3000),
  ];
  importSnapshot(ctx, {
    file: snapshotFile(
      [...lines(1000), billLine('PC12AA0000004', 'Nguyễn Văn Bốn', 'B4', 11, 4000), billLine('PC12AA0000005', 'Nguyễn Văn Năm', 'B5', 11, 5000), billLine('PC12AA0000006', 'Nguyễn Văn Sáu', 'B6', 11, 6000)],
      'day1.csv',
    ),
  });
  payBill(ctx, 'B2', { exported: false });
  payBill(ctx, 'B3', { exported: true });
  payBill(ctx, 'B5', { exported: true });
  payBill(ctx, 'B6', { exported: false });
  const before = dumpDatabase(ctx);

  const result = importSnapshot(ctx, { file: snapshotFile(lines(1100), 'day2.csv') });
  assert.deepEqual(result.reimport, { outstanding: 1, paid_waiting_export: 1, exported_still_open: 1, cleared_elsewhere: 1, cleared: 1, conflict: 1 });
  const sid = result.snapshotId ?? 0;
  const states = reimportTable(ctx.sqlite, sid).map((r) => [r.idHdon, r.state, r.receiptNo]);
  assert.deepEqual(states, [
    ['B5', 'cleared', 'DT0001-26-000003'],
    ['B4', 'cleared_elsewhere', null],
    ['B6', 'conflict', 'DT0001-26-000004'],
    ['B3', 'exported_still_open', 'DT0001-26-000002'],
    ['B2', 'paid_waiting_export', 'DT0001-26-000001'],
  ]);
  assert.deepEqual(JSON.parse((ctx.sqlite.prepare('SELECT reimport_summary FROM snapshots WHERE id = ?').get(sid) as { reimport_summary: string }).reimport_summary), result.reimport);
  assert.equal((ctx.sqlite.prepare("SELECT tong_tien FROM bills WHERE id_hdon = 'B1'").get() as { tong_tien: number }).tong_tien, 1188);

  // Nothing of payments, their lines, batches or the earlier journal changed.
  const after = dumpDatabase(ctx);
  for (const table of ['payments', 'payment_lines', 'clearing_batches', 'users', 'shifts']) assert.deepEqual(after[table], before[table], table);
  assert.deepEqual(after.journal?.slice(0, before.journal?.length), before.journal);

  // Status queries over the same state.
  assert.equal(currentSnapshot(ctx.sqlite)?.id, sid);
  assert.deepEqual(outstandingTotals(ctx.sqlite), { count: 1, total: 1188 });
  assert.deepEqual(paidNotExported(ctx.sqlite), { count: 2, total: 2160 + 6480 });
  assert.deepEqual(openConflicts(ctx.sqlite).map((c) => [c.idHdon, c.maKhang, c.tongTien]), [['B6', 'PC12AA0000006', 6480]]);
  ctx.close();
});

test('an unresolved conflict stays listed by the next snapshot; once exported it is cleared', () => {
  const ctx = freshPoint();
  importSnapshot(ctx, { file: snapshotFile([billLine('PC12AA0000001', 'Lê Văn A', 'C1', 11, 1000), billLine('PC12AA0000002', 'Lê Văn B', 'C2', 11, 1000)], 'd1.csv') });
  payBill(ctx, 'C1', { exported: false });
  const keep = billLine('PC12AA0000002', 'Lê Văn B', 'C2', 11, 1000);
  const second = importSnapshot(ctx, { file: snapshotFile([keep], 'd2.csv') });
  assert.equal(second.reimport.conflict, 1);
  const third = importSnapshot(ctx, { file: snapshotFile([keep, billLine('PC12AA0000003', 'Lê Văn C', 'C3', 11, 1000)], 'd3.csv') });
  assert.equal(third.reimport.conflict, 1, 'still paid here, not exported, gone from CMIS');
  assert.equal(openConflicts(ctx.sqlite).length, 1);
  ctx.sqlite
    .prepare(
      `INSERT INTO clearing_batches (id, batch_day, seq, created_at, csv_name, csv_sha256, row_count, total, first_receipt, last_receipt, manifest, out_dir,
                                     csv_bytes, reconnection_bytes, reconnection_sha256, manifest_sha256, status, completed_at)
       VALUES (99, '20261128', 1, '2026-11-28T10:00:00.000Z', 'y.csv', 'y', 1, 1080, 'r', 'r', '{}', '/tmp', X'', X'', '', '', 'complete', '2026-11-28T10:00:00.000Z')`,
    )
    .run();
  ctx.sqlite.prepare('UPDATE payments SET batch_id = 99').run();
  assert.equal(openConflicts(ctx.sqlite).length, 0);
  const fourth = importSnapshot(ctx, { file: snapshotFile([keep, billLine('PC12AA0000004', 'Lê Văn D', 'C4', 11, 1000)], 'd4.csv') });
  assert.equal(fourth.status, 'imported');
  assert.deepEqual([fourth.reimport.conflict, fourth.reimport.cleared_elsewhere], [0, 1], 'C1 is no longer a conflict; C3 left CMIS');
  ctx.close();
});
