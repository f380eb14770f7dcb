import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openContext } from '../../electron/store/context.ts';
import { getSetting } from '../../electron/store/settings.ts';
import { finishSetup, setUpPoint, type FirstRun } from '../../electron/users/first-run.ts';
import { isAppError } from '../../electron/core/errors.ts';
import { verifyPin } from '../../electron/users/users.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { count, TEST_PIN_COST } from '../helpers/collect-fixture.ts';
import { ipcWorld } from '../helpers/ipc-world.ts';

const FIRST: FirstRun = {
  pointCode: 'dt05',
  unitCodes: ['PC12AA', 'PC12AB'],
  pointName: 'Điểm thu Ea Kao',
  pointAddress: 'Thôn 9, xã Ea Kao',
  companyName: 'CÔNG TY ĐIỆN LỰC ĐẮK LẮK',
  companyTaxCode: '6000123456-001',
  companyHotline: '19001006',
  einvoiceLookup: 'https://hoadon.evn.vn',
  supervisor: { code: 'gs00', name: 'Hoàng Văn Trưởng', pin: '246800' },
};

const emptyPoint = () => openContext(join(tempDir(), 'data'), { pinCost: TEST_PIN_COST });
const refusedWith = (code: string) => (error: unknown) => isAppError(error) && error.code === code;

test('first run: the point, its units, the receipt header and the first supervisor in one go; the setup stays open until the supervisor finishes it', () => {
  const ctx = emptyPoint();
  const user = setUpPoint(ctx, FIRST);
  assert.deepEqual([getSetting(ctx.sqlite, 'point_code'), getSetting(ctx.sqlite, 'unit_codes'), getSetting(ctx.sqlite, 'company_tax_code')], ['DT05', ['PC12AA', 'PC12AB'], '6000123456-001']);
  assert.equal(user.role, 'supervisor');
  assert.equal(verifyPin(ctx, 'GS00', '246800').id, user.id);
  assert.equal(getSetting(ctx.sqlite, 'setup_pending'), true);
  finishSetup(ctx, user);
  assert.equal(getSetting(ctx.sqlite, 'setup_pending'), false);
  assert.equal(count(ctx, 'journal', "kind = 'init'"), 1);
  ctx.close();
});

test('first run is all or nothing: a short PIN, a wrong tax code or a bad unit leaves the folder empty', () => {
  const cases: [Partial<FirstRun>, string][] = [
    [{ supervisor: { ...FIRST.supervisor, pin: '12' } }, 'PIN_INVALID'],
    [{ companyTaxCode: '600012' }, 'SETTING_INVALID'],
    [{ unitCodes: ['PC 12'] }, 'UNIT_CODE_INVALID'],
  ];
  for (const [bad, code] of cases) {
    const ctx = emptyPoint();
    assert.throws(() => setUpPoint(ctx, { ...FIRST, ...bad }), refusedWith(code), code);
    assert.equal(getSetting(ctx.sqlite, 'point_code'), undefined);
    assert.equal(count(ctx, 'users'), 0);
    assert.equal(count(ctx, 'journal'), 0);
    ctx.close();
  }
});

test('a point that exists is never set up again, from the window either: no second "first" supervisor', async () => {
  const w = ipcWorld();
  const before = count(w.ctx, 'users');
  const answer = await w.call('setupPoint', { ...FIRST, pointCode: 'DT0001', supervisor: { code: 'GS99', name: 'Kẻ mạo danh', pin: '135790' } });
  assert.equal(answer.error?.code, 'POINT_ALREADY_INITIALISED');
  assert.equal(count(w.ctx, 'users'), before);
  assert.equal(getSetting(w.ctx.sqlite, 'company_tax_code'), '');
});
