import assert from 'node:assert/strict';
import type { Ctx } from '../../electron/store/context.ts';
import { verifyStore } from '../../electron/verify/verify.ts';

/** The codes of the problems verify finds (it must find some). */
export function verifyCodes(ctx: Ctx, options: Parameters<typeof verifyStore>[1] = {}): string[] {
  const result = verifyStore(ctx, options);
  assert.equal(result.ok, false, 'verify must not pass');
  return [...new Set(result.problems.map((p) => p.code))].sort();
}

/** The attacker's way round a trigger: drop it, do the deed, put the very same trigger back. */
export function withoutTriggers(ctx: Ctx, names: string[], deed: () => void): void {
  const saved = names.map((name) => (ctx.sqlite.prepare("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?").get(name) as { sql: string }).sql);
  for (const name of names) ctx.sqlite.exec(`DROP TRIGGER ${name}`);
  deed();
  for (const sql of saved) ctx.sqlite.exec(sql);
}
