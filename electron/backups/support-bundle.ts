/**
 * The support bundle (one zip IT sends to the developers): the logs, the status, the `verify` result
 * and the settings. Never the PIN key, the database or a backup: nothing in it opens a PIN or holds a
 * customer's payments beyond what status and verify say.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Ctx } from '../store/context.ts';
import { zipFiles, type ZipEntry } from '../core/zip.ts';
import { stamp } from './backups.ts';
import { writeFilesAtomically } from '../store/atomic-write.ts';
import { getSetting } from '../store/settings.ts';
import { query, selectAll } from '../store/typed-query.ts';
import { VERSION } from '../core/version.ts';
import { logsDir } from '../store/data-dir.ts';

export interface SupportBundle {
  file: string;
  entries: string[];
}

const json = (value: unknown) => Buffer.from(`${JSON.stringify(value, null, 2)}\n`, 'utf8');

export function writeSupportBundle(ctx: Ctx, args: { outDir: string; status: unknown; verify: unknown }): SupportBundle {
  const at = ctx.clock();
  const logs = logsDir(ctx.dataDir);
  const logEntries: ZipEntry[] = existsSync(logs)
    ? readdirSync(logs)
        .filter((name) => name.endsWith('.log'))
        .sort()
        .map((name) => ({ name: `logs/${name}`, bytes: readFileSync(join(logs, name)), modified: statSync(join(logs, name)).mtime }))
    : [];
  // Settings as stored: none holds a PIN; the sync token stays in its own file (only its path is a setting).
  const settings = Object.fromEntries(selectAll(ctx.sqlite, query.selectFrom('settings').select(['key', 'value']).orderBy('key')).map((r) => [r.key, JSON.parse(r.value) as unknown]));
  const entries: ZipEntry[] = [
    { name: 'version.txt', bytes: Buffer.from(`Điểm Thu ${VERSION}\n`, 'utf8'), modified: at },
    { name: 'status.json', bytes: json(args.status), modified: at },
    { name: 'verify.json', bytes: json(args.verify), modified: at },
    { name: 'settings.json', bytes: json(settings), modified: at },
    ...logEntries,
  ];
  const file = join(args.outDir, `DiemThu-hotro-${getSetting(ctx.sqlite, 'point_code') ?? 'chua-khoi-tao'}-${stamp(at)}.zip`);
  writeFilesAtomically([{ path: file, bytes: zipFiles(entries) }]);
  return { file, entries: entries.map((e) => e.name) };
}
