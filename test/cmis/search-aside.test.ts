import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { importSnapshot, ASIDE_FROM_CUSTOMERS } from '../../electron/cmis/import-snapshot.ts';
import { buildSearchAside } from '../../electron/cmis/search-aside.ts';
import type { SearchUpkeep } from '../../electron/cmis/snapshot-swap.ts';
import { searchCustomers } from '../../electron/customers/find.ts';
import { openContext, type Ctx } from '../../electron/store/context.ts';
import { initPoint } from '../../electron/store/point.ts';
import { GENERATED_UNITS, generateSnapshot } from '../../fixtures/generate-snapshot.ts';
import { tempDir } from '../helpers/temp-dir.ts';

const dir = tempDir();
const file = join(dir, 'first.csv');
const { customers } = generateSnapshot({ seed: 11, customers: ASIDE_FROM_CUSTOMERS + 5_000, out: file });

function point(): Ctx {
  const ctx = openContext(tempDir());
  initPoint(ctx, { pointCode: 'DT0001', unitCode: 'PC12AA', unitCodes: [...GENERATED_UNITS], pointName: '' });
  return ctx;
}

/** Every term of the index with the number of customers holding it (fts5vocab), and the index's settings. */
function indexContent(ctx: Ctx): { terms: string; config: unknown[] } {
  ctx.sqlite.exec('CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_terms USING fts5vocab(main, customer_search, row)');
  const terms = ctx.sqlite.prepare('SELECT term, doc FROM temp.search_terms ORDER BY term').raw().all() as [string, number][];
  // One string, not 200,000 rows: a difference is then reported in a line, not a diff of the whole vocabulary.
  return { terms: terms.map(([term, doc]) => `${term}:${doc}`).join(' '), config: ctx.sqlite.prepare('SELECT k, v FROM customer_search_config ORDER BY k').raw().all() };
}

function importFirst(ctx: Ctx, dryRun = false): SearchUpkeep[] {
  const upkeep: SearchUpkeep[] = [];
  importSnapshot(ctx, { file, dryRun }, { searchUpkeep: (how) => upkeep.push(how) });
  return upkeep;
}

test('a first import takes the search index built aside on another thread: the same terms for the same customers as the rebuild, and FTS5\'s integrity check passes', () => {
  const ctx = point();
  try {
    assert.deepEqual(importFirst(ctx), ['aside']);
    // Every customer's words, and every prefix, are in the index exactly as the customers table has them.
    ctx.sqlite.prepare("INSERT INTO customer_search (customer_search) VALUES ('integrity-check')").run();
    const aside = indexContent(ctx);
    assert.ok(aside.terms.split(' ').length > 100, 'the index holds the customers\' words');
    ctx.sqlite.prepare("INSERT INTO customer_search (customer_search) VALUES ('rebuild')").run();
    assert.deepEqual(indexContent(ctx), aside, 'the rebuild from the customers table has the same terms in the same customers');
  } finally {
    ctx.close();
  }
});

test('a connection that searched the empty index before the first import finds the customers after it, as does another connection', () => {
  const ctx = point();
  try {
    assert.deepEqual(searchCustomers(ctx, 'nguyen'), []);
    assert.deepEqual(importFirst(ctx), ['aside']);
    const name = ctx.sqlite.prepare('SELECT ten_khang FROM customers WHERE id = 1234').pluck().get() as string;
    const hits = searchCustomers(ctx, name);
    assert.ok(hits.some((hit) => hit.id === 1234), `the same connection finds ${name}`);
    const other = openContext(ctx.dataDir);
    try {
      assert.deepEqual(searchCustomers(other, name), hits);
    } finally {
      other.close();
    }
  } finally {
    ctx.close();
  }
});

test('a dry run of a first import leaves the index empty; a point that has customers patches its index, never takes one built aside', () => {
  const ctx = point();
  try {
    assert.deepEqual(importFirst(ctx, true), ['aside']);
    assert.equal(ctx.sqlite.prepare('SELECT COUNT(*) FROM customers').pluck().get(), 0);
    assert.deepEqual(searchCustomers(ctx, 'nguyen'), []);
    assert.deepEqual(importFirst(ctx), ['aside']);
    assert.equal(ctx.sqlite.prepare('SELECT COUNT(*) FROM customers').pluck().get(), customers);
    const next = join(dir, 'next.csv');
    generateSnapshot({ seed: 12, customers: ASIDE_FROM_CUSTOMERS + 5_000, out: next });
    const upkeep: SearchUpkeep[] = [];
    importSnapshot(ctx, { file: next, confirm: undefined }, { searchUpkeep: (how) => upkeep.push(how) });
    assert.notDeepEqual(upkeep, ['aside']);
    ctx.sqlite.prepare("INSERT INTO customer_search (customer_search) VALUES ('integrity-check')").run();
  } finally {
    ctx.close();
  }
});

test('a search index worker that cannot load its modules (better-sqlite3 not beside it, as in a bundle run from elsewhere) answers at once, and the swap rebuilds', () => {
  const ctx = point();
  try {
    // The worker's own source, alone in a folder with no node_modules: its imports of better-sqlite3 and search-aside.ts fail.
    const alone = tempDir();
    for (const name of ['search-worker.ts', 'search-outcome.ts']) copyFileSync(new URL(`../../electron/cmis/${name}`, import.meta.url), join(alone, name));
    const aside = buildSearchAside(ctx.sqlite, join(alone, 'stage.sqlite'), pathToFileURL(join(alone, 'search-worker.ts')));
    assert.ok(aside !== null);
    const started = performance.now();
    try {
      assert.equal(aside.copyInto(ctx.sqlite), false);
    } finally {
      aside.close();
    }
    assert.ok(performance.now() - started < 10_000, 'the answer came from the worker, not from the wait\'s last resort');
  } finally {
    ctx.close();
  }
});
