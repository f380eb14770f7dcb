import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dispatch, isTrustedSender, originOf, registerIpc, type Handlers, type InvokeEventLike } from '../../electron/ipc/register.ts';
import { channels, eventApiName } from '../../electron/ipc/contract.ts';
import { AppError } from '../../electron/core/errors.ts';

const trusted = ['app://diemthu', 'http://localhost:5173'];
const app = { url: 'app://diemthu/index.html', isMainFrame: true };

/** Handlers that count their calls; lookupCode answers what the test sets. */
function countingHandlers(lookup: () => unknown = () => null) {
  const calls: string[] = [];
  const handlers = new Proxy({} as Handlers, {
    get: (_target, name: string) => (request: unknown) => {
      calls.push(name);
      if (name === 'lookupCode') return lookup();
      if (name === 'logout') return null;
      return request;
    },
  });
  return { handlers, calls };
}

test('origins of custom and http schemes', () => {
  assert.equal(originOf('app://diemthu/index.html#/home'), 'app://diemthu');
  assert.equal(originOf('http://localhost:5173/x'), 'http://localhost:5173');
  assert.equal(originOf('file:///etc/passwd'), null);
  assert.equal(originOf('not a url'), null);
});

test('only our origin in the top frame is trusted', () => {
  assert.equal(isTrustedSender(app, trusted), true);
  assert.equal(isTrustedSender({ url: 'http://localhost:5173/', isMainFrame: true }, trusted), true);
  assert.equal(isTrustedSender({ ...app, isMainFrame: false }, trusted), false);
  assert.equal(isTrustedSender({ url: 'https://evil.example/', isMainFrame: true }, trusted), false);
  assert.equal(isTrustedSender({ url: 'http://localhost:5174/', isMainFrame: true }, trusted), false);
  assert.equal(isTrustedSender({ url: 'app://diemthu.evil/', isMainFrame: true }, trusted), false);
});

test('unknown channel, foreign sender and bad payload are refused before any handler runs', async () => {
  const { handlers, calls } = countingHandlers();
  const options = { trustedOrigins: trusted };
  const unknown = await dispatch(handlers, 'deleteEverything', {}, app, options);
  assert.deepEqual(unknown.ok ? null : unknown.error.code, 'UNKNOWN_CHANNEL');
  const proto = await dispatch(handlers, '__proto__', {}, app, options);
  assert.deepEqual(proto.ok ? null : proto.error.code, 'UNKNOWN_CHANNEL');
  const foreign = await dispatch(handlers, 'lookupCode', { code: 'PC12AA0000001' }, { url: 'https://x.example/', isMainFrame: true }, options);
  assert.deepEqual(foreign.ok ? null : foreign.error.code, 'FORBIDDEN_SENDER');
  const subframe = await dispatch(handlers, 'lookupCode', { code: 'PC12AA0000001' }, { ...app, isMainFrame: false }, options);
  assert.deepEqual(subframe.ok ? null : subframe.error.code, 'FORBIDDEN_SENDER');
  for (const bad of [{ code: 5 }, { code: '' }, { code: 'A', extra: 1 }, 'text', [1]]) {
    const r = await dispatch(handlers, 'lookupCode', bad, app, options);
    assert.deepEqual(r.ok ? null : r.error.code, 'BAD_REQUEST', JSON.stringify(bad));
  }
  const collect = await dispatch(handlers, 'collect', { customerId: 1, idempotencyKey: 'k-12345678', tendered: 1.5 }, app, options);
  assert.deepEqual(collect.ok ? null : collect.error.code, 'BAD_REQUEST');
  assert.deepEqual(calls, []);
});

test('a good call reaches its handler with the parsed payload', async () => {
  const { handlers, calls } = countingHandlers();
  const r = await dispatch(handlers, 'lookupCode', { code: '  PC12AA0000001 ' }, app, { trustedOrigins: trusted });
  assert.deepEqual(r, { ok: true, value: null });
  assert.deepEqual(calls, ['lookupCode']);
  const logout = await dispatch(handlers, 'logout', undefined, app, { trustedOrigins: trusted });
  assert.deepEqual(logout, { ok: true, value: null });
});

test('handler errors become { code, message } without a stack', async () => {
  const logged: unknown[] = [];
  const options = { trustedOrigins: trusted, onInternalError: (_c: string, e: unknown) => logged.push(e) };
  const appError = countingHandlers(() => {
    throw new AppError('CUSTOMER_NOT_FOUND', 'Không tìm thấy khách hàng.', { secret: 1 });
  });
  assert.deepEqual(await dispatch(appError.handlers, 'lookupCode', { code: 'X' }, app, options), {
    ok: false,
    error: { code: 'CUSTOMER_NOT_FOUND', message: 'Không tìm thấy khách hàng.' },
  });
  const internal = countingHandlers(() => {
    throw new TypeError('cannot read x of undefined at /home/secret.ts:1');
  });
  const r = await dispatch(internal.handlers, 'lookupCode', { code: 'X' }, app, options);
  assert.equal(r.ok, false);
  assert.equal(r.ok ? '' : r.error.code, 'INTERNAL');
  assert.doesNotMatch(JSON.stringify(r), /secret|TypeError|at /);
  assert.equal(logged.length, 1);
});

test('answers are checked against the response schema when asked', async () => {
  const wrong = countingHandlers(() => ({ id: 'not a customer' }));
  const checked = await dispatch(wrong.handlers, 'lookupCode', { code: 'X' }, app, { trustedOrigins: trusted, validateResponses: true });
  assert.equal(checked.ok ? '' : checked.error.code, 'BAD_RESPONSE');
  const unchecked = await dispatch(wrong.handlers, 'lookupCode', { code: 'X' }, app, { trustedOrigins: trusted });
  assert.equal(unchecked.ok, true);
});

test('registerIpc installs one handler per channel reading the sender frame', async () => {
  const installed = new Map<string, (event: InvokeEventLike, payload: unknown) => Promise<unknown>>();
  const { handlers, calls } = countingHandlers();
  registerIpc({ handle: (channel, fn) => installed.set(channel, fn) }, handlers, trusted);
  assert.deepEqual([...installed.keys()].sort(), Object.keys(channels).sort());
  const mainFrame = { url: 'app://diemthu/index.html' };
  const lookup = installed.get('lookupCode');
  assert.ok(lookup);
  assert.deepEqual(await lookup({ senderFrame: mainFrame, sender: { mainFrame } }, { code: 'A1' }), { ok: true, value: null });
  const child = { url: 'app://diemthu/frame.html' };
  const refused = (await lookup({ senderFrame: child, sender: { mainFrame } }, { code: 'A1' })) as { ok: boolean };
  assert.equal(refused.ok, false);
  const gone = (await lookup({ senderFrame: null, sender: { mainFrame } }, { code: 'A1' })) as { ok: boolean };
  assert.equal(gone.ok, false);
  assert.deepEqual(calls, ['lookupCode']);
});

test('event api names', () => {
  assert.equal(eventApiName('scan'), 'onScan');
  assert.equal(eventApiName('importProgress'), 'onImportProgress');
});
