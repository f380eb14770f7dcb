import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { after } from 'node:test';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/diemthu-server.mjs', import.meta.url));

/** `diemthu-server …` as a separate process (the Node 22 running the tests), its exit code and output. */
export function serverCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export interface Served {
  child: ChildProcess;
  url: string;
  fingerprint: string;
  /** Resolves with the exit code when the process ends. */
  exited: Promise<number | null>;
}

/** `diemthu-server serve` killed at the end of the test file if still running. */
export function serve(database: string, tlsDir: string): Promise<Served> {
  const served = startServe(database, tlsDir);
  after(async () => {
    const { child } = await served;
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return served;
}

/** `diemthu-server serve --json` on 127.0.0.1 (any free port); resolves once it says where it listens. */
export function startServe(database: string, tlsDir: string): Promise<Served> {
  const child = spawn(process.execPath, [BIN, 'serve', '--listen', '127.0.0.1:0', '--tls-dir', tlsDir, '--database', database, '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => {
      const parsed = JSON.parse(line) as { ok: boolean; value: { url: string; fingerprint: string } };
      resolve({ child, url: parsed.value.url, fingerprint: parsed.value.fingerprint, exited });
    });
    void exited.then((code) => reject(new Error(`serve exited ${code}: ${stderr}`)));
  });
}
