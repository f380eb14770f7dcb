import type { HourlyView } from '../../electron/ipc/contract.ts';
import { money } from '../format.ts';
import { vi } from '../i18n/vi.ts';

const FIRST_HOUR = 6;
const LAST_HOUR = 20;
const W = 420;
const H = 120;
const PAD = 18;

/** Today's collections per hour as bars (people would rather look than read), and the day's totals. */
export function HourlyChart({ data }: { data: HourlyView | null }) {
  if (data === null) return null;
  // Office hours, widened when a payment falls outside them.
  const first = Math.min(FIRST_HOUR, ...data.hours.map((h) => h.hour));
  const last = Math.max(LAST_HOUR, ...data.hours.map((h) => h.hour));
  const hours = Array.from({ length: last - first + 1 }, (_, i) => first + i);
  const byHour = new Map(data.hours.map((h) => [h.hour, h]));
  // While the shift is open the chart counts receipts (blind count); amounts come after the count.
  const blind = data.total === null;
  const value = (h: HourlyView['hours'][number] | undefined): number => (h === undefined ? 0 : blind ? h.count : (h.total ?? 0));
  const caption = blind ? vi.home.todayCounts : vi.home.todayChart;
  const max = Math.max(1, ...data.hours.map(value));
  const slot = (W - PAD) / hours.length;
  return (
    <figure className="chart" aria-label={caption} data-testid="hourly-chart">
      <figcaption>
        {caption}: <strong>{vi.home.todayTotals(data.count, data.total === null ? null : money(data.total))}</strong>
      </figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} width={W} height={H} role="img">
        {hours.map((hour, i) => {
          const v = value(byHour.get(hour));
          const h = Math.round(((H - PAD * 2) * v) / max);
          const x = PAD + i * slot;
          return (
            <g key={hour}>
              <rect x={x + 2} y={H - PAD - h} width={slot - 4} height={h} className="bar">
                <title>{`${hour}:00 – ${blind ? vi.home.todayTotals(v, null) : money(v)}`}</title>
              </rect>
              {hour % 2 === 0 && (
                <text x={x + slot / 2} y={H - 4} textAnchor="middle" className="axis">
                  {hour}h
                </text>
              )}
            </g>
          );
        })}
      </svg>
    </figure>
  );
}
