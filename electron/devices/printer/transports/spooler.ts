/**
 * A Windows printer queue in RAW mode: how most points have their POS printer installed (vendor driver,
 * shared name such as "XP-80C"). Bytes sent with the RAW datatype pass through the driver untouched, so
 * our ESC/POS (rasters, cut, barcode) reaches the printer as built.
 *
 * How: Node has no winspool binding, so each job is written to a temporary file and a PowerShell child
 * compiles (Add-Type, cached by .NET per session) a few lines of C# calling winspool.drv
 * OpenPrinter / StartDocPrinter(pDatatype = "RAW") / StartPagePrinter / WritePrinter / EndPagePrinter /
 * EndDocPrinter / ClosePrinter: Microsoft's documented way to send raw data to a printer. The printer
 * name and file travel in environment variables, never inside the script text, so no quoting can break
 * it. One-way: the spooler accepts the job, the printer's own state is not readable here. A PowerShell
 * start costs ~0.3-0.5 s per job, acceptable for the fallback transport; USB/serial/TCP are immediate.
 * A child that has not finished within the timeout (a queue stuck on a driver dialog, a printer share
 * that stopped answering) is killed and the job fails with PRINTER_TIMEOUT.
 */
import { EventEmitter } from 'node:events';
import { spawn as nodeSpawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppError } from '../../../core/errors.ts';
import type { Transport, TransportEvents } from '../printer.ts';
import { DEFAULT_SPOOLER_TIMEOUT_MS, withDeadline } from '../deadline.ts';

export const SPOOLER_SCRIPT = `
$ErrorActionPreference = 'Stop'
Add-Type -TypeDefinition @"
using System;
using System.Runtime.InteropServices;
public static class DiemThuRaw {
  [StructLayout(LayoutKind.Sequential, CharSet = CharSet.Unicode)]
  public class DOCINFO { public string pDocName; public string pOutputFile; public string pDatatype; }
  [DllImport("winspool.drv", CharSet = CharSet.Unicode, SetLastError = true)] static extern bool OpenPrinter(string name, out IntPtr h, IntPtr d);
  [DllImport("winspool.drv", SetLastError = true)] static extern bool ClosePrinter(IntPtr h);
  [DllImport("winspool.drv", CharSet = CharSet.Unicode, SetLastError = true)] static extern int StartDocPrinter(IntPtr h, int level, DOCINFO di);
  [DllImport("winspool.drv", SetLastError = true)] static extern bool EndDocPrinter(IntPtr h);
  [DllImport("winspool.drv", SetLastError = true)] static extern bool StartPagePrinter(IntPtr h);
  [DllImport("winspool.drv", SetLastError = true)] static extern bool EndPagePrinter(IntPtr h);
  [DllImport("winspool.drv", SetLastError = true)] static extern bool WritePrinter(IntPtr h, byte[] b, int n, out int written);
  public static void Send(string printer, string doc, byte[] bytes) {
    IntPtr h;
    if (!OpenPrinter(printer, out h, IntPtr.Zero)) throw new System.ComponentModel.Win32Exception();
    try {
      if (StartDocPrinter(h, 1, new DOCINFO { pDocName = doc, pDatatype = "RAW" }) == 0) throw new System.ComponentModel.Win32Exception();
      try {
        StartPagePrinter(h);
        int written;
        if (!WritePrinter(h, bytes, bytes.Length, out written) || written != bytes.Length) throw new System.ComponentModel.Win32Exception();
        EndPagePrinter(h);
      } finally { EndDocPrinter(h); }
    } finally { ClosePrinter(h); }
  }
}
"@
[DiemThuRaw]::Send($env:DIEMTHU_PRINTER, $env:DIEMTHU_DOC, [System.IO.File]::ReadAllBytes($env:DIEMTHU_FILE))
`;

export interface SpoolerCommand {
  command: string;
  args: string[];
  env: Record<string, string>;
}

/** The child process that prints `file` on the queue `printerName` in RAW mode. */
export function spoolerCommand(printerName: string, file: string, docName: string): SpoolerCommand {
  return {
    command: 'powershell.exe',
    args: ['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-Command', SPOOLER_SCRIPT],
    env: { DIEMTHU_PRINTER: printerName, DIEMTHU_FILE: file, DIEMTHU_DOC: docName },
  };
}

type Spawn = (command: string, args: string[], options: { env: NodeJS.ProcessEnv; windowsHide: boolean }) => {
  on(event: 'exit', listener: (code: number | null) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  stderr: NodeJS.ReadableStream | null;
  kill(signal?: NodeJS.Signals): boolean;
};

export class SpoolerTransport extends EventEmitter<TransportEvents> implements Transport {
  readonly name: string;

  constructor(
    private readonly printerName: string,
    private readonly spawn: Spawn = nodeSpawn,
    private readonly timeoutMs: number = DEFAULT_SPOOLER_TIMEOUT_MS,
  ) {
    super();
    this.name = `spooler:${printerName}`;
  }

  async write(bytes: Uint8Array, job?: { id: number; kind: string }): Promise<void> {
    const dir = mkdtempSync(join(tmpdir(), 'diemthu-spool-'));
    const file = join(dir, 'job.bin');
    try {
      writeFileSync(file, bytes);
      const { command, args, env } = spoolerCommand(this.printerName, file, job === undefined ? 'Điểm Thu' : `Điểm Thu ${job.kind} ${job.id}`);
      const child = this.spawn(command, args, { env: { ...process.env, ...env }, windowsHide: true });
      const exited = new Promise<void>((resolve, reject) => {
        let stderr = '';
        child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        child.on('error', (error) => reject(new AppError('PRINTER_SPOOLER', 'Không gửi được bản in tới hàng đợi máy in của Windows.', { cause: error.message })));
        child.on('exit', (code) =>
          code === 0
            ? resolve()
            : reject(new AppError('PRINTER_SPOOLER', `Hàng đợi máy in "${this.printerName}" từ chối bản in.`, { cause: stderr.trim() })),
        );
      });
      await withDeadline(exited, this.timeoutMs, () => child.kill('SIGKILL'));
    } finally {
      try {
        rmSync(dir, { recursive: true, force: true });
      } catch {
        // a killed child may still hold the file on Windows; the temp folder is the OS's to clean
      }
    }
  }

  async close(): Promise<void> {}
}
