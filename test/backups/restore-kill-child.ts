// Child of restore-staged-copies.test.ts: a restore killed (SIGKILL) just before it replaces the database, its staged copy in the data folder.
import { restore } from '../../electron/backups/restore.ts';

const [dataDir, file] = process.argv.slice(2) as [string, string];
await restore(dataDir, file, { beforeReplace: () => process.kill(process.pid, 'SIGKILL') });
