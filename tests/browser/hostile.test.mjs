// Browser test of hostile content (issue 9, "Content that turns into script"): the fixture sites
// under tests/fixtures/hostile/ carry <script>, <img onerror>, <svg onload>, <details ontoggle>,
// <iframe>, <form>, <meta http-equiv=refresh> and javascript: links, each of which would set
// `window.__pwned`, change the title, open a dialog or leave for evil.example. The test builds
// them (raw HTML left out by default, and sanitised when the site opts in), loads their pages in
// Chromium and asserts that none of that happened.
//
// Run alone: `node --test tests/browser/hostile.test.mjs` (needs Chromium, see site.test.mjs). It
// builds with the release binary, like site.test.mjs, so the suite compiles one binary, not two.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchChromium, repo, serve } from './support.mjs';


// Fixture -> pages to load.
const SITES = {
  raw_html: ['/', '/canh-bao/html-doc/', '/gioi-thieu/', '/tim-kiem/?q=pwned', '/tim-kiem/?q=gian'],
  raw_html_allowed: ['/', '/canh-bao/html-doc/', '/tim-kiem/?q=gian'],
  scam_addresses: ['/canh-bao/trang-gia/'],
};


let tmp, browser;
const servers = {};


before(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'canhbao-hostile-'));
  for (const name of Object.keys(SITES)) {
    const root = join(tmp, name);
    cpSync(join(repo, 'tests/fixtures/hostile', name), root, { recursive: true });
    symlinkSync(join(repo, 'themes'), join(root, 'themes'));
    execFileSync('cargo', ['run', '--release', '--quiet', '--', 'build', '--root', root, '--output', join(root, 'public')], {
      cwd: repo, stdio: ['ignore', 'inherit', 'inherit'], timeout: 15 * 60_000,
    });
    servers[name] = await serve(join(root, 'public'));
  }
  browser = await launchChromium();
}, { timeout: 20 * 60_000 });

after(async () => {
  await browser?.close();
  for (const { server } of Object.values(servers)) await new Promise((ok) => server.close(ok));
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/// Loads `url`, clicks every link and hovers every element of the content, and returns what the
/// hostile content tried: dialogs, requests off the site, `window.__pwned`, the title.
async function visit(base, url) {
  const context = await browser.newContext({ viewport: { width: 390, height: 800 } });
  context.setDefaultTimeout(15_000);
  const dialogs = [];
  const offsite = [];
  await context.route('**/*', (route) => {
    const requested = route.request().url();
    if (requested.startsWith(base)) return route.continue();
    offsite.push(requested);
    return route.abort();
  });
  const page = await context.newPage();
  page.on('dialog', (dialog) => { dialogs.push(dialog.message()); dialog.dismiss().catch(() => {}); });
  await page.goto(`${base}${url}`, { waitUntil: 'load' });
  const title = await page.title();
  let navigatedAway = null;
  try {
    // Handlers that need a reader: hover everything in the content, open every <details>.
    for (const element of await page.$$('.content *')) {
      await element.hover({ force: true, timeout: 1_000 }).catch(() => {});
    }
    await page.$$eval('details', (ds) => ds.forEach((d) => { d.open = true; }));
    // A meta refresh or a late onerror would fire by now.
    await page.waitForTimeout(700);
  } catch (error) {
    // Only a navigation started by the content destroys the page's context.
    navigatedAway = String(error);
  }
  const pwned = await page.evaluate(() => window.__pwned).catch(() => 'unknown: the page navigated');
  const finalUrl = page.url();
  const javascriptUrls = await page.$$eval('[href], [src], [action], [formaction]', (els) => els
    .flatMap((e) => ['href', 'src', 'action', 'formaction'].map((a) => e.getAttribute(a)))
    .filter((v) => v && /^\s*(javascript|vbscript|data):/i.test(v.replace(/[\t\n\r]/g, '')))).catch(() => []);
  await context.close();
  return { title, pwned, dialogs, offsite, finalUrl, javascriptUrls, navigatedAway };
}

for (const [name, urls] of Object.entries(SITES)) {
  for (const url of urls) {
    test(`${name}${url}: no script from the content runs (issue 9)`, { timeout: 120_000 }, async () => {
      const { base } = servers[name];
      const seen = await visit(base, url);
      assert.equal(seen.navigatedAway, null, 'the content navigated away');
      assert.equal(seen.pwned, undefined, 'window.__pwned was set');
      assert.notEqual(seen.title, 'PWNED');
      assert.deepEqual(seen.dialogs, [], 'a dialog opened');
      assert.deepEqual(seen.offsite, [], 'the page requested another site');
      assert.ok(seen.finalUrl.startsWith(base), `the page left for ${seen.finalUrl}`);
      assert.deepEqual(seen.javascriptUrls, []);
    });
  }
}

test('a scam address is shown defanged and is not a link (issue 9)', { timeout: 120_000 }, async () => {
  const { base } = servers.scam_addresses;
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${base}/canh-bao/trang-gia/`);
  const quoted = page.locator('.content .scam-address').first();
  assert.equal(await quoted.textContent(), 'hxxp://fake-bank[.]example/login');
  assert.equal(await quoted.evaluate((e) => e.closest('a')), null);
  // Styled visibly by the theme (not plain body text).
  const colour = await quoted.evaluate((e) => getComputedStyle(e).color);
  const bodyColour = await page.evaluate(() => getComputedStyle(document.body).color);
  assert.notEqual(colour, bodyColour);
  await context.close();
});
