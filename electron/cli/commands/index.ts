import type { Command } from '../command.ts';
import { initCommand } from './init.ts';

/** Every command of `diemthu`, one module each. */
export const commands: Command[] = [initCommand];
