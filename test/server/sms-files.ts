import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { noticeBuilder, type SmsOutcome } from '../../electron/sms/messages.ts';
import { noticeFileName, smsFile } from '../../electron/sms/files.ts';
import { DEFAULT_SMS_PROFILE } from '../../electron/sms/batch-file.ts';

/** 14:00 on 27/11/2026, Việt Nam time: GUI_TU 27/11/2026 14:00, HET_HAN 30/11/2026 14:00. */
export const MADE_AT = new Date('2026-11-27T07:00:00.000Z');

/** A THONGBAO file of `count` bill notices (TBTD) made by the point's own writer, in `dir`. */
export function noticeFile(dir: string, count: number, options: { unit?: string; amount?: number; madeAt?: Date } = {}): string {
  const unit = options.unit ?? 'PC12AA';
  const build = noticeBuilder(DEFAULT_SMS_PROFILE, { madeAt: options.madeAt ?? MADE_AT, types: ['TBTD'] });
  const outcomes: SmsOutcome[] = [];
  for (let i = 1; i <= count; i++) {
    outcomes.push(
      ...build({
        ma_dviqly: unit,
        ma_khang: `${unit}${String(i).padStart(7, '0')}`,
        dthoai_sms: `09${String(10_000_000 + i).slice(-8)}`,
        tthai_cat: 0,
        bills: [{ ky: 1, thang: 11, nam: 2026, dien_tthu: 100, tong_tien: options.amount ?? 250_000, han_ttoan: '10/12/2026' }],
      }),
    );
  }
  const path = join(dir, noticeFileName(unit, '20261127'));
  writeFileSync(path, smsFile(outcomes).bytes);
  return path;
}
