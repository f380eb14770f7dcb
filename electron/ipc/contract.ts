/**
 * The one IPC contract, imported by main (to validate) and by the renderer (for types). Only zod and
 * pure core imports here: the renderer bundles this file.
 *
 * Every invoke channel has a request and a response schema; every answer crossing the boundary is
 * `{ ok: true, value } | { ok: false, error: { code, message } }`. Events flow main -> renderer only.
 * Money is integer đồng; times are ISO-8601 UTC strings.
 */
import { z } from 'zod';
import { isAbsolutePath } from '../core/paths.ts';
import { PRINTER_STATES, type PrinterView } from '../core/printer-view.ts';
import type { ErrorCode } from '../core/errors.ts';
import { idleLockMinutes, printerRecord, scannerRecord } from '../core/settings-records.ts';
import { changeStep } from '../core/change-rounding.ts';
import { restoreOutcome } from '../core/restore-outcome.ts';

const dong = z.number().int();
const nonNegativeDong = dong.nonnegative();
const isoTime = z.string();
const empty = z.object({}).strict();
/** A folder or file on this machine: absolute only (a relative one would land under the process's working folder). */
const absolutePath = z.string().min(1).max(1000).refine((path) => isAbsolutePath(path));
const credentials = z.object({ code: z.string().trim().min(1).max(40), pin: z.string().min(1).max(12) }).strict();

export const roleSchema = z.enum(['cashier', 'supervisor']);

export const userView = z.object({ id: z.number().int(), code: z.string(), name: z.string(), role: roleSchema });
export type UserView = z.infer<typeof userView>;

export const shiftView = z.object({
  id: z.number().int(),
  cashierId: z.number().int(),
  openedAt: isoTime,
  openingFloat: nonNegativeDong,
  closedAt: isoTime.nullable(),
});
export type ShiftView = z.infer<typeof shiftView>;

export const sessionView = z.object({ user: userView, shift: shiftView.nullable() });
export type SessionView = z.infer<typeof sessionView>;

export const billView = z.object({
  id: z.number().int(),
  idHdon: z.string(),
  loaiHdon: z.enum(['TD', 'VC', 'DC']),
  ky: z.number().int(),
  thang: z.number().int(),
  nam: z.number().int(),
  dienTthu: z.number().int().nullable(),
  soTien: dong,
  tienGtgt: dong,
  tongTien: dong,
  hanTtoan: z.string().nullable(),
});
export type BillView = z.infer<typeof billView>;

const customerFields = {
  id: z.number().int(),
  maKhang: z.string(),
  tenKhang: z.string(),
  dchiKhang: z.string(),
  maSogcs: z.string().nullable(),
  stt: z.string().nullable(),
  soCto: z.string().nullable(),
  cut: z.boolean(), // TTHAI_CAT = 1: supply cut, reconnection after payment
};

export const customerHitView = z.object({
  ...customerFields,
  outstandingCount: z.number().int(),
  outstandingTotal: dong,
  total: dong, // the card's total: what collecting every outstanding bill charges now (reconnection fee included)
});
export type CustomerHitView = z.infer<typeof customerHitView>;

// An outstanding bill another counter of the office took, as the last sync pull said: not collectable here.
export const officePaidView = z.object({ bill: billView, pointCode: z.string(), receiptNo: z.string(), paidAt: isoTime, cashierCode: z.string(), notice: z.string() });
export type OfficePaidView = z.infer<typeof officePaidView>;

export const customerView = z.object({
  ...customerFields,
  maThe: z.string().nullable(),
  dthoaiSms: z.string().nullable(),
  bills: z.array(billView), // outstanding and collectable here, oldest period first
  officePaid: z.array(officePaidView), // "đã thu tại quầy … lúc …" (empty when no server is set or nothing was pulled)
  billsTotal: dong,
  reconnectionFee: nonNegativeDong, // charged with the payment when cut and no DC bill is listed; else 0
  total: dong, // billsTotal + reconnectionFee: what Enter collects
});
export type CustomerView = z.infer<typeof customerView>;

// What a selection of bills costs, from main (the window never adds money up itself).
// changeStep: the change of this quote is shown rounded down at it (setting change_rounding); the collect sends it back.
export const quoteView = z.object({ billIds: z.array(z.string()), billsTotal: dong, fee: nonNegativeDong, total: dong, reconnectionOrder: z.boolean(), changeStep });
export type QuoteView = z.infer<typeof quoteView>;
const billSelection = z.array(z.string().min(1).max(40)).max(200);

export const collectView = z.object({
  paymentId: z.number().int(),
  receiptNo: z.string(),
  paidAt: isoTime,
  total: dong,
  tendered: dong.nullable(),
  change: dong.nullable(), // handed back: tendered - total - changeRounding
  changeRounding: nonNegativeDong, // kept in the drawer
  reconnectionOrder: z.boolean(),
});
export type CollectView = z.infer<typeof collectView>;

export const receiptRow = z.object({
  receiptNo: z.string(),
  paidAt: isoTime,
  maKhang: z.string(),
  tenKhang: z.string(),
  total: dong,
  voided: z.boolean(),
  voidReason: z.string().nullable(),
  exported: z.boolean(),
  reconnectionOrder: z.boolean(),
});
export type ReceiptRow = z.infer<typeof receiptRow>;

export const printerView = z.object({ state: z.enum(PRINTER_STATES), message: z.string().nullable() }) satisfies z.ZodType<PrinterView>;
export type { PrinterView };

export const scannerStatus = z.object({ mode: z.string(), state: z.enum(['ready', 'offline', 'unknown']) });
export type ScannerStatus = z.infer<typeof scannerStatus>;

// The background sync with the company's server (electron/sync/loop.ts syncStatus), from the database alone.
export const syncView = z.object({
  state: z.enum(['never', 'ok', 'error']),
  lastSyncAt: isoTime.nullable(),
  lastErrorCode: z.string().nullable(),
  lastErrorMessage: z.string().nullable(),
  waiting: z.number().int(), // items not yet answered by the server
  oldestWaiting: isoTime.nullable(),
  alarm: z.boolean(), // an item has waited longer than alarmMinutes
  alarmMinutes: z.number().int(),
  refused: z.number().int(),
  openConflicts: z.number().int(),
});
export type SyncView = z.infer<typeof syncView>;

export const statusView = z.object({
  version: z.string(),
  point: z.object({ code: z.string(), name: z.string(), unitCode: z.string() }).nullable(),
  snapshot: z
    .object({ id: z.number().int(), fileName: z.string(), importedAt: isoTime, day: z.string(), ageDays: z.number().int() })
    .nullable(),
  unexported: z.object({ count: z.number().int(), total: dong.nullable() }), // total null while the cashier's shift is open (blind count)
  printJobsWaiting: z.number().int(),
  printJobsSetAside: z.number().int(), // could not be printed as stored: a supervisor must look (F3, reprint)
  printer: printerView,
  /** No printer set up: receipts are written to files (a fresh install), which the status bar must say. */
  printingToFile: z.boolean(),
  scanner: scannerStatus,
  autoCollect: z.boolean(),
  /** Set up from the app and not finished: only the setup screens open. */
  setupPending: z.boolean(),
  session: sessionView.nullable(),
  sync: syncView.nullable(), // null: no server set, the point works alone (nothing to show)
});
export type StatusView = z.infer<typeof statusView>;

export const importProblem = z.object({ line: z.number().int().nullable(), column: z.string().nullable(), value: z.string().nullable(), message: z.string() });
export type ImportProblem = z.infer<typeof importProblem>;

export const importPreview = z.object({
  path: z.string(),
  fileName: z.string(),
  alreadyImported: z.boolean(),
  encoding: z.string(),
  delimiter: z.string(),
  // null when the file has errors: it is refused whole, so its counts mean nothing yet.
  rowCount: z.number().int().nullable(),
  customerCount: z.number().int().nullable(),
  billCount: z.number().int().nullable(),
  billTotal: dong.nullable(),
  errors: z.array(importProblem),
  errorCount: z.number().int(), // all of them; `errors` may be capped
  warnings: z.array(z.string()),
  reimport: z.array(z.object({ state: z.string(), count: z.number().int() })),
  conflicts: z.array(z.object({ idHdon: z.string(), maKhang: z.string(), receiptNo: z.string().nullable(), state: z.string() })),
  /** Contract section 4: what a supervisor must confirm (or force, for an older file) before this file goes in. */
  guards: z.array(z.object({ code: z.string(), needs: z.enum(['force', 'confirmation']), message: z.string() })),
});
export type ImportPreview = z.infer<typeof importPreview>;

export const importView = z.object({
  snapshotId: z.number().int().nullable(),
  alreadyImported: z.boolean(),
  billCount: z.number().int(),
  billTotal: dong,
  skippedCount: z.number().int(),
  rejectsFile: z.string().nullable(),
});
export type ImportView = z.infer<typeof importView>;

// The backup taken after every shift close and export: a failure is shown, the close/export stands.
export const backupView = z.object({ ok: z.boolean(), file: z.string().nullable(), message: z.string().nullable() });
export type BackupView = z.infer<typeof backupView>;

export const exportView = z.object({
  nothingToExport: z.boolean(),
  outDir: z.string(),
  files: z.array(z.string()), // full paths written
  rowCount: z.number().int(),
  total: dong,
  backup: backupView.nullable(),
});
export type ExportView = z.infer<typeof exportView>;

export const zReportView = z.object({
  scope: z.enum(['shift', 'day']),
  day: z.string(),
  cashier: z.object({ code: z.string(), name: z.string() }).nullable(),
  openedAt: isoTime.nullable(),
  closedAt: isoTime.nullable(),
  receiptCount: z.number().int(),
  firstReceipt: z.string().nullable(),
  lastReceipt: z.string().nullable(),
  totalsByType: z.object({ TD: dong, VC: dong, DC: dong }),
  feesCollected: dong,
  grandTotal: dong,
  voids: z.object({ count: z.number().int(), total: dong }),
  reprints: z.number().int(),
  // change rounded down (setting change_rounding): valid receipts that kept some, and how much stays in the drawer
  changeRounding: z.object({ count: z.number().int(), total: dong }),
  refunds: z.object({ count: z.number().int(), total: dong }),
  openingFloat: dong.nullable(),
  expectedCash: dong.nullable(),
  countedCash: dong.nullable(),
  variance: dong.nullable(),
});
export type ZReportView = z.infer<typeof zReportView>;

// Contract section 5: a clearing batch's stage in the round trip with CMIS (cmis/clearing-state.ts).
export const batchStateView = z.object({
  batchId: z.number().int(),
  csvFile: z.string(),
  createdAt: isoTime,
  stage: z.enum(['pending', 'sent', 'answered', 'closed']),
  lines: z.number().int(),
  answered: z.number().int(),
  ok: z.number().int(),
  rejected: z.number().int(),
  decided: z.number().int(),
});
export type BatchStateView = z.infer<typeof batchStateView>;

export const resultView = z.object({
  status: z.enum(['recorded', 'already_recorded']),
  fileName: z.string(),
  batch: batchStateView,
  lines: z.array(z.object({ receiptNo: z.string(), idHdon: z.string(), ketQua: z.string(), ghiChu: z.string() })),
  newCount: z.number().int(),
  missing: z.array(z.object({ receiptNo: z.string(), idHdon: z.string() })),
});
export type ResultView = z.infer<typeof resultView>;

// A line waiting for a supervisor's decision: rejected by CMIS, or a "trùng thu" conflict (idHdon '' for the fee).
export const waitingLineView = z.object({
  receiptNo: z.string(),
  idHdon: z.string(),
  maKhang: z.string(),
  tenKhang: z.string(),
  tongTien: dong,
  why: z.enum(['rejected', 'conflict']),
  ketQua: z.string().nullable(),
  ghiChu: z.string().nullable(),
  csvFile: z.string().nullable(),
  canResend: z.boolean(),
});
export type WaitingLineView = z.infer<typeof waitingLineView>;
export const clearingView = z.object({ batches: z.array(batchStateView), waiting: z.array(waitingLineView) });
export type ClearingView = z.infer<typeof clearingView>;
const decision = { receiptNo: z.string().trim().min(1).max(40), bills: z.array(z.string().trim().min(1).max(40)).min(1).max(200), supervisor: credentials };

// The day's deposit slip (bảng kê nộp tiền): what it would say, and the slip once made.
const depositCashier = z.object({
  cashier: z.object({ code: z.string(), name: z.string() }),
  shiftIds: z.array(z.number().int()),
  receipts: z.number().int(),
  receiptsTotal: dong,
  refunds: z.number().int(),
  refundsTotal: dong,
  roundingTotal: dong,
  handedOver: dong,
});
export const depositView = z.object({
  day: z.string(),
  cashiers: z.array(depositCashier),
  expected: dong,
  openShifts: z.array(z.object({ shiftId: z.number().int(), cashierCode: z.string() })),
  slip: z
    .object({
      depositId: z.number().int(),
      madeAt: isoTime,
      supervisor: z.object({ code: z.string(), name: z.string() }),
      cashiers: z.array(depositCashier),
      notes: z.array(z.object({ value: dong, count: z.number().int() })),
      /** null on a slip made before the loose change was counted */
      looseChange: dong.nullable(),
      expected: dong,
      counted: dong,
      difference: dong,
      reason: z.string().nullable(),
      bankRef: z.string().nullable(),
    })
    .nullable(),
  /** The BANGKE file written with the slip (this answer only). */
  file: z.string().nullable(),
});
export type DepositView = z.infer<typeof depositView>;
/** What the supervisor's day screen asks about: a shift, or a local day (yyyy-mm-dd). */
export const dayScope = z.union([z.object({ shiftId: z.number().int().positive() }).strict(), z.object({ day: z.iso.date() }).strict()]);
export type DayScope = z.infer<typeof dayScope>;

const counted = z.object({ count: z.number().int(), total: dong });
/** F7 "Trong ngày": the day of every cashier, the shifts closed that day, the "trùng thu" waiting for a refund. */
export const dayView = z.object({
  day: z.iso.date(),
  receiptCount: z.number().int(),
  // One row per figure that adds up to the total (bill types, then the fee charged here): a figure added later is one more row.
  parts: z.array(z.object({ key: z.enum(['TD', 'VC', 'DC', 'fees']), count: z.number().int(), total: dong })),
  grandTotal: dong,
  voids: counted,
  reprints: z.number().int(),
  refunds: counted,
  // change rounded down and kept in the drawers (setting change_rounding): cash beside the total
  changeRounding: counted,
  cashiers: z.array(
    z.object({ code: z.string(), name: z.string(), receipts: z.number().int(), total: dong, voids: counted, reprints: z.number().int(), refunds: counted }),
  ),
  closings: z.array(
    z.object({
      shiftId: z.number().int(),
      cashier: z.object({ code: z.string(), name: z.string() }),
      openedAt: isoTime,
      closedAt: isoTime,
      receipts: z.number().int(),
      total: dong,
      countedCash: dong.nullable(),
      variance: dong.nullable(),
    }),
  ),
  conflicts: z.array(
    z.object({
      receiptNo: z.string(),
      maKhang: z.string(),
      tenKhang: z.string(),
      bills: z.array(z.object({ idHdon: z.string(), loaiHdon: z.string(), ky: z.number().int(), thang: z.number().int(), nam: z.number().int(), tongTien: dong })),
      amount: dong,
    }),
  ),
});
export type DayView = z.infer<typeof dayView>;

/** The settings screen's part of the `printer` record (core/settings-records.ts owns its schema). */
export const printerSettings = z.object({ transport: printerRecord.transport, port: printerRecord.port, width: printerRecord.width, mode: printerRecord.mode });
/** The `scanner` record as the screens show and write it (the serial fields kept while another mode is chosen). */
export const scannerSettings = z.object(scannerRecord).strict();
export const settingsView = z.object({
  pointName: z.string().max(120),
  companyName: z.string().max(120),
  companyAddress: z.string().max(200),
  pointAddress: z.string().max(200),
  companyTaxCode: z.string().regex(/^(\d{10}(-\d{3})?)?$/),
  companyHotline: z.string().max(40),
  einvoiceLookup: z.string().max(200),
  reconnectionFee: nonNegativeDong,
  reconnectionFeeVatPercent: z.number().int().min(0).max(10),
  backupDir: z.string().nullable(),
  /** The backups land on the database's disk (warned: one failing disk takes both). Read only. */
  backupSameDisk: z.boolean(),
  autoCollect: z.boolean(),
  idleLockMinutes,
  changeRounding: changeStep,
  printer: printerSettings,
  scanner: scannerSettings,
});
export type SettingsView = z.infer<typeof settingsView>;
// What the settings screen may write: folders absolute (the view above shows whatever is stored, so a bad
// value stored earlier is seen and can be corrected).
const settingsChange = settingsView.omit({ backupSameDisk: true }).partial().extend({
  backupDir: absolutePath.nullable().optional(),
  printer: printerSettings.refine((p) => p.transport !== 'file' || p.port === '' || isAbsolutePath(p.port), { path: ['port'] }).optional(),
});

/** A backup as the settings' restore shows it before the supervisor confirms (backups/restore.ts previewRestore). */
export const restorePreviewView = z.object({
  file: z.string(),
  /** The backup's journal head hash: the confirm sends it back (restore refuses a file that changed since). */
  journalHead: z.string(),
  pointCode: z.string().nullable(),
  lastEntryAt: isoTime.nullable(),
  journalRows: z.number().int(),
  receipts: z.number().int(),
  lastReceiptNo: z.string().nullable(),
  currentJournalRows: z.number().int().nullable(),
  behindBy: z.number().int().nullable(),
  older: z.boolean(),
});
export type RestorePreviewView = z.infer<typeof restorePreviewView>;
export type RestoreNoticeView = z.infer<typeof restoreOutcome>;

/** The About box (F1): what IT and the support line ask for. */
export const aboutView = z.object({
  version: z.string(),
  dataDir: z.string(),
  logDir: z.string(),
  databaseBytes: z.number().int().nonnegative(),
  point: z.object({ code: z.string(), name: z.string(), unitCodes: z.array(z.string()) }).nullable(),
  snapshot: z.object({ fileName: z.string(), importedAt: z.string() }).nullable(),
  hotline: z.string(),
});
export type AboutView = z.infer<typeof aboutView>;

/** What is plugged in (devices/device-list.ts): a list to choose from, or why there is none (manual entry stays). */
const deviceListing = z.union([
  z.object({ ok: z.literal(true), devices: z.array(z.object({ port: z.string(), label: z.string() })) }),
  z.object({ ok: z.literal(false), message: z.string() }),
]);
export const devicesView = z.object({ serialPorts: deviceListing, usbPrinters: deviceListing });
export type DevicesView = z.infer<typeof devicesView>;

export const hourlyView = z.object({
  // Totals null while the cashier's shift is open: the blind count sees receipts, not money.
  hours: z.array(z.object({ hour: z.number().int().min(0).max(23), count: z.number().int(), total: dong.nullable() })),
  count: z.number().int(),
  total: dong.nullable(),
});
export type HourlyView = z.infer<typeof hourlyView>;

const ch = <Req extends z.ZodType, Res extends z.ZodType>(request: Req, response: Res) => ({ request, response });

/** Invoke channels: renderer -> main, one answer each. The key is the channel name and the api function name. */
export const channels = {
  session: ch(empty, sessionView.nullable()),
  login: ch(credentials, sessionView),
  logout: ch(empty, z.null()),
  // The first run of an empty point (no user yet): identity, receipt header, the first supervisor, signed in.
  setupPoint: ch(
    z
      .object({
        pointCode: z.string().trim().min(1).max(20),
        unitCodes: z.array(z.string().trim().min(1).max(10)).min(1).max(50),
        pointName: z.string().trim().min(1).max(120),
        pointAddress: z.string().max(200),
        companyName: z.string().trim().min(1).max(120),
        companyTaxCode: z.string().trim().regex(/^(\d{10}(-\d{3})?)?$/),
        companyHotline: z.string().max(40),
        einvoiceLookup: z.string().max(200),
        supervisor: z.object({ code: z.string().trim().min(1).max(40), name: z.string().trim().min(1).max(120), pin: z.string().regex(/^\d{0,12}$/) }).strict(),
      })
      .strict(),
    sessionView,
  ),
  // One's own PIN, by the current one (a temporary PIN set by a supervisor opens nothing else).
  changePin: ch(z.object({ code: z.string().trim().min(1).max(40), pin: z.string().min(1).max(12), newPin: z.string().regex(/^\d{0,12}$/) }).strict(), z.null()),
  setupFinish: ch(z.object({ supervisor: credentials }).strict(), z.null()),
  activity: ch(empty, z.null()),
  openShift: ch(z.object({ openingFloat: nonNegativeDong }).strict(), shiftView),
  // Blind count: the expected cash is only in the answer.
  closeShift: ch(z.object({ countedCash: nonNegativeDong }).strict(), zReportView.extend({ backup: backupView })),
  status: ch(empty, statusView),
  lookupCode: ch(z.object({ code: z.string().trim().min(1).max(64) }).strict(), customerView.nullable()),
  // A keyboard-wedge scan detected in the renderer: looked up like a code and counted as a scan.
  scanSubmit: ch(z.object({ code: z.string().trim().min(1).max(64) }).strict(), customerView.nullable()),
  findCustomers: ch(z.object({ query: z.string().max(100), limit: z.number().int().min(1).max(100).optional() }).strict(), z.array(customerHitView)),
  customerDetail: ch(z.object({ customerId: z.number().int().positive() }).strict(), customerView),
  quote: ch(z.object({ customerId: z.number().int().positive(), billIds: billSelection.optional() }).strict(), quoteView),
  collect: ch(
    z
      .object({
        customerId: z.number().int().positive(),
        billIds: billSelection.optional(), // ID_HDON; default: every outstanding bill
        idempotencyKey: z.string().min(8).max(80), // made by the renderer per attempt: a retry is safe
        tendered: nonNegativeDong.optional(),
        changeStep: changeStep.optional(), // the quote's: refused (CHANGE_ROUNDING_CHANGED) when the setting changed since
      })
      .strict(),
    collectView,
  ),
  voidPayment: ch(
    z.object({ receiptNo: z.string().min(1).max(40), reason: z.string().trim().min(3).max(200), supervisor: credentials }).strict(),
    z.object({ receiptNo: z.string() }),
  ),
  reprint: ch(z.object({ receiptNo: z.string().min(1).max(40) }).strict(), z.object({ receiptNo: z.string(), copyNo: z.number().int() })),
  todayReceipts: ch(empty, z.array(receiptRow)),
  hourlyCollections: ch(empty, hourlyView),
  chooseSnapshotFile: ch(empty, z.object({ path: z.string().nullable() })),
  importPreview: ch(z.object({ path: absolutePath }).strict(), importPreview),
  importConfirm: ch(
    z.object({ path: absolutePath, acceptSkipped: credentials.optional(), confirm: credentials.extend({ force: z.boolean() }).strict().optional() }).strict(),
    importView,
  ),
  importCancel: ch(empty, z.null()),
  chooseExportFolder: ch(empty, z.object({ path: z.string().nullable() })),
  exportClearing: ch(z.object({ outDir: absolutePath }).strict(), exportView),
  zReport: ch(z.object({ scope: z.enum(['shift', 'day']), print: z.boolean() }).strict(), zReportView),
  settingsGet: ch(empty, settingsView),
  settingsSet: ch(z.object({ supervisor: credentials, values: settingsChange }).strict(), settingsView),
  usersList: ch(z.object({ supervisor: credentials }).strict(), z.array(userView.extend({ active: z.boolean() }))),
  userAdd: ch(
    z
      .object({
        supervisor: credentials,
        // A new supervisor needs it once the point has two supervisors (the service says so).
        secondSupervisor: credentials.optional(),
        // Digits only here; the service says how many (6-8) in a sentence.
        user: z.object({ code: z.string().trim().min(1).max(40), name: z.string().trim().min(1).max(120), role: roleSchema, pin: z.string().regex(/^\d{0,12}$/) }).strict(),
      })
      .strict(),
    userView,
  ),
  printerTestPage: ch(empty, z.null()),
  // Contract section 5: CMIS's answer to a clearing batch, the batches' stages, and the supervisor's decisions.
  chooseResultFile: ch(empty, z.object({ path: z.string().nullable() })),
  resultRead: ch(z.object({ path: absolutePath }).strict(), resultView),
  clearingState: ch(empty, clearingView),
  // Paid back out of the signed-in cashier's open shift; the refund slip prints.
  decideRefund: ch(z.object({ ...decision, reason: z.string().trim().min(1).max(200) }).strict(), z.object({ receiptNo: z.string(), total: dong, shiftId: z.number().int() })),
  decideResend: ch(z.object(decision).strict(), z.object({ receiptNo: z.string() })),
  depositState: ch(empty, depositView),
  // Notes counted by value (đồng) and the loose change under 200 ₫; the slip prints and its file is written beside the last clearing files.
  depositMake: ch(
    z
      .object({
        supervisor: credentials,
        notes: z.array(z.object({ value: z.number().int(), count: z.number().int().min(0).max(10_000_000) }).strict()).max(11),
        looseChange: z.number().int().min(0).max(199).optional(),
        reason: z.string().max(500).optional(),
      })
      .strict(),
    depositView,
  ),
  // The supervisor's day (F7): every call carries the supervisor's code + PIN, like the settings.
  supervisorDay: ch(z.object({ supervisor: credentials, day: z.iso.date().optional() }).strict(), dayView),
  zReprint: ch(z.object({ supervisor: credentials, scope: dayScope }).strict(), z.object({ copyNo: z.number().int() })),
  receiptListPrint: ch(z.object({ supervisor: credentials, scope: dayScope }).strict(), z.object({ receipts: z.number().int(), validTotal: dong })),
  deviceList: ch(empty, devicesView),
  // Restore from a backup (settings, supervisor): the same checks as `diemthu restore`; the app closes, restores and relaunches.
  chooseBackupFile: ch(empty, z.object({ path: z.string().nullable() })),
  restorePreview: ch(z.object({ supervisor: credentials, path: absolutePath }).strict(), restorePreviewView),
  // force: the backup is older than the current database (the CLI's --force --supervisor).
  restoreConfirm: ch(z.object({ supervisor: credentials, path: absolutePath, force: z.boolean(), expect: z.string().min(1).max(128) }).strict(), z.object({ restarting: z.literal(true) })),
  // Asked by the login screen: how the restore before this start went (once per start).
  restoreNotice: ch(empty, restoreOutcome.nullable()),
  // Asked before anyone signs in too: paths and versions, no secret.
  about: ch(empty, aboutView),
} as const;

export type Channels = typeof channels;
export type ChannelName = keyof Channels;
export type RequestOf<C extends ChannelName> = z.input<Channels[C]['request']>;
export type ParsedRequestOf<C extends ChannelName> = z.output<Channels[C]['request']>;
export type ResponseOf<C extends ChannelName> = z.output<Channels[C]['response']>;

export const errorShape = z.object({ code: z.string(), message: z.string() });
/** The error the window receives: its code is one the compiler knows (core/errors.ts). */
export type IpcError = { code: ErrorCode; message: string };
export type Result<T> = { ok: true; value: T } | { ok: false; error: IpcError };

export function isChannelName(name: string): name is ChannelName {
  return Object.prototype.hasOwnProperty.call(channels, name);
}

/** Events: main -> renderer. The Electron channel is `event:<name>`. */
export const events = {
  scan: z.object({ code: z.string(), source: z.enum(['hid', 'serial', 'wedge']) }),
  printerStatus: printerView,
  importProgress: z.object({ phase: z.enum(['reading', 'checking', 'writing', 'done']), bytesRead: z.number().int(), totalBytes: z.number().int(), rows: z.number().int() }),
  statusChanged: z.object({}),
} as const;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;
export const eventChannel = (name: EventName): string => `event:${name}`;

type Listener<E extends EventName> = (payload: EventPayload<E>) => void;

/** What the preload exposes as `window.diemthu` (checked there with `satisfies DiemthuApi`). */
export type DiemthuApi = {
  [C in ChannelName]: (request: RequestOf<C>) => Promise<Result<ResponseOf<C>>>;
} & {
  [E in EventName as `on${Capitalize<E>}`]: (listener: Listener<E>) => () => void;
};

/** The `on<Event>` name of an event, e.g. scan -> onScan. */
export function eventApiName<E extends EventName>(name: E): `on${Capitalize<E>}` {
  return `on${name.charAt(0).toUpperCase()}${name.slice(1)}` as `on${Capitalize<E>}`;
}
