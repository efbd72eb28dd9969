// Unit tests of the search script, without a browser. It must fold and split words exactly as Rust's text::fold and
// render::search::words do: both sides check the shared cases in tests/fold_cases.json
// (the Rust side is tests/search.rs). Also ranking on a small shard in the Rust format. Runs in a Node vm.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import vm from 'node:vm';

const root = new URL('../../', import.meta.url);
const cases = JSON.parse(readFileSync(new URL('tests/fold_cases.json', root), 'utf8'));
const context = {};
vm.runInNewContext(readFileSync(new URL('themes/default/static/assets/search.js', root), 'utf8'), context);
const s = context.canhbaoSearch;

test('fold agrees with Rust text::fold', () => {
  for (const [input, expected] of cases.fold) assert.equal(s.fold(input), expected, JSON.stringify(input));
});

test('words agree with Rust search::words', () => {
  for (const [input, expected] of cases.words) assert.deepEqual([...s.words(input)], expected, JSON.stringify(input));
});

test('query terms: NFC, lower case, folded, last word marked for prefix match', () => {
  const t = s.terms('Lu\u031b\u0300a ĐẢO');
  assert.deepEqual(JSON.parse(JSON.stringify(t)), [
    { low: 'lừa', fold: 'lua', last: false },
    { low: 'đảo', fold: 'dao', last: true },
  ]);
  assert.equal(s.terms(' ,.; ').length, 0);
});

test('shard keys agree with Rust search::shard_key', () => {
  assert.equal(s.shardKey('duong', 0), 'all');
  assert.equal(s.shardKey('duong', 1), 'd');
  assert.equal(s.shardKey('duong', 2), 'du');
  assert.equal(s.shardKey('a', 2), 'a');
  assert.equal(s.shardKey('ß1', 2), '_1');
});

test('highlighting escapes HTML', () => {
  const terms = s.terms('lua');
  assert.equal(
    s.highlight('<img src=x onerror="alert(1)"> Lừa & “lúa”', terms),
    '&lt;img src=x onerror=&quot;alert(1)&quot;&gt; <mark>Lừa</mark> &amp; “<mark>lúa</mark>”',
  );
  assert.equal(s.snippet('không có gì', terms), '');
  const long = Array.from({ length: 60 }, (_, i) => `từ${i}`).join(' ') + ' lừa <b>';
  const snip = s.snippet(long, terms);
  assert.match(snip, /^… từ52 .* <mark>lừa<\/mark> &lt;b&gt;$/);
});

// A shard in the format src/render/search.rs writes (its unit tests check the Rust side):
// folded word -> spelling ("" = same as folded) -> postings (doc id delta * 8 + title 4 | tags 2 | body 1).
// Doc 0: title "Đường dây", body "đường"; doc 1: title "Xét nghiệm dương tính", body "đường", "đương";
// doc 2: title "Dương". "lừa": doc 0 title, doc 1 tags, doc 2 body.
const shard = {
  day: { 'dây': [4] },
  duong: { 'đường': [5, 9], 'dương': [12, 12], 'đương': [9] },
  lua: { 'lừa': [4, 10, 9] },
};
const ranked = (query) => Array.from(s.rank(s.terms(query).map((t) => s.match(shard, t, 0))), (h) => h.id);

test('ranking: exact spelling first, then title > tags > body, then newest', () => {
  assert.deepEqual(ranked('đường'), [0, 1, 2], 'exact đường in a title, then in a body, then only dương');
  assert.deepEqual(ranked('dương'), [1, 2, 0], 'exact dương in two titles (newer first), then only đường');
  assert.deepEqual(ranked('duong'), [0, 1, 2], 'no marks typed: spelling does not count');
  assert.deepEqual(ranked('lua'), [0, 1, 2], 'title > tags > body');
  assert.deepEqual(ranked('LỪA'), [0, 1, 2]);
});

test('ranking: every word must match, prefix only on the last word', () => {
  assert.deepEqual(ranked('duong day'), [0]);
  assert.deepEqual(ranked('đường d'), [0, 1, 2], 'the last word "d" is a prefix of day, duong');
  assert.deepEqual(ranked('lu'), [0, 1, 2]);
  assert.deepEqual(ranked('lu duong'), [], '"lu" is not the last word: no prefix match');
  assert.deepEqual(ranked('xyz'), []);
});
