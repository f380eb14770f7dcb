import type { Sqlite } from '../store/open.ts';
import { prefixCounts } from '../core/search-query.ts';

/** Customers sampled to rate how common a query word is: +-2% near the threshold, a few ms to read and count. */
const SAMPLE_SIZE = 1000;
const GOLDEN = (Math.sqrt(5) - 1) / 2;

export interface WordDensities {
  /** Customers in the table (the highest id: rows are never deleted). */
  customers: number;
  density: (word: string) => number;
}

interface Sample {
  snapshot: number | null;
  customers: number;
  size: number;
  counts: Map<string, number>;
}

const samples = new WeakMap<Sqlite, Sample>();

/**
 * How common a folded word is: the share of customers with a name or address word it prefixes,
 * estimated on customers spread evenly over the table, drawn again when a new snapshot arrives.
 * Only steers how a search is run, never what it finds.
 */
export function wordDensities(sqlite: Sqlite, snapshot: number | null): WordDensities {
  let sample = samples.get(sqlite);
  if (sample === undefined || sample.snapshot !== snapshot) {
    const customers = (sqlite.prepare('SELECT MAX(id) FROM customers').pluck().get() as number | null) ?? 0;
    const texts = readSample(sqlite, customers);
    sample = { snapshot, customers, size: texts.length, counts: prefixCounts(texts) };
    samples.set(sqlite, sample);
  }
  const { size, counts, customers } = sample;
  return { customers, density: (word) => (size === 0 ? 0 : (counts.get(word) ?? 0) / size) };
}

function readSample(sqlite: Sqlite, maxId: number): string[] {
  // Golden-ratio steps spread the ids without falling in step with any periodic order of the rows.
  const ids = Array.from({ length: Math.min(SAMPLE_SIZE, maxId) }, (_, i) => 1 + Math.floor(((i * GOLDEN) % 1) * maxId));
  return sqlite
    .prepare("SELECT name_fold || char(10) || addr_fold FROM customers WHERE id IN (SELECT value FROM json_each(?))")
    .pluck()
    .all(JSON.stringify(ids)) as string[];
}
