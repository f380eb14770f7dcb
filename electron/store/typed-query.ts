/**
 * kysely builds the application's reads against the generated table types (store/tables.ts); they run
 * synchronously on better-sqlite3, like every other statement, so a read inside a payment's
 * transaction stays inside it. The row type is the one kysely infers from the query.
 */
import type { Compilable } from 'kysely';
import type { Sqlite } from './open.ts';

export function selectAll<Row>(sqlite: Sqlite, query: Compilable<Row>): Row[] {
  const { sql, parameters } = query.compile();
  return sqlite.prepare(sql).all(...parameters) as Row[];
}

export function selectFirst<Row>(sqlite: Sqlite, query: Compilable<Row>): Row | undefined {
  const { sql, parameters } = query.compile();
  return sqlite.prepare(sql).get(...parameters) as Row | undefined;
}
