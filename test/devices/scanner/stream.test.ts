import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { createScanStream, DEDUPE_MS, submitWedgeScan, type Scan, type ScanRejection } from '../../../electron/devices/scanner/stream.ts';

/** A clock the test moves by hand. */
function manualClock(startIso = '2026-11-27T01:00:00.000Z') {
  let t = Date.parse(startIso);
  return { clock: () => new Date(t), advance: (ms: number) => void (t += ms) };
}

describe('scan stream', () => {
  it('trims and upper-cases, and stamps source and time', () => {
    const { clock } = manualClock();
    const stream = createScanStream({ clock });
    const seen: Scan[] = [];
    stream.onScan((s) => seen.push(s));
    const outcome = stream.submit('  pc12aa0012345\r\n', 'serial');
    assert.deepEqual(outcome, { ok: true, scan: { code: 'PC12AA0012345', source: 'serial', at: '2026-11-27T01:00:00.000Z' } });
    assert.deepEqual(seen, [{ code: 'PC12AA0012345', source: 'serial', at: '2026-11-27T01:00:00.000Z' }]);
  });

  it('drops the same code within 2 s, from any source, but not after', () => {
    const { clock, advance } = manualClock();
    const stream = createScanStream({ clock });
    const codes: string[] = [];
    stream.onScan((s) => codes.push(`${s.source}:${s.code}`));
    assert.equal(stream.submit('PC12AA0012345', 'hid').ok, true);
    advance(1999);
    const repeat = stream.submit('pc12aa0012345', 'wedge');
    assert.equal(repeat.ok, false);
    assert.equal(!repeat.ok && repeat.rejection.reason, 'DUPLICATE');
    advance(1);
    assert.equal(stream.submit('PC12AA0012345', 'hid').ok, true);
    assert.deepEqual(codes, ['hid:PC12AA0012345', 'hid:PC12AA0012345']);
  });

  it('lets a different code through at once, and the first code again after it', () => {
    const { clock, advance } = manualClock();
    const stream = createScanStream({ clock });
    assert.equal(stream.submit('PC12AA0012345', 'wedge').ok, true);
    advance(100);
    assert.equal(stream.submit('PC12DD0000001', 'wedge').ok, true);
    advance(100);
    assert.equal(stream.submit('PC12AA0012345', 'wedge').ok, true);
  });

  it('rejects empty, over-long and garbage reads with a reason and a Vietnamese message', () => {
    const { clock } = manualClock();
    const stream = createScanStream({ clock });
    const rejections: ScanRejection[] = [];
    stream.onReject((r) => rejections.push(r));
    const cases: [unknown, string][] = [
      ['', 'EMPTY'], ['  \r\n', 'EMPTY'], [undefined, 'EMPTY'], [null, 'EMPTY'],
      ['A'.repeat(65), 'TOO_LONG'], ['PC12ÂA0012345', 'BAD_CHARACTERS'], ['PC12\u0000AA', 'BAD_CHARACTERS'],
      ['-PC12', 'BAD_CHARACTERS'], [{ code: 'PC12AA0012345' }, 'BAD_CHARACTERS'], [12345, 'BAD_CHARACTERS'],
    ];
    for (const [raw, reason] of cases) {
      const outcome = stream.submit(raw, 'serial');
      assert.equal(outcome.ok, false, String(raw));
      assert.equal(!outcome.ok && outcome.rejection.reason, reason, String(raw));
    }
    assert.equal(rejections.length, cases.length);
    assert.match(rejections[0]?.message ?? '', /quét lại/);
    assert.equal(rejections.find((r) => r.reason === 'BAD_CHARACTERS' && r.raw.includes('\\x00'))?.raw, 'PC12\\x00AA');
  });

  it('accepts receipt numbers and card numbers', () => {
    const { clock } = manualClock();
    const stream = createScanStream({ clock });
    assert.equal(stream.submit('DT0001-26-000123', 'wedge').ok, true);
    assert.equal(stream.submit('0912345678', 'wedge').ok, true);
  });

  it('never throws, whatever arrives, even when a listener does', () => {
    const { clock, advance } = manualClock();
    const stream = createScanStream({ clock });
    stream.onScan(() => {
      throw new Error('listener bug');
    });
    const errors: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => void errors.push(args);
    try {
      fc.assert(
        fc.property(fc.anything({ withNullPrototype: true, withMap: true, withBigInt: true }), (raw) => {
          advance(2500);
          const outcome = stream.submit(raw, 'hid');
          return typeof outcome.ok === 'boolean';
        }),
      );
      assert.equal(stream.submit(Object.create(null), 'hid').ok, false);
      assert.equal(stream.submit('PC12AA0012345', 'hid').ok, true);
    } finally {
      console.error = original;
    }
    assert.ok(errors.length > 0);
  });

  it('unsubscribes', () => {
    const { clock } = manualClock();
    const stream = createScanStream({ clock });
    const seen: string[] = [];
    const off = stream.onScan((s) => seen.push(s.code));
    off();
    stream.submit('PC12AA0012345', 'wedge');
    assert.deepEqual(seen, []);
  });

  it('submitWedgeScan feeds the stream as the wedge source', () => {
    const { clock } = manualClock();
    const stream = createScanStream({ clock });
    const outcome = submitWedgeScan(stream, 'pc12ee0000007');
    assert.deepEqual(outcome.ok && outcome.scan, { code: 'PC12EE0000007', source: 'wedge', at: '2026-11-27T01:00:00.000Z' });
    assert.equal(submitWedgeScan(stream, 42).ok, false);
  });
});

describe('[#22] pasted and odd-width scans', () => {
  it('[#22] zero-width and full-width characters in a scan fold to the plain code; a control character is still refused', () => {
    const { clock, advance } = manualClock();
    const stream = createScanStream({ clock });
    for (const raw of ['PC12AA\u200B0012345', 'ＰＣ１２ＡＡ００１２３４５', '\uFEFFpc12aa0012345\u2060\r\n', 'PC12AA\u00AD0012345']) {
      advance(DEDUPE_MS);
      const outcome = stream.submit(raw, 'wedge');
      assert.deepEqual(outcome.ok && outcome.scan.code, 'PC12AA0012345', JSON.stringify(raw));
    }
    advance(DEDUPE_MS);
    const nul = stream.submit('PC12\u0000AA0012345', 'hid');
    assert.equal(!nul.ok && nul.rejection.reason, 'BAD_CHARACTERS');
  });
});
