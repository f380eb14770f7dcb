import { after } from 'node:test';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { collectPayment, type CollectResult } from '../../electron/payments/collect.ts';
import { SyncClient } from '../../protocol/client.ts';
import { syncOnce, type SyncApi, type SyncReport } from '../../electron/sync/run.ts';
import { addPoint } from '../../server/points.ts';
import type { ServerDb } from '../../server/db/connect.ts';
import { collectWorld, type CollectWorld } from '../helpers/collect-fixture.ts';
import { seedSnapshot, type SeedCustomer } from '../helpers/seed.ts';
import { tempDir } from '../helpers/temp-dir.ts';

/** `n` customers PC12AA<7 digits from `from`>, one October bill each (ID_HDON `HD<same digits>`). */
export function customers(from: number, n: number): SeedCustomer[] {
  return Array.from({ length: n }, (_, i) => {
    const k = String(from + i).padStart(7, '0');
    return { maKhang: `PC12AA${k}`, tenKhang: `Khách hàng ${k}`, dchiKhang: `${k} Lê Lợi`, bills: [{ idHdon: `HD${k}`, thang: 10, nam: 2026, soTien: 100_000 + i, tienGtgt: 8_000 }] };
  });
}

export interface SyncPoint extends CollectWorld {
  code: string;
  token: string;
  tokenFile: string;
  /** Collects every outstanding bill of a customer: the n-th of the point's list (from 1), or a MA_KHANG. */
  pay(customer: number | string): CollectResult;
  /** A sync against `url` pinned to `pin` (the client closed afterwards). */
  sync(url: string, pin: string, api?: (client: SyncClient) => SyncApi): Promise<SyncReport>;
}

/** A real point (its own SQLite in a temp folder, cashier with an open shift, snapshot seeded) known to the server. */
export async function syncPoint(db: ServerDb, code: string, list: SeedCustomer[], office = 'PGD Phường 1', start = new Date('2026-11-27T02:00:00.000Z')): Promise<SyncPoint> {
  const world = collectWorld(start, code);
  after(() => world.ctx.close());
  seedSnapshot(world.ctx, list);
  const { token } = await addPoint(db, { point: code, unit: 'PC12AA', office });
  const tokenFile = join(tempDir(), 'token');
  writeFileSync(tokenFile, `${token}\n`, { mode: 0o600 });
  let keys = 0;
  return {
    ...world,
    code,
    token,
    tokenFile,
    pay: (customer) => collectPayment(world.ctx, { customer: typeof customer === 'number' ? list[customer - 1]!.maKhang : customer, cashierId: world.cashier.id, idempotencyKey: `${code}-${++keys}` }),
    async sync(url, pin, api = (c) => c) {
      const client = new SyncClient({ url, token, pin });
      try {
        return await syncOnce(world.ctx.sqlite, api(client), { clock: world.ctx.clock });
      } finally {
        client.close();
      }
    },
  };
}

type PushBody = Parameters<SyncClient['push']>[0];
/** The real client with its push replaced (an answer lost, a request lost, work done while it is on the network). */
export const withPush =
  (push: (c: SyncClient, body: PushBody) => ReturnType<SyncClient['push']>) =>
  (c: SyncClient): SyncApi => ({
    hello: c.hello.bind(c),
    pull: c.pull.bind(c),
    push: (body: PushBody) => push(c, body),
  });
