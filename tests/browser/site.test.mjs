// Browser tests of the example site (issue 5): Vietnamese search, the share button, the copy
// buttons of the page for officials (issue 12), axe-core,
// layout at 360 px, tap targets, focus, 200 % text, page weight, HTML validity (vnu), screenshots;
// on a phone (issue 11): the first warning on the first screen, tables as labelled cards, the
// hotline bar in reach and whole, the search box usable at 200 % text.
//
// The test builds the example site itself (`cargo run --release -- build --output <tmp>`), serves
// it on 127.0.0.1 with a small static server, and drives Debian's Chromium with playwright-core.
// Set CANHBAO_CHROMIUM to use another browser binary. Screenshots go to target/screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchChromium, repo, serve } from './support.mjs';

const axeSource = readFileSync(join(repo, 'node_modules/axe-core/axe.min.js'), 'utf8');
const shots = join(repo, 'target/screenshots');

const ARTICLE = '/canh-bao/gia-danh-cong-an-goi-dien/';
// Pages checked with axe, at 360 px and at 200 % text.
const PAGES = [
  ['home', '/'],
  ['article', ARTICLE],
  ['term', '/thu-doan/gia-danh-co-quan-chuc-nang/'],
  ['search', '/tim-kiem/?q=lua%20dao'],
  ['search-empty', '/tim-kiem/'],
  ['leaflet', '/to-roi/cong-nhan-khu-cong-nghiep/kcn-tan-binh/'],
  ['leaflets', '/to-roi/'],
  ['hotline', '/duong-day-nong/'],
];
// Pages with tables (issue 11).
const TABLES = [['article', ARTICLE], ['hotline', '/duong-day-nong/']];


let out, server, browser, base;


before(async () => {
  out = mkdtempSync(join(tmpdir(), 'canhbao-browser-'));
  execFileSync('cargo', ['run', '--release', '--quiet', '--', 'build', '--output', join(out, 'public')], {
    cwd: repo, stdio: ['ignore', 'inherit', 'inherit'], timeout: 15 * 60_000,
  });
  ({ server, base } = await serve(join(out, 'public')));
  browser = await launchChromium();
  mkdirSync(shots, { recursive: true });
}, { timeout: 20 * 60_000 });

after(async () => {
  await browser?.close();
  await new Promise((ok) => (server ? server.close(ok) : ok()));
  if (out) rmSync(out, { recursive: true, force: true });
});

async function newPage(options = {}) {
  const context = await browser.newContext({ viewport: { width: 390, height: 800 }, ...options });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  return { context, page };
}

async function searchResults(page, query) {
  await page.goto(`${base}/tim-kiem/?q=${encodeURIComponent(query)}`);
  await page.locator('.search-status').filter({ hasText: /Tìm thấy|Không tìm thấy/ }).waitFor();
  return page.$$eval('.search-results .card-title a', (as) => as.map((a) => a.getAttribute('href')));
}

const T = { timeout: 120_000 };

test('"lua dao" finds the articles titled "lừa đảo" first', T, async () => {
  const { context, page } = await newPage();
  const urls = await searchResults(page, 'lua dao');
  assert.deepEqual(urls.slice(0, 2), ['/canh-bao/lua-dao-dip-tet/', '/canh-bao/lua-dao-tinh-cam/']);
  // Highlighted in the title, with diacritics as written.
  assert.deepEqual(await page.$$eval('.search-results li:first-child h2 mark', (m) => m.map((x) => x.textContent)),
    ['lừa', 'đảo']);
  assert.ok(await page.locator('.search-results .snippet mark').count() > 0, 'snippets are highlighted');
  assert.ok(await page.locator('.search-all').isHidden(), 'the list of all warnings is hidden');
  await context.close();
});

test('"gia danh cong an" finds the police impersonation warning first', T, async () => {
  const { context, page } = await newPage();
  await page.goto(`${base}/tim-kiem/`);
  // Typed into the box as a reader would (results update while typing).
  await page.locator('.search-page input[name=q]').pressSequentially('gia danh cong an', { delay: 20 });
  await page.waitForFunction(() => new URLSearchParams(location.search).get('q') === 'gia danh cong an');
  await page.locator('.search-status').filter({ hasText: 'gia danh cong an' }).waitFor();
  const urls = await page.$$eval('.search-results .card-title a', (as) => as.map((a) => a.getAttribute('href')));
  assert.equal(urls[0], '/canh-bao/gia-danh-cong-an-goi-dien/');
  await context.close();
});

test('"đường" ranks đường above dương; "duong" finds both', T, async () => {
  const { context, page } = await newPage();
  const exact = await searchResults(page, 'đường');
  assert.equal(exact[0], '/canh-bao/ung-dung-gia-mao/', 'đường in the title');
  assert.equal(exact.at(-1), '/canh-bao/gia-danh-benh-vien-duong-tinh/', 'only dương: last');
  assert.ok(exact.length >= 3);
  const folded = await searchResults(page, 'duong');
  assert.deepEqual(new Set(folded.slice(0, 2)),
    new Set(['/canh-bao/ung-dung-gia-mao/', '/canh-bao/gia-danh-benh-vien-duong-tinh/']));
  const marked = await page.$$eval('.search-results mark', (m) => m.map((x) => x.textContent.toLowerCase()));
  for (const spelling of ['đường', 'dương', 'đương']) assert.ok(marked.includes(spelling), spelling);
  const typo = await searchResults(page, 'xyzzy lừa');
  assert.equal(typo.length, 0);
  assert.ok(await page.locator('.search-all').isVisible(), 'no result: the list of all warnings is shown');
  await context.close();
});

test('without JavaScript the search page lists every warning', T, async () => {
  const { context, page } = await newPage({ javaScriptEnabled: false });
  await page.goto(`${base}/`);
  await page.locator('header input[name=q]').fill('lua dao');
  await page.locator('header form[role=search] button').click();
  await page.waitForURL(/\/tim-kiem\/\?q=lua\+dao/);
  const items = await page.locator('.search-all li').count();
  assert.ok(items >= 10, `${items} warnings listed`);
  await context.close();
});

test('share: the share sheet when there is one, else the link is copied', T, async () => {
  const permalink = `https://canhbao.example.vn${ARTICLE}`;
  {
    const { context, page } = await newPage();
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
    await context.addInitScript(() => { delete Navigator.prototype.share; delete navigator.share; });
    await page.goto(base + ARTICLE);
    assert.equal(await page.evaluate(() => typeof navigator.share), 'undefined');
    await page.getByRole('button', { name: 'Chia sẻ' }).click();
    await page.locator('.share-status').filter({ hasText: 'Đã sao chép liên kết' }).waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), permalink);
    await context.close();
  }
  {
    const { context, page } = await newPage();
    await context.addInitScript(() => {
      navigator.share = (data) => { window.shared = data; return Promise.resolve(); };
    });
    await page.goto(base + ARTICLE);
    await page.getByRole('button', { name: 'Chia sẻ' }).click();
    assert.equal(await page.evaluate(() => window.shared.url), permalink);
    assert.equal(await page.locator('.share-status').textContent(), '');
    await context.close();
  }
});

test('officials page (issue 12): each "Sao chép" button copies its text, with the Clipboard API or without', T, async () => {
  for (const withoutApi of [false, true]) {
    const { context, page } = await newPage();
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
    if (withoutApi) {
      // Older phones: no navigator.clipboard.writeText, so the script selects a hidden field.
      await context.addInitScript(() => { Object.defineProperty(navigator.clipboard, 'writeText', { value: undefined }); });
    }
    await page.goto(base + ARTICLE + 'kenh/');
    const buttons = page.locator('button[data-copy]');
    assert.ok(await buttons.count() >= 3, 'SMS, loudspeaker and social texts have copy buttons');
    const button = buttons.nth(1);
    const id = await button.getAttribute('data-copy');
    const text = await page.locator(`[id="${id}"]`).textContent();
    await button.click();
    await page.locator('.copy-status').filter({ hasText: 'Đã sao chép' }).waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), text, withoutApi ? 'execCommand path' : 'Clipboard API path');
    await context.close();
  }
});

test('axe: no serious or critical violation', T, async () => {
  const { context, page } = await newPage();
  const problems = [];
  for (const [name, path] of PAGES) {
    await page.goto(base + path);
    if (path.includes('?q=')) await page.locator('.search-results li').first().waitFor();
    await page.evaluate(axeSource);
    const result = await page.evaluate(() => window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
    }));
    for (const v of result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')) {
      problems.push(`${name}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    }
  }
  assert.deepEqual(problems, []);
  await context.close();
});

test('360 px: no horizontal scrolling, also with text at 200 %', T, async () => {
  const { context, page } = await newPage({ viewport: { width: 360, height: 740 } });
  const problems = [];
  for (const [name, path] of PAGES) {
    for (const zoom of ['100%', '200%']) {
      await page.goto(base + path);
      await page.evaluate((z) => { document.documentElement.style.fontSize = z; }, zoom);
      const [scroll, client] = await page.evaluate(() =>
        [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
      if (scroll > client) problems.push(`${name} at text ${zoom}: ${scroll} px wide`);
    }
  }
  assert.deepEqual(problems, []);
  await context.close();
});

test('issue 11: the leaflets index previews the sheets without the print toolbar at 360 px', T, async () => {
  const { context, page } = await newPage({ viewport: { width: 360, height: 740 } });
  await page.goto(base + '/to-roi/');
  const previews = page.locator('iframe[src*="#xem-truoc"]');
  const count = await previews.count();
  assert.ok(count >= 3, `${count} previews`);
  for (let i = 0; i < count; i++) {
    const preview = previews.nth(i);
    await preview.scrollIntoViewIfNeeded();
    const box = await preview.boundingBox();
    assert.ok(box && box.x >= 0 && box.x + box.width <= 360, `preview ${i} inside the screen: ${JSON.stringify(box)}`);
    const frame = await (await preview.elementHandle()).contentFrame();
    await frame.waitForLoadState();
    const [toolbar, sheetWidth, frameWidth] = await frame.evaluate(() => {
      const bar = document.querySelector('.toolbar');
      const shown = bar !== null && getComputedStyle(bar).display !== 'none' && bar.getClientRects().length > 0;
      return [shown, document.documentElement.scrollWidth, document.documentElement.clientWidth];
    });
    assert.equal(toolbar, false, `preview ${i}: the print toolbar is hidden`);
    assert.ok(sheetWidth <= frameWidth + 1, `preview ${i}: the sheets fit the frame (${sheetWidth} > ${frameWidth})`);
  }
  await context.close();
});

test('issue 11: at 360×740 the first screen shows the most important warning', T, async () => {
  const { context, page } = await newPage({ viewport: { width: 360, height: 740 } });
  await page.goto(`${base}/`);
  const first = page.locator('main .card-title').first();
  // The urgent warning changed most recently (updated 2025-11-03), not the oldest or the newest.
  assert.equal(await first.locator('a').getAttribute('href'), '/canh-bao/cuoc-goi-deepfake/');
  assert.equal(await page.locator('.urgent .card-title').first().textContent(), await first.textContent());
  const box = await first.boundingBox();
  assert.ok(box.y + box.height <= 740, `the first warning's title ends at ${box.y + box.height} px`);
  // Listed once: the urgent box and the list below share no article.
  const hrefs = await page.$$eval('main .card-title a', (as) => as.map((a) => a.getAttribute('href')));
  assert.equal(new Set(hrefs).size, hrefs.length, hrefs.join(' '));
  await page.screenshot({ path: join(shots, 'home-first-screen-360.png') });
  await context.close();
});

test('issue 11: tables read completely at 360 px, also with text at 200 %', T, async () => {
  const { context, page } = await newPage({ viewport: { width: 360, height: 740 } });
  const problems = [];
  for (const [name, path] of TABLES) {
    for (const zoom of ['100%', '200%']) {
      await page.goto(base + path);
      await page.evaluate((z) => { document.documentElement.style.fontSize = z; }, zoom);
      const cells = await page.$$eval('.content table', (tables) => tables.flatMap((table) => {
        const found = [];
        if (table.scrollWidth > table.clientWidth + 1) found.push(`a table scrolls sideways (${table.scrollWidth} px)`);
        for (const td of table.querySelectorAll('tbody td')) {
          const r = td.getBoundingClientRect();
          const label = td.getAttribute('data-label');
          const shown = getComputedStyle(td, '::before').content;
          if (r.left < 0 || r.right > document.documentElement.clientWidth + 0.5 || r.width < 100) {
            found.push(`cell "${td.textContent.slice(0, 20)}" at ${r.left}..${r.right} px`);
          }
          if (!label || shown !== JSON.stringify(label)) found.push(`cell "${td.textContent.slice(0, 20)}" shows label ${shown}`);
        }
        return found;
      }));
      const count = await page.locator('.content tbody td').count();
      if (count < 8) problems.push(`${name}: only ${count} cells`);
      problems.push(...cells.map((p) => `${name} at text ${zoom}: ${p}`));
      const [scroll, client] = await page.evaluate(() =>
        [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
      if (scroll > client) problems.push(`${name} at text ${zoom}: ${scroll} px wide`);
    }
  }
  assert.deepEqual(problems, []);
  // The rebuttal column is on screen for every row of the scam script.
  await page.goto(base + ARTICLE);
  for (const cell of await page.locator('td[data-label="Sự thật"]').all()) {
    await cell.scrollIntoViewIfNeeded();
    assert.ok(await cell.isVisible());
  }
  await page.locator('.content table').screenshot({ path: join(shots, 'table-cards-360.png') });
  await context.close();
});

test('issue 11: the hotline stays within reach and whole at 200 % text; the search box stays usable', T, async () => {
  const { context, page } = await newPage({ viewport: { width: 360, height: 740 } });
  for (const zoom of ['100%', '200%']) {
    await page.goto(base + ARTICLE);
    await page.evaluate((z) => { document.documentElement.style.fontSize = z; }, zoom);
    // The search box in the header: a field wide enough to type in, its button beside it, on screen.
    const input = await page.locator('header input[name=q]').boundingBox();
    const button = await page.locator('header form[role=search] button').boundingBox();
    assert.ok(input.width >= 120, `text ${zoom}: search field ${input.width} px wide`);
    assert.ok(input.x + input.width <= button.x && button.x + button.width <= 360, `text ${zoom}: search button`);
    await page.locator('header input[name=q]').fill('cong an');
    assert.equal(await page.locator('header input[name=q]').inputValue(), 'cong an');
    // Scrolled halfway down, then to the end: the call link is on screen and nothing covers it.
    for (const where of ['middle', 'end']) {
      await page.evaluate((w) => window.scrollTo(0, w === 'end' ? document.body.scrollHeight : document.body.scrollHeight / 2), where);
      const seen = await page.evaluate(() => {
        const a = document.querySelector('.hotline-bar a');
        const r = a.getBoundingClientRect();
        const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
        return { top: r.top, bottom: r.bottom, href: a.getAttribute('href'), covered: !a.contains(hit), y: window.scrollY };
      });
      assert.ok(seen.y > 0, 'the page scrolled');
      assert.ok(seen.top >= 0 && seen.bottom <= 740 && !seen.covered, `text ${zoom}, ${where}: ${JSON.stringify(seen)}`);
      assert.equal(seen.href, 'tel:113');
      assert.ok(seen.bottom <= 740 / 6, `text ${zoom}: the bar takes ${seen.bottom} px of 740`);
    }
    // The icon keeps its size and shape beside the label; the label is whole, not cut or overlapped.
    const parts = await page.evaluate(() => {
      const icon = document.querySelector('.hotline-bar svg').getBoundingClientRect();
      const label = document.querySelector('.hotline-text');
      const r = label.getBoundingClientRect();
      return { icon: [icon.left, icon.right, icon.width, icon.height], label: [r.left, r.right],
        clipped: label.scrollWidth > label.clientWidth + 1, text: label.textContent };
    });
    const [, iconRight, iconWidth, iconHeight] = parts.icon;
    assert.ok(iconWidth >= 20 && Math.abs(iconWidth - iconHeight) < 1, `text ${zoom}: icon ${iconWidth}×${iconHeight}`);
    assert.ok(iconRight <= parts.label[0] && parts.label[1] <= 360, `text ${zoom}: ${JSON.stringify(parts)}`);
    assert.ok(!parts.clipped && parts.text.includes('Công an (khẩn cấp)') && parts.text.includes('113'), JSON.stringify(parts));
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(shots, `hotline-bar-360-${zoom.replace('%', '')}.png`) });
  }
  await context.close();
});

test('tap targets are at least 24×24 px and focus is visible', T, async () => {
  const { context, page } = await newPage({ viewport: { width: 360, height: 740 } });
  await page.goto(base + ARTICLE);
  const small = await page.$$eval(
    '.hotline-bar a, .site-nav a, .search-box input, .search-box button, .share-list .btn, .tags a, .btn-call',
    (els) => els.map((e) => [e.outerHTML.slice(0, 60), e.getBoundingClientRect()])
      .filter(([, r]) => r.width > 0 && (r.width < 24 || r.height < 24)).map(([h]) => h));
  assert.deepEqual(small, []);
  const unfocused = [];
  for (let i = 0; i < 8; i++) {
    await page.keyboard.press('Tab');
    const style = await page.evaluate(() => {
      const e = document.activeElement;
      const s = getComputedStyle(e);
      return { tag: e.outerHTML.slice(0, 50), outline: s.outlineStyle, width: parseFloat(s.outlineWidth) };
    });
    if (style.outline === 'none' || style.width < 2) unfocused.push(style.tag);
  }
  assert.deepEqual(unfocused, []);
  await context.close();
});

test('first load of an article stays under 50 KB (HTML + CSS + JS)', T, async (t) => {
  const { context, page } = await newPage();
  let bytes = 0;
  const parts = [];
  page.on('response', async (r) => {
    const type = r.request().resourceType();
    if (['document', 'stylesheet', 'script'].includes(type)) {
      const n = (await r.body()).length;
      bytes += n;
      parts.push(`${type} ${n}`);
    }
  });
  await page.goto(base + ARTICLE, { waitUntil: 'networkidle' });
  t.diagnostic(`article first load: ${bytes} bytes (${parts.join(', ')}), uncompressed`);
  assert.ok(bytes < 50 * 1024, `${bytes} bytes`);
  await context.close();
});

test('HTML is valid (vnu, the Nu Html Checker)', { ...T, skip: !hasJava() && 'java not found' }, () => {
  const files = [...new Set(PAGES.map(([, path]) => path.split('?')[0]))]
    .map((path) => join(out, 'public', path, 'index.html'));
  const jar = join(repo, 'node_modules/vnu-jar/build/dist/vnu.jar');
  const result = spawnSync('java', ['-jar', jar, '--errors-only', '--format', 'text', ...files],
    { encoding: 'utf8', timeout: 90_000 });
  assert.equal(result.status, 0, result.stderr || result.stdout);
});

function hasJava() {
  return spawnSync('java', ['-version'], { stdio: 'ignore' }).status === 0;
}

test('screenshots at 390 and 1280 px', T, async () => {
  for (const width of [390, 1280]) {
    const { context, page } = await newPage({ viewport: { width, height: 900 } });
    for (const [name, path] of [['home', '/'], ['article', ARTICLE], ['search', '/tim-kiem/?q=lua%20dao']]) {
      await page.goto(base + path);
      if (path.includes('?q=')) await page.locator('.search-results li').first().waitFor();
      await page.screenshot({ path: join(shots, `${name}-${width}.png`), fullPage: true });
    }
    await context.close();
  }
});
