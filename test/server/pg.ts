import { after } from 'node:test';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { startCluster, type PgCluster } from './pg-cluster.ts';

/**
 * A PostgreSQL database of its own for each caller, dropped when the test file ends. The server is
 * the one `.ci/run` started (DIEMTHU_TEST_PG_SOCKET: the folder of its Unix socket); without it a
 * developer's `npm test` starts a throwaway cluster for this test file, and CI fails loudly: these
 * tests are never skipped and never run on a stand-in.
 */
let cluster: PgCluster | undefined;

function server(): { socketDir: string; user: string } {
  const socketDir = process.env.DIEMTHU_TEST_PG_SOCKET;
  if (socketDir !== undefined && socketDir !== '') return { socketDir, user: process.env.DIEMTHU_TEST_PG_USER ?? 'postgres' };
  if (process.env.CI === 'true') {
    throw new Error('CI=true but DIEMTHU_TEST_PG_SOCKET is not set: .ci/run must start the PostgreSQL cluster for the server tests.');
  }
  if (cluster === undefined) {
    cluster = startCluster({ settings: { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' } });
    const started = cluster;
    // At exit, after every test's own `after` hooks have dropped their databases; also when the
    // runner ends the process early (timeout, Ctrl-C), so no cluster outlives its test file.
    process.once('exit', () => started.stop());
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => {
        started.stop();
        process.exit(1);
      });
    }
  }
  return cluster;
}

export function databaseUrl(socketDir: string, user: string, name: string): string {
  return `postgresql://${encodeURIComponent(user)}@/${name}?host=${encodeURIComponent(socketDir)}`;
}

/** CREATE DATABASE for this test file; DROP (forcing out any connection left) when it ends. */
export async function testDatabase(): Promise<string> {
  const { socketDir, user } = server();
  const name = `diemthu_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ host: socketDir, user, database: 'postgres' });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  after(async () => {
    const drop = new pg.Client({ host: socketDir, user, database: 'postgres' });
    await drop.connect();
    try {
      await drop.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    } finally {
      await drop.end();
    }
  });
  return databaseUrl(socketDir, user, name);
}
