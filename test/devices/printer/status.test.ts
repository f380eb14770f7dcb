import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseStatus, statusProblem } from '../../../electron/devices/printer/status.ts';
import { EPSON_REPLIES as R } from './fake-printer.ts';

test('Epson status bytes read as the spec says', () => {
  assert.deepEqual(parseStatus(R.printer.ready, R.offlineCause.none, R.paper.present), {
    online: true,
    coverOpen: false,
    paperOut: false,
    paperNearEnd: false,
    error: false,
  });
  assert.equal(parseStatus(R.printer.offline, R.offlineCause.paperEndStop, R.paper.end).paperOut, true);
  assert.equal(parseStatus(R.printer.offline, R.offlineCause.coverOpen, R.paper.present).coverOpen, true);
  assert.equal(parseStatus(R.printer.ready, R.offlineCause.none, R.paper.nearEnd).paperNearEnd, true);
  assert.equal(statusProblem(parseStatus(R.printer.ready, R.offlineCause.none, R.paper.nearEnd)), null);
  assert.equal(statusProblem(parseStatus(R.printer.offline, R.offlineCause.paperEndStop, R.paper.end))?.code, 'PRINTER_PAPER_OUT');
  assert.equal(statusProblem(parseStatus(R.printer.offline, R.offlineCause.coverOpen, R.paper.present))?.code, 'PRINTER_COVER_OPEN');
  assert.equal(statusProblem(parseStatus(R.printer.offline, R.offlineCause.none, R.paper.present))?.code, 'PRINTER_OFFLINE');
});

test('a byte without the fixed bits is not a status reply', () => {
  assert.throws(() => parseStatus(0x00, 0x12, 0x12), { code: 'PRINTER_STATUS_GARBLED' });
  assert.throws(() => parseStatus(0x12, 0x93, 0x12), { code: 'PRINTER_STATUS_GARBLED' });
});
