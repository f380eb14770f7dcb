/** Injected time and id sources: services never call Date.now() or randomUUID() themselves. */
export type Clock = () => Date;
export type IdSource = () => string;

export const systemClock: Clock = () => new Date();

/** A clock for tests: starts at `start`, advances `stepMs` each call. */
export function steppingClock(start: Date, stepMs = 1000): Clock {
  let t = start.getTime();
  return () => {
    const d = new Date(t);
    t += stepMs;
    return d;
  };
}

/** Sequential ids for tests: prefix-1, prefix-2, ... */
export function sequentialIds(prefix = 'id'): IdSource {
  let n = 0;
  return () => `${prefix}-${++n}`;
}
