import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { SerialPortMock } from 'serialport';
import type { DeviceDescriptor } from 'usb';
import { listDevices, listSerialPorts, listUsbPrinters, type UsbDeviceLike } from '../../electron/devices/device-list.ts';

afterEach(() => SerialPortMock.binding.reset());

/** A device as `usb.getDeviceList()` gives it: its descriptors, and strings only readable once opened. */
function usbDevice(
  ids: { idVendor: number; idProduct: number; bDeviceClass?: number; iManufacturer?: number; iProduct?: number },
  interfaceClasses: number[],
  strings: Record<number, string> | 'no permission' = {},
): UsbDeviceLike & { opened: number; closed: number } {
  const deviceDescriptor = { bDeviceClass: 0, iManufacturer: 0, iProduct: 0, ...ids } as DeviceDescriptor;
  const configDescriptor = { interfaces: interfaceClasses.map((bInterfaceClass) => [{ bInterfaceClass }]) };
  const device = {
    deviceDescriptor,
    configDescriptor,
    interfaces: undefined as unknown[] | undefined,
    opened: 0,
    closed: 0,
    open() {
      if (strings === 'no permission') throw new Error('LIBUSB_ERROR_ACCESS');
      device.opened++;
      device.interfaces = [];
    },
    close() {
      device.closed++;
      device.interfaces = undefined;
    },
    getStringDescriptor(index: number, callback: (error?: Error, value?: string) => void) {
      const value = strings === 'no permission' ? undefined : strings[index];
      setImmediate(() => (value === undefined ? callback(new Error('LIBUSB_ERROR_PIPE')) : callback(undefined, value)));
    },
  };
  return device;
}

test('[#11] serial ports from serialport\'s list, named by path, maker and USB ids where the system gives them', async () => {
  SerialPortMock.binding.createPort('/dev/ttyACM0', { manufacturer: 'Honeywell', vendorId: '0c2e', productId: '0b61' });
  SerialPortMock.binding.createPort('/dev/ttyS0');
  const listed = await listSerialPorts(() => SerialPortMock.list());
  assert.deepEqual(listed, {
    ok: true,
    devices: [
      { port: '/dev/ttyACM0', label: '/dev/ttyACM0 – Honeywell (0C2E:0B61)' },
      // The mock names every port's maker; a port without USB ids shows no ids.
      { port: '/dev/ttyS0', label: '/dev/ttyS0 – The J5 Robotics Company' },
    ],
  });
});

test('[#11] a serial listing that fails is a Vietnamese sentence, not a throw', async () => {
  const listed = await listSerialPorts(() => Promise.reject(new Error('EACCES: permission denied')));
  assert.equal(listed.ok, false);
  assert.match(listed.ok ? '' : listed.message, /^Không liệt kê được cổng COM \(EACCES: permission denied\); hãy nhập tay/);
});

test('[#11] USB printers: class 7 on the device or on an interface, ids as the printer setting wants them (VID:PID), names where readable, nothing else listed', async () => {
  const xprinter = usbDevice({ idVendor: 0x0416, idProduct: 0x5011, iManufacturer: 1, iProduct: 2 }, [7], { 1: 'Xprinter', 2: 'XP-58IIH' });
  const classOnDevice = usbDevice({ idVendor: 0x04b8, idProduct: 0x0202, bDeviceClass: 7 }, []);
  const locked = usbDevice({ idVendor: 0x1fc9, idProduct: 0x2016, iProduct: 2 }, [3, 7], 'no permission');
  const keyboard = usbDevice({ idVendor: 0x046d, idProduct: 0xc31c }, [3]);
  const scannerCdc = usbDevice({ idVendor: 0x0c2e, idProduct: 0x0b61 }, [2, 10]);
  const alreadyOpen = usbDevice({ idVendor: 0x0fe6, idProduct: 0x811e, iProduct: 2 }, [7], { 2: 'POS-80' });
  alreadyOpen.interfaces = [];
  const listed = await listUsbPrinters({ getDeviceList: () => [keyboard, xprinter, classOnDevice, scannerCdc, locked, alreadyOpen] });
  assert.deepEqual(listed, {
    ok: true,
    devices: [
      { port: '0416:5011', label: 'Xprinter XP-58IIH (0416:5011)' },
      { port: '04b8:0202', label: 'Máy in USB (04B8:0202)' },
      { port: '1fc9:2016', label: 'Máy in USB (1FC9:2016)' },
      { port: '0fe6:811e', label: 'Máy in USB (0FE6:811E)' },
    ],
  });
  assert.deepEqual([xprinter.opened, xprinter.closed], [1, 1], 'opened for its names, closed again');
  assert.equal(alreadyOpen.closed, 0, 'a printer the program holds open (the printer transport) is not closed under it');
});

test('[#11] no libusb (the module fails to load or to list): a Vietnamese sentence, the serial ports still listed', async () => {
  SerialPortMock.binding.createPort('COM3');
  const listed = await listDevices({
    listSerial: () => SerialPortMock.list(),
    usb: () => {
      throw new Error('libusb-1.0.so.0: cannot open shared object file');
    },
  });
  assert.deepEqual(listed.serialPorts, { ok: true, devices: [{ port: 'COM3', label: 'COM3 – The J5 Robotics Company' }] });
  assert.equal(listed.usbPrinters.ok, false);
  assert.match(listed.usbPrinters.ok ? '' : listed.usbPrinters.message, /^Không liệt kê được máy in USB \(libusb-1\.0\.so\.0: .*\); hãy nhập tay/);
});
