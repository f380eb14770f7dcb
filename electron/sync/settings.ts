import { readFileSync } from 'node:fs';
import { AppError } from '../core/errors.ts';
import { SYNC_DEFAULTS, syncSettings, type SyncSettings } from '../core/settings-records.ts';

export { SYNC_DEFAULTS, syncSettings, type SyncSettings };
import type { SyncClientOptions } from '../../protocol/client.ts';


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
