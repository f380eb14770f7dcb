import type { Migration } from '../electron/store/migration.ts';

/**
 * A print job can be set aside: it cannot be printed as stored (its document is unreadable, or it
 * disagrees with its payment), so it is 'failed' with its error in last_error, never retried, and
 * the jobs behind it print. set_aside_at tells it from a job that failed at the printer (whose copy
 * was queued) or whose payment was voided, so the status bar can count the ones needing a supervisor.
 */
export const migration0002: Migration = {
  version: 2,
  name: 'devices',
  sql: /* sql */ `
ALTER TABLE print_jobs ADD COLUMN set_aside_at TEXT CHECK (set_aside_at IS NULL OR status = 'failed');
CREATE INDEX print_jobs_set_aside ON print_jobs(id) WHERE set_aside_at IS NOT NULL;
`,
};
