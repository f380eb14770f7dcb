import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { AppError } from '../../../electron/core/errors.ts';
import { requireMigrated } from '../../db/migrate.ts';
import { ingestMessages } from '../../sms/ingest.ts';
import { httpGateway, parseGatewayProfile } from '../../sms/gateway.ts';
import { pollReports, sendDue, smsStatus, type ReportRun, type SendRun } from '../../sms/sender.ts';
import { stringOption, type ServerCommand, type ServerCommandInput, type ServerCommandResult } from '../command.ts';

const USAGE = [
  'sms ingest <TINNHAN_… .csv | THONGBAO_… .csv> [...]',
  'sms send --gateway <http(s)://…> [--gateway-profile <json>] [--loop [--every <giây>]]',
  'sms status [--from yyyy-mm-dd] [--to yyyy-mm-dd]',
].join('\n  diemthu-server ');

async function ingest({ positionals, db }: ServerCommandInput): Promise<ServerCommandResult> {
  const files = positionals.slice(1);
  if (files.length === 0) throw new AppError('CLI_BAD_ARGS', `Cách dùng: diemthu-server ${USAGE}`);
  await requireMigrated(db());
  const results = [];
  for (const file of files) results.push(await ingestMessages(db(), file));
  const text = results
    .map((r) =>
      r.alreadyIngested
        ? `${r.file} đã được nhập trước đó: không thay đổi gì.`
        : `${r.file}: ${r.rows} tin, ${r.queued} xếp hàng mới, ${r.duplicates} đã có${r.refused > 0 ? `, ${r.refused} BỊ TỪ CHỐI (MA_TIN đã có với nội dung khác: ${r.refusedIds.slice(0, 10).join(', ')})` : ''}.`,
    )
    .join('\n');
  return { json: results, text };
}

function describeRun(s: SendRun, r: ReportRun): string {
  return [
    s.outsideWindow ? 'Ngoài giờ gửi (07:00-21:00): không gửi tin nào lúc này.' : '',
    `Đã nhận ${s.claimed} tin để gửi: ${s.sent} cổng đã nhận, ${s.retried} sẽ gửi lại, ${s.failed} không gửi được, ${s.expired} hết hạn (${s.seconds.toFixed(1)} giây).`,
    `Báo cáo gửi: ${r.reports} (${r.delivered} đã đến máy, ${r.failed} không đến, ${r.repeated} lặp lại, ${r.unknown} không rõ tin).`,
  ].filter((l) => l !== '').join('\n');
}

async function send({ values, db, io, stopped }: ServerCommandInput): Promise<ServerCommandResult> {
  const url = stringOption(values, 'gateway');
  if (url === undefined) throw new AppError('CLI_BAD_ARGS', `Cần --gateway <địa chỉ cổng tin nhắn>. Cách dùng: diemthu-server ${USAGE}`);
  const profileFile = stringOption(values, 'gateway-profile');
  let profileJson: unknown = {};
  if (profileFile !== undefined) {
    try {
      profileJson = JSON.parse(readFileSync(profileFile, 'utf8'));
    } catch (error) {
      throw new AppError('SMS_GATEWAY_PROFILE_INVALID', `Không đọc được hồ sơ cổng tin nhắn ${profileFile} như JSON (${(error as Error).message}).`);
    }
  }
  const gateway = httpGateway(url, parseGatewayProfile(profileJson, profileFile), io.env);
  await requireMigrated(db());
  const owner = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  const every = Number(stringOption(values, 'every') ?? '30');
  if (!Number.isFinite(every) || every < 1) throw new AppError('CLI_BAD_ARGS', '--every là số giây, ít nhất 1.');
  let stop = false;
  void stopped.then(() => (stop = true));
  for (;;) {
    const sent = await sendDue(db(), { gateway, owner });
    const reports = await pollReports(db(), gateway);
    if (values.loop !== true || stop) return { json: { send: sent, reports }, text: describeRun(sent, reports) };
    io.stderr.write(`${new Date().toISOString()} ${describeRun(sent, reports).replaceAll('\n', ' ')}\n`);
    await Promise.race([stopped, new Promise((r) => setTimeout(r, every * 1000))]);
    if (stop) return { json: { send: sent, reports }, text: 'Đã dừng.' };
  }
}

async function status({ values, db }: ServerCommandInput): Promise<ServerCommandResult> {
  const day = (name: string) => {
    const v = stringOption(values, name);
    if (v !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(v)) throw new AppError('CLI_BAD_ARGS', `--${name} có dạng yyyy-mm-dd.`);
    return v;
  };
  await requireMigrated(db());
  const from = day('from');
  const to = day('to');
  const rows = await smsStatus(db(), { ...(from === undefined ? {} : { from }), ...(to === undefined ? {} : { to }) });
  const text = [
    'ngày        loại    chờ gửi  đã gửi  đã đến  lỗi  hết hạn',
    ...rows.map((r) => `${r.day}  ${r.type.padEnd(6)} ${String(r.queued).padStart(8)} ${String(r.sent).padStart(7)} ${String(r.delivered).padStart(7)} ${String(r.failed).padStart(4)} ${String(r.expired).padStart(8)}`),
  ].join('\n');
  return { json: rows, text };
}

export const smsCommand: ServerCommand = {
  name: 'sms',
  usage: USAGE,
  options: { gateway: { type: 'string' }, 'gateway-profile': { type: 'string' }, loop: { type: 'boolean', default: false }, every: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' } },
  async run(input) {
    const sub = input.positionals[0];
    if (sub === 'ingest') return ingest(input);
    if (sub === 'send') return send(input);
    if (sub === 'status') return status(input);
    throw new AppError('CLI_BAD_ARGS', `Lệnh con của sms: ingest, send, status.\n  diemthu-server ${USAGE}`);
  },
};
