/** Common notes handed over at the counter, in đồng. */
const NOTES = [50_000, 100_000, 200_000, 500_000];

/** What customers commonly hand over for a total: the next round amounts of common notes above it, the three smallest. */
export function commonAmounts(total: number): number[] {
  const above = NOTES.map((note) => Math.ceil(total / note) * note).filter((amount) => amount > total);
  return [...new Set(above)].sort((a, b) => a - b).slice(0, 3);
}
