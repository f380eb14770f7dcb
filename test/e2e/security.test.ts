import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { count, loginAndOpenShift, startApp, stopSharedEnvironment } from './harness.ts';

after(stopSharedEnvironment);

/** Everything a refused call could have changed. */
function footprint(app: Awaited<ReturnType<typeof startApp>>) {
  const { ctx } = app;
  return {
    payments: count(ctx, 'SELECT COUNT(*) AS n FROM payments'),
    journal: count(ctx, 'SELECT COUNT(*) AS n FROM journal'),
    jobs: count(ctx, 'SELECT COUNT(*) AS n FROM print_jobs'),
    users: count(ctx, 'SELECT COUNT(*) AS n FROM users'),
    snapshots: count(ctx, 'SELECT COUNT(*) AS n FROM snapshots'),
  };
}

test('the page has no Node, and refuses wrong payloads and unknown channels with no side effect', async () => {
  const app = await startApp({ scenario: 'security', imported: true });
  try {
    await loginAndOpenShift(app);
    const { page } = app;
    const globals = await page.evaluate(() => ({
      require: typeof (window as unknown as { require?: unknown }).require,
      process: typeof (window as unknown as { process?: unknown }).process,
      module: typeof (window as unknown as { module?: unknown }).module,
      api: typeof window.diemthu.collect,
      frozen: Object.isFrozen(window.diemthu),
    }));
    assert.deepEqual(globals, { require: 'undefined', process: 'undefined', module: 'undefined', api: 'function', frozen: true });

    const customer = await page.evaluate(() => window.diemthu.lookupCode({ code: 'PC12AA0000001' }));
    assert.ok(customer.ok && customer.value !== null);
    const customerId = customer.value.id;
    const before = footprint(app);
    app.calls.length = 0;
    const refused = await page.evaluate(async (id) => {
      const invoke = (window as unknown as { __diemthuInvoke: (c: string, p: unknown) => Promise<{ ok: boolean; error?: { code: string } }> }).__diemthuInvoke;
      const attempts: Array<[string, unknown]> = [
        ['collect', { customerId: id, idempotencyKey: 'short' }],
        ['collect', { customerId: id, idempotencyKey: 'k-1234567890', tendered: 10.5 }],
        ['collect', { customerId: String(id), idempotencyKey: 'k-1234567890' }],
        ['collect', { customerId: id, idempotencyKey: 'k-1234567890', total: 1 }],
        ['voidPayment', { receiptNo: 'DT01-26-000001', reason: 'x' }],
        ['userAdd', { user: { code: 'X', name: 'X', role: 'supervisor', pin: '111111' } }],
        ['importConfirm', { path: 42 }],
        ['dropTables', {}],
        ['__proto__', {}],
        ['constructor', {}],
      ];
      const out: string[] = [];
      for (const [channel, payload] of attempts) {
        const r = await invoke(channel, payload);
        out.push(r.ok ? 'ok' : (r.error?.code ?? '?'));
      }
      return out;
    }, customerId);
    assert.deepEqual(refused, [
      'BAD_REQUEST',
      'BAD_REQUEST',
      'BAD_REQUEST',
      'BAD_REQUEST',
      'BAD_REQUEST',
      'BAD_REQUEST',
      'BAD_REQUEST',
      'UNKNOWN_CHANNEL',
      'UNKNOWN_CHANNEL',
      'UNKNOWN_CHANNEL',
    ]);
    assert.deepEqual(app.calls, [], 'no handler ran');
    assert.deepEqual(footprint(app), before, 'the database is unchanged');
    await app.shot('after-refused-calls');
  } finally {
    await app.close();
  }
});

test('a sub-frame cannot call, and the CSP blocks fetch, scripts and inline code from elsewhere', async () => {
  const app = await startApp({ scenario: 'security-csp' });
  const hits: string[] = [];
  const other = createServer((req, res) => {
    hits.push(req.url ?? '');
    res.writeHead(200, { 'access-control-allow-origin': '*' }).end('secret');
  });
  await new Promise<void>((r) => other.listen(0, '127.0.0.2', r));
  const otherOrigin = `http://127.0.0.2:${(other.address() as AddressInfo).port}`;
  try {
    const { page } = app;
    await page.getByLabel('Mã thu ngân').waitFor();
    const csp = await page.evaluate(() => document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content') ?? '');
    assert.match(csp, /default-src 'self'/);
    assert.match(csp, /connect-src 'self'/);

    const fetched = await page.evaluate(async (url) => {
      try {
        await fetch(url);
        return 'fetched';
      } catch (error) {
        return `blocked: ${(error as Error).name}`;
      }
    }, `${otherOrigin}/steal`);
    assert.match(fetched, /^blocked/);
    const script = await page.evaluate(async (url) => {
      const s = document.createElement('script');
      s.src = url;
      const result = new Promise<string>((resolve) => {
        s.onload = () => resolve('loaded');
        s.onerror = () => resolve('blocked');
      });
      document.head.append(s);
      return result;
    }, `${otherOrigin}/evil.js`);
    assert.equal(script, 'blocked');
    const inline = await page.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'window.__inlineRan = true';
      document.head.append(s);
      return (window as unknown as { __inlineRan?: boolean }).__inlineRan === true;
    });
    assert.equal(inline, false, 'inline script refused');
    assert.deepEqual(hits, [], 'nothing reached the other origin');

    // The binding exists in every frame; the sender check refuses a sub-frame even of our origin.
    const fromFrame = await page.evaluate(async () => {
      const frame = document.createElement('iframe');
      frame.src = './index.html';
      document.body.append(frame);
      await new Promise((r) => frame.addEventListener('load', r));
      const invoke = (frame.contentWindow as unknown as { __diemthuInvoke: (c: string, p: unknown) => Promise<{ ok: boolean; error?: { code: string } }> }).__diemthuInvoke;
      const r = await invoke('session', {});
      return r.ok ? 'ok' : r.error?.code;
    });
    assert.equal(fromFrame, 'FORBIDDEN_SENDER');
    await app.shot('login');
  } finally {
    await app.close();
    await new Promise((r) => other.close(r));
  }
});
