/**
 * USB printers through libusb (`usb` 2.x): the printer-class interface (class 7), bulk OUT for the job,
 * bulk IN for DLE EOT replies. libusb's attach/detach events reopen the device when it is plugged back.
 * On Windows the printer must have the WinUSB driver (Zadig) to be reached this way; a printer installed
 * with the vendor driver is reached through the spooler transport instead. A bulk transfer the printer
 * does not take within `writeTimeoutMs` is cancelled by libusb; the link is dropped (reopened on the
 * next job) and the job fails with PRINTER_TIMEOUT.
 */
import { EventEmitter } from 'node:events';
import { usb, findByIds, type Device, type InEndpoint, type Interface, type OutEndpoint } from 'usb';
import { AppError } from '../../../core/errors.ts';
import { oneWay, StatusReader, type EscposStatus } from '../status.ts';
import type { Transport, TransportEvents } from '../printer.ts';
import { DEFAULT_WRITE_TIMEOUT_MS, printerTimeout } from '../deadline.ts';

export interface UsbOptions {
  vendorId: number;
  productId: number;
  /** Status reply timeout. */
  timeoutMs?: number;
  /** The longest a bulk OUT transfer may take (libusb cancels it then). */
  writeTimeoutMs?: number;
}

const PRINTER_CLASS = 7;
const BULK = 2; // LIBUSB_TRANSFER_TYPE_BULK

interface Link {
  device: Device;
  iface: Interface;
  out: OutEndpoint;
  in: InEndpoint | null;
}

/** The interface and endpoints to print through: the printer-class interface, else any with a bulk OUT. */
export function pickEndpoints(interfaces: Interface[]): { iface: Interface; out: OutEndpoint; in: InEndpoint | null } | null {
  const ordered = [...interfaces].sort(
    (a, b) => Number(b.descriptor.bInterfaceClass === PRINTER_CLASS) - Number(a.descriptor.bInterfaceClass === PRINTER_CLASS),
  );
  for (const iface of ordered) {
    const bulk = iface.endpoints.filter((e) => e.transferType === BULK);
    const out = bulk.find((e): e is OutEndpoint => e.direction === 'out');
    if (out !== undefined) return { iface, out, in: bulk.find((e): e is InEndpoint => e.direction === 'in') ?? null };
  }
  return null;
}

export class UsbTransport extends EventEmitter<TransportEvents> implements Transport {
  readonly name: string;
  private link: Link | null = null;
  private readonly status = new StatusReader();
  private readonly onAttach = (device: Device) => {
    if (this.matches(device)) this.open().catch(() => undefined);
  };
  private readonly onDetach = (device: Device) => {
    if (this.link !== null && device === this.link.device) this.drop();
  };

  constructor(private readonly options: UsbOptions) {
    super();
    this.name = `usb:${options.vendorId.toString(16).padStart(4, '0')}:${options.productId.toString(16).padStart(4, '0')}`;
    usb.on('attach', this.onAttach);
    usb.on('detach', this.onDetach);
  }

  private matches(device: Device): boolean {
    return device.deviceDescriptor.idVendor === this.options.vendorId && device.deviceDescriptor.idProduct === this.options.productId;
  }

  private drop(): void {
    const link = this.link;
    this.link = null;
    this.status.fail(new AppError('PRINTER_DISCONNECTED', 'Máy in USB đã bị rút ra.'));
    if (link !== null) {
      try {
        link.device.close();
      } catch {
        // already gone with the cable
      }
    }
    this.emit('disconnect');
  }

  private async open(): Promise<Link> {
    if (this.link !== null) return this.link;
    const device = findByIds(this.options.vendorId, this.options.productId);
    if (device === undefined) throw new AppError('PRINTER_UNREACHABLE', 'Không thấy máy in USB. Hãy kiểm tra cáp và nguồn máy in.');
    device.open();
    const picked = pickEndpoints(device.interfaces ?? []);
    if (picked === null) {
      device.close();
      throw new AppError('PRINTER_UNSUPPORTED', 'Thiết bị USB này không có cổng in.');
    }
    if (process.platform === 'linux' && picked.iface.isKernelDriverActive()) picked.iface.detachKernelDriver();
    picked.iface.claim();
    const link: Link = { device, ...picked };
    if (link.in !== null) {
      link.in.on('data', (data: Buffer) => this.status.feed(data));
      link.in.on('error', () => this.drop());
      link.in.startPoll(1, 64);
    }
    this.link = link;
    this.emit('connect');
    return link;
  }

  private async send(bytes: Uint8Array): Promise<void> {
    const link = await this.open();
    const timeoutMs = this.options.writeTimeoutMs ?? DEFAULT_WRITE_TIMEOUT_MS;
    link.out.timeout = timeoutMs;
    try {
      await link.out.transferAsync(Buffer.from(bytes));
    } catch (error) {
      this.drop();
      if ((error as { errno?: number }).errno === usb.LIBUSB_TRANSFER_TIMED_OUT) throw printerTimeout(timeoutMs);
      throw new AppError('PRINTER_DISCONNECTED', 'Mất kết nối với máy in USB khi đang in.', { cause: String(error) });
    }
  }

  write(bytes: Uint8Array): Promise<void> {
    return this.send(bytes);
  }

  readStatus(): Promise<EscposStatus> {
    return this.open().then((link) => {
      if (link.in === null) return oneWay();
      return this.status.read((query) => this.send(query), this.options.timeoutMs ?? 1000);
    });
  }

  async close(): Promise<void> {
    usb.off('attach', this.onAttach);
    usb.off('detach', this.onDetach);
    const link = this.link;
    this.link = null;
    if (link === null) return;
    if (link.in !== null) await new Promise<void>((resolve) => link.in!.stopPoll(() => resolve()));
    await new Promise<void>((resolve) => link.iface.release(true, () => resolve()));
    link.device.close();
  }
}
