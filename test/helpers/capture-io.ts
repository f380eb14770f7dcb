import { PassThrough, Writable } from 'node:stream';
import type { CliIo } from '../../electron/cli/command.ts';

/** CLI io that keeps what `main()` writes, for in-process CLI tests. */
export function captureIo(env: NodeJS.ProcessEnv = {}): CliIo & { out(): string; err(): string } {
  const sink = () => {
    const chunks: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer | string, _enc, done) {
        chunks.push(String(chunk));
        done();
      },
    });
    return { stream, text: () => chunks.join('') };
  };
  const out = sink();
  const err = sink();
  return { stdout: out.stream, stderr: err.stream, stdin: new PassThrough(), env, out: out.text, err: err.text };
}
