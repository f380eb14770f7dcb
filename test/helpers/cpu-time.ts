/**
 * CPU time (user + system, every thread of this process: the reader workers too) spent by `work`.
 * For "at once, not quadratic" bounds on in-process work: unlike the wall clock it does not grow
 * when other jobs load the machine (a 2-core runner at load 10 stretches wall time 5x).
 */
export function cpuMs<T>(work: () => T): { value: T; ms: number } {
  const before = process.cpuUsage();
  const value = work();
  const used = process.cpuUsage(before);
  return { value, ms: (used.user + used.system) / 1000 };
}
