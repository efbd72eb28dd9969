/* canhbao search: reads the static index under /tim-kiem/ (built by src/render/search.rs).
   No server, no third-party host, no dependencies. Words are matched folded (no diacritics,
   đ -> d, lower case) exactly as Rust's text::fold, so "lua dao" finds "lừa đảo"; results whose
   spelling matches the query exactly come first, then title > tags > body. */
(function (global) {
  'use strict';
  var WORD = '[\\p{Alphabetic}\\p{N}]+'; // = Rust char::is_alphanumeric
  var MARKS = /\p{M}/gu; // General_Category=Mark, as unicode-normalization's is_combining_mark
  var PAGE = 20;

  function lower(s) { // char by char, as Rust char::to_lowercase (no final-sigma rule)
    var out = '';
    for (var c of s) out += c.toLowerCase();
    return out;
  }
  function fold(s) {
    return lower(s.normalize('NFD').replace(MARKS, '')).replace(MARKS, '').replace(/đ/g, 'd');
  }
  function words(s) {
    return s.match(new RegExp(WORD, 'gu')) || [];
  }
  function shardKey(folded, split) {
    if (!split) return 'all';
    return Array.from(folded).slice(0, split).map(function (c) { return /[a-z0-9]/.test(c) ? c : '_'; }).join('');
  }
  function terms(query) {
    var list = words(query.normalize('NFC'));
    return list.map(function (w, i) {
      return { low: lower(w), fold: fold(w), last: i === list.length - 1 };
    }).filter(function (t) { return t.fold; });
  }
  function esc(s) {
    return s.replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }
  function matches(word, ts) {
    var f = fold(word);
    return ts.some(function (t) { return t.last ? f.startsWith(t.fold) : f === t.fold; });
  }
  // Escaped text with the matching words in <mark>.
  function highlight(text, ts) {
    var re = new RegExp(WORD, 'gu'), out = '', last = 0, m;
    while ((m = re.exec(text))) {
      if (matches(m[0], ts)) {
        out += esc(text.slice(last, m.index)) + '<mark>' + esc(m[0]) + '</mark>';
        last = m.index + m[0].length;
      }
    }
    return out + esc(text.slice(last));
  }
  // About 30 words of `text` around the first match, or '' when nothing matches.
  function snippet(text, ts) {
    var re = new RegExp(WORD, 'gu'), starts = [], first = -1, m;
    while ((m = re.exec(text))) {
      if (first < 0 && matches(m[0], ts)) first = starts.length;
      starts.push(m.index);
    }
    if (first < 0) return '';
    var from = Math.max(0, first - 8), to = Math.min(starts.length, from + 30);
    var part = text.slice(starts[from], to < starts.length ? starts[to] : text.length).trim();
    return (from > 0 ? '… ' : '') + highlight(part, ts) + (to < starts.length ? ' …' : '');
  }
  // Map doc id -> [best weight of exactly spelled matches (0: none), best weight] of one query
  // word `t` in one shard of the index (format: src/render/search.rs).
  function match(shard, t, split) {
    var hits = new Map();
    var prefix = t.last && Array.from(t.fold).length >= split;
    for (var word in shard) {
      var full = word === t.fold;
      if (!full && !(prefix && word.startsWith(t.fold))) continue;
      var spellings = shard[word];
      for (var sp in spellings) {
        var spelling = sp || word;
        // A word typed without marks says nothing about spelling: only marked words rank exact.
        var exact = t.low !== t.fold && (prefix ? spelling.startsWith(t.low) : spelling === t.low);
        var postings = spellings[sp];
        var id = 0;
        for (var i = 0; i < postings.length; i++) {
          var n = postings[i];
          id += Math.floor(n / 8);
          var bits = n % 8;
          var w = ((bits & 4 ? 9 : 0) + (bits & 2 ? 3 : 0) + (bits & 1 ? 1 : 0)) * (full ? 2 : 1);
          var cur = hits.get(id);
          if (!cur) hits.set(id, [exact ? w : 0, w]);
          else { cur[0] = Math.max(cur[0], exact ? w : 0); cur[1] = Math.max(cur[1], w); }
        }
      }
    }
    return hits;
  }

  // Documents matching every word (one `match` map per word), best first: more exactly spelled
  // words, then their weight (title 9 > tags 3 > body 1, doubled for a whole word rather than a
  // prefix), then the weight of any spelling, then newest (lower id).
  function rank(maps) {
    if (!maps.length) return [];
    maps = maps.slice().sort(function (a, b) { return a.size - b.size; });
    var hits = [];
    maps[0].forEach(function (_, id) {
      var tier = 0, exact = 0, score = 0;
      for (var k = 0; k < maps.length; k++) {
        var h = maps[k].get(id);
        if (!h) return;
        tier += h[0] ? 1 : 0;
        exact += h[0];
        score += h[1];
      }
      hits.push({ id: id, tier: tier, exact: exact, score: score });
    });
    return hits.sort(function (a, b) {
      return b.tier - a.tier || b.exact - a.exact || b.score - a.score || a.id - b.id;
    });
  }
  var api = {
    fold: fold, words: words, lower: lower, shardKey: shardKey, terms: terms, match: match, rank: rank,
    highlight: highlight, snippet: snippet,
  };
  global.canhbaoSearch = api;
  if (typeof document === 'undefined') return;

  var root = document.querySelector('[data-index]');
  if (!root) return;
  var indexUrl = root.getAttribute('data-index');
  var base = indexUrl.replace(/index\.json$/, '');
  var form = root.querySelector('form');
  var input = form.querySelector('input[name="q"]');
  var status = root.querySelector('.search-status');
  var list = root.querySelector('.search-results');
  var more = root.querySelector('.search-more');
  var all = document.querySelector('.search-all');
  var cache = {};
  var run = 0;
  var shown = { hits: [], terms: [], count: 0 };

  function getJSON(url, fresh) {
    if (!cache[url]) {
      cache[url] = fetch(url, fresh ? { cache: 'no-cache' } : {}).then(function (r) {
        if (!r.ok) throw new Error(url + ': ' + r.status);
        return r.json();
      });
      cache[url].catch(function () { delete cache[url]; });
    }
    return cache[url];
  }

  async function lookup(m, t) {
    var key = shardKey(t.fold, m.split);
    if (!(key in m.shards)) return new Map();
    return match(await getJSON(base + 'w/' + key + '.json?h=' + m.shards[key]), t, m.split);
  }

  async function search(query) {
    var ts = terms(query);
    if (!ts.length) return null;
    var m = await getJSON(indexUrl, true);
    var maps = await Promise.all(ts.map(function (t) { return lookup(m, t); }));
    return { m: m, terms: ts, hits: rank(maps) };
  }

  function dateVi(d) {
    var p = d.split('-');
    return 'ngày ' + p[2] + ' tháng ' + Number(p[1]) + ' năm ' + p[0];
  }

  async function card(m, hit, ts) {
    var c = Math.floor(hit.id / m.chunk);
    var chunk = await getJSON(base + 'd/' + c + '.json?h=' + m.dh);
    var d = chunk[hit.id % m.chunk]; // [url, title, date, summary, tags, excerpt]
    var snip = snippet(d[5], ts);
    return '<li class="card"><h2 class="card-title"><a href="' + esc(d[0]) + '">' + highlight(d[1], ts) + '</a></h2>' +
      '<p class="meta"><time datetime="' + esc(d[2]) + '">' + dateVi(d[2]) + '</time>' +
      (d[4] ? ' · ' + highlight(d[4], ts) : '') + '</p>' +
      (d[3] ? '<p class="card-summary">' + highlight(d[3], ts) + '</p>' : '') +
      (snip ? '<p class="snippet">' + snip + '</p>' : '') + '</li>';
  }

  async function showMore(mine) {
    var next = shown.hits.slice(shown.count, shown.count + PAGE);
    var html = await Promise.all(next.map(function (h) { return card(shown.m, h, shown.terms); }));
    if (mine !== run) return;
    list.insertAdjacentHTML('beforeend', html.join(''));
    shown.count += next.length;
    more.hidden = shown.count >= shown.hits.length;
  }

  async function update(query, push) {
    var mine = ++run;
    if (push) history.replaceState(null, '', query ? '?q=' + encodeURIComponent(query) : location.pathname);
    try {
      var result = await search(query);
      if (mine !== run) return;
      list.textContent = '';
      if (!result) {
        status.textContent = '';
        list.hidden = more.hidden = true;
        all.hidden = false;
        return;
      }
      all.hidden = true;
      list.hidden = false;
      shown = { m: result.m, terms: result.terms, hits: result.hits, count: 0 };
      status.textContent = result.hits.length
        ? 'Tìm thấy ' + result.hits.length + ' cảnh báo cho “' + query.trim() + '”.'
        : 'Không tìm thấy cảnh báo nào cho “' + query.trim() + '”. Hãy thử từ khác, hoặc xem tất cả cảnh báo bên dưới.';
      if (!result.hits.length) all.hidden = false;
      await showMore(mine);
    } catch (e) {
      if (mine !== run) return;
      status.textContent = 'Chưa tải được dữ liệu tìm kiếm. Hãy thử lại, hoặc xem tất cả cảnh báo bên dưới.';
      all.hidden = false;
    }
  }

  var timer;
  input.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(function () { update(input.value, true); }, 150);
  });
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    clearTimeout(timer);
    update(input.value, true);
  });
  more.querySelector('button').addEventListener('click', function () { showMore(run); });
  var q = new URLSearchParams(location.search).get('q') || '';
  if (q) {
    input.value = q;
    var header = document.querySelector('.site-header input[name="q"]');
    if (header) header.value = q;
    update(q, false);
  }
})(globalThis);
