import { resolve } from 'node:path';
import type { Command } from '../command.ts';
import { AppError } from '../../core/errors.ts';
import { getSetting, setSettings } from '../../store/settings.ts';
import { SyncClient } from '../../../protocol/client.ts';
import { clientOptions, SYNC_DEFAULTS, type SyncSettings } from '../../sync/settings.ts';
import { syncOnce, type SyncReport } from '../../sync/run.ts';

const positive = (values: Record<string, unknown>, name: string): number | undefined => {
  const text = values[name];
  if (typeof text !== 'string') return undefined;
  if (!/^\d{1,6}$/.test(text)) throw new AppError('CLI_BAD_ARGS', `--${name} phải là một số nguyên dương (nhận được "${text}").`);
  return Number(text);
};

/** The settings this run uses: the command line over the stored ones; `--save` keeps them for the app. */
function chosenSettings(values: Record<string, unknown>, stored: SyncSettings | undefined): SyncSettings {
  const server = typeof values.server === 'string' ? values.server.trim() : stored?.serverUrl;
  const tokenFile = typeof values['token-file'] === 'string' ? resolve(values['token-file']) : stored?.tokenFile;
  if (server === undefined || tokenFile === undefined) {
    throw new AppError('SYNC_NOT_CONFIGURED', 'Chưa cài đặt máy chủ đồng bộ: hãy chạy "diemthu sync --server https://<máy>:<cổng> --token-file <tệp> [--fingerprint <sha256>] --save".');
  }
  return {
    serverUrl: server,
    tokenFile,
    fingerprint: typeof values.fingerprint === 'string' ? values.fingerprint.trim() : typeof values.server === 'string' ? null : (stored?.fingerprint ?? null),
    intervalSeconds: positive(values, 'interval') ?? stored?.intervalSeconds ?? SYNC_DEFAULTS.intervalSeconds,
    alarmMinutes: positive(values, 'alarm') ?? stored?.alarmMinutes ?? SYNC_DEFAULTS.alarmMinutes,
  };
}

function summary(r: SyncReport): string {
  return [
    `Điểm thu ${r.pointCode}: đã gửi ${r.pushed} mục (mới ${r.accepted}, đã có trên máy chủ ${r.duplicate + r.seen}, trùng thu ${r.conflict}, bị từ chối ${r.refused.length}); nhận về ${r.pulled} mục; còn chờ ${r.waiting}.`,
    ...(r.renumbered > 0 ? [`Cơ sở dữ liệu là bản cũ hơn máy chủ đã thấy (khôi phục từ bản sao lưu?): ${r.renumbered} mục chờ được đánh số lại và gửi lại.`] : []),
    ...r.conflicts.map((c) => `  Trùng thu: hóa đơn ${c.idHdon} đã được thu ở biên nhận ${c.heldBy} (mục ${c.seq}).`),
    ...r.refused.map((x) => `  [${x.code}] mục ${x.seq}: ${x.message}`),
  ].join('\n');
}

export const syncCommand: Command = {
  name: 'sync',
  usage: 'sync [--server <https://máy:cổng>] [--token-file <tệp>] [--fingerprint <sha256>] [--interval <giây>] [--alarm <phút>] [--save]',
  options: {
    server: { type: 'string' },
    'token-file': { type: 'string' },
    fingerprint: { type: 'string' },
    interval: { type: 'string' },
    alarm: { type: 'string' },
    save: { type: 'boolean', default: false },
  },
  async run({ values, open }) {
    const ctx = open();
    const settings = chosenSettings(values, getSetting(ctx.sqlite, 'sync'));
    const client = new SyncClient(clientOptions(settings));
    if (values.save === true) setSettings(ctx.sqlite, { sync: settings }, null, ctx.clock());
    try {
      const report = await syncOnce(ctx.sqlite, client, { clock: ctx.clock });
      if (report.refused.length > 0) {
        throw new AppError('SYNC_ITEMS_REFUSED', `Máy chủ từ chối ${report.refused.length} mục; các mục khác đã gửi.\n${summary(report)}`, report);
      }
      return { json: report, text: summary(report) };
    } finally {
      client.close();
    }
  },
};
