import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { transportFor } from '../../electron/printing/open-printer.ts';
import { SPOOLER_SCRIPT, SpoolerTransport, spoolerCommand } from '../../electron/devices/printer/transports/spooler.ts';
import { pickEndpoints } from '../../electron/devices/printer/transports/usb.ts';

test('settings name the transport and its address', () => {
  assert.equal(transportFor('tcp', '192.168.1.50', '/x').name, 'tcp:192.168.1.50:9100');
  assert.equal(transportFor('tcp', 'printer.local:9101', '/x').name, 'tcp:printer.local:9101');
  assert.equal(transportFor('serial', 'COM3@115200', '/x').name, 'serial:COM3');
  assert.equal(transportFor('spooler', 'XP-80C', '/x').name, 'spooler:XP-80C');
  assert.equal(transportFor('file', '', '/data').name, 'file:/data/receipts');
  assert.throws(() => transportFor('usb', '0416-5011', '/x'), { code: 'PRINTER_SETTING_INVALID' });
  assert.throws(() => transportFor('tcp', 'a b', '/x'), { code: 'PRINTER_SETTING_INVALID' });
  assert.throws(() => transportFor('lpt', 'LPT1', '/x'), { code: 'PRINTER_SETTING_INVALID' });
});

test('spooler: RAW datatype through winspool, names passed in the environment, not in the script', () => {
  const cmd = spoolerCommand('Máy in "quầy 1"', 'C:\\Temp\\job.bin', 'Điểm Thu receipt 7');
  assert.equal(cmd.command, 'powershell.exe');
  assert.deepEqual(cmd.args.slice(0, 5), ['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-Command']);
  assert.equal(cmd.args[5], SPOOLER_SCRIPT);
  assert.ok(!SPOOLER_SCRIPT.includes('quầy'));
  assert.deepEqual(cmd.env, { DIEMTHU_PRINTER: 'Máy in "quầy 1"', DIEMTHU_FILE: 'C:\\Temp\\job.bin', DIEMTHU_DOC: 'Điểm Thu receipt 7' });
  for (const call of ['OpenPrinter', 'StartDocPrinter', 'pDatatype = "RAW"', 'WritePrinter', 'EndDocPrinter', 'ClosePrinter']) assert.ok(SPOOLER_SCRIPT.includes(call), call);
});

test('spooler: the job file holds the exact bytes; a non-zero exit is a refusal', async () => {
  const seen: Array<{ bytes: number[]; printer: string | undefined }> = [];
  let exitCode = 0;
  const fakeSpawn = (_command: string, _args: string[], options: { env: NodeJS.ProcessEnv }) => {
    const child = new EventEmitter() as EventEmitter & { stderr: null };
    child.stderr = null;
    seen.push({ bytes: [...readFileSync(options.env.DIEMTHU_FILE!)], printer: options.env.DIEMTHU_PRINTER });
    setImmediate(() => child.emit('exit', exitCode));
    return child;
  };
  const transport = new SpoolerTransport('XP-80C', fakeSpawn as never);
  await transport.write(Uint8Array.of(0x1b, 0x40, 0x1d, 0x56, 0x01), { id: 1, kind: 'receipt' });
  assert.deepEqual(seen, [{ bytes: [0x1b, 0x40, 0x1d, 0x56, 0x01], printer: 'XP-80C' }]);
  exitCode = 1;
  await assert.rejects(transport.write(Uint8Array.of(0x0a)), { code: 'PRINTER_SPOOLER' });
});

test('usb: the printer-class interface and its bulk OUT/IN are chosen over others', () => {
  const endpoint = (direction: 'in' | 'out', address: number) => ({ direction, transferType: 2, descriptor: { bEndpointAddress: address } });
  const hid = { descriptor: { bInterfaceClass: 3 }, endpoints: [endpoint('out', 0x02)] };
  const printer = { descriptor: { bInterfaceClass: 7 }, endpoints: [endpoint('in', 0x81), endpoint('out', 0x01)] };
  const picked = pickEndpoints([hid, printer] as never);
  assert.equal(picked?.iface, printer);
  assert.equal(picked?.out, printer.endpoints[1]);
  assert.equal(picked?.in, printer.endpoints[0]);
  assert.equal(pickEndpoints([{ descriptor: { bInterfaceClass: 7 }, endpoints: [endpoint('in', 0x81)] }] as never), null);
});
