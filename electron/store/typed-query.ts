/**
 * kysely builds the application's reads against the generated table types (store/tables.ts); they run
 * synchronously on better-sqlite3, like every other statement, so a read inside a payment's
 * transaction stays inside it. The row type is the one kysely infers from the query.
 */
import { DummyDriver, Kysely, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler, type Compilable } from 'kysely';
import type { Sqlite } from './open.ts';
import type { Tables } from './tables.ts';

/**
 * The query builder over the point's tables. It only compiles (kysely's DummyDriver): nothing can be
 * run through kysely's asynchronous driver by mistake, outside the synchronous transaction around it.
 */
export const query = new Kysely<Tables>({
  dialect: {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new SqliteIntrospector(db),
    createQueryCompiler: () => new SqliteQueryCompiler(),
  },
});

/** The row type a query yields, to name a shared select's rows. */
export type RowOf<Q> = Q extends Compilable<infer Row> ? Row : never;

export function selectAll<Row>(sqlite: Sqlite, query: Compilable<Row>): Row[] {
  const { sql, parameters } = query.compile();
  return sqlite.prepare(sql).all(...parameters) as Row[];
}

export function selectFirst<Row>(sqlite: Sqlite, query: Compilable<Row>): Row | undefined {
  const { sql, parameters } = query.compile();
  return sqlite.prepare(sql).get(...parameters) as Row | undefined;
}

/** A query that always yields one row (an aggregate without GROUP BY). */
export function selectOne<Row>(sqlite: Sqlite, query: Compilable<Row>): Row {
  const row = selectFirst(sqlite, query);
  if (row === undefined) throw new Error('An aggregate query returned no row.');
  return row;
}

/** Rows one at a time, for reads over a whole table (better-sqlite3 runs no other statement meanwhile). */
export function iterateRows<Row>(sqlite: Sqlite, query: Compilable<Row>): IterableIterator<Row> {
  const { sql, parameters } = query.compile();
  return sqlite.prepare(sql).iterate(...parameters) as IterableIterator<Row>;
}
