// Browser tests of opening the app with no network, as on a phone at a school without signal:
// 新建督导 opened once online, the page reloaded offline comes from the device (sw.js answers
// with X-Dudao-Kept: 1; the schools and the checklist are the copies kept in localStorage),
// the draft is there and grows offline, and once the network is back it is filed. Signing out
// forgets what was kept about the user. run.mjs imports offlineTests(h) and adds each test.

import path from 'node:path';

const SCHOOL = '城关镇中心小学'; // in inspector duxue's town

export function offlineTests(h) {
  const { BASE, OUT, RUN_ID, login, apiAs, assert, assertEq } = h;
  const tests = [];
  const test = (name, fn) => tests.push({ name, fn });
  const shot = (page, name) => page.screenshot({ path: path.join(OUT, `offline-${name}.png`) });

  // Waits until the service worker controls the page and keeps the app's static files.
  async function keptOnDevice(page) {
    await page.waitForFunction(async () => {
      if (!navigator.serviceWorker.controller) return false;
      const c = await caches.open('dudao-static-v1');
      return Boolean(await c.match('/') && await c.match('/app.js') && await c.match('/page-visit-new.js'));
    }, null, { timeout: 15_000 }).catch(() => { throw new Error('the app was not kept on the device (service worker, cache)'); });
  }

  test('新建督导 opens with no network: the page, schools and checklist come from the device; the draft is filed once online', async ({ page, context }) => {
    const desc = `离线登记的问题-${RUN_ID}`;
    await login(page, 'duxue');
    await page.goto(BASE + '/#/visit-new');
    await page.waitForSelector('#visit-form');
    await page.selectOption('#v-school', { label: SCHOOL });
    await keptOnDevice(page);

    await context.setOffline(true);
    const res = await page.reload();
    assert(res, 'the reload got no answer');
    assertEq(res.headers()['x-dudao-kept'], '1', 'the page answered from the device (header X-Dudao-Kept)');
    await page.waitForSelector('#visit-form');
    assert(await page.locator('#offline-banner').isVisible(), 'the page says there is no network');
    assertEq(await page.locator('#v-school option:checked').innerText(), SCHOOL, 'the draft\'s school, from the kept list');
    assert(await page.locator('.check-item').count() > 0, 'the checklist, from the kept template');
    const item = page.locator('.check-item').first();
    await item.locator('label.seg-opt', { hasText: '不符合' }).click();
    await item.locator('button.add-for').click();
    await page.locator('.finding').last().locator('textarea[data-k="description"]').fill(desc);
    await shot(page, 'visit-form');

    await context.setOffline(false);
    await page.evaluate(() => window.dispatchEvent(new Event('online')));
    await page.waitForFunction(async () => (await fetch('/healthz', { cache: 'no-store' })).ok);
    await page.click('#visit-submit');
    const result = page.locator('#visit-result');
    await result.waitFor({ timeout: 15_000 }).catch(async () => {
      throw new Error(`not filed once online: ${await page.locator('#visit-error').innerText().catch(() => '')}`);
    });
    const dx = await apiAs('duxue');
    try {
      const v = (await dx.call('GET', `/api/v1/visits/${await result.getAttribute('data-visit-id')}`)).body;
      assertEq([v.state, v.school_name, v.findings.map((f) => f.description)], ['filed', SCHOOL, [desc]], 'the filed visit (API)');
    } finally {
      await dx.dispose();
    }
  });

  test('退出 forgets the user and reads kept on the device; with no network the app then does not open as them', async ({ page, context }) => {
    await login(page, 'duxue');
    await page.goto(BASE + '/#/visit-new');
    await page.waitForSelector('#visit-form');
    await keptOnDevice(page);
    const keys = () => page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('dudao.kept.')));
    assert((await keys()).includes('dudao.kept.user'), 'the user is kept while signed in');
    await page.click('#logout-btn');
    await page.waitForURL((u) => u.pathname === '/login.html');
    assertEq(await keys(), [], 'what was kept after 退出');
    await context.setOffline(true);
    await page.goto(BASE + '/#/visit-new').catch(() => {});
    await page.waitForSelector('#view .alert.error');
    assertEq(await page.locator('#visit-form').count(), 0, 'the form shown to nobody');
    assertEq(await page.locator('#who').innerText(), '', 'no user shown');
  });

  return tests;
}
