/**
 * Receipt counters against the receipt numbers the journal issued: each counter stands at the last
 * number issued (or carried over by a forced restore), and the numbers run from 1 without a gap or a
 * repeat. A payment deleted with its counter set back shows here even when its journal row is gone too.
 */
import type { Sqlite } from '../store/open.ts';
import { query, selectAll } from '../store/typed-query.ts';
import { counterKey, type MoneyLedger } from './ledger.ts';
import type { Problems } from './problems.ts';

export function reconcileCounters(sqlite: Sqlite, ledger: MoneyLedger, problems: Problems): void {
  const table = new Map(
    selectAll(sqlite, query.selectFrom('receipt_counters').select(['point_code', 'year', 'last_seq'])).map(
      (c) => [counterKey(c.point_code, c.year), c.last_seq],
    ),
  );
  const keys = new Set([...table.keys(), ...ledger.receiptSeqs.keys(), ...ledger.carried.counters.keys()]);
  for (const key of [...keys].sort()) {
    const [pointCode, year] = key.split('|');
    const what = `Bộ đếm biên nhận ${pointCode} năm ${year}`;
    const issued = new Set<number>();
    const carried = ledger.carried.counters.get(key) ?? [];
    let last = carried.reduce((max, c) => Math.max(max, c.to), 0);
    for (const seq of ledger.receiptSeqs.get(key) ?? []) {
      if (issued.has(seq)) problems.add('RECEIPT_NUMBER_REUSED', `${what}: số ${seq} được cấp hai lần theo nhật ký.`);
      issued.add(seq);
      last = Math.max(last, seq);
    }
    const stored = table.get(key) ?? 0;
    if (stored !== last) problems.add('RECEIPT_COUNTER_MISMATCH', `${what} đang ở số ${stored}, nhật ký đã cấp đến số ${last}.`);
    const gaps: number[] = [];
    for (let seq = 1; seq <= last; seq++) {
      if (!issued.has(seq) && !carried.some((c) => seq > c.from && seq <= c.to)) gaps.push(seq);
    }
    if (gaps.length > 0) {
      problems.add('RECEIPT_NUMBER_GAP', `${what}: thiếu ${gaps.length} số trong nhật ký (${gaps.slice(0, 10).join(', ')}${gaps.length > 10 ? ', …' : ''}).`);
    }
  }
}
