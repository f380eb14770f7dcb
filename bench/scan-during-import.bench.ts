// Scan -> customer on screen WHILE a province-size import runs through the real path: the window's
// importConfirm over the e2e bridge, the import worker on its own connection, the province data dir
// (490,000 customers) taking the next morning's file. The same timing as scan-to-screen.bench.ts;
// only scans made while the import ran are kept, and the plain p99 (no import) is measured first on
// the same page. Budget: p99 <= 100 ms in both.
import { rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { provinceDataDir, provinceNextDay } from './province.ts';
import { loginAndOpenShift, startApp, stopSharedEnvironment } from '../test/e2e/harness.ts';
import { describeTimes, sampleCodes, timeScans } from './scan-to-screen.bench.ts';

const PLAIN_SCANS = Number(process.env.SCANS ?? 100);
const WARMUP = 10;
/** Enough codes to go on scanning for the whole import; the loop stops when it ends. */
const MAX_SCANS = 5000;

export async function run(): Promise<void> {
  const dataDir = await provinceDataDir();
  const file = await provinceNextDay();
  const codes = sampleCodes(dataDir, PLAIN_SCANS + WARMUP + MAX_SCANS);
  const app = await startApp({ scenario: 'bench-scan-during-import', dataDir });
  try {
    await loginAndOpenShift(app);
    const plain = await timeScans(app, codes.slice(0, PLAIN_SCANS + WARMUP));
    const loadBefore = loadavg()[0]?.toFixed(1);
    let running = true;
    const started = performance.now();
    const importing = app.page.evaluate(`window.diemthu.importConfirm({ path: ${JSON.stringify(file)} })`).finally(() => (running = false));
    const during: number[] = [];
    let rest = codes.slice(PLAIN_SCANS + WARMUP);
    while (running && rest.length > 0) {
      // In rounds of 20 (the page was warmed by the plain scans), until the import answers.
      during.push(...(await timeScans(app, rest.slice(0, 20), () => running, 0)));
      rest = rest.slice(20);
    }
    const outcome = (await importing) as { ok: boolean; error?: { code: string } };
    const importMs = performance.now() - started;
    during.sort((a, b) => a - b);
    console.log(`scan -> customer on screen, province data (490,000 customers); load average ${loadBefore} before the import, ${loadavg()[0]?.toFixed(1)} after`);
    console.log(`  plain (no import), ${plain.length} scans:          ${describeTimes(plain)}`);
    console.log(`  while a province-size import runs, ${during.length} scans: ${describeTimes(during)}`);
    console.log(`  the import (next morning's file through the window's worker): ${(importMs / 1000).toFixed(1)} s, ${outcome.ok ? 'imported' : `refused ${outcome.error?.code}`}`);
  } finally {
    await app.close();
    await stopSharedEnvironment();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
