import { AppError } from '../../core/errors.ts';
import { backupChanged } from '../../backups/restore.ts';
import { previewInWorker } from '../../backups/preview-job.ts';
import { takeRestoreOutcome } from '../../backups/restore-outcome.ts';
import type { DomainHandlers, Till } from './deps.ts';

/**
 * Restore from a backup in the settings (a supervisor): the preview and the confirm run restore's own
 * checks first, so a wrong file is refused while the app keeps running; the confirmed restore closes
 * the app, restores and relaunches (ipc/restore-in-app.ts). The outcome the last restore left is read
 * once when the handlers are made (at start) and shown by the login screens until someone logs in:
 * a later logout or idle lock does not say it again.
 */
export function restoreHandlers(t: Till): DomainHandlers<'chooseBackupFile' | 'restorePreview' | 'restoreConfirm' | 'restoreNotice'> {
  const { ctx } = t;
  const notice = takeRestoreOutcome(ctx.dataDir);
  return {
    chooseBackupFile: async () => {
      t.session.requireUser();
      return { path: await t.dialogs.chooseBackupFile() };
    },

    // The checks of a backup take seconds on a large database: they run in a worker, the window's thread keeps serving the counter.
    restorePreview: ({ supervisor, path }) => {
      t.supervisor(supervisor);
      return previewInWorker(ctx.dataDir, path);
    },

    restoreConfirm: async ({ supervisor: credentials, path, force, expect }) => {
      const who = t.supervisor(credentials);
      const restoreApp = t.restoreApp;
      if (restoreApp === undefined) throw new AppError('RESTORE_UNAVAILABLE', 'Chương trình này không tự khởi động lại được: hãy đóng Điểm Thu rồi khôi phục bằng lệnh diemthu restore.');
      const preview = await previewInWorker(ctx.dataDir, path);
      // Confirmed is what was previewed: the file at the path is checked again here (refused while the app runs) and by restore once it has closed.
      if (preview.journalHead !== expect) throw backupChanged(path);
      if (preview.older && !force) {
        throw new AppError(
          'RESTORE_OLDER_THAN_CURRENT',
          `Tệp sao lưu ${path} cũ hơn dữ liệu hiện tại: khôi phục sẽ làm mất ${preview.behindBy ?? 'các'} thay đổi (khoản thu, số biên nhận...) đã có sau lần sao lưu đó. Chỉ khôi phục khi người giám sát chọn "khôi phục bản cũ hơn".`,
        );
      }
      restoreApp({ file: path, expect, ...(force ? { force: { supervisorCode: who.code, pin: credentials.pin } } : {}) });
      return { restarting: true as const };
    },

    restoreNotice: () => (t.session.everLoggedIn ? null : notice),
  };
}
