/**
 * Reads a print job's stored document (print_jobs.document, JSON) before anything is sent. The row is
 * data on disk: a disk error or a hand edit can leave it unparsable, of a kind the program does not
 * know, short of a field, or pointing at a payment that does not exist. Such a job is unreadable
 * (PRINT_JOB_UNREADABLE) and is set aside by the outbox; it never blocks the jobs behind it.
 *
 * The schemas are as strict as the renderers' inputs (whole đồng, ISO times, the fields each layout
 * reads), so a document that passes renders; an exception while rendering one that passed is a fault
 * of the program or the machine, not of the job, and stops the pass as a printer error would.
 */
import { z } from 'zod';
import type { Sqlite } from '../store/open.ts';
import { query, selectFirst } from '../store/typed-query.ts';
import { AppError } from '../core/errors.ts';
import type { PrintDocument } from '../core/documents.ts';

const dong = z.number().int().refine(Number.isSafeInteger);
const count = z.number().int().nonnegative();
const text = z.string().max(1000);
const code = z.string().min(1).max(40);
const time = z.iso.datetime();
const person = z.object({ code, name: text });

const header = z.object({
  companyName: text,
  companyAddress: text,
  pointCode: code,
  pointName: text,
  companyTaxCode: text.optional(),
  companyHotline: text.optional(),
  pointAddress: text.optional(),
  einvoiceLookup: text.optional(),
});

/** What says which bill a line is (receipt and refund slip alike); idHdon null for the fee charged here. */
const billOfLine = {
  idHdon: code.nullable(),
  loaiHdon: z.enum(['TD', 'VC', 'DC']),
  ky: count.nullable(),
  thang: count.nullable(),
  nam: count.nullable(),
};

const receipt = z.object({
  kind: z.literal('receipt'),
  header,
  receiptNo: code,
  paidAt: time,
  cashier: person,
  customer: z.object({ maKhang: code, tenKhang: text, dchiKhang: text, maSogcs: text.nullable(), stt: text.nullable(), soCto: text.nullable() }),
  lines: z
    .array(
      z.object({
        ...billOfLine,
        dienTthu: z.number().int().nullable(),
        soTien: dong,
        tienGtgt: dong,
        tongTien: dong,
      }),
    )
    .max(500),
  total: dong,
  tendered: dong.nullable(),
  changeRounding: dong.optional(),
  reconnectionOrder: z.boolean(),
});

const voidSlip = z.object({
  kind: z.literal('void_slip'),
  header,
  receiptNo: code,
  paidAt: time,
  voidedAt: time,
  supervisor: person,
  reason: text,
  customer: z.object({ maKhang: code, tenKhang: text }),
  total: dong,
});

const refundSlip = z.object({
  kind: z.literal('refund'),
  header,
  refundId: z.number().int(),
  receiptNo: code,
  paidAt: time,
  refundedAt: time,
  shiftId: z.number().int(),
  cashier: person,
  supervisor: person,
  reason: text,
  customer: z.object({ maKhang: code, tenKhang: text }),
  lines: z
    .array(
      z.object({
        ...billOfLine,
        amount: dong,
        why: text,
      }),
    )
    .min(1)
    .max(500),
  total: dong,
});

const depositSlip = z.object({
  kind: z.literal('deposit_slip'),
  header,
  depositId: z.number().int(),
  day: z.iso.date(),
  madeAt: time,
  supervisor: person,
  cashiers: z
    .array(
      z.object({
        cashier: person,
        shiftIds: z.array(z.number().int()).min(1).max(1000),
        receipts: count,
        receiptsTotal: dong,
        refunds: count,
        refundsTotal: dong,
        roundingTotal: dong,
        handedOver: dong,
      }),
    )
    .min(1)
    .max(1000),
  // nine values on a slip made before the 500 and 200 ₫ notes and the loose change were counted
  notes: z.array(z.object({ value: dong, count })).refine((notes) => notes.length === 9 || notes.length === 11),
  looseChange: z.number().int().min(0).max(199).optional(),
  expected: dong,
  counted: dong,
  difference: dong,
  reason: text.nullable(),
});

const zReport = z.object({
  kind: z.literal('z_report'),
  header,
  scope: z.enum(['shift', 'day']),
  day: z.iso.date(),
  shiftId: z.number().int().nullable(),
  cashier: person.nullable(),
  openedAt: time.nullable(),
  closedAt: time.nullable(),
  generatedAt: time,
  receiptCount: count,
  firstReceipt: code.nullable(),
  lastReceipt: code.nullable(),
  totalsByType: z.object({ TD: dong, VC: dong, DC: dong }),
  feesCollected: dong,
  counts: z.object({ TD: count, VC: count, DC: count, fees: count }).optional(),
  grandTotal: dong,
  voids: z.object({ count, total: dong, receipts: z.array(code).max(100_000) }),
  reprints: count,
  refunds: z.object({ count, total: dong }).optional(),
  changeRounding: z.object({ count, total: dong }).optional(),
  openingFloat: dong.nullable(),
  expectedCash: dong.nullable(),
  countedCash: dong.nullable(),
  variance: dong.nullable(),
  chainHeadId: z.number().int().nonnegative(),
  chainHead: text,
});

const receiptList = z.object({
  kind: z.literal('receipt_list'),
  header,
  scope: z.enum(['shift', 'day']),
  day: z.iso.date(),
  shiftId: z.number().int().nullable(),
  cashier: person.nullable(),
  generatedAt: time,
  receipts: z
    .array(z.object({ receiptNo: code, paidAt: time, cashierCode: code, maKhang: code, tenKhang: text, total: dong, voided: z.boolean() }))
    .max(100_000),
  validCount: count,
  validTotal: dong,
  voidedCount: count,
  chainHeadId: z.number().int().nonnegative(),
  chainHead: text,
});

const reconnectionOrder = z.object({
  kind: z.literal('reconnection_order'),
  header,
  orderId: z.number().int(),
  orderNo: code.optional(),
  receiptNo: code,
  requestedAt: time,
  cashier: person.optional(),
  customer: z.object({ maKhang: code, tenKhang: text, dchiKhang: text, dthoaiSms: text.nullable(), soCto: text.nullable() }),
});

const testPage = z.object({ kind: z.literal('test_page'), header, printedAt: time });

const documentSchema: z.ZodType<PrintDocument> = z.discriminatedUnion('kind', [receipt, voidSlip, refundSlip, depositSlip, zReport, receiptList, reconnectionOrder, testPage]);

/** The document kind each job kind prints (a reprint is a receipt with a copy number). */
const DOCUMENT_OF_JOB: Record<string, PrintDocument['kind']> = {
  receipt: 'receipt',
  reprint: 'receipt',
  void_slip: 'void_slip',
  refund: 'refund',
  deposit_slip: 'deposit_slip',
  z_report: 'z_report',
  receipt_list: 'receipt_list',
  test_page: 'test_page',
  reconnection_order: 'reconnection_order',
};

export interface StoredJob {
  id: number;
  kind: string;
  payment_id: number | null;
  document: string;
}

const unreadable = (job: StoredJob, why: string) =>
  new AppError('PRINT_JOB_UNREADABLE', `Không đọc được nội dung bản in số ${job.id} (${why}); bản in này được gác lại, các bản in sau vẫn in.`, { jobId: job.id, why });

/** The job's document, or PRINT_JOB_UNREADABLE saying what is wrong with it. */
export function readJobDocument(sqlite: Sqlite, job: StoredJob): PrintDocument {
  let raw: unknown;
  try {
    raw = JSON.parse(job.document);
  } catch {
    raw = undefined;
  }
  if (raw === undefined) throw unreadable(job, 'không phải JSON hợp lệ');
  const parsed = documentSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw unreadable(job, `sai ở trường "${issue?.path.join('.') || '(gốc)'}"`);
  }
  const doc = parsed.data;
  if (DOCUMENT_OF_JOB[job.kind] !== doc.kind) throw unreadable(job, `bản in loại ${job.kind} lại chứa ${doc.kind}`);
  if (job.payment_id !== null && selectFirst(sqlite, query.selectFrom('payments').where('id', '=', job.payment_id).select('id')) === undefined) {
    throw unreadable(job, `không có khoản thu số ${job.payment_id}`);
  }
  return doc;
}
