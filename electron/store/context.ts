import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { randomUUID } from 'node:crypto';
import { openStore, type OpenOptions, type Sqlite, type Store } from './open.ts';
import { systemClock, type Clock, type IdSource } from '../core/clock.ts';
import { adoptLegacyData, DATABASE_FILE, removeStaleRestoreCopies } from './data-dir.ts';
import { appendJournal } from './journal.ts';
import { refuseLostDatabase, rememberPointOf } from './held-point.ts';
import { isDiskFull } from '../core/errors.ts';
import { PIN_COST, type ScryptCost } from '../core/pin-hash.ts';

/** What every service function takes first: the store, time, ids, the data folder and the PIN hashing cost. */
export interface Ctx {
  sqlite: Sqlite;
  clock: Clock;
  newId: IdSource;
  dataDir: string;
  /** New PIN hashes use it; a login rehashes a PIN stored with another cost. Tests lower it. */
  pinCost: ScryptCost;
  close(): void;
}

export interface ContextOptions extends OpenOptions {
  clock?: Clock;
  newId?: IdSource;
  pinCost?: ScryptCost;
  /** An older version's data folder (data-dir.ts legacyDataDir): moved into `folder` once, journaled. */
  adoptFrom?: string | null;
}

/** Opens the point's database in `folder` (refused, DB_MISSING, when a folder that held a point lost it). */
export function openContext(folder: string, options: ContextOptions = {}): Ctx {
  // Resolved once here: every folder derived from it (receipts, backups, exports) is then absolute.
  const dataDir = resolve(folder);
  const moved = options.readonly === true ? null : adoptLegacyData(dataDir, options.adoptFrom ?? null);
  mkdirSync(dataDir, { recursive: true });
  refuseLostDatabase(dataDir);
  if (options.readonly !== true) removeStaleRestoreCopies(dataDir);
  const store: Store = openStore(join(dataDir, DATABASE_FILE), options);
  if (options.readonly !== true) {
    try {
      rememberPointOf(dataDir, store.sqlite);
    } catch (error) {
      // A full disk costs only the marker for now: the database opened fine and the next open writes it.
      if (!isDiskFull(error)) throw error;
    }
  }
  const clock = options.clock ?? systemClock;
  if (moved !== null) appendJournal(store.sqlite, { kind: 'data_dir_moved', actorId: null, payload: { from: moved.from, to: dataDir }, at: clock() });
  return {
    sqlite: store.sqlite,
    clock,
    newId: options.newId ?? randomUUID,
    dataDir,
    pinCost: options.pinCost ?? PIN_COST,
    close: () => store.close(),
  };
}

/** Folds the WAL into the database file, then closes: the last step of quitting. */
export function checkpointAndClose(ctx: { sqlite: { pragma(source: string): unknown }; close(): void }): void {
  ctx.sqlite.pragma('wal_checkpoint(TRUNCATE)');
  ctx.close();
}
