import { scryptSync, timingSafeEqual } from 'node:crypto';

/**
 * PIN hashing with scrypt, stored as "scrypt$N$r$p$salt$hash" (salt and hash base64), so the cost
 * can be raised later without breaking stored hashes. The salt is passed in (random bytes chosen by
 * the caller) to keep this function deterministic and testable.
 */
export interface ScryptCost {
  N: number;
  r: number;
  p: number;
}

/** 2^14: about 16 MiB and a few tens of ms per check: slow for guessing, fast enough at a counter. */
export const DEFAULT_PIN_COST: ScryptCost = { N: 2 ** 14, r: 8, p: 1 };
const KEY_LENGTH = 32;

export function isValidPin(pin: string): boolean {
  return /^\d{4,8}$/.test(pin);
}

export function hashPin(pin: string, salt: Uint8Array, cost: ScryptCost = DEFAULT_PIN_COST): string {
  const hash = derive(pin, salt, cost);
  return ['scrypt', cost.N, cost.r, cost.p, Buffer.from(salt).toString('base64'), hash.toString('base64')].join('$');
}

/** false for a wrong PIN or a stored value that is not a scrypt hash of ours. */
export function pinMatches(pin: string, stored: string): boolean {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  if (![N, r, p].every((n) => Number.isSafeInteger(n) && n > 0)) return false;
  const expected = Buffer.from(parts[5]!, 'base64');
  const actual = derive(pin, Buffer.from(parts[4]!, 'base64'), { N, r, p });
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

function derive(pin: string, salt: Uint8Array, cost: ScryptCost): Buffer {
  return scryptSync(pin.normalize('NFC'), salt, KEY_LENGTH, { N: cost.N, r: cost.r, p: cost.p, maxmem: 256 * cost.N * cost.r + 1024 * 1024 });
}
