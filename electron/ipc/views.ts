/**
 * Service results -> the contract's views: the renderer sees only what it shows, in camelCase, and
 * never a row, a hash or a header it does not need.
 */
import type { BillRow } from '../customers/bills.ts';
import type { CustomerDetail, CustomerHit } from '../customers/find.ts';
import type { Shift } from '../shifts/shifts.ts';
import type { Quote } from '../payments/quote.ts';
import type { ZReportDocument } from '../core/documents.ts';
import type { ImportResult } from '../cmis/import-snapshot.ts';
import type { ReimportSummary } from '../cmis/snapshots.ts';
import type { Problem } from '../cmis/read-snapshot.ts';
import { officePaidNotice } from '../sync/pulled.ts';
import type { SyncStatus } from '../sync/loop.ts';
import type { BillView, CustomerHitView, CustomerView, DayView, ImportPreview, ImportProblem, ImportView, ShiftView, SyncView, ZReportView } from './contract.ts';
import type { SupervisorDay } from '../shifts/day.ts';

export function billView(b: BillRow): BillView {
  return {
    id: b.id,
    idHdon: b.id_hdon,
    loaiHdon: b.loai_hdon,
    ky: b.ky,
    thang: b.thang,
    nam: b.nam,
    dienTthu: b.dien_tthu,
    soTien: b.so_tien,
    tienGtgt: b.tien_gtgt,
    tongTien: b.tong_tien,
    hanTtoan: b.han_ttoan,
  };
}

/** The card with the quote for every outstanding bill: what Enter collects (nothing owed: 0). */
export function customerView(c: CustomerDetail, quoted: Quote): CustomerView {
  return {
    id: c.id,
    maKhang: c.maKhang,
    tenKhang: c.tenKhang,
    dchiKhang: c.dchiKhang,
    maSogcs: c.maSogcs,
    stt: c.stt,
    soCto: c.soCto,
    cut: c.tthaiCat,
    maThe: c.maThe,
    dthoaiSms: c.dthoaiSms,
    bills: c.bills.map(billView),
    officePaid: c.officePaid.map((o) => ({ bill: billView(o.bill), pointCode: o.pointCode, receiptNo: o.receiptNo, paidAt: o.paidAt, cashierCode: o.cashierCode, notice: officePaidNotice(o) })),
    billsTotal: quoted.ok ? quoted.billsTotal : 0,
    reconnectionFee: quoted.ok ? quoted.fee : 0,
    total: quoted.ok ? quoted.total : 0,
  };
}

export function customerHitView(h: CustomerHit): CustomerHitView {
  return {
    id: h.id,
    maKhang: h.maKhang,
    tenKhang: h.tenKhang,
    dchiKhang: h.dchiKhang,
    maSogcs: h.maSogcs,
    stt: h.stt,
    soCto: h.soCto,
    cut: h.tthaiCat,
    outstandingCount: h.outstandingCount,
    outstandingTotal: h.outstandingTotal,
    total: h.total,
  };
}

/** The status bar's sync part: nothing when no server is set. */
export function syncView(s: SyncStatus): SyncView | null {
  if (s.state === 'off') return null;
  const { state, lastSyncAt, lastErrorCode, lastErrorMessage, waiting, oldestWaiting, alarm, alarmMinutes, refused, openConflicts } = s;
  return { state, lastSyncAt, lastErrorCode, lastErrorMessage, waiting, oldestWaiting, alarm, alarmMinutes, refused, openConflicts };
}

export function shiftView(s: Shift): ShiftView {
  return { id: s.id, cashierId: s.cashierId, openedAt: s.openedAt, openingFloat: s.openingFloat, closedAt: s.closedAt };
}

export function zReportView(z: ZReportDocument): ZReportView {
  return {
    scope: z.scope,
    day: z.day,
    cashier: z.cashier,
    openedAt: z.openedAt,
    closedAt: z.closedAt,
    receiptCount: z.receiptCount,
    firstReceipt: z.firstReceipt,
    lastReceipt: z.lastReceipt,
    totalsByType: z.totalsByType,
    feesCollected: z.feesCollected,
    grandTotal: z.grandTotal,
    voids: { count: z.voids.count, total: z.voids.total },
    reprints: z.reprints,
    changeRounding: z.changeRounding ?? { count: 0, total: 0 },
    refunds: z.refunds ?? { count: 0, total: 0 },
    openingFloat: z.openingFloat,
    expectedCash: z.expectedCash,
    countedCash: z.countedCash,
    variance: z.variance,
  };
}

export function reimportRows(summary: ReimportSummary): ImportPreview['reimport'] {
  return Object.entries(summary)
    .filter(([, count]) => count > 0)
    .map(([state, count]) => ({ state, count }));
}

export function problemView(p: Problem): ImportProblem {
  return { line: p.line, column: p.column, value: p.value, message: p.reason };
}

/** A file that passed: its counts and the re-import table, nothing refused. */
export function previewOf(path: string, r: ImportResult): ImportPreview {
  return {
    path,
    fileName: r.fileName,
    alreadyImported: r.status === 'already_imported',
    encoding: r.encoding,
    delimiter: r.delimiter,
    rowCount: r.rowCount,
    customerCount: r.customerCount,
    billCount: r.billCount,
    billTotal: r.billTotal,
    errors: [],
    errorCount: 0,
    warnings: r.warnings,
    reimport: reimportRows(r.reimport),
    conflicts: [],
    guards: r.guards.map(({ code, needs, message }) => ({ code, needs, message })),
  };
}

/** A refused file: every problem with its line; the counts are unknown. */
export function refusedPreview(path: string, fileName: string, problems: Problem[], problemCount: number): ImportPreview {
  return {
    path,
    fileName,
    alreadyImported: false,
    encoding: '',
    delimiter: '',
    rowCount: null,
    customerCount: null,
    billCount: null,
    billTotal: null,
    errors: problems.map(problemView),
    errorCount: problemCount,
    warnings: [],
    reimport: [],
    conflicts: [],
    guards: [],
  };
}

export function importView(r: ImportResult): ImportView {
  return {
    snapshotId: r.snapshotId,
    alreadyImported: r.status === 'already_imported',
    billCount: r.billCount,
    billTotal: r.billTotal,
    skippedCount: r.skippedCount,
    rejectsFile: r.rejectsFile,
  };
}

export function dayView(d: SupervisorDay): DayView {
  const r = d.report;
  return {
    day: d.day,
    receiptCount: r.receiptCount,
    parts: [
      ...(['TD', 'VC', 'DC'] as const).map((key) => ({ key, count: r.counts?.[key] ?? 0, total: r.totalsByType[key] })),
      { key: 'fees' as const, count: r.counts?.fees ?? 0, total: r.feesCollected },
    ],
    grandTotal: r.grandTotal,
    voids: { count: r.voids.count, total: r.voids.total },
    reprints: r.reprints,
    refunds: r.refunds ?? { count: 0, total: 0 },
    changeRounding: r.changeRounding ?? { count: 0, total: 0 },
    cashiers: d.cashiers.map((c) => ({
      code: c.code,
      name: c.name,
      receipts: c.receipts,
      total: c.total,
      voids: { count: c.voids, total: c.voidedTotal },
      reprints: c.reprints,
      refunds: { count: c.refunds, total: c.refundedTotal },
    })),
    closings: d.closings,
    conflicts: d.conflicts,
  };
}
