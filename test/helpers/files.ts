import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';

/** Every file under `dir` with its bytes (folders as 'dir'): "nothing written there" is this map unchanged. */
export function listing(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name);
    files.set(path, entry.isFile() ? fs.readFileSync(path).toString('base64') : 'dir');
  }
  return files;
}

/**
 * A read-only view of `dir` for the rest of the test, like a write-protected USB stick: a read-only
 * bind mount as root (chmod does not stop root), a copy with read-only modes otherwise. It lives
 * outside every tempDir() and is removed by the test's own hook. Proved by failing to write there.
 */
export function readOnlyView(t: TestContext, dir: string): string {
  const view = fs.mkdtempSync(join(tmpdir(), 'diemthu-ro-'));
  if (process.getuid?.() === 0) {
    execFileSync('mount', ['--bind', dir, view]);
    t.after(() => {
      execFileSync('umount', [view]);
      fs.rmdirSync(view);
    });
    execFileSync('mount', ['-o', 'remount,ro,bind', view]);
  } else {
    fs.cpSync(dir, view, { recursive: true });
    for (const name of fs.readdirSync(view)) fs.chmodSync(join(view, name), 0o444);
    fs.chmodSync(view, 0o555);
    t.after(() => {
      fs.chmodSync(view, 0o755);
      fs.rmSync(view, { recursive: true, force: true });
    });
  }
  let writable = true;
  try {
    fs.writeFileSync(join(view, 'probe'), 'x');
  } catch {
    writable = false;
  }
  if (writable) throw new Error(`${view} could not be made read-only`);
  return view;
}
