import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseVatPercent } from '../../src/format.ts';
import { settingsView } from '../../electron/ipc/contract.ts';

test('the fee VAT rate typed on the setup and settings screens: whole per cent 0-10, as the settings contract takes it', () => {
  for (const [typed, rate] of [['0', 0], ['8', 8], [' 10 ', 10], ['08', 8]] as const) assert.equal(parseVatPercent(typed), rate, typed);
  for (const typed of ['', '11', '-1', '8.5', '8%', 'tám', '100']) assert.equal(parseVatPercent(typed), null, typed);
  const rate = settingsView.shape.reconnectionFeeVatPercent;
  for (let n = -2; n <= 12; n++) assert.equal(parseVatPercent(String(n)) !== null, rate.safeParse(n).success, `${n}: the screen and the contract agree`);
});
