/**
 * Typed client over what the preload exposes as `window.diemthu`. `call` unwraps a Result into the
 * value or an IpcFailure carrying the contract's { code, message }; an invoke that itself fails (IPC
 * hiccup) is retried once, which is safe: collect carries its idempotency key.
 */
import type { ChannelName, DiemthuApi, IpcError, RequestOf, ResponseOf } from '../electron/ipc/contract.ts';

declare global {
  interface Window {
    diemthu: DiemthuApi;
  }
}

export class IpcFailure extends Error {
  readonly error: IpcError;
  constructor(error: IpcError) {
    super(error.message);
    this.error = error;
  }
}

const TRANSPORT_FAILED: IpcError = { code: 'IPC_FAILED', message: 'Không liên lạc được với chương trình chính. Hãy thử lại.' };

export async function call<C extends ChannelName>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>> {
  const invoke = window.diemthu[channel] as unknown as (r: RequestOf<C>) => ReturnType<DiemthuApi[C]>;
  let result;
  try {
    result = await invoke(request);
  } catch {
    try {
      result = await invoke(request);
    } catch {
      throw new IpcFailure(TRANSPORT_FAILED);
    }
  }
  if (!result.ok) throw new IpcFailure(result.error);
  return result.value as ResponseOf<C>;
}

/** The { code, message } of anything thrown by `call` (or an unexpected fault). */
export function failureOf(error: unknown): IpcError {
  if (error instanceof IpcFailure) return error.error;
  return { code: 'UI_ERROR', message: 'Lỗi hiển thị. Hãy thử lại.' };
}

export const events = (): Pick<DiemthuApi, 'onScan' | 'onPrinterStatus' | 'onImportProgress' | 'onStatusChanged'> => window.diemthu;

/** One key per collect attempt (a retry of the same attempt reuses it). */
export const newIdempotencyKey = (): string => crypto.randomUUID();
