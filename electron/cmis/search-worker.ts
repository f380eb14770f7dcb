// Worker thread entry of buildSearchAside (search-aside.ts): the staged customers' folds into a
// contentless FTS5 index of its own file, in staging order (the order the swap's rebuild would read
// them), then DONE or FAILED in the shared slot. The file is scratch: no journal, no fsync.
import Database from 'better-sqlite3';
import { workerData } from 'node:worker_threads';
import { DONE, FAILED, SEARCH_HASHSIZE, type SearchAsideInput } from './search-aside.ts';

const input = workerData as SearchAsideInput;
let outcome = FAILED;
try {
  const db = new Database(input.indexPath);
  try {
    db.exec('PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;');
    db.exec(input.createSql);
    db.prepare('ATTACH ? AS stage').run(input.stagePath);
    db.transaction(() => {
      db.prepare(`INSERT INTO customer_search (customer_search, rank) VALUES ('hashsize', ${SEARCH_HASHSIZE})`).run();
      db.prepare('INSERT INTO customer_search (rowid, name_fold, addr_fold) SELECT n, name_fold, addr_fold FROM stage.stage_customers ORDER BY n').run();
    })();
    db.exec('DETACH stage');
    outcome = DONE;
  } finally {
    db.close();
  }
} catch {
  outcome = FAILED; // the swap rebuilds the index itself
} finally {
  Atomics.store(input.shared, 0, outcome);
  Atomics.notify(input.shared, 0);
}
