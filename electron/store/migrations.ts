import type { Migration } from './migration.ts';
import { migration0001 } from '../../migrations/0001-initial.ts';
import { migration0002 } from '../../migrations/0002-devices.ts';
import { migration0003 } from '../../migrations/0003-users.ts';
import { migration0004 } from '../../migrations/0004-user-admin.ts';
import { migration0005 } from '../../migrations/0005-cmis-round-trip.ts';
import { migration0006 } from '../../migrations/0006-sync-outbox.ts';
import { migration0007 } from '../../migrations/0007-sms.ts';
import { migration0008 } from '../../migrations/0008-refunds.ts';
import { migration0009 } from '../../migrations/0009-rounding.ts';
import { migration0010 } from '../../migrations/0010-deposit.ts';
import { migration0011 } from '../../migrations/0011-order-numbers.ts';
import { migration0012 } from '../../migrations/0012-deposit-small-notes.ts';

/** Bundled statically (no directory scan: it must work inside an asar). Versions are 1, 2, 3, ... */
export const migrations: readonly Migration[] = [
  migration0001, migration0002, migration0003, migration0004, migration0005, migration0006, migration0007, migration0008, migration0009, migration0010, migration0011, migration0012,
];

export const latestVersion: number = migrations.length;
