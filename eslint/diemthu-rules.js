// The house's own lint rules (a local plugin, no dependency): `zones` keeps each folder of the main
// process to what it may import, `no-import-cycle` fails on any circle of imports, type-only ones
// included (a type-only circle still says a type lives in the wrong home).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const IMPORT_SPEC = /(?:^|[\s;}])(?:import|export)\s[^'"`;]*?from\s*['"]([^'"]+)['"]|(?:^|[\s;}])import\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

/** The folder a file belongs to: `electron/<zone>/…` → zone; a top-level folder (src, protocol, server…) → its name. */
export function zoneOf(file) {
  const parts = relative(ROOT, resolve(ROOT, file)).split(sep);
  if (parts[0] === 'electron') return parts.length > 2 ? parts[1] : 'electron-root';
  return parts[0];
}

function resolveSpec(fromFile, spec) {
  if (!spec.startsWith('.')) return null;
  const target = resolve(dirname(fromFile), spec);
  return existsSync(target) ? target : null;
}

const edges = new Map();
/** The files a file imports (relative imports only), read from its text. */
function importsOf(file) {
  let out = edges.get(file);
  if (out === undefined) {
    out = [];
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      text = '';
    }
    for (const m of text.matchAll(IMPORT_SPEC)) {
      const target = resolveSpec(file, m[1] ?? m[2] ?? m[3]);
      if (target !== null && /\.(ts|tsx|js|mjs)$/.test(target)) out.push(target);
    }
    edges.set(file, out);
  }
  return out;
}

/** A path of imports from `start` back to `file`, or null. */
function cycleThrough(file, start) {
  const seen = new Set();
  const stack = [[start, [start]]];
  while (stack.length > 0) {
    const [at, path] = stack.pop();
    if (at === file) return path;
    if (seen.has(at)) continue;
    seen.add(at);
    for (const next of importsOf(at)) if (!seen.has(next)) stack.push([next, [...path, next]]);
  }
  return null;
}

function sourcesOf(context, check) {
  const visit = (node) => {
    if (node.source && typeof node.source.value === 'string') check(node, node.source.value);
  };
  return { ImportDeclaration: visit, ExportNamedDeclaration: visit, ExportAllDeclaration: visit, ImportExpression: visit };
}

const zones = {
  meta: {
    type: 'problem',
    docs: { description: 'Each folder of the main process imports only the folders it may (see README, Architecture).' },
    schema: [{ type: 'object', additionalProperties: { type: 'object' } }],
  },
  create(context) {
    const file = context.physicalFilename;
    const rules = context.options[0] ?? {};
    const rule = rules[zoneOf(file)];
    if (rule === undefined) return {};
    const { allow = [], packages = [], message } = rule;
    return sourcesOf(context, (node, spec) => {
      if (!spec.startsWith('.')) {
        if (packages.includes(spec)) context.report({ node, message: `${zoneOf(file)}/ does not import '${spec}': ${message}` });
        return;
      }
      const target = resolve(dirname(file), spec);
      const zone = zoneOf(target);
      if (zone !== zoneOf(file) && !allow.includes(zone)) {
        context.report({ node, message: `${zoneOf(file)}/ does not import ${zone}/ (${spec}): ${message}` });
      }
    });
  },
};

const noImportCycle = {
  meta: { type: 'problem', docs: { description: 'No circle of imports, type-only ones included.' }, schema: [] },
  create(context) {
    const file = context.physicalFilename;
    edges.delete(file); // the text being linted, not a stale reading
    return sourcesOf(context, (node, spec) => {
      const target = resolveSpec(file, spec);
      if (target === null) return;
      const path = cycleThrough(file, target);
      if (path !== null) {
        const shown = [file, ...path].map((p) => relative(ROOT, p)).join(' -> ');
        context.report({ node, message: `Import cycle: ${shown}. Move the shared type or function to the module both may import.` });
      }
    });
  },
};

export default { rules: { zones, 'no-import-cycle': noImportCycle } };
