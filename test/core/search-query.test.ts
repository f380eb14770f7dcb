import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareMatch, ftsPrefixQuery, hasWord, matchScorer, parseSearchQuery, prefixCounts, prefixFilter, splitWords } from '../../electron/core/search-query.ts';

test('a code is 6+ of A-Z0-9 with a digit, trimmed and upper-cased; names are not codes', () => {
  assert.equal(parseSearchQuery(' pc12aa0012345 ').code, 'PC12AA0012345');
  assert.equal(parseSearchQuery('PC12AA 0012345').code, 'PC12AA0012345');
  assert.equal(parseSearchQuery('840012').code, '840012');
  assert.equal(parseSearchQuery('84001').code, null);
  assert.equal(parseSearchQuery('nguyen').code, null);
  assert.equal(parseSearchQuery('Nguyễn Thị Đào').code, null);
});

test('query words: typed keeps the marks, folded drops them and đ; apostrophes split like the index', () => {
  assert.deepEqual(parseSearchQuery('  Nguyễn  THỊ Đào ').typed, ['nguyễn', 'thị', 'đào']);
  assert.deepEqual(parseSearchQuery('  Nguyễn  THỊ Đào ').folded, ['nguyen', 'thi', 'dao']);
  assert.deepEqual(parseSearchQuery("H'Hen Niê").folded, ['h', 'hen', 'nie']);
  assert.deepEqual(parseSearchQuery(' ,-. ').folded, []);
});

test('the FTS expression requires every word as a quoted prefix', () => {
  assert.equal(ftsPrefixQuery(['nguyen', 'thi', 'da']), '"nguyen"* "thi"* "da"*');
  assert.equal(ftsPrefixQuery(['or', 'and', 'not']), '"or"* "and"* "not"*', 'FTS keywords stay plain words');
});

test('scores: exact diacritics first, then name over address, then whole words', () => {
  const score = matchScorer(parseSearchQuery('Đào'));
  const row = (name: string, address = 'Thôn 1') => ({ name, address, nameFold: name.toLowerCase(), addrFold: address.toLowerCase() });
  const dao = score({ name: 'Nguyễn Thị Đào', address: 'Thôn 1', nameFold: 'nguyen thi dao', addrFold: 'thon 1' });
  const plain = score({ name: 'Nguyễn Thị Dao', address: 'Thôn 1', nameFold: 'nguyen thi dao', addrFold: 'thon 1' });
  const inAddress = score({ name: 'Lê Văn An', address: 'Thôn Đào Viên', nameFold: 'le van an', addrFold: 'thon dao vien' });
  const longer = score({ name: 'Trần Đàoa', address: 'Thôn 1', nameFold: 'tran daoa', addrFold: 'thon 1' });
  assert.deepEqual(dao, { diacritics: 1, inName: 1, whole: 1 });
  assert.deepEqual(plain, { diacritics: 0, inName: 1, whole: 1 });
  assert.deepEqual(inAddress, { diacritics: 1, inName: 0, whole: 1 });
  assert.deepEqual(longer, { diacritics: 1, inName: 1, whole: 0 });
  assert.ok(compareMatch(dao, plain) < 0 && compareMatch(dao, inAddress) < 0 && compareMatch(dao, longer) < 0);
  assert.ok(compareMatch(inAddress, plain) < 0, 'typed diacritics outweigh where the word is');
  assert.equal(compareMatch(dao, dao), 0);
  assert.deepEqual(matchScorer(parseSearchQuery('hen'))(row("H'Hen Niê")), { diacritics: 1, inName: 1, whole: 1 }, 'a word after an apostrophe is a word');
});

test('prefixFilter: every word must begin a word of the name or the address, as the index matches', () => {
  const passes = prefixFilter(['h', 'ksor']);
  assert.equal(passes("h hen ksor", 'buon ako'), true);
  assert.equal(passes('ksor nie', 'xa hoa phu'), true, 'one word in the name, the other in the address');
  assert.equal(passes('ksor nie', 'buon ako'), false);
  assert.equal(passes('nie ksor', 'thon 1'), false, 'h inside a word (thon) is not a word prefix');
  assert.equal(prefixFilter(['a.b'])('axb', ''), false, 'regex characters are literal');
  assert.equal(prefixFilter([])('', ''), true);
});

test('prefixCounts: each prefix of each word, a text counted once', () => {
  const counts = prefixCounts(['hoa hau\nxa hoa', 'ha\nthon 1', 'ksor']);
  assert.equal(counts.get('h'), 2);
  assert.equal(counts.get('ho'), 1);
  assert.equal(counts.get('hoa'), 1);
  assert.equal(counts.get('t'), 1);
  assert.equal(counts.get('1'), 1);
  assert.equal(counts.get('k'), 1);
  assert.equal(counts.get('hoan'), undefined);
});

test('splitWords: a dense word is checked on rows only when the other words match few customers', () => {
  const shares = new Map([['h', 0.96], ['n', 0.6], ['yam', 0.01], ['ks', 0.02], ['nguyen', 0.32], ['thi', 0.25], ['x', 0.8]]);
  const density = (w: string) => shares.get(w) ?? 0;
  assert.deepEqual(splitWords(['h', 'yam', 'ks'], density, 490_000), { indexed: ['yam', 'ks'], checked: ['h'] });
  // "yam" alone: 4,900 expected customers, enough for the index to find 200 rows early.
  assert.deepEqual(splitWords(['h', 'yam'], density, 490_000), { indexed: ['h', 'yam'], checked: [] });
  assert.deepEqual(splitWords(['h', 'yam'], density, 100_000), { indexed: ['yam'], checked: ['h'] });
  assert.deepEqual(splitWords(['nguyen', 'thi'], density, 1000), { indexed: ['nguyen', 'thi'], checked: [] }, 'no dense word');
  assert.deepEqual(splitWords(['h', 'x', 'n'], density, 1000), { indexed: ['n'], checked: ['h', 'x'] }, 'the rarest word stays in the index');
  assert.deepEqual(splitWords(['h'], density, 10), { indexed: ['h'], checked: [] });
});

test('hasWord: a word start after any non-letter, not after a letter or digit of any script', () => {
  assert.equal(hasWord("h'hen niê", 'hen'), true);
  assert.equal(hasWord('đào', 'ao'), false, 'đ is a letter');
  assert.equal(hasWord('1ab ab', 'ab'), true, 'found at its second place');
  assert.equal(hasWord('1ab', 'ab'), false, 'a digit is part of the word');
  assert.equal(hasWord('x\u{1D400}ab', 'ab'), false, 'a letter outside the BMP');
  assert.equal(hasWord('—ab', 'ab'), true);
  assert.equal(hasWord('hoa hoan', 'hoa', true), true);
  assert.equal(hasWord('hoan hòa', 'ho', true), false, 'whole: no letter may follow');
  assert.equal(hasWord('thi\nho', 'ho', true), true);
});
