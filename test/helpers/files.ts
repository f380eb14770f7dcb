import * as fs from 'node:fs';
import { join } from 'node:path';

/** Every file under `dir` with its bytes (folders as 'dir'): "nothing written there" is this map unchanged. */
export function listing(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name);
    files.set(path, entry.isFile() ? fs.readFileSync(path).toString('base64') : 'dir');
  }
  return files;
}
