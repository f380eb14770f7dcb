/**
 * The fuzz campaign (issue 12 item 5): mutated corpus files imported, one by one, into a point that
 * already holds a snapshot, an exported payment and one waiting for export. For each file: no
 * internal error (what the CLI would answer with exit 1), nothing changed when it is refused (a hash
 * of every table), and the refusal names a line (or, for what concerns the whole file, the file).
 * An imported file (a mutation can leave a valid file) puts the point back as it was.
 */
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { openContext, type Ctx } from '../../electron/store/context.ts';
import { initPoint } from '../../electron/store/point.ts';
import { addUser } from '../../electron/users/users.ts';
import { openShift } from '../../electron/shifts/shifts.ts';
import { importSnapshot } from '../../electron/cmis/import-snapshot.ts';
import { collectPayment } from '../../electron/payments/collect.ts';
import { exportClearing } from '../../electron/cmis/write-clearing.ts';
import { isAppError, type ErrorCode } from '../../electron/core/errors.ts';
import { TEST_PIN_COST } from '../helpers/collect-fixture.ts';
import { CORPUS_UNITS, corpus, dumpDatabase } from '../cmis/helpers.ts';
import { mutate } from './mutate.ts';

/** Refusals about the whole file, not a line of it: they name the file. */
const FILE_LEVEL: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'SNAPSHOT_EMPTY',
  'SNAPSHOT_NO_ROWS',
  'SNAPSHOT_OLDER',
  'SNAPSHOT_CONFIRMATION_REQUIRED',
  'SNAPSHOT_CLEARS_MANY',
  'SNAPSHOT_FEWER_CUSTOMERS',
  'SNAPSHOT_TOO_LARGE',
  'SNAPSHOT_TOTAL_TOO_LARGE',
]);

export interface Finding {
  seed: number;
  base: string;
  steps: string[];
  what: 'internal_error' | 'partial_change' | 'refusal_names_no_line';
  detail: string;
}

export interface CampaignFigures {
  files: number;
  imported: number;
  alreadyImported: number;
  refused: number;
  refusedByCode: Record<string, number>;
  findings: Finding[];
  wallMs: number;
}

/** The seed of file i of a campaign: printed with a finding, replayed with `--replay`. */
export const fileSeed = (campaignSeed: number, i: number): number => (Math.imul(campaignSeed ^ 0x9e3779b9, 0x85ebca6b) + Math.imul(i + 1, 0xc2b2ae35)) >>> 0;

const HEAD = { code: 'GS00', pin: '246800' };

/** The point every file meets: a snapshot, a payment exported, a payment waiting. Built once, copied back after an import. */
function buildTemplate(dir: string): void {
  const ctx = openContext(dir, { pinCost: TEST_PIN_COST });
  try {
    initPoint(ctx, { pointCode: 'DT0001', unitCode: 'PC12AA', unitCodes: CORPUS_UNITS, pointName: 'Điểm thu thử' });
    const head = addUser(ctx, { code: HEAD.code, name: 'Giám sát', role: 'supervisor', pin: HEAD.pin, approvedBy: [] });
    const cashier = addUser(ctx, { code: 'TN01', name: 'Thu ngân', role: 'cashier', pin: '123456', approvedBy: [head.id] });
    openShift(ctx, { cashierId: cashier.id, openingFloat: 500_000 });
    importSnapshot(ctx, { file: corpus('good-utf8.csv') });
    collectPayment(ctx, { customer: 'PC12AA0012346', cashierId: cashier.id, idempotencyKey: 'fuzz-1' });
    exportClearing(ctx, { outDir: join(dir, '..', 'out') });
    collectPayment(ctx, { customer: 'PC12AA0012345', billIds: ['240910001'], cashierId: cashier.id, idempotencyKey: 'fuzz-2' });
  } finally {
    ctx.close();
  }
}

const tablesHash = (ctx: Ctx): string => createHash('sha256').update(JSON.stringify(dumpDatabase(ctx))).digest('hex');

interface Base {
  name: string;
  bytes: Buffer;
  parsable: boolean;
}

function corpusBases(): Base[] {
  const dir = corpus('');
  return readdirSync(dir)
    .filter((n) => /\.(csv|tsv|txt)$/.test(n))
    .sort()
    .map((name) => ({ name, bytes: readFileSync(join(dir, name)), parsable: name === 'good-utf8.csv' || name === 'good-quoted-multiline.csv' || name === 'good-aliases.csv' }));
}

/** One mutated file of the campaign, written to `dir`; the base is chosen by the same seed. */
export function mutatedFile(seed: number, dir: string, bases = corpusBases()): { file: string; base: string; steps: string[] } {
  // good-utf8.csv, the richest valid file, is the base one time in three
  const base = seed % 3 === 0 ? bases.find((b) => b.name === 'good-utf8.csv')! : bases[seed % bases.length]!;
  const { bytes, steps } = mutate(seed, base.bytes, base.parsable);
  const file = join(dir, `fuzz-${seed}.csv`);
  writeFileSync(file, bytes);
  return { file, base: base.name, steps };
}

export interface CampaignOptions {
  files: number;
  seed: number;
  workDir: string;
  onProgress?: (done: number, figures: CampaignFigures) => void;
  /** The import under test (a faulty one shows the campaign sees each kind of finding). */
  importer?: typeof importSnapshot;
}

export function runCampaign(options: CampaignOptions): CampaignFigures {
  const importer = options.importer ?? importSnapshot;
  const started = performance.now();
  const template = join(options.workDir, 'template', 'data');
  const live = join(options.workDir, 'live', 'data');
  const filesDir = join(options.workDir, 'files');
  mkdirSync(filesDir, { recursive: true });
  buildTemplate(template);
  const reset = (): Ctx => {
    rmSync(join(options.workDir, 'live'), { recursive: true, force: true });
    cpSync(join(options.workDir, 'template'), join(options.workDir, 'live'), { recursive: true });
    return openContext(live, { pinCost: TEST_PIN_COST });
  };
  const figures: CampaignFigures = { files: 0, imported: 0, alreadyImported: 0, refused: 0, refusedByCode: {}, findings: [], wallMs: 0 };
  const bases = corpusBases();
  let ctx = reset();
  let hash = tablesHash(ctx);
  try {
    for (let i = 0; i < options.files; i++) {
      const seed = fileSeed(options.seed, i);
      const { file, base, steps } = mutatedFile(seed, filesDir, bases);
      const finding = (what: Finding['what'], detail: string) => figures.findings.push({ seed, base, steps, what, detail });
      let imported = false;
      try {
        const result = importer(ctx, { file });
        if (result.status === 'imported') {
          imported = true;
          figures.imported++;
        } else figures.alreadyImported++;
      } catch (error) {
        if (!isAppError(error)) finding('internal_error', error instanceof Error ? (error.stack ?? error.message) : String(error));
        else {
          figures.refused++;
          figures.refusedByCode[error.code] = (figures.refusedByCode[error.code] ?? 0) + 1;
          const named = FILE_LEVEL.has(error.code) ? error.message.includes(basename(file)) : /dòng \d+/i.test(error.message);
          if (!named) finding('refusal_names_no_line', `${error.code}: ${error.message.slice(0, 300)}`);
        }
      }
      figures.files++;
      if (imported) {
        ctx.close();
        ctx = reset();
        hash = tablesHash(ctx);
      } else {
        const after = tablesHash(ctx);
        if (after !== hash) {
          finding('partial_change', 'the tables changed though the file was not imported');
          hash = after;
        }
      }
      rmSync(file, { force: true });
      options.onProgress?.(i + 1, figures);
    }
  } finally {
    ctx.close();
  }
  figures.wallMs = Math.round(performance.now() - started);
  return figures;
}
