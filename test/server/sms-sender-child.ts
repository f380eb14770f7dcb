// A sender in a process of its own, for the kill test: `sms-sender-child.ts <database url> <gateway url> <ISO now>`.
import { openDb } from '../../server/db/connect.ts';
import { httpGateway, parseGatewayProfile } from '../../server/sms/gateway.ts';
import { sendDue } from '../../server/sms/sender.ts';

const [url, gatewayUrl, now] = process.argv.slice(2) as [string, string, string];
const db = openDb(url);
const gateway = httpGateway(gatewayUrl, parseGatewayProfile({ ratePerSecond: 200 }));
await sendDue(db, { gateway, owner: `child:${process.pid}`, clock: () => new Date(now), leaseMs: 60_000, batch: 50, parallel: 4 });
await db.destroy();
