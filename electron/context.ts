import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { randomUUID } from 'node:crypto';
import { openStore, type OpenOptions, type Sqlite, type Store } from './db/open.ts';
import type { Kysely } from 'kysely';
import type { Tables } from './db/tables.ts';
import { systemClock, type Clock, type IdSource } from './core/clock.ts';
import { DATABASE_FILE } from './data-dir.ts';

/** What every service function takes first: the store, time, ids and the data folder. */
export interface Ctx {
  sqlite: Sqlite;
  db: Kysely<Tables>;
  clock: Clock;
  newId: IdSource;
  dataDir: string;
  close(): void;
}

export interface ContextOptions extends OpenOptions {
  clock?: Clock;
  newId?: IdSource;
}

export function openContext(folder: string, options: ContextOptions = {}): Ctx {
  // Resolved once here: every folder derived from it (receipts, backups, exports) is then absolute.
  const dataDir = resolve(folder);
  mkdirSync(dataDir, { recursive: true });
  const store: Store = openStore(join(dataDir, DATABASE_FILE), options);
  return {
    sqlite: store.sqlite,
    db: store.db,
    clock: options.clock ?? systemClock,
    newId: options.newId ?? randomUUID,
    dataDir,
    close: () => store.close(),
  };
}
