import { sql } from 'kysely';
import { canonicalJson } from '../../electron/core/journal-hash.ts';
import { canonicalPayment, paymentHash, type PaymentBody, type PaymentLine } from '../../protocol/payment.ts';
import type { Ack } from '../../protocol/sync.ts';
import { feedConflicts, feedOffice } from './feed.ts';
import type { Trx } from './retry.ts';
import type { Source } from './apply.ts';

interface Incoming {
  seq: number;
  body: PaymentBody;
  hash: string;
}

interface LineRow {
  receipt: string;
  lineNo: number;
  line: PaymentLine;
}

/** The columns of `lines` as arrays, for one multi-row INSERT … SELECT FROM unnest(…). */
function lineColumns(lines: LineRow[]) {
  return sql`unnest(${lines.map((l) => l.receipt)}::text[], ${lines.map((l) => l.lineNo)}::int[], ${lines.map((l) => l.line.idHdon)}::text[],
    ${lines.map((l) => l.line.loaiHdon)}::text[], ${lines.map((l) => l.line.ky)}::int[], ${lines.map((l) => l.line.thang)}::int[], ${lines.map((l) => l.line.nam)}::int[],
    ${lines.map((l) => l.line.soTien)}::bigint[], ${lines.map((l) => l.line.tienGtgt)}::bigint[], ${lines.map((l) => l.line.tongTien)}::bigint[])
    WITH ORDINALITY AS t(receipt_no, line_no, id_hdon, loai_hdon, ky, thang, nam, so_tien, tien_gtgt, tong_tien, n)`;
}

/** Open conflicts of these receipts, as an ack lists them. */
async function openConflicts(trx: Trx, receipts: string[]): Promise<Map<string, { idHdon: string; heldBy: string }[]>> {
  const out = new Map<string, { idHdon: string; heldBy: string }[]>();
  if (receipts.length === 0) return out;
  const rows = await sql<{ receipt_no: string; id_hdon: string; held_by: string }>`
    SELECT receipt_no, id_hdon, held_by FROM conflicts WHERE receipt_no = ANY(${receipts}::text[]) AND status = 'open' ORDER BY id`.execute(trx);
  for (const r of rows.rows) out.set(r.receipt_no, [...(out.get(r.receipt_no) ?? []), { idHdon: r.id_hdon, heldBy: r.held_by }]);
  return out;
}

/**
 * Bill lines that could not go in live: another receipt holds the bill. Each holder is locked (FOR
 * SHARE) before the conflict is written, so a void releasing it waits for this transaction and then
 * sees the conflict to promote. A holder that vanished meanwhile (voided and committed) leaves the
 * bill free: the line tries to go in live again.
 */
async function settleLosers(trx: Trx, losers: LineRow[]): Promise<{ id: number; receipt_no: string; held_by: string; id_hdon: string }[]> {
  const recorded: { id: number; receipt_no: string; held_by: string; id_hdon: string }[] = [];
  let pending = losers;
  for (let round = 0; pending.length > 0; round++) {
    if (round === 5) throw Object.assign(new Error('bill changed hands too often'), { code: '40001' });
    const bills = pending.map((l) => l.line.idHdon!);
    const holders = await sql<{ id_hdon: string; receipt_no: string }>`
      SELECT id_hdon, receipt_no FROM payment_lines WHERE id_hdon = ANY(${bills}::text[]) AND live ORDER BY id_hdon FOR SHARE`.execute(trx);
    const heldBy = new Map(holders.rows.map((h) => [h.id_hdon, h.receipt_no]));
    const held = pending.filter((l) => heldBy.has(l.line.idHdon!));
    if (held.length > 0) {
      await insertLines(trx, held, false);
      const rows = await sql<{ id: number; receipt_no: string; held_by: string; id_hdon: string }>`
        INSERT INTO conflicts (id_hdon, receipt_no, held_by)
        SELECT b, r, h FROM unnest(${held.map((l) => l.line.idHdon!)}::text[], ${held.map((l) => l.receipt)}::text[], ${held.map((l) => heldBy.get(l.line.idHdon!)!)}::text[]) AS t(b, r, h)
        RETURNING id, receipt_no, held_by, id_hdon`.execute(trx);
      recorded.push(...rows.rows);
    }
    const free = pending.filter((l) => !heldBy.has(l.line.idHdon!));
    pending = free.length === 0 ? [] : await insertLiveBills(trx, free);
  }
  return recorded;
}

/** Inserts lines with the given liveness (fee lines, lines of a payment voided before it arrived, conflicting bills). */
async function insertLines(trx: Trx, lines: LineRow[], live: boolean): Promise<void> {
  if (lines.length === 0) return;
  await sql`
    INSERT INTO payment_lines (receipt_no, line_no, id_hdon, loai_hdon, ky, thang, nam, so_tien, tien_gtgt, tong_tien, live)
    SELECT receipt_no, line_no, id_hdon, loai_hdon, ky, thang, nam, so_tien, tien_gtgt, tong_tien, ${live} FROM ${lineColumns(lines)}`.execute(trx);
}

/** Bill lines of valid payments, live unless the bill is held: returns the lines that were not inserted. */
async function insertLiveBills(trx: Trx, lines: LineRow[]): Promise<LineRow[]> {
  if (lines.length === 0) return [];
  const inserted = await sql<{ receipt_no: string; line_no: number }>`
    INSERT INTO payment_lines (receipt_no, line_no, id_hdon, loai_hdon, ky, thang, nam, so_tien, tien_gtgt, tong_tien, live)
    SELECT receipt_no, line_no, id_hdon, loai_hdon, ky, thang, nam, so_tien, tien_gtgt, tong_tien, true FROM ${lineColumns(lines)} ORDER BY n
    ON CONFLICT (id_hdon) WHERE live AND id_hdon IS NOT NULL DO NOTHING
    RETURNING receipt_no, line_no`.execute(trx);
  const done = new Set(inserted.rows.map((r) => `${r.receipt_no}#${r.line_no}`));
  return lines.filter((l) => !done.has(`${l.receipt}#${l.lineNo}`));
}

/**
 * A run of payment events of one point, in one statement per step (multi-row inserts through
 * unnest): new receipts are recorded, a repeat with the same body is a duplicate, a repeat with
 * another body is refused and counted. A bill already live elsewhere makes the later arrival a
 * conflict (recorded, never dropped). A receipt whose void arrived first is recorded voided.
 */
export async function applyPayments(trx: Trx, point: { code: string; office: string | null }, events: { seq: number; payment: PaymentBody }[], source: Source): Promise<Map<number, Ack>> {
  const acks = new Map<number, Ack>();
  const fresh = new Map<string, Incoming>();
  const repeats: Incoming[] = [];
  for (const e of events) {
    const incoming = { seq: e.seq, body: canonicalPayment(e.payment), hash: paymentHash(e.payment) };
    if (fresh.has(incoming.body.receiptNo)) repeats.push(incoming);
    else fresh.set(incoming.body.receiptNo, incoming);
  }
  const existing = await sql<{ receipt_no: string; body_sha256: string }>`
    SELECT receipt_no, body_sha256 FROM payments WHERE receipt_no = ANY(${[...fresh.keys()]}::text[])`.execute(trx);
  const stored = new Map(existing.rows.map((r) => [r.receipt_no, r.body_sha256]));
  const toInsert = [...fresh.values()].filter((p) => !stored.has(p.body.receiptNo));
  const toCompare = [...[...fresh.values()].filter((p) => stored.has(p.body.receiptNo)), ...repeats];
  for (const p of toInsert) stored.set(p.body.receiptNo, p.hash);

  const refused = toCompare.filter((p) => stored.get(p.body.receiptNo) !== p.hash);
  if (refused.length > 0) {
    await sql`
      INSERT INTO refused_bodies (point_code, kind, identity, stored_sha256, refused_sha256, source)
      SELECT ${point.code}, 'payment', i, s, r, ${source} FROM unnest(${refused.map((p) => p.body.receiptNo)}::text[], ${refused.map((p) => stored.get(p.body.receiptNo)!)}::text[], ${refused.map((p) => p.hash)}::text[]) AS t(i, s, r)`.execute(trx);
    for (const p of refused) {
      acks.set(p.seq, {
        seq: p.seq,
        status: 'refused',
        code: 'PAYMENT_BODY_CHANGED',
        message: `Biên nhận ${p.body.receiptNo} đã có trên máy chủ với nội dung khác; nội dung mới bị từ chối (khoản thu không được sửa).`,
      });
    }
  }
  const duplicates = toCompare.filter((p) => stored.get(p.body.receiptNo) === p.hash);
  const dupConflicts = await openConflicts(trx, duplicates.map((p) => p.body.receiptNo));
  for (const p of duplicates) {
    const conflicts = dupConflicts.get(p.body.receiptNo);
    acks.set(p.seq, { seq: p.seq, status: 'duplicate', ...(conflicts === undefined ? {} : { conflicts }) });
  }
  if (toInsert.length === 0) return acks;

  const receipts = toInsert.map((p) => p.body.receiptNo);
  const voided = new Set(
    (await sql<{ receipt_no: string }>`SELECT receipt_no FROM voids WHERE receipt_no = ANY(${receipts}::text[])`.execute(trx)).rows.map((r) => r.receipt_no),
  );
  const b = toInsert.map((p) => p.body);
  await sql`
    INSERT INTO payments (receipt_no, point_code, unit, ma_khang, ten_khang, paid_at, cashier_code, total, body, body_sha256, source, voided_at)
    SELECT r, ${point.code}, u, k, n, a::timestamptz, c, t, j, h, ${source}, CASE WHEN v THEN now() END
      FROM unnest(${receipts}::text[], ${b.map((p) => p.unit)}::text[], ${b.map((p) => p.maKhang)}::text[], ${b.map((p) => p.tenKhang)}::text[],
                  ${b.map((p) => p.paidAt)}::text[], ${b.map((p) => p.cashierCode)}::text[], ${b.map((p) => p.lines.reduce((s, l) => s + l.tongTien, 0))}::bigint[],
                  ${b.map((p) => canonicalJson(p))}::text[], ${toInsert.map((p) => p.hash)}::text[], ${receipts.map((r) => voided.has(r))}::boolean[])
           AS t(r, u, k, n, a, c, t, j, h, v)`.execute(trx);

  const lines = toInsert.flatMap((p) => p.body.lines.map((line, lineNo): LineRow & { live: boolean } => ({ receipt: p.body.receiptNo, lineNo, line, live: !voided.has(p.body.receiptNo) })));
  await insertLines(trx, lines.filter((l) => !l.live), false);
  await insertLines(trx, lines.filter((l) => l.live && l.line.idHdon === null), true);
  const losers = await insertLiveBills(trx, lines.filter((l) => l.live && l.line.idHdon !== null));
  const conflicts = await settleLosers(trx, losers);
  await feedOffice(trx, point.office, 'payment', receipts);
  await feedConflicts(trx, conflicts);

  const byReceipt = new Map<string, { idHdon: string; heldBy: string }[]>();
  for (const c of conflicts) byReceipt.set(c.receipt_no, [...(byReceipt.get(c.receipt_no) ?? []), { idHdon: c.id_hdon, heldBy: c.held_by }]);
  for (const p of toInsert) {
    const found = byReceipt.get(p.body.receiptNo);
    acks.set(p.seq, found === undefined ? { seq: p.seq, status: 'accepted' } : { seq: p.seq, status: 'conflict', conflicts: found });
  }
  return acks;
}
