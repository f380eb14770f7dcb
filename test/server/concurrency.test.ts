import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { addPoint } from '../../server/points.ts';
import { applyEvents } from '../../server/sync/apply.ts';
import type { ServerDb } from '../../server/db/connect.ts';
import { payEvent, payment, serverDb } from './helpers.ts';

const { db } = await serverDb();
for (const p of ['PT01', 'PT02', 'PT03', 'PT04']) await addPoint(db, { point: p, unit: 'PC12AA' });
const push = (point: string, events: Parameters<typeof applyEvents>[2]) => applyEvents(db, point, events, 'push', { recordSeq: true });

/** The rules that must hold whatever order concurrent pushes and voids took. */
async function checkInvariants(db: ServerDb): Promise<void> {
  const q = async (text: string) => (await sql.raw(text).execute(db)).rows;
  assert.deepEqual(await q(`SELECT id_hdon FROM payment_lines WHERE live AND id_hdon IS NOT NULL GROUP BY id_hdon HAVING count(*) > 1`), [], 'a bill live twice');
  assert.deepEqual(await q(`SELECT l.receipt_no FROM payment_lines l JOIN payments p USING (receipt_no) WHERE l.live AND p.voided_at IS NOT NULL`), [], 'a voided payment clears');
  assert.deepEqual(
    await q(`SELECT DISTINCT l.id_hdon FROM payment_lines l JOIN payments p USING (receipt_no) WHERE p.voided_at IS NULL AND l.id_hdon IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM payment_lines h WHERE h.id_hdon = l.id_hdon AND h.live)`),
    [],
    'a bill some valid payment names is held by nobody (a void did not promote)',
  );
  assert.deepEqual(
    await q(`SELECT l.receipt_no, l.id_hdon FROM payment_lines l JOIN payments p USING (receipt_no)
              WHERE p.voided_at IS NULL AND NOT l.live AND l.id_hdon IS NOT NULL
                AND (SELECT count(*) FROM conflicts c WHERE c.receipt_no = l.receipt_no AND c.id_hdon = l.id_hdon AND c.status = 'open') <> 1`),
    [],
    'a valid line not clearing has no open conflict',
  );
  assert.deepEqual(
    await q(`SELECT c.id FROM conflicts c JOIN payments p USING (receipt_no) WHERE c.status = 'open'
              AND (p.voided_at IS NOT NULL OR c.held_by IS DISTINCT FROM (SELECT h.receipt_no FROM payment_lines h WHERE h.id_hdon = c.id_hdon AND h.live))`),
    [],
    'an open conflict of a voided payment, or naming a holder that does not hold the bill',
  );
}

test('two points push the same bill at the same moment, 60 times: exactly one live, the other a conflict', async () => {
  const rounds = Array.from({ length: 60 }, (_, i) => i + 1);
  const acks = await Promise.all(
    rounds.flatMap((i) => [
      push('PT01', [payEvent(i, payment({ point: 'PT01', seq: i, bills: [`R${i}`] }))]),
      push('PT02', [payEvent(i, payment({ point: 'PT02', seq: i, bills: [`R${i}`] }))]),
    ]),
  );
  for (const i of rounds) {
    const statuses = [acks[2 * (i - 1)]!.acks[0]!.status, acks[2 * (i - 1) + 1]!.acks[0]!.status].sort();
    assert.deepEqual(statuses, ['accepted', 'conflict'], `bill R${i}`);
  }
  const perBill = await sql<{ live: number; open: number }>`
    SELECT (SELECT count(*)::int FROM payment_lines l WHERE l.id_hdon = b AND l.live) AS live,
           (SELECT count(*)::int FROM conflicts c WHERE c.id_hdon = b AND c.status = 'open') AS open
      FROM unnest(${rounds.map((i) => `R${i}`)}::text[]) AS b`.execute(db);
  assert.deepEqual(new Set(perBill.rows.map((r) => `${r.live}/${r.open}`)), new Set(['1/1']));
  await checkInvariants(db);
});

test('voids racing conflicting pushes and each other: a released bill always goes to a waiting valid payment', async () => {
  const bills = Array.from({ length: 30 }, (_, i) => `V${i}`);
  // PT01 holds each bill first.
  await push('PT01', bills.map((b, i) => payEvent(100 + i, payment({ point: 'PT01', seq: 100 + i, bills: [b] }))));
  // PT03 pays pairs of bills (conflicts on both), so one payment is promoted by two voids at once.
  const work: Promise<unknown>[] = [];
  bills.forEach((b, i) => {
    work.push(push('PT02', [payEvent(100 + i, payment({ point: 'PT02', seq: 100 + i, bills: [b] }))]));
    if (i % 2 === 0) work.push(push('PT03', [payEvent(100 + i, payment({ point: 'PT03', seq: 100 + i, bills: [b, bills[i + 1]!] }))]));
    work.push(push('PT01', [{ kind: 'void', seq: 200 + i, receiptNo: `PT01-26-${String(100 + i).padStart(6, '0')}` }]));
  });
  await Promise.all(work);
  await checkInvariants(db);
  const held = await sql<{ n: number }>`SELECT count(*)::int AS n FROM payment_lines WHERE live AND id_hdon LIKE 'V%'`.execute(db);
  assert.equal(held.rows[0]!.n, bills.length, 'every bill is held by PT02 or PT03 after PT01 voided');
});

test('random payments and voids from four points, 8 at a time: the rules hold at the end', async () => {
  let state = 0x2545f491;
  const rand = (n: number) => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return Math.abs(state) % n;
  };
  const points = ['PT01', 'PT02', 'PT03', 'PT04'];
  const seqs = new Map(points.map((p) => [p, 1000]));
  const paid = new Map(points.map((p) => [p, [] as string[]]));
  const ops: (() => Promise<unknown>)[] = [];
  for (let i = 0; i < 240; i++) {
    const point = points[rand(points.length)]!;
    const seq = seqs.get(point)! + 1;
    seqs.set(point, seq);
    const mine = paid.get(point)!;
    if (mine.length > 0 && rand(4) === 0) {
      const receiptNo = mine.splice(rand(mine.length), 1)[0]!;
      ops.push(() => push(point, [{ kind: 'void', seq, receiptNo }]));
    } else {
      const first = rand(25);
      const bills = rand(3) === 0 ? [`X${first}`, `X${(first + 1 + rand(24)) % 25}`] : [`X${first}`];
      const p = payment({ point, seq, bills: [...new Set(bills)] });
      mine.push(p.receiptNo);
      ops.push(() => push(point, [payEvent(seq, p)]));
    }
  }
  // Eight lanes at once; a void may overtake its own payment (then the payment arrives voided), as after a lost acknowledgement.
  const lanes = Array.from({ length: 8 }, async (_, lane) => {
    for (let i = lane; i < ops.length; i += 8) await ops[i]!();
  });
  await Promise.all(lanes);
  await checkInvariants(db);
});
