import { createHash, createHmac, scryptSync, timingSafeEqual } from 'node:crypto';

/**
 * PIN hashing: scrypt over HMAC-SHA256(key, PIN), stored as "scrypt-hmac$keyId$N$r$p$salt$hash"
 * (salt and hash base64). The key (the pepper) lives in a file outside the database and its
 * backups, so a stolen backup cannot confirm a single guess: a search over every 6-digit PIN needs
 * the key as well. The key id (a hash of the key, not the key) tells a missing or foreign key file
 * from a wrong PIN. The cost is stored with each hash, so it can be raised later (a login rehashes).
 * Hashes of the version before the key ("scrypt$N$r$p$salt$hash", scrypt of the PIN alone) still
 * match, and ask to be stored again. Salt and key are passed in, keeping this deterministic.
 */
export interface ScryptCost {
  N: number;
  r: number;
  p: number;
}

export interface PinKey {
  id: string;
  bytes: Uint8Array;
}

/**
 * 2^14 x 8 keeps each pass at 16 MiB (beyond that, this machine's memory makes a pass 5x slower);
 * p = 4 passes make one check about 120 ms on the 2-core development machine: 4x the work of the
 * previous cost for a guesser, a blink at the counter.
 */
export const PIN_COST: ScryptCost = { N: 2 ** 14, r: 8, p: 4 };
const KEY_LENGTH = 32;
const FORMAT = 'scrypt-hmac';
const LEGACY_FORMAT = 'scrypt';

/** New and changed PINs: 6 to 8 digits (10^6 at least for a guesser who holds the key too). */
export function isValidNewPin(pin: string): boolean {
  return /^\d{6,8}$/.test(pin);
}

export function pinKey(bytes: Uint8Array): PinKey {
  return { id: createHash('sha256').update(bytes).digest('hex').slice(0, 16), bytes };
}

export function hashPin(pin: string, salt: Uint8Array, key: PinKey, cost: ScryptCost = PIN_COST): string {
  const hash = derive(peppered(pin, key), salt, cost);
  return [FORMAT, key.id, cost.N, cost.r, cost.p, Buffer.from(salt).toString('base64'), hash.toString('base64')].join('$');
}

interface Parsed {
  keyId: string | null; // null: the version before the key
  cost: ScryptCost;
  salt: Buffer;
  hash: Buffer;
}

function parse(stored: string): Parsed | null {
  const parts = stored.split('$');
  const keyed = parts[0] === FORMAT && parts.length === 7;
  if (!keyed && !(parts[0] === LEGACY_FORMAT && parts.length === 6)) return null;
  const [N, r, p, salt, hash] = parts.slice(-5) as [string, string, string, string, string];
  const cost = { N: Number(N), r: Number(r), p: Number(p) };
  if (![cost.N, cost.r, cost.p].every((n) => Number.isSafeInteger(n) && n > 0)) return null;
  return { keyId: keyed ? parts[1]! : null, cost, salt: Buffer.from(salt, 'base64'), hash: Buffer.from(hash, 'base64') };
}

/** The id of the key a stored hash needs; null for a hash without key (or not ours). */
export function storedKeyId(stored: string): string | null {
  return parse(stored)?.keyId ?? null;
}

/** false for a wrong PIN, a key other than the hash's, or a stored value that is not a hash of ours. */
export function pinMatches(pin: string, stored: string, key: PinKey | null): boolean {
  const parsed = parse(stored);
  if (parsed === null) return false;
  let input: string | Buffer = pin.normalize('NFC');
  if (parsed.keyId !== null) {
    if (key?.id !== parsed.keyId) return false;
    input = peppered(pin, key);
  }
  const actual = derive(input, parsed.salt, parsed.cost);
  return parsed.hash.length === actual.length && timingSafeEqual(parsed.hash, actual);
}

/** True when a matching PIN should be stored again: no key, another key, or another cost. */
export function needsRehash(stored: string, key: PinKey, cost: ScryptCost = PIN_COST): boolean {
  const parsed = parse(stored);
  return parsed?.keyId !== key.id || parsed.cost.N !== cost.N || parsed.cost.r !== cost.r || parsed.cost.p !== cost.p;
}

function peppered(pin: string, key: PinKey): Buffer {
  return createHmac('sha256', key.bytes).update(pin.normalize('NFC')).digest();
}

function derive(input: string | Buffer, salt: Uint8Array, cost: ScryptCost): Buffer {
  return scryptSync(input, salt, KEY_LENGTH, { ...cost, maxmem: 256 * cost.N * cost.r + 1024 * 1024 });
}
