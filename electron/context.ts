import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { openStore, type OpenOptions, type Sqlite, type Store } from './db/open.ts';
import type { Kysely } from 'kysely';
import type { Tables } from './db/tables.ts';
import { systemClock, type Clock, type IdSource } from './core/clock.ts';
import { DATABASE_FILE } from './data-dir.ts';
import { PIN_COST, type ScryptCost } from './core/pin-hash.ts';

/** What every service function takes first: the store, time, ids, the data folder and the PIN hashing cost. */
export interface Ctx {
  sqlite: Sqlite;
  db: Kysely<Tables>;
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
}

export function openContext(dataDir: string, options: ContextOptions = {}): Ctx {
  mkdirSync(dataDir, { recursive: true });
  const store: Store = openStore(join(dataDir, DATABASE_FILE), options);
  return {
    sqlite: store.sqlite,
    db: store.db,
    clock: options.clock ?? systemClock,
    newId: options.newId ?? randomUUID,
    dataDir,
    pinCost: options.pinCost ?? PIN_COST,
    close: () => store.close(),
  };
}
