import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createPaymentGate, drainAndClose, gateHandlers, GATED_CHANNELS, installQuitDrain } from '../../electron/ipc/shutdown.ts';
import { channels } from '../../electron/ipc/contract.ts';
import type { Handlers } from '../../electron/ipc/register.ts';
import { openContext } from '../../electron/store/context.ts';
import { DATABASE_FILE } from '../../electron/store/data-dir.ts';
import { isAppError } from '../../electron/core/errors.ts';
import { tempDir } from '../helpers/temp-dir.ts';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

test('once closing, a new payment is refused with APP_QUITTING and runs nothing', async () => {
  const gate = createPaymentGate();
  assert.equal(await gate.run(() => 42), 42);
  gate.close();
  assert.equal(gate.closing, true);
  let ran = false;
  await assert.rejects(
    gate.run(() => {
      ran = true;
    }),
    (error: unknown) => isAppError(error) && error.code === 'APP_QUITTING' && /đang đóng/.test(error.message),
  );
  assert.equal(ran, false);
});

test('a failing payment still leaves the gate drained', async () => {
  const gate = createPaymentGate();
  await assert.rejects(gate.run(() => Promise.reject(new Error('boom'))));
  gate.close();
  await gate.drained();
});

test('drain order: gate closed, in-flight commit finishes, devices stop, WAL checkpoint, close', async () => {
  const gate = createPaymentGate();
  const steps: string[] = [];
  const commit = deferred();
  const inFlight = gate.run(async () => {
    await commit.promise;
    steps.push('in-flight commit done');
    return 'receipt';
  });
  const ctx = {
    sqlite: { pragma: (source: string) => steps.push(`pragma ${source}`) },
    close: () => steps.push('close'),
  };
  const done = drainAndClose({ gate, ctx, stopDevices: () => void steps.push('devices stopped') });
  await assert.rejects(gate.run(() => steps.push('late payment')), /đang đóng/);
  await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(steps, [], 'nothing closes while a commit is in flight');
  commit.resolve();
  await done;
  assert.equal(await inFlight, 'receipt');
  assert.deepEqual(steps, ['in-flight commit done', 'devices stopped', 'pragma wal_checkpoint(TRUNCATE)', 'close']);
});

test('a stuck in-flight job cannot hold the quit forever; a device failure does not stop the close', async () => {
  const gate = createPaymentGate();
  void gate.run(() => new Promise(() => {}));
  const steps: string[] = [];
  await drainAndClose({
    gate,
    drainTimeoutMs: 10,
    log: (m) => steps.push(m.split(':')[0] ?? m),
    stopDevices: () => Promise.reject(new Error('usb gone')),
    ctx: { sqlite: { pragma: () => steps.push('checkpoint') }, close: () => steps.push('close') },
  });
  assert.deepEqual(steps, ['shutdown', 'shutdown', 'checkpoint', 'close']);
});

test('on a real database the WAL is checkpointed into the main file and the connection closed', async () => {
  const dir = tempDir();
  const ctx = openContext(dir);
  ctx.sqlite.exec('CREATE TABLE t (x INTEGER)');
  ctx.sqlite.prepare('INSERT INTO t VALUES (1)').run();
  const wal = join(dir, `${DATABASE_FILE}-wal`);
  assert.ok(statSync(wal).size > 0, 'the write sits in the WAL first');
  await drainAndClose({ gate: createPaymentGate(), ctx, stopDevices: () => {} });
  assert.equal(ctx.sqlite.open, false);
  assert.ok(!existsSync(wal) || statSync(wal).size === 0);
  const again = openContext(dir, { readonly: true });
  assert.equal(again.sqlite.prepare('SELECT x FROM t').pluck().get(), 1);
  again.close();
});

test('installQuitDrain holds the quit until the drain is done, then quits once', async () => {
  let listener: ((event: { preventDefault(): void }) => void) | undefined;
  let quits = 0;
  const app = {
    on: (_name: 'before-quit', l: (event: { preventDefault(): void }) => void) => (listener = l),
    quit: () => {
      quits += 1;
      listener?.({ preventDefault: () => assert.fail('the final quit must go through') });
    },
  };
  const drain = deferred();
  let drains = 0;
  installQuitDrain(app, () => {
    drains += 1;
    return drain.promise;
  });
  const prevented: boolean[] = [];
  const attempt = () => listener?.({ preventDefault: () => prevented.push(true) });
  attempt();
  attempt(); // a second Ctrl+Q while draining
  assert.deepEqual(prevented, [true, true]);
  assert.equal(drains, 1);
  assert.equal(quits, 0);
  drain.resolve();
  await new Promise((r) => setTimeout(r, 0));
  assert.equal(quits, 1);
});

test('installQuitDrain still quits when the drain fails', async () => {
  let listener: ((event: { preventDefault(): void }) => void) | undefined;
  let quits = 0;
  const logged: string[] = [];
  installQuitDrain(
    { on: (_n, l) => (listener = l), quit: () => (quits += 1) },
    () => Promise.reject(new Error('disk full')),
    (m) => logged.push(m),
  );
  listener?.({ preventDefault: () => {} });
  await new Promise((r) => setTimeout(r, 0));
  assert.equal(quits, 1);
  assert.match(logged[0] ?? '', /disk full/);
});

test('gateHandlers: writes pass the gate and wake the printer; after quitting they are refused, reads still answer', async () => {
  const calls: string[] = [];
  const base = Object.fromEntries(
    Object.keys(channels).map((name) => [name, (request: unknown) => (calls.push(name), { name, request })]),
  ) as unknown as Handlers;
  const gate = createPaymentGate();
  let wakes = 0;
  const handlers = gateHandlers(base, gate, () => (wakes += 1));
  const collect = handlers.collect as unknown as (request: unknown) => Promise<unknown>;
  assert.deepEqual(await collect({ customerId: 1 }), { name: 'collect', request: { customerId: 1 } });
  assert.equal(wakes, 1);
  assert.ok(GATED_CHANNELS.every((name) => handlers[name] !== base[name]));
  assert.equal(handlers.findCustomers, base.findCustomers, 'reads are not wrapped');

  gate.close();
  for (const name of GATED_CHANNELS) {
    const handler = handlers[name] as unknown as (request: unknown) => Promise<unknown>;
    await assert.rejects(handler({}), (error: unknown) => isAppError(error) && error.code === 'APP_QUITTING', name);
  }
  assert.deepEqual(calls, ['collect'], 'no refused write reached its handler');
  assert.equal(wakes, 1);
});
