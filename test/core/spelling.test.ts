import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

// One spelling everywhere users read: the mark on the first vowel of an open "oa", "oe", "uy" (hóa
// đơn, hủy, khóa, xóa, tùy, hòa), never the other placement (hoá, huỷ, khoá).
const ROOT = join(import.meta.dirname, '..', '..');
const FOLDERS = ['electron', 'src', 'server', 'protocol', 'docs', 'fixtures', 'bench', 'migrations'];
const OTHER_PLACEMENT = /(?<![qQ])(?:o[áàảãạ]|o[éèẻẽẹ]|u[ýỳỷỹỵ])(?!\p{L})/u;

function* sources(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* sources(path);
    else if (/\.(ts|tsx|md|json)$/.test(name)) yield path;
  }
}

test('one spelling: no "hoá", "huỷ", "khoá" in what users read (code, messages, docs, README)', () => {
  const found: string[] = [];
  const files = [join(ROOT, 'README.md'), ...FOLDERS.flatMap((f) => [...sources(join(ROOT, f))])];
  for (const file of files) {
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        const match = OTHER_PLACEMENT.exec(line);
        if (match !== null) found.push(`${relative(ROOT, file)}:${i + 1}: ${line.trim().slice(0, 80)}`);
      });
  }
  assert.ok(files.length > 100, 'the sources were read');
  assert.deepEqual(found, []);
});

test('the spelling rule sees the other placement and leaves closed syllables and "qu" alone', () => {
  for (const wrong of ['hoá đơn', 'huỷ', 'khoá', 'Hoá', 'tuỳ chọn', 'hoà']) assert.match(wrong, OTHER_PLACEMENT, wrong);
  for (const right of ['hóa đơn', 'hủy', 'khóa', 'thoát', 'quý', 'hoàn', 'toán', 'xoay']) assert.doesNotMatch(right, OTHER_PLACEMENT, right);
});
