/**
 * Serial and virtual COM printers (USB-serial adapters, Bluetooth SPP). When the port closes under us
 * (cable pulled, adapter reset) it is reopened with a growing pause, so the printer comes back by itself.
 * A write that does not drain within `writeTimeoutMs` (a jammed printer holding flow control, a
 * Bluetooth link gone quiet) gives the port up, as a pulled cable would, and fails with PRINTER_TIMEOUT.
 */
import { EventEmitter } from 'node:events';
import { SerialPort, type SerialPortMock } from 'serialport';
import { AppError } from '../../../core/errors.ts';
import { oneWay, StatusReader, type EscposStatus } from '../status.ts';
import { DEFAULT_WRITE_TIMEOUT_MS, withDeadline } from '../deadline.ts';
import type { Transport, TransportEvents } from '../printer.ts';

type Port = SerialPort | SerialPortMock;

export interface SerialOptions {
  path: string;
  baudRate?: number;
  /** Status reply timeout. */
  timeoutMs?: number;
  /** The longest a write may wait to drain. */
  writeTimeoutMs?: number;
  /** false for a printer that does not answer DLE EOT. */
  statusQueries?: boolean;
  /** Opens the port object (not yet open); tests pass a SerialPortMock. */
  makePort?: (path: string, baudRate: number) => Port;
  /** Pauses between reopen attempts, last one repeated. */
  backoffMs?: number[];
}

export class SerialTransport extends EventEmitter<TransportEvents> implements Transport {
  readonly name: string;
  private port: Port | null = null;
  private readonly status = new StatusReader();
  private reopenTimer: NodeJS.Timeout | null = null;
  private attempt = 0;
  private closed = false;

  constructor(private readonly options: SerialOptions) {
    super();
    this.name = `serial:${options.path}`;
  }

  private makePort(): Port {
    const baudRate = this.options.baudRate ?? 9600;
    return this.options.makePort?.(this.options.path, baudRate) ?? new SerialPort({ path: this.options.path, baudRate, autoOpen: false });
  }

  private open(): Promise<Port> {
    if (this.port?.isOpen === true) return Promise.resolve(this.port);
    const port = this.makePort();
    return new Promise((resolve, reject) => {
      port.open((error) => {
        if (error) {
          reject(new AppError('PRINTER_UNREACHABLE', `Không mở được cổng máy in ${this.options.path}.`, { cause: error.message }));
          return;
        }
        this.port = port;
        this.attempt = 0;
        port.on('data', (data: Buffer) => this.status.feed(data));
        port.on('error', () => {});
        port.on('close', () => this.lost(port));
        this.emit('connect');
        resolve(port);
      });
    });
  }

  private lost(port: Port): void {
    if (this.port !== port) return;
    this.port = null;
    this.status.fail(new AppError('PRINTER_DISCONNECTED', 'Mất kết nối với máy in.'));
    this.emit('disconnect');
    this.scheduleReopen();
  }

  private scheduleReopen(): void {
    if (this.closed || this.reopenTimer !== null) return;
    const steps = this.options.backoffMs ?? [250, 500, 1000, 2000, 5000];
    const pause = steps[Math.min(this.attempt, steps.length - 1)]!;
    this.attempt++;
    this.reopenTimer = setTimeout(() => {
      this.reopenTimer = null;
      this.open().catch(() => this.scheduleReopen());
    }, pause);
  }

  private get writeTimeoutMs(): number {
    return this.options.writeTimeoutMs ?? DEFAULT_WRITE_TIMEOUT_MS;
  }

  private async send(bytes: Uint8Array): Promise<void> {
    const port = await this.open();
    const drained = new Promise<void>((resolve, reject) => {
      const fail = (error: Error) =>
        reject(new AppError('PRINTER_DISCONNECTED', 'Mất kết nối với máy in khi đang in.', { cause: error.message }));
      port.write(Buffer.from(bytes), (error) => {
        if (error) fail(error);
        else port.drain((drainError) => (drainError ? fail(drainError) : resolve()));
      });
    });
    await withDeadline(drained, this.writeTimeoutMs, () => {
      this.lost(port);
      port.close(() => {});
    });
  }

  write(bytes: Uint8Array): Promise<void> {
    return this.send(bytes);
  }

  readStatus(): Promise<EscposStatus> {
    if (this.options.statusQueries === false) return oneWay();
    return this.status.read((query) => this.send(query), this.options.timeoutMs ?? 1000);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.reopenTimer !== null) clearTimeout(this.reopenTimer);
    const port = this.port;
    this.port = null;
    if (port?.isOpen === true) await withDeadline(new Promise<void>((resolve) => port.close(() => resolve())), this.writeTimeoutMs).catch(() => undefined);
  }
}
