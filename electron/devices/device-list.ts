/**
 * What is plugged in, for the settings screen and the first run to choose from: serial ports (serialport's
 * list) and USB printers (libusb: printer class 7 on the device or on an interface). A listing that fails
 * (no permission, no libusb) is a Vietnamese sentence and the screen keeps manual entry; nothing here throws.
 */
import { SerialPort } from 'serialport';
import { getDeviceList, type DeviceDescriptor, type InterfaceDescriptor } from 'usb';

type PortInfo = Awaited<ReturnType<typeof SerialPort.list>>[number];

export interface FoundDevice {
  /** What the setting stores: a serial path (COM3, /dev/ttyACM0) or a USB printer's `vid:pid` in hex. */
  port: string;
  label: string;
}
export type DeviceListing = { ok: true; devices: FoundDevice[] } | { ok: false; message: string };

/** The parts of a `usb` Device the listing reads (`interfaces` is set while the device is open). */
export interface UsbDeviceLike {
  deviceDescriptor: Pick<DeviceDescriptor, 'idVendor' | 'idProduct' | 'bDeviceClass' | 'iManufacturer' | 'iProduct'>;
  configDescriptor: { interfaces: Array<Array<Pick<InterfaceDescriptor, 'bInterfaceClass'>>> } | undefined;
  interfaces: unknown[] | undefined;
  open(defaultConfig?: boolean): void;
  close(): void;
  getStringDescriptor(index: number, callback: (error?: Error, value?: string) => void): void;
}
export interface UsbModuleLike {
  getDeviceList(): UsbDeviceLike[];
}

const PRINTER_CLASS = 7;
const hex4 = (n: number) => n.toString(16).padStart(4, '0');
const reason = (error: unknown) => (error instanceof Error ? error.message : String(error));

export async function listSerialPorts(list: () => Promise<PortInfo[]> = () => SerialPort.list()): Promise<DeviceListing> {
  try {
    const ports = await list();
    return {
      ok: true,
      devices: ports.map((p) => {
        const ids = p.vendorId !== undefined && p.productId !== undefined ? ` (${p.vendorId.toUpperCase()}:${p.productId.toUpperCase()})` : '';
        const maker = p.manufacturer === undefined ? '' : ` – ${p.manufacturer}${ids}`;
        return { port: p.path, label: `${p.path}${maker}` };
      }),
    };
  } catch (error) {
    return { ok: false, message: `Không liệt kê được cổng COM (${reason(error)}); hãy nhập tay tên cổng, ví dụ COM3.` };
  }
}

function isPrinter(device: UsbDeviceLike): boolean {
  if (device.deviceDescriptor.bDeviceClass === PRINTER_CLASS) return true;
  return (device.configDescriptor?.interfaces ?? []).some((alternates) => alternates.some((i) => i.bInterfaceClass === PRINTER_CLASS));
}

const stringOf = (device: UsbDeviceLike, index: number) =>
  new Promise<string | null>((resolve) => {
    if (index === 0) return resolve(null);
    device.getStringDescriptor(index, (error, value) => resolve(error === undefined && value !== undefined && value.trim() !== '' ? value.trim() : null));
  });

/** Maker and model as the printer names itself; null when it cannot be opened (no permission, a driver holds it). */
async function usbName(device: UsbDeviceLike): Promise<string | null> {
  // Open already (the printer transport holds it): reading would mean closing it under the printer.
  if (device.interfaces !== undefined) return null;
  try {
    device.open(false);
  } catch {
    return null;
  }
  try {
    const { iManufacturer, iProduct } = device.deviceDescriptor;
    const words = [await stringOf(device, iManufacturer), await stringOf(device, iProduct)].filter((w): w is string => w !== null);
    return words.length === 0 ? null : words.join(' ');
  } finally {
    try {
      device.close();
    } catch {
      // unplugged meanwhile
    }
  }
}

export async function listUsbPrinters(usbModule: UsbModuleLike = { getDeviceList }): Promise<DeviceListing> {
  try {
    const devices: FoundDevice[] = [];
    for (const device of usbModule.getDeviceList().filter(isPrinter)) {
      const { idVendor, idProduct } = device.deviceDescriptor;
      const ids = `${hex4(idVendor)}:${hex4(idProduct)}`;
      devices.push({ port: ids, label: `${(await usbName(device)) ?? 'Máy in USB'} (${ids.toUpperCase()})` });
    }
    return { ok: true, devices };
  } catch (error) {
    return { ok: false, message: `Không liệt kê được máy in USB (${reason(error)}); hãy nhập tay mã máy in dạng VID:PID, ví dụ 0416:5011.` };
  }
}

export interface DeviceSources {
  listSerial?: () => Promise<PortInfo[]>;
  /** The `usb` module; a getter, so a missing libusb is a refusal of the listing, not of the program. */
  usb?: () => UsbModuleLike;
}

export async function listDevices(sources: DeviceSources = {}): Promise<{ serialPorts: DeviceListing; usbPrinters: DeviceListing }> {
  const usbModule: UsbModuleLike = { getDeviceList: () => (sources.usb?.() ?? { getDeviceList }).getDeviceList() };
  const [serialPorts, usbPrinters] = await Promise.all([listSerialPorts(sources.listSerial), listUsbPrinters(usbModule)]);
  return { serialPorts, usbPrinters };
}
