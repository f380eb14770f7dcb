/**
 * Raw TCP (port 9100, "JetDirect"): the network printers' way. Connects on first use and again after any
 * error, so a printer that was switched off or unplugged comes back by itself on the next job. A write
 * that the printer does not take within `writeTimeoutMs` (it stopped reading: our buffers are full)
 * destroys the connection and fails with PRINTER_TIMEOUT.
 */
import { EventEmitter } from 'node:events';
import { Socket } from 'node:net';
import { AppError } from '../../../core/errors.ts';
import { oneWay, StatusReader, type EscposStatus } from '../status.ts';
import { DEFAULT_WRITE_TIMEOUT_MS, withDeadline } from '../deadline.ts';
import type { Transport, TransportEvents } from '../printer.ts';

export interface TcpOptions {
  host: string;
  port?: number;
  /** Connect and status reply timeout. */
  timeoutMs?: number;
  /** The longest a write may wait for the printer to take the bytes. */
  writeTimeoutMs?: number;
  /** false for a printer that does not answer DLE EOT. */
  statusQueries?: boolean;
}

export class TcpTransport extends EventEmitter<TransportEvents> implements Transport {
  readonly name: string;
  private socket: Socket | null = null;
  private readonly status = new StatusReader();
  private readonly port: number;
  private readonly timeoutMs: number;
  private readonly writeTimeoutMs: number;

  constructor(private readonly options: TcpOptions) {
    super();
    this.port = options.port ?? 9100;
    this.timeoutMs = options.timeoutMs ?? 3000;
    this.writeTimeoutMs = options.writeTimeoutMs ?? DEFAULT_WRITE_TIMEOUT_MS;
    this.name = `tcp:${options.host}:${this.port}`;
  }

  private connect(): Promise<Socket> {
    if (this.socket !== null) return Promise.resolve(this.socket);
    return new Promise((resolve, reject) => {
      const socket = new Socket();
      const timer = setTimeout(() => socket.destroy(new Error('connect timeout')), this.timeoutMs);
      socket.once('error', (error) => {
        clearTimeout(timer);
        reject(new AppError('PRINTER_UNREACHABLE', `Không kết nối được máy in mạng ${this.options.host}:${this.port}.`, { cause: error.message }));
      });
      socket.connect(this.port, this.options.host, () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        socket.setNoDelay(true);
        socket.on('data', (data: Buffer) => this.status.feed(data));
        socket.on('error', () => {});
        socket.on('close', () => {
          this.socket = null;
          this.status.fail(new AppError('PRINTER_DISCONNECTED', 'Mất kết nối với máy in.'));
          this.emit('disconnect');
        });
        this.socket = socket;
        this.emit('connect');
        resolve(socket);
      });
    });
  }

  private async send(bytes: Uint8Array): Promise<void> {
    const socket = await this.connect();
    const written = new Promise<void>((resolve, reject) => {
      socket.write(bytes, (error) =>
        error ? reject(new AppError('PRINTER_DISCONNECTED', 'Mất kết nối với máy in khi đang in.', { cause: error.message })) : resolve(),
      );
    });
    await withDeadline(written, this.writeTimeoutMs, () => socket.destroy());
  }

  write(bytes: Uint8Array): Promise<void> {
    return this.send(bytes);
  }

  readStatus(): Promise<EscposStatus> {
    if (this.options.statusQueries === false) return oneWay();
    return this.status.read((query) => this.send(query), this.timeoutMs);
  }

  /** Ends the connection after what was written; a printer that reads nothing more gets it destroyed. */
  async close(): Promise<void> {
    const socket = this.socket;
    this.socket = null;
    if (socket === null) return;
    await withDeadline(new Promise<void>((resolve) => socket.end(resolve)), this.writeTimeoutMs, () => socket.destroy()).catch(() => undefined);
  }
}
