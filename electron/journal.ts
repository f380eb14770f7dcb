import type { Sqlite } from './db/open.ts';
import { canonicalJson, GENESIS_HASH, journalHash } from './core/journal-hash.ts';

export type JournalKind =
  | 'init'
  | 'import'
  | 'import_skipped_rows'
  | 'payment'
  | 'void'
  | 'reprint'
  | 'print'
  | 'print_failed'
  | 'export'
  | 'export_complete'
  | 'export_again'
  | 'login'
  | 'login_failed'
  | 'user_locked'
  | 'user_added'
  | 'pin_changed'
  | 'shift_open'
  | 'shift_close'
  | 'settings'
  | 'backup'
  | 'restore';

export interface JournalEntry {
  kind: JournalKind;
  actorId: number | null;
  payload: Record<string, unknown>;
  at: Date;
}

/**
 * Appends one hash-chained row. Call it inside the transaction that makes the change it records,
 * so the event and its journal row commit together (or not at all).
 */
export function appendJournal(sqlite: Sqlite, entry: JournalEntry): { id: number; hash: string } {
  const head = sqlite.prepare('SELECT id, hash FROM journal ORDER BY id DESC LIMIT 1').get() as
    | { id: number; hash: string }
    | undefined;
  const id = (head?.id ?? 0) + 1;
  const prevHash = head?.hash ?? GENESIS_HASH;
  const at = entry.at.toISOString();
  const payload = canonicalJson(entry.payload);
  const hash = journalHash(prevHash, { id, at, kind: entry.kind, actor_id: entry.actorId, payload });
  sqlite
    .prepare('INSERT INTO journal (id, at, kind, actor_id, payload, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)')
    .run(id, at, entry.kind, entry.actorId, payload, prevHash, hash);
  return { id, hash };
}

/** The latest row's hash (the chain head printed on Z reports), or the genesis hash. */
export function journalHead(sqlite: Sqlite): { id: number; hash: string } {
  const head = sqlite.prepare('SELECT id, hash FROM journal ORDER BY id DESC LIMIT 1').get() as
    | { id: number; hash: string }
    | undefined;
  return head ?? { id: 0, hash: GENESIS_HASH };
}

export type ChainCheck =
  | { ok: true; rows: number; head: string }
  | { ok: false; rows: number; firstBadId: number; reason: 'hash' | 'prev_hash' | 'id_gap' };

/** Recomputes the chain from the start; names the first row that does not match. */
export function verifyJournal(sqlite: Sqlite): ChainCheck {
  let prevHash = GENESIS_HASH;
  let expectedId = 1;
  let rows = 0;
  const stmt = sqlite.prepare('SELECT id, at, kind, actor_id, payload, prev_hash, hash FROM journal ORDER BY id');
  for (const row of stmt.iterate() as Iterable<{
    id: number;
    at: string;
    kind: string;
    actor_id: number | null;
    payload: string;
    prev_hash: string;
    hash: string;
  }>) {
    rows++;
    if (row.id !== expectedId) return { ok: false, rows, firstBadId: row.id, reason: 'id_gap' };
    if (row.prev_hash !== prevHash) return { ok: false, rows, firstBadId: row.id, reason: 'prev_hash' };
    if (journalHash(prevHash, row) !== row.hash) return { ok: false, rows, firstBadId: row.id, reason: 'hash' };
    prevHash = row.hash;
    expectedId++;
  }
  return { ok: true, rows, head: prevHash };
}
