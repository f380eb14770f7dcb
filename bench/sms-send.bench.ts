// Messages per second through the server's sender (`sms send`: claim under a lease, send, record) to
// a local fake gateway on loopback (in this process: it shares the event loop with the sender), on a
// PostgreSQL cluster with fsync on. The queue is filled by `sms ingest` of one THONGBAO file.
import { openDb } from '../server/db/connect.ts';
import { migrate } from '../server/db/migrate.ts';
import { ingestMessages } from '../server/sms/ingest.ts';
import { httpGateway, parseGatewayProfile } from '../server/sms/gateway.ts';
import { pollReports, sendDue } from '../server/sms/sender.ts';
import { startFakeGateway } from '../test/server/fake-gateway.ts';
import { noticeFile } from '../test/server/sms-files.ts';
import { withBenchDatabase } from './pg.ts';

const MESSAGES = 20_000;

export async function run(): Promise<void> {
  await withBenchDatabase('sms', { max_connections: '50' }, async (url, work) => {
    const db = openDb(url);
    await migrate(db);
    const file = noticeFile(work, MESSAGES);
    let t = performance.now();
    const ingested = await ingestMessages(db, file);
    console.log(`sms ingest: ${ingested.queued} messages queued in ${((performance.now() - t) / 1000).toFixed(2)} s`);
    const gw = await startFakeGateway();
    const gateway = httpGateway(gw.url, parseGatewayProfile({ ratePerSecond: 10_000 }));
    t = performance.now();
    const cpu = process.cpuUsage();
    const sent = await sendDue(db, { gateway, owner: 'bench', clock: () => new Date('2026-11-27T08:00:00.000Z'), parallel: 16, batch: 500 });
    const seconds = (performance.now() - t) / 1000;
    const used = process.cpuUsage(cpu);
    t = performance.now();
    const reports = await pollReports(db, gateway);
    console.log(
      `sms send: ${sent.sent} messages to the fake gateway in ${seconds.toFixed(2)} s = ${(sent.sent / seconds).toFixed(0)} messages/s ` +
        `(this process's CPU, sender and fake gateway: ${((used.user + used.system) / 1e6).toFixed(1)} s; 16 in flight, rate limit off; gateway: ${gw.accepted.size} accepted, ${gw.duplicates} repeats); ${reports.delivered} delivery reports recorded in ${((performance.now() - t) / 1000).toFixed(2)} s`,
    );
    await gw.close();
    await db.destroy();
  });
}
