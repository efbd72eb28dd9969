// Browser tests of the slide decks (issue 14): navigation by keys, taps and swipes, the
// presenter view, no sideways scroll, list text kept at 1/20 of the slide's height, and the deck
// working from a file:// URL (a USB stick) as well as from the web.
//
// The test builds the example site with the debug binary (`cargo run -- build --output <tmp>`),
// serves it on 127.0.0.1 and drives Debian's Chromium with playwright-core.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { launchChromium, repo, serve } from './support.mjs';

const DECK = '/canh-bao/gia-danh-cong-an-goi-dien/trinh-chieu/';
const HAND_DECK = '/trinh-chieu/noi-chuyen-nguoi-cao-tuoi/';

let out, server, browser, base;

before(async () => {
  out = mkdtempSync(join(tmpdir(), 'canhbao-slides-'));
  execFileSync('cargo', ['run', '--quiet', '--', 'build', '--output', join(out, 'public')], {
    cwd: repo, stdio: ['ignore', 'inherit', 'inherit'], timeout: 15 * 60_000,
  });
  ({ server, base } = await serve(join(out, 'public')));
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  server?.close();
  if (out) rmSync(out, { recursive: true, force: true });
});

/// The number of the slide shown, and how many slides are visible.
async function shown(page) {
  return page.evaluate(() => ({
    n: Number(document.documentElement.dataset.slide),
    visible: [...document.querySelectorAll('.slide')].filter((s) => s.getBoundingClientRect().width > 0).length,
    total: document.querySelectorAll('.slide').length,
  }));
}

test('keys move through the slides, one at a time', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  await page.goto(base + DECK);
  let s = await shown(page);
  assert.deepEqual([s.n, s.visible], [1, 1]);
  for (const [key, expected] of [['ArrowRight', 2], [' ', 3], ['PageDown', 4], ['ArrowLeft', 3], ['End', s.total], ['Home', 1]]) {
    await page.keyboard.press(key);
    s = await shown(page);
    assert.equal(s.n, expected, `after ${key}`);
    assert.equal(s.visible, 1, `one slide visible after ${key}`);
  }
  // The address keeps the slide: a reload comes back to it.
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  assert.equal(new URL(page.url()).hash, '#3');
  await page.reload();
  assert.equal((await shown(page)).n, 3);
  await page.close();
});

test('taps and swipes on a phone move forward and back', async () => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
  const page = await context.newPage();
  await page.goto(base + DECK);
  await page.touchscreen.tap(300, 400);
  assert.equal((await shown(page)).n, 2, 'a tap on the right goes forward');
  await page.touchscreen.tap(300, 400);
  assert.equal((await shown(page)).n, 3);
  await page.touchscreen.tap(40, 400);
  assert.equal((await shown(page)).n, 2, 'a tap on the left third goes back');
  // A swipe to the left goes forward.
  await page.evaluate(() => {
    const stage = document.querySelector('.slides');
    const touch = (x) => new Touch({ identifier: 1, target: stage, clientX: x, clientY: 400 });
    stage.dispatchEvent(new TouchEvent('touchstart', { changedTouches: [touch(300)], bubbles: true }));
    stage.dispatchEvent(new TouchEvent('touchend', { changedTouches: [touch(100)], bubbles: true, cancelable: true }));
  });
  assert.equal((await shown(page)).n, 3, 'a swipe to the left goes forward');
  await context.close();
});

test('no sideways scroll, and list text keeps 1/20 of the slide height on any screen', async () => {
  for (const [width, height] of [[360, 640], [1280, 720], [1920, 1080], [1024, 768]]) {
    const page = await browser.newPage({ viewport: { width, height } });
    await page.goto(base + DECK + '#2');
    const m = await page.evaluate(() => {
      const slide = document.querySelector('.slide.current');
      const li = slide.querySelector('li');
      const r = slide.getBoundingClientRect();
      return {
        scroll: document.documentElement.scrollWidth - document.documentElement.clientWidth,
        ratio: parseFloat(getComputedStyle(li).fontSize) / r.height,
        aspect: r.width / r.height,
        inside: r.left >= 0 && r.right <= window.innerWidth + 0.5 && r.top >= 0 && r.bottom <= window.innerHeight + 0.5,
        overflow: document.documentElement.dataset.overflow,
      };
    });
    assert.equal(m.scroll, 0, `${width}×${height}: sideways scroll`);
    assert.ok(Math.abs(m.ratio - 0.05) < 0.002, `${width}×${height}: list text is ${m.ratio} of the slide height`);
    assert.ok(Math.abs(m.aspect - 16 / 9) < 0.01, `${width}×${height}: aspect ${m.aspect}`);
    assert.ok(m.inside, `${width}×${height}: the slide is inside the window`);
    assert.equal(m.overflow, '', `${width}×${height}: slides that do not fit`);
    await page.close();
  }
});

test('the presenter view shows the notes beside the slide, and two windows follow each other', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const audience = await context.newPage();
  await audience.goto(base + HAND_DECK);
  const presenter = await context.newPage();
  await presenter.goto(base + HAND_DECK + '?presenter');
  const notes = await presenter.evaluate(() => {
    const n = document.querySelector('.notes.current');
    return { shown: n.getBoundingClientRect().width > 0, text: n.textContent };
  });
  assert.ok(notes.shown, 'notes are shown');
  assert.match(notes.text, /Giới thiệu người trình bày/);
  assert.equal(await audience.evaluate(() => document.querySelector('.notes.current').getBoundingClientRect().width), 0,
    'the audience sees no notes');
  await presenter.keyboard.press('ArrowRight');
  await audience.waitForFunction(() => document.documentElement.dataset.slide === '2', null, { timeout: 5000 });
  // P toggles the view.
  await audience.keyboard.press('p');
  assert.ok(await audience.evaluate(() => document.documentElement.classList.contains('presenter')));
  const scroll = await presenter.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.equal(scroll, 0, 'presenter view: sideways scroll');
  await context.close();
});

test('the deck works from a file, without a server (a USB stick)', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(pathToFileURL(join(out, 'public', DECK, 'index.html')).href);
  await page.keyboard.press('ArrowRight');
  assert.equal((await shown(page)).n, 2);
  assert.deepEqual(requests.filter((u) => !u.startsWith('file:')), [], 'no request leaves the file');
  await page.close();
});
