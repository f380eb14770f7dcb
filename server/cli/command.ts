import type { ParseArgsConfig } from 'node:util';
import type { ServerDb } from '../db/connect.ts';

export interface ServerIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
}

export interface ServerCommandInput {
  positionals: string[];
  values: Record<string, string | boolean | string[] | undefined>;
  json: boolean;
  io: ServerIo;
  /** The PostgreSQL database of --database / DATABASE_URL, opened on first use, closed when the command ends. */
  db(): ServerDb;
  /** Resolves when the process is asked to stop (SIGINT, SIGTERM): `serve` waits on it. */
  stopped: Promise<void>;
}

/** `json` under --json, `text` otherwise; a refusal is thrown as AppError (exit 2). */
export interface ServerCommandResult {
  json: unknown;
  text: string;
}

export interface ServerCommand {
  name: string;
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
  run(input: ServerCommandInput): Promise<ServerCommandResult | void>;
}

export function stringOption(values: ServerCommandInput['values'], name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}
