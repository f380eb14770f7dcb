import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { openContext } from '../../electron/store/context.ts';
import { fold } from '../../electron/core/fold.ts';
import { searchCustomers } from '../../electron/customers/find.ts';
import { seedSnapshot } from '../helpers/seed.ts';
import { tempDir } from '../helpers/temp-dir.ts';

// Syllables with every kind of mark, đ/Đ, and Ê Đê spellings with apostrophes and breves.
const SYLLABLES = ['Nguyễn', 'Trần', 'Thị', 'Đào', 'Đạo', 'Dao', 'Ưng', 'Ngọc', 'Hường', 'Quỳnh', "H'Hen", 'Niê', 'Êban', 'Byă', 'Ayŭn', 'Ksơr', "M'Đrắk", 'Buôn', 'Đắk', 'Lắk', 'Y', 'Văn', 'Đức', 'Phượng'];
const word = fc.constantFrom(...SYLLABLES);
const text = fc.array(word, { minLength: 1, maxLength: 4 }).map((ws) => ws.join(' '));

/** How a cashier might type one word: folded or not, any case, cut short. */
const typedWord = (w: string) =>
  fc.record({ folded: fc.boolean(), upper: fc.boolean(), cut: fc.nat() }).map(({ folded, upper, cut }) => {
    const chars = [...(folded ? fold(w) : w.toLowerCase())];
    const kept = chars.slice(0, 1 + (cut % chars.length)).join('');
    return upper ? kept.toUpperCase() : kept;
  });

/** A customer and a query made of typed prefixes of every word of its name or of its address. */
const customerAndQuery = fc.tuple(text, text, fc.boolean()).chain(([name, address, byName]) =>
  fc.tuple(fc.constant(name), fc.constant(address), fc.tuple(...(byName ? name : address).split(' ').map(typedWord)).map((ws) => ws.join(' '))),
);

test('any word-prefix query of a name or address, with or without marks, finds the customer', () => {
  const ctx = openContext(tempDir());
  let n = 0;
  fc.assert(
    fc.property(customerAndQuery, ([name, address, query]) => {
      n += 1;
      const maKhang = `PC12AA${String(n).padStart(7, '0')}`;
      // Each run is its own snapshot: the customer is the only current one, so it must be the only hit.
      seedSnapshot(ctx, [{ maKhang, tenKhang: name, dchiKhang: address }]);
      assert.deepEqual(searchCustomers(ctx, query).map((h) => h.maKhang), [maKhang], `query "${query}" for "${name}" / "${address}"`);
    }),
    { numRuns: 150, seed: 20261127 },
  );
  ctx.close();
});
