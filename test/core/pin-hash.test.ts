import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hashPin, isValidPin, pinMatches } from '../../electron/core/pin-hash.ts';

const cheap = { N: 2 ** 10, r: 8, p: 1 };
const salt = new Uint8Array(16).fill(7);

test('a PIN hash records its cost and salt and matches only its PIN', () => {
  const stored = hashPin('123456', salt, cheap);
  assert.match(stored, /^scrypt\$1024\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
  assert.ok(!stored.includes('123456'));
  assert.equal(pinMatches('123456', stored), true);
  assert.equal(pinMatches('123457', stored), false);
  assert.equal(pinMatches('123456', 'plain'), false);
  assert.equal(pinMatches('123456', stored.replace('$1024$', '$2048$')), false);
});

test('the same PIN with another salt gives another hash', () => {
  assert.notEqual(hashPin('1234', salt, cheap), hashPin('1234', new Uint8Array(16).fill(8), cheap));
});

test('a PIN is 4 to 8 digits', () => {
  for (const ok of ['1234', '12345678']) assert.equal(isValidPin(ok), true, ok);
  for (const bad of ['123', '123456789', '12a4', ' 1234', '']) assert.equal(isValidPin(bad), false, bad);
});
