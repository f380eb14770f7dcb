/**
 * Journal heads kept outside the journal: each clearing manifest (in the database and on the USB
 * stick) and each Z report (stored and printed) names the head when it was made. The journal must
 * still hold that row with that hash; a journal cut back (its last rows deleted) fails here even
 * when what is left is a sound chain.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import type { Sqlite } from '../store/open.ts';
import { query, selectFirst } from '../store/typed-query.ts';
import { AppError } from '../core/errors.ts';
import { GENESIS_HASH } from '../core/journal-hash.ts';
import type { ClearingManifest } from '../cmis/stored-batch.ts';
import { sha256 } from '../cmis/stored-batch.ts';
import type { Problems } from './problems.ts';

/** A head seen somewhere: `id` null when only the hash is known (typed from a printed report). */
export interface Anchor {
  source: string;
  id: number | null;
  hash: string;
  /** A clearing manifest's head: the next row must be that batch's export row. */
  exportBatchId?: number;
}

export function checkAnchors(sqlite: Sqlite, anchors: Anchor[], problems: Problems): void {
  const rows = query.selectFrom('journal');
  const byId = (id: number) => selectFirst(sqlite, rows.where('id', '=', id).select('hash'))?.hash;
  const byHash = (hash: string) => selectFirst(sqlite, rows.where('hash', '=', hash).select('id'));
  const exportBatchOf = (id: number) =>
    selectFirst(sqlite, rows.where('id', '=', id).where('kind', '=', 'export').select(sql<unknown>`json_extract(payload, '$.batchId')`.as('batchId')))?.batchId;
  for (const a of anchors) {
    const short = `${a.hash.slice(0, 16)}…`;
    if (a.id === null) {
      if (byHash(a.hash) === undefined) problems.add('ANCHOR_MISSING', `${a.source} ghi đầu chuỗi nhật ký ${short} mà nhật ký không còn dòng đó: các dòng đã bị xóa hoặc sửa.`);
      continue;
    }
    const hash = a.id === 0 ? GENESIS_HASH : byId(a.id);
    if (hash === undefined) {
      problems.add('ANCHOR_MISSING', `${a.source} ghi đầu chuỗi nhật ký ở dòng ${a.id} (${short}) mà nhật ký không còn dòng đó: các dòng cuối đã bị xóa.`);
    } else if (hash !== a.hash) {
      problems.add('ANCHOR_MISMATCH', `${a.source} ghi dòng nhật ký ${a.id} với mã ${short}, nhật ký hiện có mã khác: nhật ký đã bị viết lại.`);
    } else if (a.exportBatchId !== undefined && exportBatchOf(a.id + 1) !== a.exportBatchId) {
      problems.add('ANCHOR_MISSING', `${a.source}: dòng nhật ký ${a.id + 1} ghi lần xuất số ${a.exportBatchId} không còn: nhật ký đã bị cắt từ đó.`);
    }
  }
}

/**
 * The manifests in a folder (the USB stick the batches went out on): each must be a batch the
 * database still has, byte for byte, and its journal head an anchor. Other points' manifests are skipped,
 * and so are the heads of batches a forced restore carried over (they name the replaced journal).
 */
export function manifestAnchors(sqlite: Sqlite, dir: string, pointCode: string, carried: Set<number>, problems: Problems): Anchor[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => /^GACHNO_.+\.json$/.test(n)).sort();
  } catch (error) {
    throw new AppError('VERIFY_MANIFESTS_UNREADABLE', `Không đọc được thư mục bản kê ${dir}.`, { cause: String(error) });
  }
  const stored = (batchId: unknown) =>
    typeof batchId === 'number' && Number.isSafeInteger(batchId)
      ? selectFirst(sqlite, query.selectFrom('clearing_batches').where('id', '=', batchId).select('manifest_sha256'))?.manifest_sha256
      : undefined;
  const anchors: Anchor[] = [];
  for (const name of names) {
    const bytes = readFileSync(join(dir, name));
    let manifest: Partial<ClearingManifest>;
    try {
      manifest = JSON.parse(bytes.toString('utf8')) as Partial<ClearingManifest>;
    } catch {
      problems.add('MANIFEST_UNREADABLE', `Bản kê ${name} trong ${dir} không đọc được.`);
      continue;
    }
    if (manifest.pointCode !== pointCode) continue;
    if (stored(manifest.batchId) !== sha256(bytes)) {
      problems.add('MANIFEST_UNKNOWN_BATCH', `Bản kê ${name} trong ${dir} là lần xuất số ${manifest.batchId} mà cơ sở dữ liệu không có (hoặc có khác đi).`);
    }
    if (manifest.journalHead !== undefined && !carried.has(manifest.batchId!)) {
      anchors.push({ source: `Bản kê ${name} trong ${dir}`, ...manifest.journalHead, ...(Number.isSafeInteger(manifest.batchId) ? { exportBatchId: manifest.batchId } : {}) });
    }
  }
  return anchors;
}
