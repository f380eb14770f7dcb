import { Agent, request as httpRequest, type ClientRequestArgs, type IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import type { Duplex } from 'node:stream';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import type { z } from 'zod';
import { AppError, type ErrorCode } from '../electron/core/errors.ts';
import { failure, routes, success, type RoutePath } from './sync.ts';

export interface SyncClientOptions {
  /** https://host:port of the server; plain http is refused. */
  url: string;
  token: string;
  /**
   * SHA-256 fingerprint of the server's certificate (as `diemthu-server serve` prints it, colon hex):
   * the server is accepted by this certificate alone. Without it the certificate must chain to a
   * trusted CA (`ca`, or the system's) and name the host.
   */
  pin?: string;
  ca?: string;
  timeoutMs?: number;
  /**
   * Check each request against the protocol before sending (default true). A benchmark that plays
   * hundreds of points from one process turns it off: each real point spends that CPU on its own PC.
   */
  checkRequests?: boolean;
}

const normalisePin = (pin: string) => pin.replace(/[^0-9a-f]/gi, '').toUpperCase();

/**
 * An HTTP agent whose connections are TLS sockets checked before any byte of a request is written:
 * a pinned fingerprint that does not match ends the connection, so the token never reaches an
 * impostor. Connections are kept alive between requests.
 */
class PinnedAgent extends Agent {
  constructor(private readonly options: SyncClientOptions) {
    super({ keepAlive: true, maxSockets: 4 });
  }

  override createConnection(target: ClientRequestArgs, done?: (error: Error | null, socket: Duplex) => void): Duplex | undefined {
    const host = target.host ?? 'localhost';
    const pin = this.options.pin === undefined ? undefined : normalisePin(this.options.pin);
    const socket: TLSSocket = tlsConnect({
      host,
      port: Number(target.port ?? 443),
      ...(isIP(host) === 0 ? { servername: host } : {}),
      rejectUnauthorized: pin === undefined,
      ...(this.options.ca === undefined ? {} : { ca: this.options.ca }),
    });
    const fail = (error: Error) => {
      socket.destroy();
      done?.(error, socket);
    };
    socket.once('error', fail);
    socket.once('secureConnect', () => {
      socket.off('error', fail);
      const seen = socket.getPeerX509Certificate()?.fingerprint256;
      if (pin !== undefined && (seen === undefined || normalisePin(seen) !== pin)) {
        fail(new AppError('SYNC_TLS_PIN_MISMATCH', `Chứng chỉ của máy chủ đồng bộ (${seen ?? 'không có'}) không khớp dấu vân tay đã ghim trong cài đặt: không gửi gì.`));
        return;
      }
      done?.(null, socket);
    });
    return undefined;
  }
}

/** The point's side of the sync API: one call per route, request and answer checked with the protocol's schemas. */
export class SyncClient {
  private readonly agent: PinnedAgent;
  private readonly base: URL;

  constructor(private readonly options: SyncClientOptions) {
    this.base = new URL(options.url);
    if (this.base.protocol !== 'https:') throw new AppError('SYNC_URL_NOT_HTTPS', `Máy chủ đồng bộ phải là địa chỉ https:// (nhận được ${options.url}).`);
    this.agent = new PinnedAgent(options);
  }

  hello(body: z.input<(typeof routes)['/v1/hello']['request']>) {
    return this.call('/v1/hello', body);
  }

  push(body: z.input<(typeof routes)['/v1/push']['request']>) {
    return this.call('/v1/push', body);
  }

  pull(body: z.input<(typeof routes)['/v1/pull']['request']>) {
    return this.call('/v1/pull', body);
  }

  close(): void {
    this.agent.destroy();
  }

  /** Sends raw bytes to a route (tests of the server's refusals use it); resolves with status and parsed JSON. */
  async raw(path: string, body: string | Buffer, headers: Record<string, string> = {}): Promise<{ status: number; json: unknown }> {
    const { status, text } = await this.send(path, body, headers);
    let json: unknown = null;
    try {
      json = JSON.parse(text);
    } catch {
      json = text;
    }
    return { status, json };
  }

  private async call<P extends RoutePath>(path: P, body: z.input<(typeof routes)[P]['request']>): Promise<z.output<(typeof routes)[P]['response']>> {
    const request = this.options.checkRequests === false ? body : routes[path].request.parse(body);
    const { status, text } = await this.send(path, JSON.stringify(request), { 'content-type': 'application/json' });
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new AppError('SYNC_BAD_ANSWER', `Máy chủ đồng bộ trả lời không phải JSON (HTTP ${status}).`);
    }
    const refused = failure.safeParse(json);
    // the server's codes are in the same list (electron/core/errors.ts)
    if (refused.success) throw new AppError(refused.data.error.code as ErrorCode, refused.data.error.message, refused.data.error.details);
    const ok = success(routes[path].response).safeParse(json);
    if (!ok.success) throw new AppError('SYNC_BAD_ANSWER', `Câu trả lời của máy chủ đồng bộ không đúng giao thức (HTTP ${status}).`);
    return ok.data.value as z.output<(typeof routes)[P]['response']>;
  }

  private send(path: string, body: string | Buffer, headers: Record<string, string>): Promise<{ status: number; text: string }> {
    const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    return new Promise((resolve, reject) => {
      const req = httpRequest(
        {
          host: this.base.hostname.replace(/^\[|\]$/g, ''),
          port: Number(this.base.port || 443),
          path,
          method: 'POST',
          agent: this.agent,
          timeout: this.options.timeoutMs ?? 30_000,
          headers: { authorization: `Bearer ${this.options.token}`, 'content-length': String(bytes.length), ...headers },
        },
        (res: IncomingMessage) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', (e) => reject(network(e)));
        },
      );
      req.on('timeout', () => req.destroy(new AppError('SYNC_TIMEOUT', 'Máy chủ đồng bộ không trả lời kịp; sẽ gửi lại sau.')));
      req.on('error', (e) => reject(network(e)));
      req.end(bytes);
    });
  }
}

const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'EHOSTDOWN']);

/** A network failure in words and a code a point's status can act on (unreachable, untrusted certificate, cut). */
function network(error: Error): AppError {
  if (error instanceof AppError) return error;
  const code = String((error as { code?: unknown }).code ?? '');
  if (UNREACHABLE.has(code)) {
    return new AppError('SYNC_UNREACHABLE', `Không kết nối được máy chủ đồng bộ (${code}); các mục chờ sẽ được gửi lại khi có mạng.`, { cause: code });
  }
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ALTNAME/.test(code)) {
    return new AppError('SYNC_TLS_UNTRUSTED', `Chứng chỉ của máy chủ đồng bộ không được tin cậy (${code}): hãy ghim dấu vân tay của máy chủ trong cài đặt; không gửi gì.`, { cause: code });
  }
  return new AppError('SYNC_NETWORK', `Kết nối tới máy chủ đồng bộ bị ngắt (${code === '' ? error.message : code}); các mục chờ sẽ được gửi lại sau.`, { cause: code });
}
