import type { Command } from '../command.ts';
import { AppError } from '../../core/errors.ts';
import { formatDong } from '../../core/money.ts';
import { importSnapshot, type ImportResult } from '../../cmis/import-snapshot.ts';
import { loadProfile } from '../../cmis/profiles.ts';
import { holdImportLock } from '../../cmis/import-lock.ts';
import { formatProblem, SNAPSHOT_ENCODINGS, type SnapshotEncoding } from '../../cmis/read-snapshot.ts';
import { requireSetting } from '../../store/settings.ts';
import { describeExtract } from '../../cmis/snapshot-guards.ts';

export const importCommand: Command = {
  name: 'import',
  usage:
    'import <tệp> [--encoding utf8|utf16le|windows1258] [--profile <json>] [--dry-run] [--supervisor <mã> [--force] [--skip-invalid]] ' +
    '(--supervisor: người giám sát xác nhận; --force: nhận tệp cũ hơn bảng đang dùng; PIN trong DIEMTHU_SUPERVISOR_PIN)',
  options: {
    encoding: { type: 'string' },
    profile: { type: 'string' },
    'dry-run': { type: 'boolean', default: false },
    'skip-invalid': { type: 'boolean', default: false },
    supervisor: { type: 'string' },
    force: { type: 'boolean', default: false },
  },
  run({ positionals, values, open, io }) {
    const file = positionals[0];
    if (file === undefined || positionals.length > 1) throw new AppError('CLI_BAD_ARGS', 'Cần đúng một tệp dữ liệu nợ: diemthu import <tệp>.');
    const encoding = values.encoding;
    if (encoding !== undefined && !SNAPSHOT_ENCODINGS.includes(encoding as SnapshotEncoding)) {
      throw new AppError('CLI_BAD_ARGS', `--encoding phải là một trong ${SNAPSHOT_ENCODINGS.join(', ')}.`);
    }
    if (values['skip-invalid'] === true && typeof values.supervisor !== 'string') throw new AppError('CLI_BAD_ARGS', '--skip-invalid cần --supervisor <mã người giám sát>.');
    if (values.force === true && typeof values.supervisor !== 'string') throw new AppError('CLI_BAD_ARGS', '--force cần --supervisor <mã người giám sát>.');
    let skipInvalid: { supervisorCode: string; pin: string } | undefined;
    let confirm: { supervisorCode: string; pin: string; force: boolean } | undefined;
    if (typeof values.supervisor === 'string') {
      // DIEMTHU_PIN is what --skip-invalid read before confirmations existed.
      const pin = io.env.DIEMTHU_SUPERVISOR_PIN || io.env.DIEMTHU_PIN;
      if (pin === undefined || pin === '') throw new AppError('PIN_REQUIRED', 'Việc này cần mã PIN của người giám sát trong biến môi trường DIEMTHU_SUPERVISOR_PIN.');
      confirm = { supervisorCode: values.supervisor, pin, force: values.force === true };
      if (values['skip-invalid'] === true) skipInvalid = { supervisorCode: values.supervisor, pin };
    }
    const profile = typeof values.profile === 'string' ? loadProfile(values.profile) : undefined;
    const ctx = open();
    requireSetting(ctx.sqlite, 'point_code');
    // The window's import and this one exclude each other: the same lock, the same staging and swap (in-process here).
    const release = holdImportLock(ctx.dataDir);
    try {
      const result = importSnapshot(ctx, {
        file,
        encoding: encoding as SnapshotEncoding | undefined,
        profile,
        dryRun: values['dry-run'] === true,
        skipInvalid,
        confirm,
      });
      return { json: result, text: describe(result) };
    } finally {
      release();
    }
  },
};

function describe(r: ImportResult): string {
  const head =
    r.status === 'already_imported'
      ? `[SNAPSHOT_ALREADY_IMPORTED] Tệp ${r.fileName} đã được nhập trước đây (SHA-256 ${r.sha256.slice(0, 16)}…): không làm gì thêm.`
      : r.status === 'dry_run'
        ? `Chạy thử: tệp ${r.fileName} hợp lệ; chưa ghi gì vào cơ sở dữ liệu.`
        : `Đã nhập tệp ${r.fileName} (bản dữ liệu nợ số ${r.snapshotId}).`;
  const s = r.reimport;
  const lines = [
    head,
    `  Thời điểm trích: ${describeExtract(r.extract)}.`,
    ...r.guards.map((g) => `  ${r.status === 'dry_run' ? 'Cần' : 'Đã được'} ${g.needs === 'force' ? 'người giám sát cho phép (--force)' : 'người giám sát xác nhận'}: ${g.message} [${g.code}].`),
    `  Mã hóa ${r.encoding}, dấu phân cách "${r.delimiter}", ${r.rowCount} dòng dữ liệu.`,
    `  ${r.customerCount} khách hàng, ${r.billCount} hóa đơn, tổng ${formatDong(r.billTotal)}.`,
    `  Còn nợ: ${s.outstanding}; đã thu chờ xuất: ${s.paid_waiting_export}; đã xuất, CMIS còn nợ: ${s.exported_still_open};`,
    `  đã thanh toán nơi khác: ${s.cleared_elsewhere}; đã gạch nợ: ${s.cleared}; XUNG ĐỘT (có thể thu hai lần): ${s.conflict}.`,
    ...r.warnings.map((w) => `  Cảnh báo: ${w}`),
  ];
  if (r.skippedCount > 0) {
    lines.push(`  Bỏ qua ${r.skippedCount} dòng lỗi (${r.problemCount} lỗi)${r.rejectsFile === null ? '' : `, ghi vào ${r.rejectsFile}`}:`);
    lines.push(...r.problems.map((p) => `    ${formatProblem(p)}`));
  }
  return lines.join('\n');
}
