import { hash } from 'node:crypto';

/** The hash before the first journal row. */
export const GENESIS_HASH = '0'.repeat(64);

export interface JournalFields {
  id: number;
  at: string;
  kind: string;
  actor_id: number | null;
  payload: string; // canonical JSON
}

/** JSON with object keys sorted at every depth, so the same value always hashes the same. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) out[key] = sortKeys((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}

/** hash(n) = sha256(hash(n-1) + canonical row n): changing, removing or inserting a row breaks every later hash. */
export function journalHash(prevHash: string, row: JournalFields): string {
  // canonicalJson of these five scalar fields, keys already in sorted order (verify hashes every row).
  const body = JSON.stringify({ actor_id: row.actor_id, at: row.at, id: row.id, kind: row.kind, payload: row.payload });
  return hash('sha256', `${prevHash}\n${body}`, 'hex');
}
