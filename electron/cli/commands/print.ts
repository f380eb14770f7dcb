import { writeFileSync } from 'node:fs';
import type { Command } from '../command.ts';
import { AppError } from '../../core/errors.ts';
import { checkedDocument, type StoredJob } from '../../document-check.ts';
import { printerFromSettings } from '../../devices/printer/open.ts';
import { drainOutbox } from '../../devices/printer/outbox.ts';
import { renderPreviewPng } from '../../devices/printer/preview.ts';

/**
 * `diemthu print`: sends the waiting print jobs to the printer in the settings (what the app's printing
 * loop does), or with --preview writes a job's PNG as it prints on 58 or 80 mm paper.
 */
export const printCommand: Command = {
  name: 'print',
  usage: 'print [--preview <mã lệnh in> --out <tệp.png> [--width 384|576]]',
  options: { preview: { type: 'string' }, out: { type: 'string' }, width: { type: 'string' } },
  async run({ values, open }) {
    const ctx = open();
    if (typeof values.preview === 'string') {
      if (typeof values.out !== 'string') throw new AppError('CLI_BAD_ARGS', 'Cần --out <tệp.png> để ghi ảnh xem trước.');
      const row = ctx.sqlite.prepare('SELECT id, kind, payment_id, document, copy_no FROM print_jobs WHERE id = ?').get(Number(values.preview)) as
        | (StoredJob & { copy_no: number })
        | undefined;
      if (row === undefined) throw new AppError('PRINT_JOB_NOT_FOUND', `Không có lệnh in số ${values.preview}.`);
      const width = values.width === '384' ? 384 : 576;
      // Previewed as it would print: a document that disagrees with its money is refused here too.
      writeFileSync(values.out, await renderPreviewPng(checkedDocument(ctx.sqlite, row), row.copy_no, width));
      return { json: { jobId: Number(values.preview), out: values.out, width }, text: `Đã ghi ảnh xem trước vào ${values.out}.` };
    }
    const printer = printerFromSettings(ctx);
    try {
      const result = await drainOutbox(ctx, printer);
      const replaced = result.replaced.map(([job, copy]) => `lệnh ${job} chưa xác nhận, in lại bản sao (lệnh ${copy})`);
      const setAside = result.setAside.map((job) => `lệnh ${job} không in: nội dung khác với khoản thu (PRINT_DOCUMENT_MISMATCH); hãy chạy diemthu verify`);
      return {
        json: { ...result, printer: printer.transport.name },
        text: [`Đã in ${result.printed.length} lệnh trên ${printer.transport.name}.`, ...replaced, ...setAside].join('\n'),
      };
    } finally {
      await printer.transport.close();
    }
  },
};
