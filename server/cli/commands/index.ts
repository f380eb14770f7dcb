import type { ServerCommand } from '../command.ts';
import { conflictsCommand } from './conflicts.ts';
import { consolidateCommand } from './consolidate.ts';
import { ingestCommand } from './ingest.ts';
import { migrateCommand } from './migrate.ts';
import { pointCommand } from './point.ts';
import { serveCommand } from './serve.ts';
import { smsCommand } from './sms.ts';

export const serverCommands: readonly ServerCommand[] = [migrateCommand, serveCommand, pointCommand, ingestCommand, consolidateCommand, conflictsCommand, smsCommand];
