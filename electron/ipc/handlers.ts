/**
 * The contract's channels over the real services. Everything that decides money lives in the
 * services; this layer only knows who is at the till (session), maps results to views, kicks the
 * printer after a print job is committed and tells the window when the status changed.
 */
import { basename, isAbsolute, join } from 'node:path';
import type { Ctx } from '../context.ts';
import { AppError, isAppError } from '../core/errors.ts';
import { sumDong } from '../core/money.ts';
import { dayRange, isoDay, localParts } from '../core/local-time.ts';
import type { TestPageDocument } from '../core/documents.ts';
import { customerDetail, lookupCode, searchCustomers } from '../customers.ts';
import { collectPayment, printHeader, quoteSelection } from '../payments.ts';
import { reprintReceipt, voidPayment } from '../voids.ts';
import { closeShift, currentShift, openShift } from '../shifts.ts';
import { addUser, requireSupervisor, verifyPin, type User } from '../users.ts';
import { printZReport, zReport, type ZScope } from '../reports.ts';
import { currentSnapshot, paidNotExported } from '../snapshots.ts';
import { importSnapshot } from '../cmis/import-snapshot.ts';
import type { Problem } from '../cmis/read-snapshot.ts';
import { exportClearing } from '../cmis/write-clearing.ts';
import { backupAfter } from '../backups.ts';
import { countSetAside, enqueuePrintJob } from '../print-jobs.ts';
import { pointIdentity } from '../point.ts';
import type { ScanStream } from '../devices/scanner/stream.ts';
import type { PaymentGate } from '../shutdown.ts';
import type { BackupView, EventName, EventPayload, PrinterStatus, ScannerStatus, SessionView, StatusView } from './contract.ts';
import type { Handlers } from './register.ts';
import type { Session } from './session.ts';
import { customerHit, customerView, importResultView, previewOf, refusedPreview, shiftView, zReportView } from './views.ts';
import { readSettingsView, writeSettingsView } from './settings-view.ts';

export interface HandlerDeps {
  ctx: Ctx;
  session: Session;
  /** The shell's native dialogs; null when the user cancels. */
  dialogs: { chooseSnapshotFile(): Promise<string | null>; chooseFolder(): Promise<string | null> };
  /** Printing: kick() drains the outbox after a job is committed; status() is the last known state. */
  printing: { kick(): void; status(): PrinterStatus };
  scanner: { stream: ScanStream; status(): ScannerStatus };
  /** Events to the window. */
  emit<E extends EventName>(name: E, payload: EventPayload<E>): void;
  /** Closed when quitting starts: no new payment is admitted, those in flight finish. */
  gate?: PaymentGate;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export function createHandlers(deps: HandlerDeps): Handlers {
  const { ctx, session } = deps;
  const admit = <T>(work: () => T): Promise<T> => (deps.gate === undefined ? Promise.resolve().then(work) : deps.gate.run(work));
  const changed = () => deps.emit('statusChanged', {});
  const printed = () => {
    deps.printing.kick();
    changed();
  };

  const sessionView = (): SessionView | null => {
    const user = session.user;
    if (user === null) return null;
    const shift = currentShift(ctx, user.id);
    return { user, shift: shift === undefined ? null : shiftView(shift) };
  };
  /** The shift whose receipts and Z report the screens show: the open one, else the one just closed. */
  const shiftInView = (user: User): number | null => currentShift(ctx, user.id)?.id ?? session.lastClosedShiftId;
  const supervisor = (c: { code: string; pin: string }) => requireSupervisor(ctx, c.code, c.pin);
  /** Blind count: while the user's shift is open, the window gets counts of receipts, never the money taken. */
  const blind = (): boolean => session.user !== null && currentShift(ctx, session.user.id) !== undefined;
  /** A code not found, or no debt data at all: "not found" would send the cashier looking for a wrong card. */
  const found = (customer: ReturnType<typeof lookupCode>) => {
    if (customer !== null) return customerView(customer);
    if (currentSnapshot(ctx.sqlite) === null) throw new AppError('NO_SNAPSHOT', 'Chưa có dữ liệu nợ: hãy nhập dữ liệu nợ buổi sáng (F4) rồi quét lại.');
    return null;
  };

  return {
    session: () => sessionView(),

    login: ({ code, pin }) => {
      session.login(verifyPin(ctx, code, pin));
      changed();
      return sessionView() as SessionView;
    },

    logout: () => {
      session.logout();
      changed();
      return null;
    },

    openShift: ({ openingFloat }) => {
      const user = session.requireUser();
      const shift = shiftView(openShift(ctx, { cashierId: user.id, openingFloat }));
      changed();
      return shift;
    },

    closeShift: async ({ countedCash }) => {
      const user = session.requireUser();
      const closed = await admit(() => closeShift(ctx, { cashierId: user.id, countedCash }));
      session.shiftClosed(closed.shiftId);
      const { report } = printZReport(ctx, { shiftId: closed.shiftId });
      printed();
      return { ...zReportView(report), backup: backupViewOf(await backupAfter(ctx)) };
    },

    status: (): StatusView => {
      const point = pointIdentity(ctx);
      const snapshot = currentSnapshot(ctx.sqlite);
      const now = ctx.clock();
      const today = dayRange(isoDay(now)).start.getTime();
      const snapshotDay = snapshot === null ? null : dayRange(isoDay(new Date(snapshot.importedAt))).start.getTime();
      // A failed job is settled (its copy is queued, or its payment was voided): only pending and sending ones wait.
      const waiting = ctx.sqlite.prepare("SELECT COUNT(*) AS n FROM print_jobs WHERE status <> 'done' AND status <> 'failed'").get() as { n: number };
      return {
        point: point === undefined ? null : { code: point.pointCode, name: point.pointName, unitCode: point.unitCode },
        snapshot:
          snapshot === null || snapshotDay === null
            ? null
            : {
                id: snapshot.id,
                fileName: snapshot.fileName,
                importedAt: snapshot.importedAt,
                day: isoDay(new Date(snapshot.importedAt)),
                ageDays: Math.max(0, Math.round((today - snapshotDay) / DAY_MS)),
              },
        unexported: blind() ? { ...paidNotExported(ctx.sqlite), total: null } : paidNotExported(ctx.sqlite),
        printJobsWaiting: waiting.n,
        printJobsSetAside: countSetAside(ctx.sqlite),
        printer: deps.printing.status(),
        scanner: deps.scanner.status(),
        autoCollect: readSettingsView(ctx).autoCollect,
        session: sessionView(),
      };
    },

    lookupCode: ({ code }) => {
      session.requireUser();
      return found(lookupCode(ctx, code));
    },

    scanSubmit: ({ code }) => {
      session.requireUser();
      const outcome = deps.scanner.stream.submit(code, 'wedge');
      if (!outcome.ok) throw new AppError(`SCAN_${outcome.rejection.reason}`, outcome.rejection.message);
      return found(lookupCode(ctx, outcome.scan.code));
    },

    findCustomers: ({ query, limit }) => {
      session.requireUser();
      return searchCustomers(ctx, query, limit).map(customerHit);
    },

    customerDetail: ({ customerId }) => {
      session.requireUser();
      return customerView(customerDetail(ctx, customerId));
    },

    quote: ({ customerId, billIds }) => {
      session.requireUser();
      const q = quoteSelection(ctx.sqlite, customerDetail(ctx, customerId), billIds);
      const billsTotal = sumDong(q.bills.map((b) => b.tong_tien));
      return { billIds: q.bills.map((b) => b.id_hdon), billsTotal, fee: q.total - billsTotal, total: q.total, reconnectionOrder: q.reconnection !== null };
    },

    collect: async ({ customerId, billIds, idempotencyKey, tendered }) => {
      const user = session.requireUser();
      const result = await admit(() =>
        collectPayment(ctx, {
          customer: customerId,
          cashierId: user.id,
          idempotencyKey,
          ...(billIds === undefined ? {} : { billIds }),
          ...(tendered === undefined ? {} : { tendered }),
        }),
      );
      if (!result.replayed) printed(); // a replay wrote nothing new
      return {
        paymentId: result.paymentId,
        receiptNo: result.receiptNo,
        paidAt: result.paidAt,
        total: result.total,
        tendered: result.tendered,
        change: result.tendered === null ? null : result.tendered - result.total,
        reconnectionOrder: result.reconnectionOrderId !== null,
      };
    },

    voidPayment: ({ receiptNo, reason, supervisor: credentials }) => {
      session.requireUser();
      const done = voidPayment(ctx, { receiptNo, reason, supervisorId: supervisor(credentials).id });
      printed();
      return { receiptNo: done.receiptNo };
    },

    reprint: ({ receiptNo }) => {
      const user = session.requireUser();
      const done = reprintReceipt(ctx, { receiptNo, actorId: user.id });
      printed();
      return { receiptNo: done.receiptNo, copyNo: done.copyNo };
    },

    todayReceipts: () => {
      const shiftId = shiftInView(session.requireUser());
      if (shiftId === null) return [];
      const rows = ctx.sqlite
        .prepare(
          `SELECT p.receipt_no AS receiptNo, p.paid_at AS paidAt, c.ma_khang AS maKhang, c.ten_khang AS tenKhang, p.total,
                  p.voided_at IS NOT NULL AS voided, p.void_reason AS voidReason, p.batch_id IS NOT NULL AS exported,
                  EXISTS (SELECT 1 FROM reconnection_orders o WHERE o.payment_id = p.id AND o.cancelled_at IS NULL) AS reconnectionOrder
             FROM payments p JOIN customers c ON c.id = p.customer_id
            WHERE p.shift_id = ? ORDER BY p.receipt_seq DESC`,
        )
        .all(shiftId) as Array<{ receiptNo: string; paidAt: string; maKhang: string; tenKhang: string; total: number; voided: number; voidReason: string | null; exported: number; reconnectionOrder: number }>;
      return rows.map((r) => ({ ...r, voided: r.voided === 1, exported: r.exported === 1, reconnectionOrder: r.reconnectionOrder === 1 }));
    },

    hourlyCollections: () => {
      session.requireUser();
      const { start, end } = dayRange(isoDay(ctx.clock()));
      const rows = ctx.sqlite
        .prepare('SELECT paid_at AS paidAt, total FROM payments WHERE paid_at >= ? AND paid_at < ? AND voided_at IS NULL')
        .all(start.toISOString(), end.toISOString()) as Array<{ paidAt: string; total: number }>;
      const byHour = new Map<number, { hour: number; count: number; total: number }>();
      for (const r of rows) {
        const hour = localParts(new Date(r.paidAt)).hour;
        const slot = byHour.get(hour) ?? { hour, count: 0, total: 0 };
        slot.count += 1;
        slot.total += r.total;
        byHour.set(hour, slot);
      }
      const hidden = blind();
      return {
        hours: [...byHour.values()].sort((a, b) => a.hour - b.hour).map((h) => (hidden ? { ...h, total: null } : h)),
        count: rows.length,
        total: hidden ? null : rows.reduce((sum, r) => sum + r.total, 0),
      };
    },

    chooseSnapshotFile: async () => ({ path: await deps.dialogs.chooseSnapshotFile() }),

    importPreview: ({ path }) => {
      session.requireUser();
      deps.emit('importProgress', { phase: 'reading', bytesRead: 0, totalBytes: 1, rows: 0 });
      try {
        return previewOf(path, importSnapshot(ctx, { file: path, dryRun: true }));
      } catch (error) {
        const refused = refusal(error);
        if (refused === null) throw error;
        return refusedPreview(path, basename(path), refused.problems, refused.problemCount);
      } finally {
        deps.emit('importProgress', { phase: 'done', bytesRead: 1, totalBytes: 1, rows: 0 });
      }
    },

    importConfirm: ({ path, acceptSkipped }) => {
      session.requireUser();
      const skipInvalid = acceptSkipped === undefined ? {} : { skipInvalid: { supervisorCode: acceptSkipped.code, pin: acceptSkipped.pin } };
      const result = importResultView(importSnapshot(ctx, { file: path, ...skipInvalid }));
      changed();
      return result;
    },

    // A preview is a dry run that wrote nothing: cancelling has nothing to undo.
    importCancel: () => null,

    chooseExportFolder: async () => ({ path: await deps.dialogs.chooseFolder() }),

    exportClearing: async ({ outDir }) => {
      session.requireUser();
      const result = exportClearing(ctx, { outDir });
      changed();
      if (result.code === 'EXPORT_NOTHING_NEW') return { nothingToExport: true, outDir, files: [], rowCount: 0, total: 0, backup: null };
      return {
        backup: backupViewOf(await backupAfter(ctx)),
        nothingToExport: false,
        outDir: result.outDir,
        files: result.files.map((f) => (isAbsolute(f) ? f : join(result.outDir, f))),
        rowCount: result.manifest.rowCount,
        total: result.manifest.totalTongTien,
      };
    },

    zReport: ({ scope, print }) => {
      const user = session.requireUser();
      let zScope: ZScope;
      if (scope === 'day') zScope = { day: isoDay(ctx.clock()) };
      else {
        const shiftId = shiftInView(user);
        if (shiftId === null) throw new AppError('NO_SHIFT', 'Không có ca nào để lập báo cáo Z.');
        zScope = { shiftId };
      }
      if (!print) return zReportView(zReport(ctx, zScope));
      const { report } = printZReport(ctx, zScope);
      printed();
      return zReportView(report);
    },

    settingsGet: () => {
      session.requireUser();
      return readSettingsView(ctx);
    },

    settingsSet: ({ supervisor: credentials, values }) => {
      const who = supervisor(credentials);
      writeSettingsView(ctx, values, who.id);
      changed();
      return readSettingsView(ctx);
    },

    usersList: ({ supervisor: credentials }) => {
      supervisor(credentials);
      const rows = ctx.sqlite.prepare('SELECT id, code, name, role, active FROM users ORDER BY code').all() as Array<User & { active: number }>;
      return rows.map((u) => ({ ...u, active: u.active === 1 }));
    },

    userAdd: ({ supervisor: credentials, secondSupervisor, user }) => {
      const approvedBy = [supervisor(credentials).id];
      if (secondSupervisor !== undefined) approvedBy.push(supervisor(secondSupervisor).id);
      return addUser(ctx, { ...user, approvedBy });
    },

    printerTestPage: () => {
      session.requireUser();
      const at = ctx.clock();
      const document: TestPageDocument = { kind: 'test_page', header: printHeader(ctx.sqlite), printedAt: at.toISOString() };
      ctx.sqlite.transaction(() => enqueuePrintJob(ctx.sqlite, { kind: 'test_page', paymentId: null, copyNo: 0, document, at })).immediate();
      printed();
      return null;
    },
  };
}

/** The problems of a refused snapshot file (every one with its line), or null for any other error. */
function refusal(error: unknown): { problems: Problem[]; problemCount: number } | null {
  if (!isAppError(error) || !['SNAPSHOT_INVALID', 'SNAPSHOT_HEADER_INVALID', 'SNAPSHOT_BAD_ENCODING'].includes(error.code)) return null;
  const details = error.details as { problems?: Problem[]; problemCount?: number } | undefined;
  const problems = details?.problems ?? [];
  return { problems, problemCount: details?.problemCount ?? problems.length };
}

function backupViewOf(result: Awaited<ReturnType<typeof backupAfter>>): BackupView {
  return result.ok ? { ok: true, file: result.backup.file, message: null } : { ok: false, file: null, message: `[${result.code}] ${result.message}` };
}
