import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from '../command.ts';
import { AppError } from '../../core/errors.ts';
import { query, selectFirst } from '../../store/typed-query.ts';
import { checkedDocument } from '../../printing/document-check.ts';
import { printerFromSettings } from '../../printing/open-printer.ts';
import { drainOutbox } from '../../printing/outbox.ts';
import type { StoredJob } from '../../printing/job-document.ts';
import { renderPreviewPng } from '../../devices/printer/preview.ts';

/**
 * `diemthu print`: sends the waiting print jobs to the printer in the settings (what the app's printing
 * loop does), or with --preview writes a job's PNG as it prints on 58 or 80 mm paper. A job that cannot
 * be printed as stored is set aside and the rest print; the run then ends refused (exit 2) naming it.
 */
export const printCommand: Command = {
  name: 'print',
  usage: 'print [--preview <mã bản in> --out <tệp.png> [--width 384|576]]',
  options: { preview: { type: 'string' }, out: { type: 'string' }, width: { type: 'string' } },
  async run({ values, open }) {
    const ctx = open();
    if (typeof values.preview === 'string') {
      if (typeof values.out !== 'string') throw new AppError('CLI_BAD_ARGS', 'Cần --out <tệp.png> để ghi ảnh xem trước.');
      const row: (StoredJob & { copy_no: number }) | undefined = selectFirst(
        ctx.sqlite,
        query.selectFrom('print_jobs').where('id', '=', Number(values.preview)).select(['id', 'kind', 'payment_id', 'document', 'copy_no']),
      );
      if (row === undefined) throw new AppError('PRINT_JOB_NOT_FOUND', `Không có bản in số ${values.preview}.`);
      const width = values.width === '384' ? 384 : 576;
      // Previewed as it would print: a document that disagrees with its money is refused here too.
      const out = resolve(values.out);
      writeFileSync(out, await renderPreviewPng(checkedDocument(ctx.sqlite, row), row.copy_no, width));
      return { json: { jobId: row.id, out, width }, text: `Đã ghi ảnh xem trước vào ${out}.` };
    }
    const printer = printerFromSettings(ctx);
    try {
      const result = await drainOutbox(ctx, printer);
      const replaced = result.replaced.map(([job, copy]) => `lệnh ${job} chưa xác nhận, in lại bản sao (lệnh ${copy})`);
      const text = [`Đã in ${result.printed.length} lệnh trên ${printer.transport.name}.`, ...replaced];
      if (result.setAside.length > 0) {
        const first = result.setAside[0]!;
        throw new AppError(first.code, [...result.setAside.map((s) => s.message), ...text].join('\n'), { ...result, printer: printer.transport.name });
      }
      return { json: { ...result, printer: printer.transport.name }, text: text.join('\n') };
    } finally {
      await printer.transport.close();
    }
  },
};
