/**
 * The sandboxed preload: exposes `window.diemthu`, one named function per contract channel and one
 * `on<Event>` subscription per event, nothing else (no ipcRenderer, no event objects). Only types come
 * from the contract, so the bundle holds no zod; `satisfies DiemthuApi` makes the compiler refuse a
 * missing, extra or mistyped channel. Validation of every payload happens in main.
 */
import { contextBridge, ipcRenderer } from 'electron';
import type { ChannelName, DiemthuApi, EventName, EventPayload, RequestOf, ResponseOf, Result } from '../ipc/contract.ts';

function invoker<C extends ChannelName>(channel: C) {
  return (request: RequestOf<C>): Promise<Result<ResponseOf<C>>> => ipcRenderer.invoke(channel, request);
}

function subscriber<E extends EventName>(name: E) {
  // Same naming as the contract's eventChannel(); a test checks the two agree.
  const channel = `event:${name}`;
  return (listener: (payload: EventPayload<E>) => void): (() => void) => {
    const forward = (_event: unknown, payload: EventPayload<E>) => listener(payload);
    ipcRenderer.on(channel, forward);
    return () => {
      ipcRenderer.removeListener(channel, forward);
    };
  };
}

const api = {
  session: invoker('session'),
  login: invoker('login'),
  logout: invoker('logout'),
  activity: invoker('activity'),
  setupPoint: invoker('setupPoint'),
  setupFinish: invoker('setupFinish'),
  changePin: invoker('changePin'),
  openShift: invoker('openShift'),
  closeShift: invoker('closeShift'),
  status: invoker('status'),
  lookupCode: invoker('lookupCode'),
  scanSubmit: invoker('scanSubmit'),
  findCustomers: invoker('findCustomers'),
  customerDetail: invoker('customerDetail'),
  quote: invoker('quote'),
  collect: invoker('collect'),
  voidPayment: invoker('voidPayment'),
  reprint: invoker('reprint'),
  todayReceipts: invoker('todayReceipts'),
  hourlyCollections: invoker('hourlyCollections'),
  chooseSnapshotFile: invoker('chooseSnapshotFile'),
  importPreview: invoker('importPreview'),
  importConfirm: invoker('importConfirm'),
  importCancel: invoker('importCancel'),
  chooseExportFolder: invoker('chooseExportFolder'),
  exportClearing: invoker('exportClearing'),
  zReport: invoker('zReport'),
  settingsGet: invoker('settingsGet'),
  settingsSet: invoker('settingsSet'),
  usersList: invoker('usersList'),
  userAdd: invoker('userAdd'),
  printerTestPage: invoker('printerTestPage'),
  chooseResultFile: invoker('chooseResultFile'),
  resultRead: invoker('resultRead'),
  clearingState: invoker('clearingState'),
  decideRefund: invoker('decideRefund'),
  decideResend: invoker('decideResend'),
  depositState: invoker('depositState'),
  depositMake: invoker('depositMake'),
  supervisorDay: invoker('supervisorDay'),
  zReprint: invoker('zReprint'),
  receiptListPrint: invoker('receiptListPrint'),
  deviceList: invoker('deviceList'),
  about: invoker('about'),
  chooseBackupFile: invoker('chooseBackupFile'),
  restorePreview: invoker('restorePreview'),
  restoreConfirm: invoker('restoreConfirm'),
  restoreNotice: invoker('restoreNotice'),
  onScan: subscriber('scan'),
  onPrinterStatus: subscriber('printerStatus'),
  onImportProgress: subscriber('importProgress'),
  onStatusChanged: subscriber('statusChanged'),
} satisfies DiemthuApi;

contextBridge.exposeInMainWorld('diemthu', api);
