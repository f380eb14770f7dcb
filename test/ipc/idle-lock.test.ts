import { test } from 'node:test';
import assert from 'node:assert/strict';
import { count } from '../helpers/collect-fixture.ts';
import { ipcWorld } from '../helpers/ipc-world.ts';
import { setSettings } from '../../electron/store/settings.ts';

const minutes = (n: number) => n * 60_000;
/** A point whose session clock is the test's: it moves only when the test moves it. */
function world() {
  let at = new Date('2026-11-27T02:00:00.000Z');
  const w = ipcWorld({ sessionClock: () => at });
  return Object.assign(w, { skip: (ms: number) => void (at = new Date(at.getTime() + ms)) });
}

test('the counter locks after the idle limit: the next call is refused and ends the session, the shift stays open, a sign-in goes on', async () => {
  const w = world();
  setSettings(w.ctx.sqlite, { idle_lock_minutes: 5 }, null, w.ctx.clock());
  await w.call('login', { code: 'TN01', pin: '123456' });
  const customer = (await w.call('lookupCode', { code: 'PC12AA0000001' })).value as { id: number };

  w.skip(minutes(4));
  assert.equal((await w.call('activity')).ok, true, 'used within the limit');
  w.skip(minutes(4));
  assert.equal((await w.call('quote', { customerId: customer.id })).ok, true, 'four minutes after the last use: still open');

  w.skip(minutes(6));
  const refused = await w.call('collect', { customerId: customer.id, idempotencyKey: 'attempt-idle-1' });
  assert.equal(refused.error?.code, 'SESSION_LOCKED');
  assert.equal(count(w.ctx, 'payments'), 0, 'nothing collected on an unattended counter');
  assert.deepEqual(await w.call('session'), { ok: true, value: null });
  assert.equal((await w.call('lookupCode', { code: 'PC12AA0000001' })).error?.code, 'NOT_LOGGED_IN');
  assert.ok(w.events.includes('statusChanged'), 'the window is told at once');

  const back = await w.call('login', { code: 'TN01', pin: '123456' });
  assert.equal((back.value as { shift: { id: number } | null }).shift?.id !== undefined, true, 'the shift is still open');
  assert.equal((await w.call('collect', { customerId: customer.id, idempotencyKey: 'attempt-idle-2' })).ok, true);
});

test("the window's own polls never keep the counter open, and show the lock", async () => {
  const w = world();
  setSettings(w.ctx.sqlite, { idle_lock_minutes: 2 }, null, w.ctx.clock());
  await w.call('login', { code: 'TN01', pin: '123456' });
  for (let i = 0; i < 30; i += 1) {
    w.skip(5_000); // the status bar polls every 5 s
    await w.call('status');
    await w.call('hourlyCollections');
  }
  const status = await w.call('status');
  assert.equal(status.ok, true);
  assert.equal((status.value as { session: unknown }).session, null, 'two and a half minutes of polls: locked');
});

test('0 minutes: never locks', async () => {
  const w = world();
  setSettings(w.ctx.sqlite, { idle_lock_minutes: 0 }, null, w.ctx.clock());
  await w.call('login', { code: 'TN01', pin: '123456' });
  w.skip(minutes(600));
  assert.equal((await w.call('lookupCode', { code: 'PC12AA0000001' })).ok, true);
});
