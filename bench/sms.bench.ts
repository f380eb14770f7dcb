// SMS notices for the province snapshot (490,000 customers): the snapshot read with the import's
// reader (as `diemthu sms notices` will; timed apart), then every notice type built and the
// THONGBAO file's bytes made. Budget: <= 10 s for the notices of the province snapshot.
import { readFileSync } from 'node:fs';
import { readSnapshot } from '../electron/cmis/read-snapshot.ts';
import { parseSmsProfile } from '../electron/sms/profile.ts';
import { noticeBuilder, type SmsBill, type SmsCustomer, type SmsOutcome } from '../electron/sms/messages.ts';
import { smsFile } from '../electron/sms/files.ts';
import { provinceSnapshot, PROVINCE_IMPORTED_AT } from './province.ts';

/** Wall and CPU seconds of a step (CPU time tells the code from a machine busy with other work). */
function timed<T>(step: () => T): { value: T; wall: number; cpu: number } {
  const wall = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  const value = step();
  const used = process.cpuUsage(cpu);
  return { value, wall: Number(process.hrtime.bigint() - wall) / 1e9, cpu: (used.user + used.system) / 1e6 };
}
const secs = (t: { wall: number; cpu: number }) => `${t.wall.toFixed(2)} s (cpu ${t.cpu.toFixed(2)} s)`;

export async function run(): Promise<void> {
  const file = await provinceSnapshot();
  const profile = parseSmsProfile(readFileSync(new URL('../electron/sms/profile-default.json', import.meta.url), 'utf8'));

  const read = timed(() => {
    const customers = new Map<string, SmsCustomer & { bills: SmsBill[] }>();
    readSnapshot(file, { encoding: 'utf8' }, (row) => {
      if (!row.ok) throw new Error(`province snapshot row ${row.line} refused`);
      const { ma_dviqly, ma_khang, dthoai_sms, tthai_cat } = row.customer;
      let c = customers.get(ma_khang);
      // only what notices need: 490,000 names and addresses kept for nothing would slow every GC
      if (c === undefined) customers.set(ma_khang, (c = { ma_dviqly, ma_khang, dthoai_sms, tthai_cat, bills: [] }));
      if (row.bill !== null) {
        const { ky, thang, nam, dien_tthu, tong_tien, han_ttoan } = row.bill;
        c.bills.push({ ky, thang, nam, dien_tthu, tong_tien, han_ttoan });
      }
    });
    return customers;
  });
  const build = timed(() => {
    const notices = noticeBuilder(profile, { madeAt: PROVINCE_IMPORTED_AT });
    const outcomes: SmsOutcome[] = [];
    for (const c of read.value.values()) for (const o of notices(c)) outcomes.push(o);
    return outcomes;
  });
  const made = timed(() => smsFile(build.value));

  const { messages, skipped, segments } = made.value.summary;
  console.log(`sms notices: ${read.value.size} customers -> TBTD ${messages.TBTD}, NHACNO ${messages.NHACNO}, TBCD ${messages.TBCD}; ${segments} segments; ${(made.value.bytes.length / 1e6).toFixed(1)} MB`);
  console.log(`  skipped: ${Object.entries(skipped).map(([reason, n]) => `${reason} ${n}`).join(', ')}`);
  console.log(`  read snapshot ${secs(read)} (timed apart: the import's own step)`);
  const total = { wall: build.wall + made.wall, cpu: build.cpu + made.cpu };
  console.log(`  notices: build rows ${secs(build)} + file bytes ${secs(made)} = ${secs(total)} (budget <= 10 s)`);
}
