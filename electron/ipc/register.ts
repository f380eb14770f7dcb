/**
 * The gate every IPC call passes: known channel, trusted sender (our origin, top frame), payload
 * parsed by the contract (nothing runs on a bad one), errors as { code, message } and never a stack.
 * Typed against minimal interfaces so it is tested without Electron; the Playwright bridge calls the
 * same dispatch().
 */
import { channels, isChannelName, type ChannelName, type ParsedRequestOf, type ResponseOf, type Result } from './contract.ts';
import { toErrorShape, type ErrorCode } from '../core/errors.ts';

export type Handler<C extends ChannelName> = (request: ParsedRequestOf<C>) => ResponseOf<C> | Promise<ResponseOf<C>>;
export type Handlers = { [C in ChannelName]: Handler<C> };

export interface Sender {
  url: string;
  isMainFrame: boolean;
}

export interface DispatchOptions {
  /** Origins allowed to call, e.g. `app://diemthu` and the Vite dev server `http://localhost:5173`. */
  trustedOrigins: readonly string[];
  /** Check each answer against the response schema (tests and development). */
  validateResponses?: boolean;
  /** Where internal faults are logged (their stack never crosses to the renderer). */
  onInternalError?: (channel: string, error: unknown) => void;
}

/**
 * `scheme://host[:port]` of a URL. WHATWG URL gives origin "null" for custom schemes such as
 * app://, so it is rebuilt from protocol and host.
 */
export function originOf(url: string): string | null {
  try {
    const u = new URL(url);
    return u.host === '' ? null : `${u.protocol}//${u.host}`;
  } catch {
    return null;
  }
}

export function isTrustedSender(sender: Sender, trustedOrigins: readonly string[]): boolean {
  if (!sender.isMainFrame) return false;
  const origin = originOf(sender.url);
  return origin !== null && trustedOrigins.some((trusted) => originOf(trusted) === origin);
}

const fail = (code: ErrorCode, message: string): Result<never> => ({ ok: false, error: { code, message } });

export async function dispatch(
  handlers: Handlers,
  channel: string,
  payload: unknown,
  sender: Sender,
  options: DispatchOptions,
): Promise<Result<unknown>> {
  if (!isChannelName(channel)) return fail('UNKNOWN_CHANNEL', 'Yêu cầu không được hỗ trợ.');
  if (!isTrustedSender(sender, options.trustedOrigins)) return fail('FORBIDDEN_SENDER', 'Yêu cầu không đến từ màn hình của chương trình.');
  const parsed = channels[channel].request.safeParse(payload ?? {});
  if (!parsed.success) return fail('BAD_REQUEST', 'Dữ liệu gửi lên không hợp lệ.');
  let value: unknown;
  try {
    value = await (handlers[channel] as (request: unknown) => unknown)(parsed.data);
  } catch (error) {
    const shape = toErrorShape(error);
    if (shape.code === 'INTERNAL') options.onInternalError?.(channel, error);
    return { ok: false, error: { code: shape.code, message: shape.message } };
  }
  if (options.validateResponses === true) {
    const checked = channels[channel].response.safeParse(value);
    if (!checked.success) {
      options.onInternalError?.(channel, checked.error);
      return fail('BAD_RESPONSE', 'Chương trình trả lời sai định dạng. Hãy báo cho bộ phận kỹ thuật.');
    }
  }
  return { ok: true, value: value ?? null };
}

/** The parts of Electron's IpcMainInvokeEvent that the sender check reads. */
export interface InvokeEventLike {
  senderFrame: { url: string } | null;
  sender: { mainFrame: unknown };
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEventLike, payload: unknown) => Promise<unknown>): void;
}

export function senderOf(event: InvokeEventLike): Sender {
  const frame = event.senderFrame;
  return { url: frame?.url ?? '', isMainFrame: frame !== null && frame === event.sender.mainFrame };
}

/** Called once by main.ts: one ipcMain.handle per contract channel. */
export function registerIpc(
  ipcMain: IpcMainLike,
  handlers: Handlers,
  trustedOrigins: readonly string[],
  extra: Omit<DispatchOptions, 'trustedOrigins'> = {},
): void {
  const options: DispatchOptions = { ...extra, trustedOrigins };
  for (const channel of Object.keys(channels)) {
    ipcMain.handle(channel, (event, payload) => dispatch(handlers, channel, payload, senderOf(event), options));
  }
}
