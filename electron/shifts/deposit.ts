/**
 * The deposit slip (bảng kê nộp tiền) of a day: at the end of the day the supervisor counts the cash
 * going to the bank by note; the slip lists per cashier the shifts closed that day, their receipts
 * and refunds, and what each hands over (receipts minus refunds: the opening float stays in the
 * drawer). One transaction writes the slip, its shifts, the print job and the journal row; the
 * database keeps it as made (migration 0009) except for the bank's reference, added once later.
 */
import { sql, type Selectable } from 'kysely';
import type { Ctx } from '../store/context.ts';
import type { Tables } from '../store/tables.ts';
import type { Sqlite } from '../store/open.ts';
import { query, selectAll, selectFirst, selectOne, type RowOf } from '../store/typed-query.ts';

const deposits = query.selectFrom('deposits');
import { AppError } from '../core/errors.ts';
import { CONTROL, startsLikeFormula } from '../core/cell-text.ts';
import type { DepositCashierLine, DepositSlipDocument } from '../core/documents.ts';
import { dayRange, isoDay } from '../core/local-time.ts';
import { formatDong } from '../core/money.ts';
import { appendJournal } from '../store/journal.ts';
import { enqueuePrintJob, printHeader } from '../printing/print-jobs.ts';
import { userById } from '../users/users.ts';

/** The notes a slip counts, largest first (đồng). 500 and 200 since migration 0012: a slip made before has the first nine. */
export const NOTE_VALUES = [500000, 200000, 100000, 50000, 20000, 10000, 5000, 2000, 1000, 500, 200] as const;
export type NoteValue = (typeof NOTE_VALUES)[number];
const SMALL_NOTES = [500, 200] as const;
/** At most this many notes of one value (the CHECK of deposits says the same). */
export const MAX_NOTES = 10_000_000;
/** The loose change (100 ₫ notes, coins) is typed, not counted: under the smallest note, so it never stands in for notes (CHECK too). */
export const MAX_LOOSE_CHANGE = 199;

export interface NoteCount {
  value: number;
  count: number;
}

export interface DepositRequest {
  /** yyyy-mm-dd local; today when absent */
  day?: string;
  supervisorId: number;
  notes: NoteCount[];
  /** Đồng under 200 ₫ handed over besides the notes; 0 when absent. */
  looseChange?: number;
  /** Required when the count differs from the day's expected cash. */
  reason?: string | null;
}

export interface DepositResult {
  slip: DepositSlipDocument;
  printJobId: number;
  bankRef: string | null;
}

/** A free text that goes into the CSV file: one line, no formula (a spreadsheet opens the file). */
function cleanText(value: string, code: 'DEPOSIT_REASON_INVALID' | 'DEPOSIT_REFERENCE_INVALID', what: string, max: number): string {
  const text = value.trim().normalize('NFC');
  if (text === '' || text.length > max || CONTROL.test(text) || startsLikeFormula(text)) {
    throw new AppError(code, `${what} phải có chữ, một dòng, tối đa ${max} ký tự, không bắt đầu bằng = + - @.`);
  }
  return text;
}

export function depositDay(ctx: Ctx, day: string | undefined): string {
  if (day === undefined) return isoDay(ctx.clock());
  try {
    dayRange(day);
  } catch {
    throw new AppError('DATE_INVALID', `Ngày "${day}" không hợp lệ (cần yyyy-mm-dd).`);
  }
  if (isoDay(new Date(`${day}T12:00:00+07:00`)) !== day) throw new AppError('DATE_INVALID', `Ngày "${day}" không có thật.`);
  return day;
}

export function looseChangeOf(amount: number | undefined): number {
  const loose = amount ?? 0;
  if (!Number.isSafeInteger(loose) || loose < 0 || loose > MAX_LOOSE_CHANGE) {
    throw new AppError('DEPOSIT_COUNT_INVALID', `Tiền lẻ dưới 200 ₫ phải là số đồng nguyên từ 0 đến ${MAX_LOOSE_CHANGE}; từ 200 ₫ trở lên đếm theo tờ.`);
  }
  return loose;
}

/** Each note value once, each a known note, each count a whole number in bounds; every value listed, 0 when not given. */
export function noteCounts(notes: NoteCount[]): NoteCount[] {
  const byValue = new Map<number, number>();
  for (const n of notes) {
    if (!(NOTE_VALUES as readonly number[]).includes(n.value)) {
      throw new AppError('DEPOSIT_COUNT_INVALID', `Không có tờ tiền mệnh giá ${n.value}: chỉ đếm ${NOTE_VALUES.map((v) => formatDong(v)).join(', ')}.`);
    }
    if (byValue.has(n.value)) throw new AppError('DEPOSIT_COUNT_INVALID', `Mệnh giá ${formatDong(n.value)} được ghi hai lần.`);
    if (!Number.isSafeInteger(n.count) || n.count < 0 || n.count > MAX_NOTES) {
      throw new AppError('DEPOSIT_COUNT_INVALID', `Số tờ ${formatDong(n.value)} phải là số nguyên từ 0 đến ${MAX_NOTES}.`);
    }
    byValue.set(n.value, n.count);
  }
  return NOTE_VALUES.map((value) => ({ value, count: byValue.get(value) ?? 0 }));
}

/** Each shift's figures as a slip states them (the database checks the same when a slip lists it). */
const shiftFigures = query
  .selectFrom('shifts as s')
  .innerJoin('users as u', 'u.id', 's.cashier_id')
  .select((eb) => {
    const valid = () => eb.selectFrom('payments as p').whereRef('p.shift_id', '=', 's.id').where('p.voided_at', 'is', null);
    const refunds = () => eb.selectFrom('refunds as r').whereRef('r.shift_id', '=', 's.id');
    const sum = (column: 'total' | 'change_rounding' | 'amount') => sql<number>`COALESCE(SUM(${sql.ref(column)}), 0)`.as('n');
    return [
      's.id as shiftId',
      's.cashier_id as cashierId',
      'u.code as cashierCode',
      'u.name as cashierName',
      valid().select(eb.fn.countAll<number>().as('n')).$asScalar().$notNull().as('receipts'),
      valid().select(sum('total')).$asScalar().$notNull().as('receiptsTotal'),
      refunds().select(eb.fn.countAll<number>().as('n')).$asScalar().$notNull().as('refunds'),
      refunds().innerJoin('refund_lines as x', 'x.refund_id', 'r.id').select(sum('amount')).$asScalar().$notNull().as('refundsTotal'),
      valid().select(sum('change_rounding')).$asScalar().$notNull().as('roundingTotal'),
    ];
  });
type ShiftFigures = RowOf<typeof shiftFigures>;

/** What goes to the bank: the receipts and the change rounding kept with them, less what was paid back. */
export const handedOverOf = (f: { receiptsTotal: number; roundingTotal: number; refundsTotal: number }): number => f.receiptsTotal + f.roundingTotal - f.refundsTotal;

/** Per cashier, in cashier-code order: their shifts and figures. */
function byCashier(shifts: ShiftFigures[]): DepositCashierLine[] {
  const lines = new Map<number, DepositCashierLine>();
  for (const s of [...shifts].sort((a, b) => a.cashierCode.localeCompare(b.cashierCode) || a.shiftId - b.shiftId)) {
    const line = lines.get(s.cashierId) ?? {
      cashier: { code: s.cashierCode, name: s.cashierName },
      shiftIds: [],
      receipts: 0,
      receiptsTotal: 0,
      refunds: 0,
      refundsTotal: 0,
      roundingTotal: 0,
      handedOver: 0,
    };
    line.shiftIds.push(s.shiftId);
    line.receipts += s.receipts;
    line.receiptsTotal += s.receiptsTotal;
    line.refunds += s.refunds;
    line.refundsTotal += s.refundsTotal;
    line.roundingTotal += s.roundingTotal;
    line.handedOver = handedOverOf(line);
    lines.set(s.cashierId, line);
  }
  return [...lines.values()];
}

interface DayState {
  day: string;
  /** shifts closed in the day */
  shifts: ShiftFigures[];
  /** shifts opened before the day's end and still open: no slip while there is one */
  openShifts: { shiftId: number; cashierCode: string }[];
}

function dayState(ctx: Ctx, dayArg: string | undefined): DayState {
  const day = depositDay(ctx, dayArg);
  const { start, end } = dayRange(day);
  const [from, to] = [start.toISOString(), end.toISOString()];
  const shifts = selectAll(ctx.sqlite, shiftFigures.where('s.closed_at', '>=', from).where('s.closed_at', '<', to).orderBy('s.id'));
  const openShifts = selectAll(
    ctx.sqlite,
    query
      .selectFrom('shifts as s')
      .innerJoin('users as u', 'u.id', 's.cashier_id')
      .where('s.closed_at', 'is', null)
      .where('s.opened_at', '<', to)
      .select(['s.id as shiftId', 'u.code as cashierCode'])
      .orderBy('s.id'),
  );
  return { day, shifts, openShifts };
}

const handedOver = (cashiers: DepositCashierLine[]) => cashiers.reduce((sum, c) => sum + c.handedOver, 0);

export interface DepositPreview {
  day: string;
  cashiers: DepositCashierLine[];
  expected: number;
  openShifts: { shiftId: number; cashierCode: string }[];
  /** the day's slip, when made */
  depositId: number | null;
}

/** What the day's slip would say now (the screen shows it before the count). */
export function depositPreview(ctx: Ctx, dayArg?: string): DepositPreview {
  const { day, shifts, openShifts } = dayState(ctx, dayArg);
  const cashiers = byCashier(shifts);
  const made = selectFirst(ctx.sqlite, deposits.where('day', '=', day).select('id'));
  return { day, cashiers, expected: handedOver(cashiers), openShifts, depositId: made?.id ?? null };
}

export function makeDeposit(ctx: Ctx, args: DepositRequest): DepositResult {
  const supervisor = userById(ctx, args.supervisorId);
  if (supervisor?.role !== 'supervisor' ) throw new AppError('SUPERVISOR_REQUIRED', 'Chỉ người giám sát được lập bảng kê nộp tiền.');
  const notes = noteCounts(args.notes);
  const looseChange = looseChangeOf(args.looseChange);
  const counted = notes.reduce((sum, n) => sum + n.value * n.count, looseChange);
  return ctx.sqlite
    .transaction((): DepositResult => {
      const { sqlite } = ctx;
      const preview = depositPreview(ctx, args.day);
      const { day } = preview;
      if (preview.depositId !== null) {
        throw new AppError(
          'DEPOSIT_EXISTS',
          `Ngày ${day} đã có bảng kê nộp tiền số ${preview.depositId}: mỗi ngày một bảng kê, không lập lại. Xem bằng "diemthu deposit --show --date ${day}".`,
          { depositId: preview.depositId },
        );
      }
      if (preview.openShifts.length > 0) {
        const open = preview.openShifts.map((s) => `ca ${s.shiftId} của ${s.cashierCode}`).join(', ');
        throw new AppError('DEPOSIT_SHIFT_OPEN', `Chưa lập được bảng kê ngày ${day}: còn ${open} đang mở. Đóng các ca này trước (giám sát có thể đóng ca thay).`, { shifts: preview.openShifts });
      }
      if (preview.cashiers.length === 0) throw new AppError('DEPOSIT_NO_SHIFTS', `Ngày ${day} không có ca nào đã đóng: không có tiền để nộp.`);
      const difference = counted - preview.expected;
      let reason: string | null = null;
      if (difference !== 0) {
        if ((args.reason ?? '').trim() === '') {
          throw new AppError(
            'DEPOSIT_REASON_REQUIRED',
            `Tiền đếm được ${formatDong(counted)} khác tiền phải nộp ${formatDong(preview.expected)} (chênh lệch ${formatDong(difference)}): cần ghi lý do chênh lệch.`,
            { expected: preview.expected, counted, difference },
          );
        }
        reason = cleanText(args.reason!, 'DEPOSIT_REASON_INVALID', 'Lý do chênh lệch', 500);
      }
      const at = ctx.clock();
      const madeAt = at.toISOString();
      const n = new Map(notes.map((x) => [x.value, x.count]));
      const depositId = Number(
        sqlite
          .prepare(
            `INSERT INTO deposits (day, supervisor_id, made_at, n500000, n200000, n100000, n50000, n20000, n10000, n5000, n2000, n1000, n500, n200, loose_change, counted, expected, reason)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(day, supervisor.id, madeAt, ...NOTE_VALUES.map((v) => n.get(v)!), looseChange, counted, preview.expected, reason).lastInsertRowid,
      );
      const { shifts } = dayState(ctx, day);
      const insertShift = sqlite.prepare(
        'INSERT INTO deposit_shifts (deposit_id, shift_id, cashier_id, receipts, receipts_total, refunds, refunds_total, rounding_total) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      );
      for (const s of shifts) insertShift.run(depositId, s.shiftId, s.cashierId, s.receipts, s.receiptsTotal, s.refunds, s.refundsTotal, s.roundingTotal);
      const slip = depositSlip(sqlite, depositId)!;
      const printJobId = enqueuePrintJob(sqlite, { kind: 'deposit_slip', paymentId: null, copyNo: 0, document: slip, at });
      appendJournal(sqlite, { kind: 'deposit', actorId: supervisor.id, payload: { ...depositFacts(sqlite, depositId)!, printJobId }, at });
      return { slip, printJobId, bankRef: null };
    })
    .immediate();
}

/** Adds the bank's reference to a day's slip, once; journaled. */
export function addDepositReference(ctx: Ctx, args: { day?: string; reference: string; supervisorId: number }): { depositId: number; day: string; bankRef: string; bankRefAt: string } {
  const supervisor = userById(ctx, args.supervisorId);
  if (supervisor?.role !== 'supervisor' ) throw new AppError('SUPERVISOR_REQUIRED', 'Chỉ người giám sát được ghi số tham chiếu ngân hàng.');
  const bankRef = cleanText(args.reference, 'DEPOSIT_REFERENCE_INVALID', 'Số tham chiếu ngân hàng', 60);
  const day = depositDay(ctx, args.day);
  return ctx.sqlite
    .transaction(() => {
      const { sqlite } = ctx;
      const row = selectFirst(sqlite, deposits.where('day', '=', day).select(['id', 'bank_ref']));
      if (row === undefined) throw new AppError('DEPOSIT_NOT_FOUND', `Ngày ${day} chưa có bảng kê nộp tiền.`);
      if (row.bank_ref !== null) {
        throw new AppError('DEPOSIT_REFERENCE_EXISTS', `Bảng kê ngày ${day} đã có số tham chiếu ngân hàng ${row.bank_ref}: số này ghi một lần, không sửa.`, { bankRef: row.bank_ref });
      }
      const at = ctx.clock();
      const bankRefAt = at.toISOString();
      sqlite.prepare('UPDATE deposits SET bank_ref = ?, bank_ref_at = ?, bank_ref_by = ? WHERE id = ?').run(bankRef, bankRefAt, supervisor.id, row.id);
      appendJournal(sqlite, { kind: 'deposit_reference', actorId: supervisor.id, payload: depositReferenceFacts(sqlite, row.id)!, at });
      return { depositId: row.id, day, bankRef, bankRefAt };
    })
    .immediate();
}

/** A slip as its rows hold it, in the journal's shape (without the bank reference, journaled on its own). */
export interface DepositFacts {
  depositId: number;
  day: string;
  supervisorId: number;
  madeAt: string;
  /** [note value, count], largest first: eleven values, nine on a slip made before migration 0012 */
  notes: [number, number][];
  /** absent on a slip made before migration 0012 (its journal row has none) */
  looseChange?: number;
  counted: number;
  expected: number;
  reason: string | null;
  /** [shift id, cashier id, receipts, receipts total, refunds, refunds total, rounding total], in shift order */
  shifts: [number, number, number, number, number, number, number][];
}

type DepositRow = Selectable<Tables['deposits']>;

/** A slip made before migration 0012 has NULL in n500, n200 and loose_change (the three together, CHECK). */
const countedSmall = (d: DepositRow): d is DepositRow & { n500: number; n200: number; loose_change: number } => d.loose_change !== null;

const toFacts = (sqlite: Sqlite, d: DepositRow): DepositFacts => ({
  depositId: d.id,
  day: d.day,
  supervisorId: d.supervisor_id,
  madeAt: d.made_at,
  notes: NOTE_VALUES.filter((v) => countedSmall(d) || !(SMALL_NOTES as readonly number[]).includes(v)).map((v): [number, number] => [v, d[`n${v}`]!]),
  ...(countedSmall(d) ? { looseChange: d.loose_change } : {}),
  counted: d.counted,
  expected: d.expected,
  reason: d.reason,
  shifts: selectAll(
    sqlite,
    query
      .selectFrom('deposit_shifts')
      .where('deposit_id', '=', d.id)
      .select(['shift_id', 'cashier_id', 'receipts', 'receipts_total', 'refunds', 'refunds_total', 'rounding_total'])
      .orderBy('shift_id'),
  ).map((s): DepositFacts['shifts'][number] => [s.shift_id, s.cashier_id, s.receipts, s.receipts_total, s.refunds, s.refunds_total, s.rounding_total]),
});

export function depositFacts(sqlite: Sqlite, depositId: number): DepositFacts | undefined {
  const row = selectFirst(sqlite, deposits.where('id', '=', depositId).selectAll());
  return row === undefined ? undefined : toFacts(sqlite, row);
}

export type DepositReferenceFacts = {
  depositId: number;
  bankRef: string;
  bankRefAt: string;
  bankRefBy: number;
};

export function depositReferenceFacts(sqlite: Sqlite, depositId: number): DepositReferenceFacts | undefined {
  const row = selectFirst(sqlite, deposits.where('id', '=', depositId).where('bank_ref', 'is not', null).select(['id', 'bank_ref', 'bank_ref_at', 'bank_ref_by']));
  return row === undefined ? undefined : { depositId: row.id, bankRef: row.bank_ref!, bankRefAt: row.bank_ref_at!, bankRefBy: row.bank_ref_by! };
}

/** Every slip's facts and reference, in id order (verify). */
export function allDeposits(sqlite: Sqlite): { facts: DepositFacts; reference: DepositReferenceFacts | null }[] {
  return selectAll(sqlite, deposits.selectAll().orderBy('id')).map((d) => ({
    facts: toFacts(sqlite, d),
    reference: d.bank_ref === null ? null : { depositId: d.id, bankRef: d.bank_ref, bankRefAt: d.bank_ref_at!, bankRefBy: d.bank_ref_by! },
  }));
}

/** The slip as printed, from its rows (names as the users table has them now). */
export function depositSlip(sqlite: Sqlite, depositId: number): DepositSlipDocument | undefined {
  const facts = depositFacts(sqlite, depositId);
  if (facts === undefined) return undefined;
  const person = (id: number) => selectOne(sqlite, query.selectFrom('users').where('id', '=', id).select(['code', 'name']));
  const listed = selectAll(sqlite, shiftFigures.innerJoin('deposit_shifts as d', 'd.shift_id', 's.id').where('d.deposit_id', '=', depositId).orderBy('s.id'));
  // The slip's figures are the stored ones (a later void cannot happen in a closed shift, but the slip says what it said).
  const stored = new Map(
    facts.shifts.map(([shiftId, , receipts, receiptsTotal, refunds, refundsTotal, roundingTotal]) => [shiftId, { receipts, receiptsTotal, refunds, refundsTotal, roundingTotal }]),
  );
  const figures = listed.map((s) => ({ ...s, ...stored.get(s.shiftId)! }));
  return {
    kind: 'deposit_slip',
    header: printHeader(sqlite),
    depositId,
    day: facts.day,
    madeAt: facts.madeAt,
    supervisor: person(facts.supervisorId),
    cashiers: byCashier(figures),
    notes: facts.notes.map(([value, count]) => ({ value, count })),
    ...(facts.looseChange === undefined ? {} : { looseChange: facts.looseChange }),
    expected: facts.expected,
    counted: facts.counted,
    difference: facts.counted - facts.expected,
    reason: facts.reason,
  };
}

/** A day's slip and its bank reference, or DEPOSIT_NOT_FOUND. */
export function showDeposit(ctx: Ctx, dayArg?: string): { slip: DepositSlipDocument; bankRef: string | null; bankRefAt: string | null } {
  const day = depositDay(ctx, dayArg);
  const row = selectFirst(ctx.sqlite, deposits.where('day', '=', day).select(['id', 'bank_ref', 'bank_ref_at']));
  if (row === undefined) throw new AppError('DEPOSIT_NOT_FOUND', `Ngày ${day} chưa có bảng kê nộp tiền.`);
  return { slip: depositSlip(ctx.sqlite, row.id)!, bankRef: row.bank_ref, bankRefAt: row.bank_ref_at };
}
