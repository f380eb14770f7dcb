import { basename, isAbsolute, join } from 'node:path';
import { isAppError } from '../../core/errors.ts';
import type { ImportProgress } from '../../cmis/import-snapshot.ts';
import type { Problem } from '../../cmis/read-snapshot.ts';
import { exportClearing } from '../../cmis/write-clearing.ts';
import { backupAfter } from '../../backups/backups.ts';
import { importView, previewOf, refusedPreview } from '../views.ts';
import { backupViewOf, type DomainHandlers, type Till } from './deps.ts';

type CmisChannel = 'chooseSnapshotFile' | 'importPreview' | 'importConfirm' | 'importCancel' | 'chooseExportFolder' | 'exportClearing';

export function cmisHandlers(t: Till): DomainHandlers<CmisChannel> {
  const { ctx, session } = t;
  const progress = (p: ImportProgress) => t.emit('importProgress', p);
  return {
    chooseSnapshotFile: async () => ({ path: await t.dialogs.chooseSnapshotFile() }),

    importPreview: async ({ path }) => {
      session.requireUser();
      try {
        return previewOf(path, await t.imports.run({ file: path, dryRun: true }, progress));
      } catch (error) {
        const refused = refusal(error);
        if (refused === null) throw error;
        return refusedPreview(path, basename(path), refused.problems, refused.problemCount);
      } finally {
        t.emit('importProgress', { phase: 'done', bytesRead: 1, totalBytes: 1, rows: 0 });
      }
    },

    importConfirm: async ({ path, acceptSkipped, confirm }) => {
      session.requireUser();
      const skipInvalid = acceptSkipped === undefined ? {} : { skipInvalid: { supervisorCode: acceptSkipped.code, pin: acceptSkipped.pin } };
      const confirmed = confirm === undefined ? {} : { confirm: { supervisorCode: confirm.code, pin: confirm.pin, force: confirm.force } };
      try {
        const result = importView(await t.imports.run({ file: path, ...skipInvalid, ...confirmed }, progress));
        t.changed();
        return result;
      } finally {
        t.emit('importProgress', { phase: 'done', bytesRead: 1, totalBytes: 1, rows: 0 });
      }
    },

    // Stops a preview or an import still running (its worker); a finished preview wrote nothing and has nothing to undo.
    importCancel: async () => {
      await t.imports.cancel();
      return null;
    },

    chooseExportFolder: async () => ({ path: await t.dialogs.chooseFolder() }),

    exportClearing: async ({ outDir }) => {
      session.requireUser();
      const result = exportClearing(ctx, { outDir });
      t.changed();
      if (result.code === 'EXPORT_NOTHING_NEW') return { nothingToExport: true, outDir, files: [], rowCount: 0, total: 0, backup: null };
      return {
        backup: backupViewOf(await backupAfter(ctx)),
        nothingToExport: false,
        outDir: result.outDir,
        files: result.files.map((f) => (isAbsolute(f) ? f : join(result.outDir, f))),
        rowCount: result.manifest.rowCount,
        total: result.manifest.totalTongTien,
      };
    },
  };
}

/** The problems of a refused snapshot file (every one with its line), or null for any other error. */
function refusal(error: unknown): { problems: Problem[]; problemCount: number } | null {
  if (!isAppError(error) || !['SNAPSHOT_INVALID', 'SNAPSHOT_HEADER_INVALID', 'SNAPSHOT_BAD_ENCODING'].includes(error.code)) return null;
  const details = error.details as { problems?: Problem[]; problemCount?: number } | undefined;
  const problems = details?.problems ?? [];
  return { problems, problemCount: details?.problemCount ?? problems.length };
}
