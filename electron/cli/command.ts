import type { ParseArgsConfig } from 'node:util';
import type { Ctx } from '../store/context.ts';

export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream;
  env: NodeJS.ProcessEnv;
}

export interface CommandInput {
  /** Positionals after the command name (for "user add X": ["add", "X"]). */
  positionals: string[];
  values: Record<string, string | boolean | string[] | undefined>;
  json: boolean;
  dataDir: string;
  io: CliIo;
  /** Opens the point's database (created and migrated if needed). */
  open(): Ctx;
}

/**
 * What a command returns: `json` goes to stdout under --json, `text` otherwise.
 * Refusals are thrown as AppError (exit 2); anything else is an internal error (exit 1).
 */
export interface CommandResult {
  json: unknown;
  text: string;
}

export interface Command {
  name: string;
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
  run(input: CommandInput): Promise<CommandResult | void> | CommandResult | void;
}
