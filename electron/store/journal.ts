import type { Selectable } from 'kysely';
import type { Sqlite } from './open.ts';
import type { Tables } from './tables.ts';
import { canonicalJson, GENESIS_HASH, journalHash } from '../core/journal-hash.ts';

export type JournalKind =
  | 'init'
  | 'import'
  | 'import_skipped_rows'
  | 'import_confirmed'
  | 'clearing_result'
  | 'payment'
  | 'void'
  | 'refund'
  | 'resend'
  | 'deposit'
  | 'deposit_reference'
  | 'reprint'
  | 'print'
  | 'print_failed'
  | 'export'
  | 'export_complete'
  | 'export_again'
  | 'z_report'
  | 'receipt_list'
  | 'login'
  | 'login_failed'
  | 'user_locked'
  | 'user_added'
  | 'pin_changed'
  | 'pin_reset'
  | 'user_deactivated'
  | 'shift_open'
  | 'shift_close'
  | 'settings'
  | 'backup'
  | 'restore'
  | 'data_dir_moved';

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

/** A journal row as stored. */
export type JournalRow = Selectable<Tables['journal']>;

export interface ChainOptions {
  /** Check only the rows after this one (they must continue its hash); default: from the start. */
  afterId?: number;
  /** Sees every row in id order, past a bad one too (verify reads the money events from them). */
  onRow?: (row: JournalRow) => void;
}

/** Recomputes the chain; names the first row that does not match. */
export function verifyJournal(sqlite: Sqlite, options: ChainOptions = {}): ChainCheck {
  const afterId = options.afterId ?? 0;
  let prevHash = GENESIS_HASH;
  if (afterId > 0) {
    const start = sqlite.prepare('SELECT hash FROM journal WHERE id = ?').get(afterId) as { hash: string } | undefined;
    if (start === undefined) return { ok: false, rows: 0, firstBadId: afterId, reason: 'id_gap' };
    prevHash = start.hash;
  }
  let expectedId = afterId + 1;
  let rows = 0;
  let bad: { firstBadId: number; reason: 'hash' | 'prev_hash' | 'id_gap' } | null = null;
  const stmt = sqlite.prepare('SELECT id, at, kind, actor_id, payload, prev_hash, hash FROM journal WHERE id > ? ORDER BY id');
  for (const row of stmt.iterate(afterId) as Iterable<JournalRow>) {
    rows++;
    options.onRow?.(row);
    if (bad === null) {
      if (row.id !== expectedId) bad = { firstBadId: row.id, reason: 'id_gap' };
      else if (row.prev_hash !== prevHash) bad = { firstBadId: row.id, reason: 'prev_hash' };
      else if (journalHash(prevHash, row) !== row.hash) bad = { firstBadId: row.id, reason: 'hash' };
      // Only the first break is named; later rows are still read by onRow.
      if (bad !== null && options.onRow === undefined) return { ok: false, rows, ...bad };
    }
    prevHash = row.hash;
    expectedId = row.id + 1;
  }
  return bad === null ? { ok: true, rows, head: prevHash } : { ok: false, rows, ...bad };
}
