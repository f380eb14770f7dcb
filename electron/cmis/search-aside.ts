import Database from 'better-sqlite3';
import { existsSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Sqlite } from '../store/open.ts';
import { SEARCH_BUILT } from './search-outcome.ts';

/**
 * The search index of a first import, built on the other core while the swap writes the tables.
 * The swap is one thread: a province's customers and bills take it ~1.8 s, and rebuilding the index
 * after them another ~1.2 s while the second core idles. Here a worker thread reads the staged customers
 * (the staging file, snapshot-staging.ts) and builds the same FTS5 index in a file of its own; the swap
 * then copies its three shadow tables (some 25 MB) into the point's. Only for a point with no customers
 * yet: a customer's rowid is then its staging number, which the worker knows. Anything unexpected
 * (no worker module, an error in it) leaves the swap to rebuild the index as before.
 */

/** What the worker is given (plain data: it crosses to another thread). */
export interface SearchAsideInput {
  stagePath: string;
  indexPath: string;
  /** The CREATE VIRTUAL TABLE of the point's index, made contentless (see contentless()). */
  createSql: string;
  /** Slot 0: the outcome (search-outcome.ts). */
  shared: Int32Array;
}

/**
 * The worker says whether it built the index whatever happens in its code, loading included; a thread that ends
 * without a word (killed from outside) is waited for this long, then the swap rebuilds. The largest
 * file read (2 GB, some 8 million customers) builds its index in well under a minute here.
 */
const WAIT_MS = 120_000;

/** FTS5's memory for new terms before it writes a segment; the same as the swap's rebuild (snapshot-swap.ts). */
export const SEARCH_HASHSIZE = 16 * 1024 * 1024;

/**
 * The point's index definition as a contentless table: same columns, tokenizer, prefixes and detail,
 * hence the same terms for the same rows in the same shadow-table format (its segments may be cut
 * elsewhere than a rebuild's), but fed rows directly instead of reading `customers`. Null when the
 * definition is not the one this was written for.
 */
export function contentless(sqlite: Sqlite): string | null {
  const sql = sqlite.prepare("SELECT sql FROM sqlite_schema WHERE name = 'customer_search'").pluck().get() as string | undefined;
  const external = "content = 'customers', content_rowid = 'id',";
  return sql?.includes(external) === true ? sql.replace(external, "content = '',") : null;
}

function defaultWorker(): URL | null {
  const bundled = new URL('./search-worker.mjs', import.meta.url);
  if (bundled.protocol === 'file:' && existsSync(fileURLToPath(bundled))) return bundled;
  // Node's type stripping runs the source; without it (an old Node), the swap rebuilds.
  return process.features.typescript === false ? null : new URL('./search-worker.ts', import.meta.url);
}

export interface SearchAside {
  /**
   * Waits for the worker and copies its index into the point's shadow tables (inside the swap's
   * transaction). False when it could not: the caller rebuilds the index itself.
   */
  copyInto(sqlite: Sqlite): boolean;
  /** Stops the worker if it still runs and removes its file. */
  close(): void;
}

/** Starts the build from the staged customers of `stagePath`; null when no worker can run here. `file`: the worker module (tests). */
export function buildSearchAside(sqlite: Sqlite, stagePath: string, file: URL | null = defaultWorker()): SearchAside | null {
  const createSql = contentless(sqlite);
  if (file === null || createSql === null) return null;
  const indexPath = `${stagePath}.search`;
  const shared = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
  const input: SearchAsideInput = { stagePath, indexPath, createSql, shared };
  let worker: Worker;
  try {
    worker = new Worker(file, { workerData: input, ...(file.pathname.endsWith('.ts') ? { execArgv: [] } : {}) });
  } catch {
    return null;
  }
  worker.unref();
  // A failed worker says so through `shared`; its error event cannot reach a thread blocked in Atomics.wait.
  worker.on('error', () => undefined);
  const close = (): void => {
    void worker.terminate();
    try {
      rmSync(indexPath, { force: true });
    } catch {
      // On Windows a file the stopping worker still holds cannot go yet: the next import's sweep takes it (snapshot-staging.ts).
    }
  };
  return {
    copyInto(target) {
      Atomics.wait(shared, 0, 0, WAIT_MS);
      if (Atomics.load(shared, 0) !== SEARCH_BUILT) return false;
      const built = new Database(indexPath, { readonly: true, fileMustExist: true });
      try {
        copyShadowTables(built, target);
      } finally {
        built.close();
      }
      return true;
    },
    close,
  };
}

/**
 * FTS5 refuses writes to its shadow tables from SQL while SQLite's defensive mode is on (better-sqlite3
 * turns it on): it is off for these statements only. A savepoint rolled back over a write to the index
 * then makes FTS5 drop what this connection may hold in memory of the index before the copy.
 */
function copyShadowTables(from: Sqlite, to: Sqlite): void {
  to.unsafeMode(true);
  try {
    for (const [table, columns] of [
      ['customer_search_data', 'id, block'],
      ['customer_search_idx', 'segid, term, pgno'],
      ['customer_search_config', 'k, v'],
    ] as const) {
      to.prepare(`DELETE FROM main.${table}`).run();
      const insert = to.prepare(`INSERT INTO main.${table} (${columns}) VALUES (${columns.replace(/\w+/g, '?')})`);
      for (const row of from.prepare(`SELECT ${columns} FROM ${table}`).raw().iterate()) insert.run(...(row as unknown[]));
    }
  } finally {
    to.unsafeMode(false);
  }
  to.exec(`SAVEPOINT search_aside;
    INSERT INTO customer_search (customer_search, rank) VALUES ('hashsize', ${SEARCH_HASHSIZE});
    ROLLBACK TO search_aside;
    RELEASE search_aside;`);
}
