import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request as plainRequest } from 'node:http';
import { SyncClient } from '../../protocol/client.ts';
import { MAX_BODY_BYTES, PROTOCOL_VERSION } from '../../protocol/sync.ts';
import { isAppError } from '../../electron/core/errors.ts';
import { addPoint } from '../../server/points.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { moneyState, payEvent, payment, serverDb, startServer } from './helpers.ts';

const { db } = await serverDb();
const server = await startServer(db, tempDir());
const pt1 = await addPoint(db, { point: 'PT01', unit: 'PC12AA', office: 'PGD 1' });
const pt2 = await addPoint(db, { point: 'PT02', unit: 'PC12AA', office: 'PGD 1' });
let reached = 0;
server.app.server.on('request', () => {
  reached += 1;
});

function client(token: string, pin = server.pin): SyncClient {
  const c = new SyncClient({ url: server.url, token, pin });
  test.after(() => c.close());
  return c;
}

async function refusedWith(promise: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(promise, (e: unknown) => isAppError(e) && e.code === code);
}

const v = PROTOCOL_VERSION;

test('a point with its token and the pinned fingerprint is served over HTTPS', async () => {
  const c = client(pt1.token);
  const hello = await c.hello({ protocol: v, pointCode: 'PT01' });
  assert.deepEqual({ ...hello, serverTime: '' }, { pointCode: 'PT01', unit: 'PC12AA', office: 'PGD 1', lastSeq: 0, serverTime: '' });
  const pushed = await c.push({ protocol: v, pointCode: 'PT01', events: [payEvent(1, payment({ point: 'PT01', seq: 1, bills: ['H1'] }))] });
  assert.deepEqual(pushed.acks, [{ seq: 1, status: 'accepted' }]);
});

test('a wrong pinned fingerprint ends the connection before the request leaves', async () => {
  const before = reached;
  const c = client(pt1.token, 'AA:'.repeat(31) + 'AA');
  await refusedWith(c.hello({ protocol: v, pointCode: 'PT01' }), 'SYNC_TLS_PIN_MISMATCH');
  assert.equal(reached, before, 'the server never saw the request (nor the token)');
});

test('without a pin the self-signed certificate is not trusted', async () => {
  const c = new SyncClient({ url: server.url, token: pt1.token });
  test.after(() => c.close());
  await refusedWith(c.hello({ protocol: v, pointCode: 'PT01' }), 'SYNC_TLS_UNTRUSTED');
  assert.throws(() => new SyncClient({ url: server.url.replace('https', 'http'), token: pt1.token }), (e: unknown) => isAppError(e) && e.code === 'SYNC_URL_NOT_HTTPS');
});

test('plain HTTP gets no answer: the server speaks only TLS', async () => {
  const port = Number(new URL(server.url).port);
  const outcome = await new Promise<string>((resolve) => {
    const req = plainRequest({ host: '127.0.0.1', port, path: '/v1/hello', method: 'POST', headers: { authorization: `Bearer ${pt1.token}` } }, (res) => resolve(`HTTP ${res.statusCode}`));
    req.on('error', (e) => resolve(`error ${(e as NodeJS.ErrnoException).code ?? e.message}`));
    req.end('{}');
  });
  assert.match(outcome, /^(error|HTTP 400)/);
});

test('refusals: another point, changed body, oversized, garbage JSON, bad schema, no or wrong token: each with its code, nothing written', async () => {
  const c1 = client(pt1.token);
  const c2 = client(pt2.token);
  const before = await moneyState(db);
  const theirs = payment({ point: 'PT01', seq: 2, bills: ['H2'] });

  await refusedWith(c2.push({ protocol: v, pointCode: 'PT01', events: [payEvent(2, theirs)] }), 'POINT_NOT_YOURS');
  await refusedWith(c2.push({ protocol: v, pointCode: 'PT02', events: [payEvent(2, theirs)] }), 'POINT_NOT_YOURS');
  await refusedWith(c2.push({ protocol: v, pointCode: 'PT02', events: [{ kind: 'void', seq: 3, receiptNo: 'PT01-26-000001' }] }), 'POINT_NOT_YOURS');

  const big = JSON.stringify({ protocol: v, pointCode: 'PT01', events: [], pad: 'x'.repeat(MAX_BODY_BYTES) });
  const tooLarge = await c1.raw('/v1/push', big, { 'content-type': 'application/json' });
  assert.equal(tooLarge.status, 413);
  assert.equal((tooLarge.json as { error: { code: string } }).error.code, 'REQUEST_TOO_LARGE');

  const garbage = await c1.raw('/v1/push', '{"protocol":1,"pointCode":"PT01","events":[{', { 'content-type': 'application/json' });
  assert.equal(garbage.status, 400);
  assert.equal((garbage.json as { error: { code: string } }).error.code, 'REQUEST_INVALID_JSON');

  const notJson = await c1.raw('/v1/push', 'hello', { 'content-type': 'text/plain' });
  assert.equal((notJson.json as { error: { code: string } }).error.code, 'REQUEST_NOT_JSON');

  const badTotal = { ...theirs, lines: [{ ...theirs.lines[0]!, tongTien: 1 }] };
  const invalid = await c1.raw('/v1/push', JSON.stringify({ protocol: v, pointCode: 'PT01', events: [payEvent(2, badTotal)] }), { 'content-type': 'application/json' });
  assert.equal(invalid.status, 400);
  assert.equal((invalid.json as { error: { code: string } }).error.code, 'REQUEST_INVALID');

  const noToken = await client('').raw('/v1/push', '{}', { 'content-type': 'application/json' });
  assert.deepEqual([noToken.status, (noToken.json as { error: { code: string } }).error.code], [401, 'TOKEN_MISSING']);
  await refusedWith(client('dt1_not-a-token').push({ protocol: v, pointCode: 'PT01', events: [payEvent(2, theirs)] }), 'TOKEN_INVALID');

  const unknown = await c1.raw('/v1/nothing', '{}', { 'content-type': 'application/json' });
  assert.deepEqual([unknown.status, (unknown.json as { error: { code: string } }).error.code], [404, 'ROUTE_UNKNOWN']);
  assert.deepEqual(await moneyState(db), before, 'nothing written by any refusal');

  const first = await c1.push({ protocol: v, pointCode: 'PT01', events: [payEvent(2, theirs)] });
  assert.equal(first.acks[0]!.status, 'accepted');
  const afterFirst = (await moneyState(db)) as { refused: unknown[] };
  const changed = await c1.push({ protocol: v, pointCode: 'PT01', events: [payEvent(3, { ...theirs, lines: [{ ...theirs.lines[0]!, soTien: 1, tienGtgt: 0, tongTien: 1 }] })] });
  assert.deepEqual([changed.acks[0]!.status, changed.acks[0]!.code], ['refused', 'PAYMENT_BODY_CHANGED']);
  const afterChanged = (await moneyState(db)) as { refused: unknown[] };
  assert.deepEqual({ ...afterChanged, refused: [] }, { ...afterFirst, refused: [] }, 'the changed body wrote nothing but its count');
  assert.deepEqual(afterChanged.refused, [...afterFirst.refused, { point_code: 'PT01', kind: 'payment', identity: 'PT01-26-000002' }]);
});
