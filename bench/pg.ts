import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { databaseUrl } from '../test/server/pg.ts';
import { startCluster } from '../test/server/pg-cluster.ts';

/**
 * A throwaway PostgreSQL cluster (fsync on) with an empty `bench` database and a work folder, both
 * removed after `body` whatever happens.
 */
export async function withBenchDatabase(name: string, settings: Record<string, string>, body: (url: string, work: string) => Promise<void>): Promise<void> {
  const cluster = startCluster({ settings });
  const work = mkdtempSync(join(tmpdir(), `diemthu-bench-${name}-`));
  try {
    const admin = new pg.Client({ host: cluster.socketDir, user: cluster.user, database: 'postgres' });
    await admin.connect();
    await admin.query('CREATE DATABASE bench');
    await admin.end();
    await body(databaseUrl(cluster.socketDir, cluster.user, 'bench'), work);
  } finally {
    cluster.stop();
    rmSync(work, { recursive: true, force: true });
  }
}
