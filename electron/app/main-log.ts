/**
 * The main process's log for support: a packaged Windows app has no console, and the cashier only
 * ever sees a Vietnamese sentence and its code, so stacks go here (<dataDir>/logs/main.log). The file
 * is rolled to main.1.log past `maxBytes`, keeping at most two. Logging never throws.
 */
import { appendFileSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../core/clock.ts';
import { logsDir } from '../store/data-dir.ts';

export type Log = (message: string, error?: unknown) => void;

function describe(error: unknown): string {
  if (error === undefined) return '';
  if (error instanceof Error) return ` ${error.stack ?? `${error.name}: ${error.message}`}`;
  try {
    return ` ${JSON.stringify(error)}`;
  } catch {
    return ` ${String(error)}`;
  }
}

export function fileLog(dataDir: string, clock: Clock, maxBytes = 5 * 1024 * 1024, echo: Log = () => {}): Log {
  const dir = logsDir(dataDir);
  const file = join(dir, 'main.log');
  return (message, error) => {
    echo(message, error);
    try {
      mkdirSync(dir, { recursive: true });
      try {
        if (statSync(file).size > maxBytes) renameSync(file, join(dir, 'main.1.log'));
      } catch {
        // No log yet.
      }
      appendFileSync(file, `${clock().toISOString()} ${message}${describe(error)}\n`);
    } catch {
      // A full or read-only disk must not take the till down with it.
    }
  };
}
