/**
 * Where two JSON values differ, as paths (`total`, `lines[0].tongTien`, `cashier.code`): verify and
 * the printer name the fields a tampered row or document changed.
 */
export function diffPaths(a: unknown, b: unknown, path = ''): string[] {
  if (Array.isArray(a) && Array.isArray(b)) {
    const out = a.length === b.length ? [] : [`${path}.length`];
    for (let i = 0; i < Math.min(a.length, b.length); i++) out.push(...diffPaths(a[i], b[i], `${path}[${i}]`));
    return out;
  }
  if (isObject(a) && isObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((key) => diffPaths(a[key] ?? null, b[key] ?? null, path === '' ? key : `${path}.${key}`));
  }
  return a === b ? [] : [path === '' ? '(value)' : path];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
