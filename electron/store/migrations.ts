import type { Migration } from './migration.ts';
import { migration0001 } from '../../migrations/0001-initial.ts';
import { migration0002 } from '../../migrations/0002-devices.ts';
import { migration0003 } from '../../migrations/0003-users.ts';

/** Bundled statically (no directory scan: it must work inside an asar). Versions are 1, 2, 3, ... */
export const migrations: readonly Migration[] = [migration0001, migration0002, migration0003];

export const latestVersion: number = migrations.length;
