import { launchChromium, serve } from './support.mjs';
const { server, base } = await serve('/tmp/phone-out/public');
const browser = await launchChromium();
const ctx = await browser.newContext({ viewport: { width: 360, height: 740 } });
const page = await ctx.newPage();
for (const [name, path, sel] of [['hotline', '/duong-day-nong/', 'table'], ['article', '/canh-bao/gia-danh-cong-an-goi-dien/', 'table']]) {
  for (const zoom of ['100%', '200%']) {
    await page.goto(base + path);
    await page.evaluate((z) => { document.documentElement.style.fontSize = z; }, zoom);
    await page.locator(sel).scrollIntoViewIfNeeded();
    await page.evaluate(() => window.scrollBy(0, -100));
    await page.screenshot({ path: `/tmp/phone-shots/${name}-table-${zoom.replace('%','')}.png` });
  }
}
await browser.close(); server.close();
