import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { SyncClient } from '../../protocol/client.ts';
import { PROTOCOL_VERSION, type Ack } from '../../protocol/sync.ts';
import { openDb } from '../../server/db/connect.ts';
import { serverMigrations } from '../../server/db/migrate.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { testDatabase } from './pg.ts';
import { payEvent, payment } from './helpers.ts';
import { serve, serverCli } from './cli-process.ts';

const url = await testDatabase();
const db = openDb(url);
test.after(() => db.destroy());

test('the command: exit 0 done, 2 refused with a coded Vietnamese sentence, --json documents', async () => {
  const noDb = await serverCli(['migrate'], { DATABASE_URL: '' });
  assert.deepEqual([noDb.code, noDb.stderr.split(']')[0]], [2, '[SERVER_DATABASE_REQUIRED']);
  const early = await serverCli(['serve', '--listen', '127.0.0.1:0', '--tls-dir', tempDir(), '--database', url, '--json']);
  assert.equal(early.code, 2);
  assert.equal((JSON.parse(early.stdout) as { error: { code: string } }).error.code, 'SERVER_DB_NOT_MIGRATED');
  const migrated = await serverCli(['migrate', '--json'], { DATABASE_URL: url });
  assert.deepEqual([migrated.code, JSON.parse(migrated.stdout)], [0, { ok: true, value: { applied: serverMigrations.map((m) => m.version), version: serverMigrations.length } }]);
  const added = await serverCli(['point', 'add', '--point', 'pt01', '--unit', 'PC12AA', '--office', 'PGD 1', '--json', '--database', url]);
  assert.equal(added.code, 0);
  const value = (JSON.parse(added.stdout) as { value: { code: string; token: string } }).value;
  assert.equal(value.code, 'PT01');
  assert.match(value.token, /^dt1_[A-Za-z0-9_-]{43}$/);
  const stored = await sql<{ token_sha256: string }>`SELECT token_sha256 FROM points`.execute(db);
  assert.notEqual(stored.rows[0]!.token_sha256, value.token, 'only the hash is stored');
  const again = await serverCli(['point', 'add', '--point', 'PT01', '--unit', 'PC12AA', '--database', url]);
  assert.deepEqual([again.code, again.stderr.split(']')[0]], [2, '[POINT_EXISTS']);
  const badListen = await serverCli(['serve', '--listen', 'nowhere', '--database', url]);
  assert.deepEqual([badListen.code, badListen.stderr.split(']')[0]], [2, '[CLI_BAD_ARGS']);
  const none = await serverCli(['conflicts', '--database', url]);
  assert.deepEqual([none.code, none.stdout.trim()], [0, 'Không có hóa đơn trùng thu.']);
});

test('the server killed (SIGKILL) and restarted in the middle of pushes, acknowledgements lost: every payment exactly once', async () => {
  const added = await serverCli(['point', 'add', '--point', 'PT02', '--unit', 'PC12AA', '--json', '--database', url]);
  const token = (JSON.parse(added.stdout) as { value: { token: string } }).value.token;
  const tlsDir = tempDir();
  const events = Array.from({ length: 2000 }, (_, i) => payEvent(i + 1, payment({ point: 'PT02', seq: i + 1, bills: [`K${i}`, `L${i}`], fee: i % 10 === 0 ? 30_000 : undefined })));
  const chunks = Array.from({ length: 8 }, (_, i) => events.slice(i * 250, i * 250 + 250));
  const seen = new Map<number, Ack['status'][]>();
  let server = await serve(url, tlsDir);
  const firstPin = server.fingerprint;
  let kills = 0;
  let failedPushes = 0;
  let lostAcks = 0;
  for (let next = 0, round = 0; next < chunks.length; round++) {
    assert.ok(round < 60, 'the pushes converge');
    const client = new SyncClient({ url: server.url, token, pin: server.fingerprint, timeoutMs: 20_000 });
    const pushing = client.push({ protocol: PROTOCOL_VERSION, pointCode: 'PT02', events: chunks[next]! });
    const kill = round % 3 === 1 && kills < 3;
    if (kill) {
      // Mid-push: the request is on its way or inside its transaction.
      await new Promise((r) => setTimeout(r, 5 + ((round * 37) % 120)));
      server.child.kill('SIGKILL');
      kills += 1;
    }
    try {
      const answer = await pushing;
      if (round % 4 === 2) {
        lostAcks += 1; // the answer never reaches the point: it pushes the same chunk again
      } else {
        for (const a of answer.acks) seen.set(a.seq, [...(seen.get(a.seq) ?? []), a.status]);
        next += 1;
      }
    } catch {
      failedPushes += 1;
    } finally {
      client.close();
    }
    if (!kill) continue;
    await server.exited;
    server = await serve(url, tlsDir);
    assert.equal(server.fingerprint, firstPin, 'the certificate made at first start is kept: the pin stays valid');
  }
  assert.ok(kills === 3 && failedPushes >= 1 && lostAcks >= 1, `kills ${kills}, failed pushes ${failedPushes}, lost acks ${lostAcks}`);
  assert.equal(seen.size, 2000);
  assert.ok([...seen.values()].every((s) => s.length === 1 && (s[0] === 'accepted' || s[0] === 'duplicate')));
  const counts = await sql<{ payments: number; lines: number; distinct_bills: number; refused: number; conflicts: number }>`
    SELECT (SELECT count(*)::int FROM payments WHERE point_code = 'PT02') AS payments,
           (SELECT count(*)::int FROM payment_lines WHERE receipt_no LIKE 'PT02-%') AS lines,
           (SELECT count(DISTINCT id_hdon)::int FROM payment_lines WHERE receipt_no LIKE 'PT02-%' AND live) AS distinct_bills,
           (SELECT count(*)::int FROM refused_bodies) AS refused,
           (SELECT count(*)::int FROM conflicts) AS conflicts`.execute(db);
  assert.deepEqual(counts.rows[0], { payments: 2000, lines: 4200, distinct_bills: 4000, refused: 0, conflicts: 0 });
  const last = await sql<{ last_seq: number }>`SELECT last_seq FROM points WHERE code = 'PT02'`.execute(db);
  assert.equal(last.rows[0]!.last_seq, 2000);

  server.child.kill('SIGTERM');
  assert.equal(await server.exited, 0, 'SIGTERM stops serve cleanly');
});
