import { z } from 'zod';
import { AppError } from '../core/errors.ts';
import { readRegularFile } from './regular-file.ts';

/** The snapshot columns of the file contract (section 1), by their default CMIS names. */
export const SNAPSHOT_COLUMNS = [
  'MA_DVIQLY',
  'MA_KHANG',
  'TEN_KHANG',
  'DCHI_KHANG',
  'MA_THE',
  'DTHOAI_SMS',
  'MA_SOGCS',
  'STT',
  'SO_CTO',
  'TTHAI_CAT',
  'ID_HDON',
  'LOAI_HDON',
  'KY',
  'THANG',
  'NAM',
  'DIEN_TTHU',
  'SO_TIEN',
  'TIEN_GTGT',
  'TONG_TIEN',
  'HAN_TTOAN',
  'NGAY_TRICH',
] as const;

export type SnapshotColumn = (typeof SNAPSHOT_COLUMNS)[number];

/** Columns without which a file is refused. The bill columns are required per row when ID_HDON is set. */
export const REQUIRED_COLUMNS: readonly SnapshotColumn[] = ['MA_DVIQLY', 'MA_KHANG', 'TEN_KHANG', 'DCHI_KHANG'];

/** Other names CMIS exports are known to use for the same columns. */
export const HEADER_ALIASES: Readonly<Record<string, SnapshotColumn>> = {
  DIA_CHI: 'DCHI_KHANG',
  DTHOAI_KHANG: 'DTHOAI_SMS',
  TIEN_NO: 'SO_TIEN',
  THUE_NO: 'TIEN_GTGT',
};

/** A site's mapping profile: file column name -> contract column name, e.g. {"columns": {"MA_KH": "MA_KHANG"}}. */
export interface MappingProfile {
  columns: Record<string, SnapshotColumn>;
}

const profileSchema = z.object({
  columns: z.record(z.string(), z.enum(SNAPSHOT_COLUMNS)),
});

export function parseProfile(json: unknown, source = 'profile'): MappingProfile {
  const result = profileSchema.safeParse(json);
  if (!result.success) {
    throw new AppError(
      'PROFILE_INVALID',
      `Hồ sơ ánh xạ cột ${source} không hợp lệ: cần {"columns": {"<tên cột trong tệp>": "<tên cột CMIS>"}} với tên cột CMIS là một trong ${SNAPSHOT_COLUMNS.join(', ')}.`,
    );
  }
  const columns: Record<string, SnapshotColumn> = {};
  for (const [from, to] of Object.entries(result.data.columns)) columns[headerKey(from)] = to;
  return { columns };
}

/** A profile is a few hundred bytes of JSON; anything bigger, or not a regular file, is not one. */
const MAX_PROFILE_BYTES = 1 << 20;

export function loadProfile(path: string): MappingProfile {
  const bytes = readRegularFile(path, MAX_PROFILE_BYTES);
  let json: unknown;
  try {
    if (!Buffer.isBuffer(bytes)) throw new Error(bytes.refused);
    json = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new AppError('PROFILE_UNREADABLE', `Không đọc được hồ sơ ánh xạ cột ${path} (cần một tệp JSON nhỏ hơn 1 MB).`);
  }
  return parseProfile(json, path);
}

/** How header names are compared: trimmed, upper-case (a BOM left by an editor is dropped too). */
export function headerKey(name: string): string {
  return name.replace(/^\uFEFF/, '').trim().toUpperCase();
}

export interface ResolvedHeader {
  /** Field index of each known column in a record, or undefined when the file does not have it. */
  index: Partial<Record<SnapshotColumn, number>>;
  /** File columns that map to nothing (ignored, reported as a warning). */
  unknown: string[];
  /** Refusals: a missing required column, or two file columns naming the same contract column. */
  problems: { column: string; reason: string }[];
}

/** Maps the header line's names to contract columns: profile first, then the default names, then aliases. */
export function resolveHeader(names: readonly string[], profile?: MappingProfile): ResolvedHeader {
  const index: Partial<Record<SnapshotColumn, number>> = {};
  const unknown: string[] = [];
  const problems: { column: string; reason: string }[] = [];
  const known = new Set<string>(SNAPSHOT_COLUMNS);
  names.forEach((name, i) => {
    const key = headerKey(name);
    const column = profile?.columns[key] ?? (known.has(key) ? (key as SnapshotColumn) : HEADER_ALIASES[key]);
    if (column === undefined) {
      if (key !== '') unknown.push(name.trim());
      return;
    }
    if (index[column] !== undefined) {
      problems.push({ column: name.trim(), reason: `cột ${column} xuất hiện hai lần trong dòng tiêu đề` });
      return;
    }
    index[column] = i;
  });
  for (const column of REQUIRED_COLUMNS) {
    if (index[column] === undefined) problems.push({ column, reason: 'thiếu cột bắt buộc' });
  }
  return { index, unknown, problems };
}
