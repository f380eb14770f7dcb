/** A numbered schema step. Append-only: a released migration is never edited. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}
