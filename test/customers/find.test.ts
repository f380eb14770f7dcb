import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openContext, type Ctx } from '../../electron/store/context.ts';
import { sequentialIds, steppingClock } from '../../electron/core/clock.ts';
import { customerDetail, lookupCode, searchCustomers, SEARCH_CANDIDATES } from '../../electron/customers/find.ts';
import { currentSnapshotId } from '../../electron/customers/bills.ts';
import { splitWords } from '../../electron/core/search-query.ts';
import { setSettings } from '../../electron/store/settings.ts';
import { quoteCustomer } from '../../electron/payments/quote.ts';
import { wordDensities } from '../../electron/customers/word-density.ts';
import { seedPayment, seedSnapshot, type SeedCustomer } from '../helpers/seed.ts';
import { tempDir } from '../helpers/temp-dir.ts';

const BMT = 'TP. Buôn Ma Thuột, Đắk Lắk';

/** Same names, same names with other diacritics, Ê Đê names, cut customers, a card number, no-debt rows. */
const people: SeedCustomer[] = [
  {
    maKhang: 'PC12AA0000001', tenKhang: 'Nguyễn Thị Đào', dchiKhang: `12 Lê Duẩn, P. Tân Lợi, ${BMT}`,
    maSogcs: 'AA01', stt: '15', soCto: '10234567',
    bills: [
      { idHdon: 'H-1-11', thang: 11, nam: 2026, soTien: 200_000, tienGtgt: 16_000 },
      { idHdon: 'H-1-10', thang: 10, nam: 2026, soTien: 100_000, tienGtgt: 8_000 },
    ],
  },
  {
    maKhang: 'PC12AA0000002', tenKhang: 'Nguyễn Thị Đào', dchiKhang: `45 Phan Bội Châu, P. Thành Công, ${BMT}`,
    maSogcs: 'AA07', stt: '3', soCto: '10999888',
    bills: [{ idHdon: 'H-2-11', thang: 11, nam: 2026, soTien: 50_000, tienGtgt: 4_000 }],
  },
  { maKhang: 'PC12AA0000003', tenKhang: 'Nguyễn Thị Dao', dchiKhang: `Thôn 3, xã Hòa Thắng, ${BMT}` },
  { maKhang: 'PC12AA0000004', tenKhang: 'Nguyễn Thị Đạo', dchiKhang: `Thôn 5, xã Hòa Thuận, ${BMT}` },
  {
    maKhang: 'PC12AA0000005', tenKhang: "H'Hen Niê", dchiKhang: 'Buôn Ako Dhông, P. Tân Lợi, TP. Buôn Ma Thuột',
    maThe: '8400123456', tthaiCat: true,
    bills: [{ idHdon: 'H-5-09', thang: 9, nam: 2026, soTien: 300_000, tienGtgt: 24_000 }],
  },
  {
    maKhang: 'PC12AA0000006', tenKhang: 'Y Bhin Êban', dchiKhang: 'Buôn Kô Sier, xã Ea Tu, TP. Buôn Ma Thuột',
    tthaiCat: true,
    bills: [
      { idHdon: 'H-6-10', thang: 10, nam: 2026, soTien: 90_000, tienGtgt: 7_200 },
      { idHdon: 'H-6-DC', loaiHdon: 'DC', thang: 11, nam: 2026, soTien: 150_000, tienGtgt: 12_000 },
    ],
  },
  { maKhang: 'PC12AA0000007', tenKhang: 'Trần Văn Đức', dchiKhang: 'Thôn Đồng Tâm, xã Ea Kao, TP. Buôn Ma Thuột' },
  { maKhang: 'PC12AB0000008', tenKhang: 'Lê Văn Nam', dchiKhang: 'Thị trấn Buôn Trấp, huyện Krông Ana' },
];

function fresh(customers: SeedCustomer[] = people): { ctx: Ctx; ids: Map<string, number>; billIds: Map<string, number> } {
  const ctx = openContext(tempDir(), { clock: steppingClock(new Date('2026-11-27T01:00:00Z')), newId: sequentialIds() });
  const { ids, billIds } = seedSnapshot(ctx, customers);
  return { ctx, ids, billIds };
}

const codes = (hits: { maKhang: string }[]) => hits.map((h) => h.maKhang);

test('lookupCode finds MA_KHANG trimmed and upper-cased, and MA_THE; unknown or empty is null', () => {
  const { ctx, ids } = fresh();
  assert.equal(lookupCode(ctx, '  pc12aa0000001\n')?.id, ids.get('PC12AA0000001'));
  assert.equal(lookupCode(ctx, 'PC12AA 0000007')?.id, ids.get('PC12AA0000007'));
  assert.equal(lookupCode(ctx, ' 8400123456 ')?.maKhang, 'PC12AA0000005');
  assert.equal(lookupCode(ctx, 'PC12AA0000009'), null);
  assert.equal(lookupCode(ctx, 'PC12AA000000'), null, 'a prefix is not an exact code');
  assert.equal(lookupCode(ctx, '   '), null);
  ctx.close();
});

test('customerDetail lists outstanding bills oldest first with count and total', () => {
  const { ctx, ids } = fresh();
  const d = customerDetail(ctx, ids.get('PC12AA0000001')!);
  assert.deepEqual(d.bills.map((b) => b.id_hdon), ['H-1-10', 'H-1-11']);
  assert.equal(d.outstandingCount, 2);
  assert.equal(d.outstandingTotal, 108_000 + 216_000);
  assert.equal(d.inCurrentSnapshot, true);
  assert.equal(d.tthaiCat, false);
  assert.equal(d.maDviqly, 'PC12AA');
  assert.equal(d.soCto, '10234567');
  ctx.close();
});

test('reconnection fee: the setting for a cut customer, none when the snapshot has a DC bill', () => {
  const { ctx, ids } = fresh();
  setSettings(ctx.sqlite, { reconnection_fee: 165_000 }, null, new Date('2026-11-27T01:00:00Z'));
  const fee = (maKhang: string) => {
    const quoted = quoteCustomer(ctx.sqlite, customerDetail(ctx, ids.get(maKhang)!));
    return quoted.ok ? [quoted.fee, quoted.total] : quoted.problem.code;
  };
  assert.deepEqual(fee('PC12AA0000005'), [165_000, 324_000 + 165_000]);
  assert.deepEqual(customerDetail(ctx, ids.get('PC12AA0000006')!).bills.map((b) => b.loai_hdon), ['TD', 'DC']);
  assert.deepEqual(fee('PC12AA0000006'), [0, 97_200 + 162_000]);
  assert.deepEqual(fee('PC12AA0000001'), [0, 324_000]);
  assert.equal(fee('PC12AA0000007'), 'NOTHING_TO_COLLECT');
  ctx.close();
});

test('customerDetail of an unknown id is a CUSTOMER_NOT_FOUND refusal', () => {
  const { ctx } = fresh();
  assert.throws(() => customerDetail(ctx, 999_999), { name: 'AppError', code: 'CUSTOMER_NOT_FOUND' });
  ctx.close();
});

test('search ignores diacritics and case, đ/Đ included, in name and address', () => {
  const { ctx } = fresh();
  assert.deepEqual(codes(searchCustomers(ctx, 'dao')).sort(), ['PC12AA0000001', 'PC12AA0000002', 'PC12AA0000003', 'PC12AA0000004']);
  assert.deepEqual(codes(searchCustomers(ctx, 'DUC')), ['PC12AA0000007']);
  assert.deepEqual(codes(searchCustomers(ctx, 'dong tam')), ['PC12AA0000007']);
  assert.deepEqual(codes(searchCustomers(ctx, 'ĐỒNG TÂM')), ['PC12AA0000007']);
  assert.deepEqual(codes(searchCustomers(ctx, 'krong ana')), ['PC12AB0000008']);
  ctx.close();
});

test('every query word is a word prefix, in name or address', () => {
  const { ctx } = fresh();
  const all4 = ['PC12AA0000001', 'PC12AA0000002', 'PC12AA0000003', 'PC12AA0000004'];
  assert.deepEqual(codes(searchCustomers(ctx, 'nguyen thi da')).sort(), all4);
  assert.deepEqual(codes(searchCustomers(ctx, 'ng th d')).sort(), all4);
  assert.deepEqual(codes(searchCustomers(ctx, 'dao le duan')), ['PC12AA0000001'], 'name word + address words');
  assert.deepEqual(codes(searchCustomers(ctx, 'guyen')), [], 'a word inside a word is not a prefix');
  assert.deepEqual(codes(searchCustomers(ctx, 'nguyen thi dao xyz')), []);
  ctx.close();
});

test('Ê Đê names: apostrophes split words as the index does', () => {
  const { ctx } = fresh();
  assert.deepEqual(codes(searchCustomers(ctx, "h'hen")), ['PC12AA0000005']);
  assert.deepEqual(codes(searchCustomers(ctx, 'hen nie')), ['PC12AA0000005']);
  assert.deepEqual(codes(searchCustomers(ctx, 'y bhin eban')), ['PC12AA0000006']);
  ctx.close();
});

test('results whose diacritics match the query rank first', () => {
  const { ctx } = fresh();
  const first = (q: string, n: number) => codes(searchCustomers(ctx, q)).slice(0, n).sort();
  assert.deepEqual(first('Đào', 2), ['PC12AA0000001', 'PC12AA0000002']);
  assert.deepEqual(first('nguyễn thị đào', 2), ['PC12AA0000001', 'PC12AA0000002']);
  assert.deepEqual(first('Dao', 1), ['PC12AA0000003']);
  assert.deepEqual(first('đạo', 1), ['PC12AA0000004']);
  assert.equal(searchCustomers(ctx, 'Đào').length, 4, 'the others still follow');
  ctx.close();
});

test('hits carry what tells same-named customers apart', () => {
  const { ctx } = fresh();
  const [a, b] = searchCustomers(ctx, 'Nguyễn Thị Đào');
  assert.ok(a !== undefined && b !== undefined);
  const byCode = new Map([a, b].map((h) => [h.maKhang, h]));
  assert.deepEqual(byCode.get('PC12AA0000001'), {
    id: byCode.get('PC12AA0000001')!.id, maKhang: 'PC12AA0000001', tenKhang: 'Nguyễn Thị Đào',
    dchiKhang: `12 Lê Duẩn, P. Tân Lợi, ${BMT}`, maSogcs: 'AA01', stt: '15', soCto: '10234567', tthaiCat: false,
    inCurrentSnapshot: true, outstandingCount: 2, outstandingTotal: 324_000, total: 324_000,
  });
  assert.equal(byCode.get('PC12AA0000002')?.soCto, '10999888');
  assert.equal(byCode.get('PC12AA0000002')?.outstandingTotal, 54_000);
  ctx.close();
});

test('outstanding count and total leave out bills in a valid payment, not in a voided one', () => {
  const { ctx, ids, billIds } = fresh();
  const id = ids.get('PC12AA0000001')!;
  const hit = () => searchCustomers(ctx, 'PC12AA0000001')[0];
  seedPayment(ctx, id, [billIds.get('H-1-10')!], { voided: true });
  assert.deepEqual([hit()?.outstandingCount, hit()?.outstandingTotal], [2, 324_000]);
  seedPayment(ctx, id, [billIds.get('H-1-10')!]);
  assert.deepEqual([hit()?.outstandingCount, hit()?.outstandingTotal], [1, 216_000]);
  assert.deepEqual(customerDetail(ctx, id).bills.map((b) => b.id_hdon), ['H-1-11']);
  seedPayment(ctx, id, [billIds.get('H-1-11')!]);
  assert.deepEqual([hit()?.outstandingCount, hit()?.outstandingTotal], [0, 0]);
  ctx.close();
});

test('a code-like query finds the exact code first, then code prefixes, and MA_THE', () => {
  const { ctx } = fresh();
  assert.deepEqual(codes(searchCustomers(ctx, ' pc12aa0000004 ')), ['PC12AA0000004']);
  assert.deepEqual(codes(searchCustomers(ctx, 'PC12AA000000')), ['PC12AA0000001', 'PC12AA0000002', 'PC12AA0000003', 'PC12AA0000004', 'PC12AA0000005', 'PC12AA0000006', 'PC12AA0000007']);
  assert.deepEqual(codes(searchCustomers(ctx, '8400123456')), ['PC12AA0000005']);
  assert.deepEqual(codes(searchCustomers(ctx, '840012')), ['PC12AA0000005'], 'card number prefix');
  assert.deepEqual(codes(searchCustomers(ctx, 'PC12A')), [], 'under 6 characters is not tried as a code');
  ctx.close();
});

test('at most 50 results; a smaller limit is honoured', () => {
  const many: SeedCustomer[] = Array.from({ length: 120 }, (_, i) => ({
    maKhang: `PC12AC${String(i).padStart(7, '0')}`, tenKhang: 'Nguyễn Văn An', dchiKhang: `Thôn ${i}, xã Ea Kao`,
  }));
  const { ctx } = fresh(many);
  assert.equal(searchCustomers(ctx, 'nguyen van an').length, 50);
  assert.equal(searchCustomers(ctx, 'nguyen', 500).length, 50);
  assert.equal(searchCustomers(ctx, 'PC12AC', 500).length, 50);
  assert.equal(searchCustomers(ctx, 'an', 7).length, 7);
  assert.deepEqual(searchCustomers(ctx, '   '), []);
  assert.deepEqual(searchCustomers(ctx, '-- ,'), []);
  ctx.close();
});

test('a broad query ranks only a bounded set of index matches', () => {
  const broad: SeedCustomer[] = Array.from({ length: SEARCH_CANDIDATES + 100 }, (_, i) => ({
    maKhang: `PC12AD${String(i).padStart(7, '0')}`, tenKhang: 'Nguyen Van Binh', dchiKhang: 'Xã Ea Tu',
  }));
  // Listed last (highest rowid), so beyond the candidate window: it cannot be ranked first.
  broad.push({ maKhang: 'PC12AD9999999', tenKhang: 'Nguyễn Văn Bình', dchiKhang: 'Xã Hòa Phú' });
  const { ctx, ids } = fresh(broad);
  const hits = searchCustomers(ctx, 'Nguyễn');
  assert.equal(hits.length, 50);
  const windowEnd = ids.get(`PC12AD${String(SEARCH_CANDIDATES - 1).padStart(7, '0')}`)!;
  assert.ok(hits.every((h) => h.id <= windowEnd));
  // A narrower query reaches it and ranks it first.
  assert.deepEqual(codes(searchCustomers(ctx, 'Nguyễn hoa phu')), ['PC12AD9999999']);
  ctx.close();
});

test('customers of the current snapshot only, unless none of them matches', () => {
  const { ctx, ids } = fresh();
  // The next morning's snapshot drops Trần Văn Đức and one of the two Nguyễn Thị Đào.
  seedSnapshot(ctx, people.filter((p) => p.maKhang !== 'PC12AA0000007' && p.maKhang !== 'PC12AA0000002'), '2026-11-28T00:30:00.000Z');
  assert.deepEqual(codes(searchCustomers(ctx, 'nguyen thi dao')).sort(), ['PC12AA0000001', 'PC12AA0000003', 'PC12AA0000004']);
  const old = searchCustomers(ctx, 'tran van duc');
  assert.deepEqual(codes(old), ['PC12AA0000007']);
  assert.equal(old[0]?.inCurrentSnapshot, false);
  assert.equal(old[0]?.outstandingCount, 0);
  assert.equal(lookupCode(ctx, 'PC12AA0000007')?.inCurrentSnapshot, false);
  assert.equal(customerDetail(ctx, ids.get('PC12AA0000001')!).inCurrentSnapshot, true);
  ctx.close();
});

test('a common word checked on the rows found for the rarer ones finds what the index would', () => {
  // "h" begins a word of every customer (Hòa Phú); "ksor" is in 700, mostly without a second h-word
  // in the name: the search reads the Ksor rows and checks "h" on them.
  const customers: SeedCustomer[] = Array.from({ length: 1400 }, (_, i) => ({
    maKhang: `PC12AE${String(i).padStart(7, '0')}`,
    tenKhang: i % 2 === 0 ? `Y Bhin Ksor ${i}` : `Nguyễn Văn Bình ${i}`,
    dchiKhang: i % 7 === 0 ? 'Thôn 3, xã Ea Tu' : 'Xã Hòa Phú',
  }));
  const { ctx } = fresh(customers);
  const rate = wordDensities(ctx.sqlite, currentSnapshotId(ctx.sqlite));
  assert.deepEqual(splitWords(['ksor', 'h'], rate.density, rate.customers).checked, ['h']);
  const expected = customers.filter((c, i) => i % 2 === 0 && i % 7 !== 0).map((c) => c.maKhang).slice(0, SEARCH_CANDIDATES);
  const hits = searchCustomers(ctx, 'ksor h');
  assert.equal(hits.length, 50);
  assert.ok(hits.every((h) => expected.includes(h.maKhang)), 'only customers with both words, among the first candidates');
  ctx.close();
});

test('when few rows pass the checked word, the index takes every word again where the reading stopped', () => {
  // 800 Ksor without any h-word, then 3 with one: past the rows read before the index takes over.
  const customers: SeedCustomer[] = [
    ...Array.from({ length: 800 }, (_, i) => ({ maKhang: `PC12AF${String(i).padStart(7, '0')}`, tenKhang: `Y Ksor ${i}`, dchiKhang: 'Thôn 3, xã Ea Tu' })),
    ...Array.from({ length: 1000 }, (_, i) => ({ maKhang: `PC12AG${String(i).padStart(7, '0')}`, tenKhang: `Nguyễn Văn ${i}`, dchiKhang: 'Xã Hòa Phú' })),
    ...['PC12AH0000001', 'PC12AH0000002', 'PC12AH0000003'].map((maKhang) => ({ maKhang, tenKhang: 'H Ksor', dchiKhang: 'Buôn Ako' })),
  ];
  const { ctx } = fresh(customers);
  const rate = wordDensities(ctx.sqlite, currentSnapshotId(ctx.sqlite));
  assert.deepEqual(splitWords(['ksor', 'h'], rate.density, rate.customers).checked, ['h']);
  assert.deepEqual(codes(searchCustomers(ctx, 'ksor h')), ['PC12AH0000001', 'PC12AH0000002', 'PC12AH0000003']);
  ctx.close();
});

test('[#4] a card number finds the current snapshot\'s card holder, never an older customer whose code it was', () => {
  const ctx = openContext(tempDir(), { clock: steppingClock(new Date('2026-11-27T01:00:00Z')), newId: sequentialIds() });
  seedSnapshot(ctx, [{ maKhang: 'PC12AA0000009', tenKhang: 'Khách cũ', dchiKhang: 'Thôn 1' }], '2026-11-26T00:30:00.000Z');
  const { ids } = seedSnapshot(ctx, [{ maKhang: 'PC12AA0000010', tenKhang: 'Người giữ thẻ', dchiKhang: 'Thôn 2', maThe: 'PC12AA0000009' }]);
  assert.equal(lookupCode(ctx, 'PC12AA0000009')?.id, ids.get('PC12AA0000010'));
  assert.deepEqual(codes(searchCustomers(ctx, 'PC12AA0000009')), ['PC12AA0000010']);
  ctx.close();
});

test('[#22] zero-width and full-width characters pasted into a code or a query still find the customer', () => {
  const { ctx, ids } = fresh();
  const first = ids.get('PC12AA0000001');
  for (const typed of ['PC12AA\u200B0000001', 'ＰＣ１２ＡＡ００００００１', '\uFEFFpc12aa0000001\u2060', 'PC12AA\u00AD0000001', 'PC12AA\u200D0000001\u200C']) {
    assert.equal(lookupCode(ctx, typed)?.id, first, JSON.stringify(typed));
    assert.deepEqual(codes(searchCustomers(ctx, typed)), ['PC12AA0000001'], JSON.stringify(typed));
  }
  assert.equal(lookupCode(ctx, '8400\u200B123456')?.maKhang, 'PC12AA0000005', 'a card number too');
  const dao = ['PC12AA0000001', 'PC12AA0000002', 'PC12AA0000003', 'PC12AA0000004'];
  for (const query of ['Nguy\u200Bễn Thị Đào', 'ＮＧＵＹＥＮ ｔｈｉ dao', 'ngu\u00ADyen thi\u2060 dao', 'Nguy\uFEFFen']) {
    assert.deepEqual(codes(searchCustomers(ctx, query)).sort(), dao, JSON.stringify(query));
  }
  ctx.close();
});
