/**
 * A restore started from the app closes the database, restores and relaunches the app: the new start
 * learns how it went from a one-shot file in the data folder, written atomically (a half-written one
 * is never read), read and removed once at start. A file rather than the journal: a refused restore
 * leaves no journal row, and its reason must be shown too.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeFilesAtomically } from '../store/atomic-write.ts';
import { restoreOutcome, type RestoreOutcome } from '../core/restore-outcome.ts';

export const RESTORE_OUTCOME_FILE = 'restore-outcome.json';

export function writeRestoreOutcome(dataDir: string, outcome: RestoreOutcome): void {
  writeFilesAtomically([{ path: join(dataDir, RESTORE_OUTCOME_FILE), bytes: Buffer.from(JSON.stringify(outcome)) }]);
}

/**
 * The outcome a restore left for this start, removed as it is read; null when none (or unreadable:
 * removed too, it says nothing). Never throws: the app starts whatever is at that path (a folder of
 * that name, a file an antivirus holds open).
 */
export function takeRestoreOutcome(dataDir: string): RestoreOutcome | null {
  const path = join(dataDir, RESTORE_OUTCOME_FILE);
  if (!existsSync(path)) return null;
  let outcome: RestoreOutcome | null = null;
  try {
    const parsed = restoreOutcome.safeParse(JSON.parse(readFileSync(path, 'utf8')));
    if (parsed.success) outcome = parsed.data;
  } catch {
    // unreadable: it says nothing
  }
  try {
    rmSync(path, { force: true });
  } catch {
    // left for the next start to show again, rather than not starting now
  }
  return outcome;
}
