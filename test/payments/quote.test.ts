import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setSettings } from '../../electron/store/settings.ts';
import { CUT, seedSnapshot, type SeedCustomer } from '../helpers/seed.ts';
import { collectWorld } from '../helpers/collect-fixture.ts';
import { withHandlers, type IpcWorld } from '../helpers/ipc-world.ts';
import type { CustomerView, CustomerHitView, CollectView } from '../../electron/ipc/contract.ts';

async function loggedIn(customers: SeedCustomer[]): Promise<IpcWorld & { id: number }> {
  const w = withHandlers(collectWorld());
  const { ids } = seedSnapshot(w.ctx, customers);
  setSettings(w.ctx.sqlite, { reconnection_fee: 150_000 }, w.supervisor.id, w.ctx.clock());
  assert.equal((await w.call('login', { code: 'TN01', pin: '123456' })).ok, true);
  return Object.assign(w, { id: ids.get(customers[0]!.maKhang)! });
}

async function value<T>(w: IpcWorld, channel: string, payload: unknown): Promise<T> {
  const answer = await w.call(channel, payload);
  assert.equal(answer.ok, true, JSON.stringify(answer.error));
  return answer.value as T;
}

/** What the card and the search result ask, then what Enter charges. */
async function shownThenCharged(w: IpcWorld & { id: number }, key: string) {
  const card = await value<CustomerView>(w, 'customerDetail', { customerId: w.id });
  const hits = await value<CustomerHitView[]>(w, 'findCustomers', { query: CUT.maKhang });
  const hit = hits.find((h) => h.id === w.id)!;
  const paid = await value<CollectView>(w, 'collect', { customerId: w.id, billIds: card.bills.map((b) => b.idHdon), idempotencyKey: `key-${key}` });
  return { card, hit, paid };
}

test('a second payment in one cut-off episode: the card, the search result and the payment ask the same 54.000 ₫', async (t) => {
  const w = await loggedIn([CUT]);
  t.after(() => w.ctx.close());
  const first = await shownThenCharged(w, 'first');
  assert.deepEqual([first.card.reconnectionFee, first.card.total, first.paid.total], [150_000, 366_000, 366_000]);
  assert.equal(first.paid.reconnectionOrder, true);
  // Next morning CMIS still lists them cut off (not reconnected yet), with a new bill.
  seedSnapshot(w.ctx, [{ ...CUT, bills: [...CUT.bills!, { idHdon: 'C-12', thang: 12, nam: 2026, soTien: 50_000, tienGtgt: 4_000 }] }], '2026-11-28T00:30:00.000Z');
  const second = await shownThenCharged(w, 'second');
  assert.deepEqual([second.card.billsTotal, second.card.reconnectionFee, second.card.total], [54_000, 0, 54_000]);
  assert.equal(second.paid.total, 54_000);
  assert.equal(second.paid.reconnectionOrder, false);
  assert.deepEqual([first.hit.total, second.hit.total], [366_000, 54_000]);
});

test('a DC bill paid first is the fee: the card asks no settings fee when the energy bills come', async (t) => {
  const w = await loggedIn([{ ...CUT, bills: [...CUT.bills!, { idHdon: 'C-DC', loaiHdon: 'DC', thang: 11, nam: 2026, soTien: 200_000 }] }]);
  t.after(() => w.ctx.close());
  await value<CollectView>(w, 'collect', { customerId: w.id, billIds: ['C-DC'], idempotencyKey: 'key-dc-first' });
  const { card, hit, paid } = await shownThenCharged(w, 'energy');
  assert.deepEqual([card.reconnectionFee, card.total, paid.total], [0, 216_000, 216_000]);
  assert.equal(paid.reconnectionOrder, true);
  assert.equal(hit.total, 216_000);
});
