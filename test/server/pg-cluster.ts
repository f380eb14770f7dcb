import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

/**
 * A throwaway PostgreSQL cluster in a temp folder: initdb, then `postgres` listening on a Unix
 * socket only (no TCP port), trust auth for the owner. As root the cluster runs as the `postgres`
 * user (PostgreSQL refuses to run as root). `.ci/run` does the same in bash for the whole run; tests
 * and the bench start one themselves when it did not.
 */
export interface PgCluster {
  /** The folder holding the socket: `host` for pg, `?host=` in a URL. */
  socketDir: string;
  user: string;
  stop(): void;
}

/** The newest installed server's bin folder (Debian: /usr/lib/postgresql/<major>/bin). */
export function pgBinDir(): string {
  const root = '/usr/lib/postgresql';
  const majors = existsSync(root) ? readdirSync(root).filter((d) => /^\d+$/.test(d) && Number(d) >= 15).sort((a, b) => Number(b) - Number(a)) : [];
  const major = majors.find((m) => existsSync(join(root, m, 'bin', 'initdb')));
  if (major === undefined) throw new Error('PostgreSQL 15+ is not installed (apt-get install postgresql): no /usr/lib/postgresql/<major>/bin/initdb');
  return join(root, major, 'bin');
}

export function startCluster(options: { settings?: Record<string, string> } = {}): PgCluster {
  const bin = pgBinDir();
  const asRoot = process.getuid?.() === 0;
  const user = asRoot ? 'postgres' : userInfo().username;
  const dir = mkdtempSync(join(tmpdir(), 'diemthu-pg-'));
  const data = join(dir, 'data');
  const socketDir = dir;
  const run = (cmd: string, args: string[]) => {
    const argv = asRoot ? ['-u', 'postgres', '--', join(bin, cmd), ...args] : args;
    const result = spawnSync(asRoot ? 'runuser' : join(bin, cmd), argv, { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`${cmd} failed: ${result.stderr || result.stdout}`);
  };
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
  }
  chmodSync(dir, 0o700);
  run('initdb', ['-D', data, '-U', user, '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync']);
  run('pg_ctl', ['-D', data, '-w', '-t', '60', '-l', join(dir, 'log'), '-o', pgOptions(socketDir, options.settings ?? {}), 'start']);
  let stopped = false;
  return {
    socketDir,
    user,
    stop() {
      if (stopped) return;
      stopped = true;
      try {
        run('pg_ctl', ['-D', data, '-w', '-m', 'immediate', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

function pgOptions(socketDir: string, settings: Record<string, string>): string {
  const all = { listen_addresses: "''", unix_socket_directories: socketDir, ...settings };
  return Object.entries(all).map(([k, v]) => `-c ${k}=${v}`).join(' ');
}
