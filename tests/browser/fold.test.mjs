// The search script must fold and split words exactly as Rust's text::fold and
// render::search::words do: both sides check the shared cases in tests/fold_cases.json
// (the Rust side is tests/search.rs). Runs the script in a Node vm, without a browser.
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
