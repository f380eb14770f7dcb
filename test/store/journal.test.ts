import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openStore } from '../../electron/store/open.ts';
import { appendJournal, journalHead, verifyJournal } from '../../electron/store/journal.ts';
import { createHash } from 'node:crypto';
import { GENESIS_HASH, canonicalJson, journalHash } from '../../electron/core/journal-hash.ts';
import { tempDir } from '../helpers/temp-dir.ts';

function storeWithRows(n: number) {
  const store = openStore(join(tempDir(), 'j.sqlite'));
  for (let i = 0; i < n; i++) {
    appendJournal(store.sqlite, { kind: 'payment', actorId: null, payload: { i, amount: 1000 * i }, at: new Date(Date.UTC(2026, 10, 27, 8, 0, i)) });
  }
  return store;
}

test('an untouched chain verifies and its head is the last hash', () => {
  const store = storeWithRows(5);
  const check = verifyJournal(store.sqlite);
  assert.deepEqual(check, { ok: true, rows: 5, head: journalHead(store.sqlite).hash });
  assert.notEqual(journalHead(store.sqlite).hash, GENESIS_HASH);
  store.close();
});

test('UPDATE and DELETE on the journal are refused by triggers', () => {
  const store = storeWithRows(2);
  assert.throws(() => store.sqlite.prepare("UPDATE journal SET payload = '{}' WHERE id = 1").run(), /append-only/);
  assert.throws(() => store.sqlite.prepare('DELETE FROM journal WHERE id = 2').run(), /append-only/);
  store.close();
});

test('canonical JSON sorts keys at every depth', () => {
  assert.equal(canonicalJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: null } }), '{"a":{"c":null,"d":[{"y":2,"z":1}]},"b":1}');
});

test('a row hashes as sha256(previous hash, newline, canonical JSON of id, at, kind, actor and payload)', () => {
  const row = { id: 7, at: '2026-11-27T01:00:00.000Z', kind: 'payment', actor_id: 3, payload: canonicalJson({ total: 1, note: 'Đ"\n' }) };
  const prev = 'ab'.repeat(32);
  const expected = createHash('sha256').update(`${prev}\n${canonicalJson(row)}`).digest('hex');
  assert.equal(journalHash(prev, row), expected);
  assert.equal(journalHash(prev, { ...row, actor_id: null }), createHash('sha256').update(`${prev}\n${canonicalJson({ ...row, actor_id: null })}`).digest('hex'));
});
