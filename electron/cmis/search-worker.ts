// Worker thread entry of buildSearchAside (search-aside.ts): the staged customers' folds into a
// contentless FTS5 index of its own file, in staging order (the order the swap's rebuild would read
// them), then its outcome in the shared slot (search-outcome.ts). The file is scratch: no journal, no fsync. Everything
// is loaded inside the try: a module that cannot load (better-sqlite3 not found beside the bundle)
// must still say it failed, or the swap would wait for it.
import { workerData } from 'node:worker_threads';
import type { SearchAsideInput } from './search-aside.ts';
import { SEARCH_BUILT, SEARCH_FAILED } from './search-outcome.ts';

const input = workerData as SearchAsideInput;
let outcome = SEARCH_FAILED;
try {
  const [{ default: Database }, { SEARCH_HASHSIZE }] = await Promise.all([import('better-sqlite3'), import('./search-aside.ts')]);
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
    outcome = SEARCH_BUILT;
  } finally {
    db.close();
  }
} catch {
  outcome = SEARCH_FAILED; // the swap rebuilds the index itself
} finally {
  Atomics.store(input.shared, 0, outcome);
  Atomics.notify(input.shared, 0);
}
