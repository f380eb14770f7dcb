import { createInterface } from 'node:readline';
import { once } from 'node:events';
import type { Command } from '../command.ts';
import type { Ctx } from '../../store/context.ts';
import { AppError } from '../../core/errors.ts';
import { formatDong } from '../../core/money.ts';
import { searchCustomers, SEARCH_LIMIT, type CustomerHit } from '../../customers/find.ts';
import { requireSetting } from '../../store/settings.ts';

export const findCommand: Command = {
  name: 'find',
  usage: 'find <mã khách hàng | tên | địa chỉ> [--limit N] | find --stdin (mỗi dòng một câu tìm, mỗi câu một dòng JSON)',
  options: { stdin: { type: 'boolean', default: false }, limit: { type: 'string' } },
  async run({ positionals, values, open, io }) {
    const limit = parseLimit(values.limit);
    const stdin = values.stdin === true;
    const query = positionals.join(' ').trim();
    if (stdin && query !== '') throw new AppError('CLI_BAD_ARGS', 'Dùng hoặc --stdin hoặc một câu tìm, không dùng cả hai.');
    if (!stdin && query === '') throw new AppError('CLI_BAD_ARGS', 'Cần một câu tìm: mã khách hàng, số thẻ, tên hoặc địa chỉ.');
    const ctx = open();
    requireSetting(ctx.sqlite, 'point_code');
    if (stdin) {
      await answerLines(ctx, io.stdin, io.stdout, limit);
      return;
    }
    const hits = searchCustomers(ctx, query, limit);
    return { json: hits, text: table(hits) };
  },
};

function parseLimit(value: unknown): number {
  if (value === undefined) return SEARCH_LIMIT;
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(n >= 1 && n <= SEARCH_LIMIT)) throw new AppError('CLI_BAD_ARGS', `--limit phải là số từ 1 đến ${SEARCH_LIMIT}.`);
  return n;
}

/**
 * One JSON line per input line, written as soon as it is answered (for pipes and co-processes).
 * When the reader goes away (`| head -1`: EPIPE) it stops quietly, as Unix filters do.
 */
async function answerLines(ctx: Ctx, input: NodeJS.ReadableStream, output: NodeJS.WritableStream, limit: number): Promise<void> {
  let failure: NodeJS.ErrnoException | undefined;
  const onError = (error: NodeJS.ErrnoException) => (failure ??= error);
  output.on('error', onError);
  const lines = createInterface({ input, crlfDelay: Infinity });
  try {
    for await (const line of lines) {
      if (failure !== undefined) break;
      const query = line.trim();
      if (!output.write(JSON.stringify({ query, hits: searchCustomers(ctx, query, limit) }) + '\n')) {
        await once(output, 'drain').catch(onError); // once() rejects if 'error' comes first
      }
    }
  } finally {
    lines.close();
    output.off('error', onError);
  }
  if (failure !== undefined && failure.code !== 'EPIPE') throw failure;
}

function table(hits: CustomerHit[]): string {
  if (hits.length === 0) return 'Không tìm thấy khách hàng nào.';
  const rows = hits.map((h) => [
    h.maKhang,
    h.tenKhang + (h.tthaiCat ? ' (đang cắt điện)' : '') + (h.inCurrentSnapshot ? '' : ' (không có trong dữ liệu nợ hiện tại)'),
    h.dchiKhang,
    [h.maSogcs, h.stt].filter((x) => x !== null && x !== '').join('/'),
    h.soCto ?? '',
    String(h.outstandingCount),
    formatDong(h.outstandingTotal),
  ]);
  const header = ['Mã KH', 'Tên khách hàng', 'Địa chỉ', 'Sổ GCS/STT', 'Công tơ', 'Số HĐ nợ', 'Tổng nợ'];
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => [...(r[i] ?? '')].length)));
  const line = (r: string[]) =>
    r.map((cell, i) => (i >= 5 ? cell.padStart(widths[i] ?? 0) : pad(cell, widths[i] ?? 0))).join('  ').trimEnd();
  return [line(header), ...rows.map(line), `${hits.length} khách hàng.`].join('\n');
}

/** padEnd by code points, so Vietnamese letters line up in a terminal. */
function pad(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - [...text].length));
}
