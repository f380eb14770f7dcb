import type { Ctx } from './context.ts';
import { verifyJournal } from './journal.ts';

export interface VerifyResult {
  ok: boolean;
  integrity: string;
  journal: ReturnType<typeof verifyJournal>;
}

/** The journal chain and SQLite's integrity_check of the open database. */
export function verifyStore(ctx: Ctx): VerifyResult {
  const rows = ctx.sqlite.pragma('integrity_check') as { integrity_check: string }[];
  const integrity = rows.map((r) => r.integrity_check).join('; ');
  const journal = verifyJournal(ctx.sqlite);
  return { ok: integrity === 'ok' && journal.ok, integrity, journal };
}
