import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scryptSync } from 'node:crypto';
import { hashPin, isValidNewPin, needsRehash, pinKey, pinMatches, storedKeyId } from '../../electron/core/pin-hash.ts';

const cheap = { N: 2 ** 10, r: 8, p: 1 };
const salt = new Uint8Array(16).fill(7);
const key = pinKey(new Uint8Array(32).fill(1));
const otherKey = pinKey(new Uint8Array(32).fill(2));

test('a PIN hash records its key id, cost and salt and matches only its PIN', () => {
  const stored = hashPin('123456', salt, key, cheap);
  assert.match(stored, /^scrypt-hmac\$[0-9a-f]{16}\$1024\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
  assert.equal(storedKeyId(stored), key.id);
  assert.ok(!stored.includes('123456'));
  assert.equal(pinMatches('123456', stored, key), true);
  assert.equal(pinMatches('123457', stored, key), false);
  assert.equal(pinMatches('123456', 'plain', key), false);
  assert.equal(pinMatches('123456', stored.replace('$1024$', '$2048$'), key), false);
});

test('[#15] a PIN hash needs the key: another key never matches, and scrypt of the PIN with the stored salt and cost is not the hash', () => {
  const stored = hashPin('123456', salt, key, cheap);
  assert.notEqual(hashPin('123456', salt, otherKey, cheap).split('$').pop(), stored.split('$').pop());
  assert.equal(pinMatches('123456', stored, otherKey), false);
  assert.equal(pinMatches('123456', stored, null), false);
  const plain = scryptSync('123456', salt, 32, cheap).toString('base64');
  assert.notEqual(stored.split('$').pop(), plain);
});

test('the same PIN with another salt gives another hash', () => {
  assert.notEqual(hashPin('123456', salt, key, cheap), hashPin('123456', new Uint8Array(16).fill(8), key, cheap));
});

test('a hash of the version before the key file (scrypt of the PIN alone) still matches, and asks to be stored again', () => {
  const legacy = ['scrypt', 1024, 8, 1, Buffer.from(salt).toString('base64'), scryptSync('4815', salt, 32, cheap).toString('base64')].join('$');
  assert.equal(storedKeyId(legacy), null);
  assert.equal(pinMatches('4815', legacy, null), true);
  assert.equal(pinMatches('4816', legacy, key), false);
  assert.equal(needsRehash(legacy, key, cheap), true);
  const current = hashPin('123456', salt, key, cheap);
  assert.equal(needsRehash(current, key, cheap), false);
  assert.equal(needsRehash(current, key, { ...cheap, p: 4 }), true, 'a cost raised later');
});

test('[#15] a new PIN is 6 to 8 digits', () => {
  for (const ok of ['123456', '1234567', '12345678']) assert.equal(isValidNewPin(ok), true, ok);
  for (const bad of ['1234', '12345', '123456789', '12a456', ' 123456', '']) assert.equal(isValidNewPin(bad), false, bad);
});
