import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { AppError } from '../core/errors.ts';
import type { SyncClientOptions } from '../../protocol/client.ts';

/**
 * The point's sync settings (one `sync` setting; none: the point works alone). The token is not in
 * the database, which every backup copies: the setting names the file that holds it (readable by the
 * program's user only, like pin.key). The fingerprint is the server certificate's SHA-256 as
 * `diemthu-server serve` printed it; without it the certificate must chain to a trusted authority.
 */
export const syncSettings = z
  .object({
    serverUrl: z.string().regex(/^https:\/\/[^\s/]+(\/\S*)?$/),
    tokenFile: z.string().min(1).max(1000),
    fingerprint: z
      .string()
      .regex(/^([0-9A-Fa-f]{2}:?){31}[0-9A-Fa-f]{2}$/)
      .nullable(),
    /** Seconds between background syncs while everything goes well. */
    intervalSeconds: z.number().int().min(5).max(3600),
    /** Minutes an item may wait before the status bar raises the alarm. */
    alarmMinutes: z.number().int().min(1).max(7 * 24 * 60),
  })
  .strict();
export type SyncSettings = z.infer<typeof syncSettings>;

export const SYNC_DEFAULTS = { intervalSeconds: 60, alarmMinutes: 30 } as const;

/** The point's token from its file: one line, no spaces. */
export function readToken(file: string): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new AppError('SYNC_TOKEN_FILE', `Không đọc được tệp mã truy cập đồng bộ ${file} (${(error as { code?: string }).code ?? 'lỗi'}).`);
  }
  const token = text.trim();
  if (!/^[\x21-\x7e]{16,200}$/.test(token)) throw new AppError('SYNC_TOKEN_FILE', `Tệp ${file} không chứa một mã truy cập đồng bộ (một dòng, không khoảng trắng).`);
  return token;
}

/** What the client needs, from the settings or a command line that overrides them. */
export function clientOptions(s: Pick<SyncSettings, 'serverUrl' | 'tokenFile' | 'fingerprint'>): SyncClientOptions {
  if (!syncSettings.shape.serverUrl.safeParse(s.serverUrl).success) {
    throw new AppError('SYNC_URL_INVALID', `Địa chỉ máy chủ đồng bộ phải có dạng https://<máy>:<cổng> (nhận được ${s.serverUrl}).`);
  }
  if (s.fingerprint !== null && !syncSettings.shape.fingerprint.safeParse(s.fingerprint).success) {
    throw new AppError('SYNC_FINGERPRINT_INVALID', 'Dấu vân tay máy chủ phải là SHA-256 (64 chữ số hex, có thể cách nhau bằng dấu hai chấm).');
  }
  return { url: s.serverUrl, token: readToken(s.tokenFile), ...(s.fingerprint === null ? {} : { pin: s.fingerprint }) };
}
