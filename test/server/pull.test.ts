import { test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { addPoint, type Point } from '../../server/points.ts';
import { applyEvents } from '../../server/sync/apply.ts';
import { pull } from '../../server/sync/pull.ts';
import { payEvent, payment, serverDb } from './helpers.ts';
import { testDatabase } from './pg.ts';

const { db, url } = await serverDb();
const pt1 = (await addPoint(db, { point: 'PT01', unit: 'PC12AA', office: 'PGD Phường 1' })).point;
const pt2 = (await addPoint(db, { point: 'PT02', unit: 'PC12AA', office: 'PGD Phường 1' })).point;
const pt3 = (await addPoint(db, { point: 'PT03', unit: 'PC12AA', office: 'PGD Phường 2' })).point;
const push = (point: string, events: Parameters<typeof applyEvents>[2]) => applyEvents(db, point, events, 'push', { recordSeq: true });

/** Everything after the cursor, page by page. */
async function pullAll(point: Point, cursor: string | null, limit = 1000) {
  const items = [];
  for (;;) {
    const page = await pull(db, point, cursor, limit);
    items.push(...page.items);
    cursor = page.cursor;
    if (!page.more) return { items, cursor };
  }
}

const cursors = new Map<string, string | null>([['PT01', null], ['PT02', null], ['PT03', null]]);
async function next(point: Point) {
  const r = await pullAll(point, cursors.get(point.code)!);
  cursors.set(point.code, r.cursor);
  return r.items;
}

test('a counter pulls the other counters of its office, not its own payments nor another office', async () => {
  await push('PT01', [payEvent(1, payment({ point: 'PT01', seq: 1, bills: ['B1', 'B2'], paidAt: '2026-11-27T03:04:05Z' }))]);
  const seen = await next(pt2);
  assert.deepEqual(seen, [{ kind: 'payment', receiptNo: 'PT01-26-000001', pointCode: 'PT01', maKhang: 'PC12AA0000001', paidAt: '2026-11-27T03:04:05.000Z', cashierCode: 'TN01', total: 216_000, bills: ['B1', 'B2'], voided: false }]);
  assert.deepEqual(await next(pt1), [], 'its own payment is not pulled back');
  assert.deepEqual(await next(pt3), [], 'another office');
  assert.deepEqual(await next(pt2), [], 'nothing new after the cursor');
});

test('conflicts reach both points involved, again when they change; voids reach the office', async () => {
  const c = await push('PT03', [payEvent(1, payment({ point: 'PT03', seq: 1, bills: ['B1'] }))]);
  assert.equal(c.acks[0]!.status, 'conflict');
  const atPt3 = await next(pt3);
  assert.deepEqual(atPt3.map((i) => i.kind === 'conflict' && [i.idHdon, i.receiptNo, i.heldBy, i.heldByPoint, i.status]), [['B1', 'PT03-26-000001', 'PT01-26-000001', 'PT01', 'open']]);
  const atPt1 = await next(pt1);
  assert.deepEqual(atPt1.map((i) => i.kind), ['conflict']);
  await push('PT01', [{ kind: 'void', seq: 2, receiptNo: 'PT01-26-000001' }]);
  const afterVoid = await next(pt3);
  assert.deepEqual(afterVoid.map((i) => i.kind === 'conflict' && i.status), ['promoted']);
  const atPt2 = await next(pt2);
  assert.deepEqual(atPt2, [{ kind: 'void', receiptNo: 'PT01-26-000001', pointCode: 'PT01' }]);
});

test('pages follow each other without gaps or repeats', async () => {
  await push('PT01', Array.from({ length: 25 }, (_, i) => payEvent(10 + i, payment({ point: 'PT01', seq: 10 + i, bills: [`P${i}`] }))));
  const { items } = await pullAll(pt2, cursors.get('PT02')!, 7);
  assert.deepEqual(items.map((i) => i.receiptNo), Array.from({ length: 25 }, (_, i) => `PT01-26-${String(10 + i).padStart(6, '0')}`));
});

test('a row committed late with a smaller id is not skipped: a pull waits for transactions still running', async () => {
  const start = (await pull(db, pt2, cursors.get('PT02')!, 1000)).cursor;
  const slow = new pg.Client({ connectionString: url });
  await slow.connect();
  test.after(() => slow.end());
  await slow.query('BEGIN');
  await slow.query(`INSERT INTO voids (receipt_no, point_code, source) VALUES ('PT01-26-000900', 'PT01', 'push')`);
  await slow.query(`INSERT INTO feed (audience, kind, ref) VALUES ('office:PGD Phường 1', 'void', 'PT01-26-000900')`);
  await push('PT01', [{ kind: 'void', seq: 50, receiptNo: 'PT01-26-000901' }]); // commits first, larger id and xid
  const during = await pull(db, pt2, start, 1000);
  assert.deepEqual(during.items, [], 'neither row yet: the earlier transaction is still open');
  assert.equal(during.cursor, start);
  await slow.query('COMMIT');
  const afterCommit = await pull(db, pt2, start, 1000);
  assert.deepEqual(afterCommit.items.map((i) => i.receiptNo), ['PT01-26-000900', 'PT01-26-000901']);
});

test('a long transaction of another database on the same PostgreSQL does not hold pulls back; one of this database does', async () => {
  const start = (await pull(db, pt2, cursors.get('PT02')!, 1000)).cursor;
  // Another application's database in the same cluster, in the middle of a long write.
  const elsewhere = new pg.Client({ connectionString: await testDatabase() });
  await elsewhere.connect();
  await elsewhere.query('BEGIN');
  await elsewhere.query('CREATE TABLE other_app (n int)');
  await elsewhere.query('INSERT INTO other_app VALUES (1)');
  await push('PT01', [payEvent(60, payment({ point: 'PT01', seq: 60, bills: ['Q1'] }))]);
  const meanwhile = await pull(db, pt2, start, 1000);
  assert.deepEqual(meanwhile.items.map((i) => i.receiptNo), ['PT01-26-000060'], 'the other database\'s transaction is not waited for');
  await elsewhere.query('COMMIT');
  await elsewhere.end(); // before its database is dropped at the end of the file
  // The same transaction in this database is waited for (as the test above shows for a late commit).
  const here = new pg.Client({ connectionString: url });
  await here.connect();
  await here.query('BEGIN');
  await here.query(`INSERT INTO voids (receipt_no, point_code, source) VALUES ('PT01-26-000950', 'PT01', 'push')`);
  await push('PT01', [payEvent(61, payment({ point: 'PT01', seq: 61, bills: ['Q2'] }))]);
  assert.deepEqual((await pull(db, pt2, meanwhile.cursor, 1000)).items, [], 'a running transaction of this database holds the pull back');
  await here.query('ROLLBACK');
  await here.end();
  assert.deepEqual((await pull(db, pt2, meanwhile.cursor, 1000)).items.map((i) => i.receiptNo), ['PT01-26-000061']);
});
