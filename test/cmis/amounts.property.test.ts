import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { readSnapshot, type SnapshotRow } from '../../electron/cmis/read-snapshot.ts';
import { formatAmount } from '../../electron/core/money.ts';
import { tempDir } from '../helpers/temp-dir.ts';

const HEADER = 'MA_DVIQLY;MA_KHANG;TEN_KHANG;DCHI_KHANG;ID_HDON;KY;THANG;NAM;SO_TIEN;TIEN_GTGT;TONG_TIEN';
const dir = tempDir();

function readLine(fields: string[]): SnapshotRow {
  const path = join(dir, 'p.csv');
  writeFileSync(path, `${HEADER}\n${fields.join(';')}\n`);
  const rows: SnapshotRow[] = [];
  readSnapshot(path, { encoding: 'utf8' }, (r) => rows.push(r));
  assert.equal(rows.length, 1);
  return rows[0] as SnapshotRow;
}

/** An amount as CMIS may write it: plain digits, or grouped by "." "," or " ". */
const written = (n: number, style: number) => (style === 0 ? String(n) : formatAmount(n).replace(/\./g, ['.', ',', ' '][style - 1] ?? '.'));
const base = ['PC12AA', 'PC12AA0000001', 'Lê Văn A', 'Thôn 1', '1', '1', '11', '2026'];

test('whole amounts in any separator style are read exactly, and TONG_TIEN must be their sum', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 10_000_000_000 }), fc.integer({ min: 0, max: 1_000_000_000 }), fc.integer({ min: 0, max: 3 }), fc.integer({ min: -2, max: 2 }), (soTien, vat, style, off) => {
      const row = readLine([...base, written(soTien, style), written(vat, style), written(soTien + vat + off, style)]);
      if (off === 0) {
        assert.ok(row.ok);
        assert.deepEqual([row.bill?.so_tien, row.bill?.tien_gtgt, row.bill?.tong_tien], [soTien, vat, soTien + vat]);
      } else {
        assert.ok(!row.ok);
        assert.deepEqual(row.problems.map((p) => p.column), ['TONG_TIEN']);
      }
    }),
    { numRuns: 200 },
  );
});

test('fractions, signs and broken groupings are refused as SO_TIEN', () => {
  const broken = fc.oneof(
    fc.tuple(fc.integer({ min: 0, max: 999 }), fc.integer({ min: 1, max: 99 })).map(([a, b]) => `${a},${b}`),
    fc.integer({ min: 1, max: 999_999 }).map((n) => `-${n}`),
    fc.tuple(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 })).map(([a, b, c]) => `${a}.${b}.${c}`),
    fc.stringMatching(/^[a-z]{1,6}$/),
  );
  fc.assert(
    fc.property(broken, (text) => {
      const row = readLine([...base, text, '0', '100']);
      assert.ok(!row.ok);
      assert.ok(row.problems.some((p) => p.column === 'SO_TIEN' && p.value === text), text);
    }),
    { numRuns: 200 },
  );
});
