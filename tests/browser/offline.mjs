// Browser tests of opening the app with no network, as on a phone at a school without signal:
// 新建督导 opened once online, the page reloaded offline comes from the device (sw.js answers
// with X-Dudao-Kept: 1; the schools and the checklist are the copies kept in localStorage),
// the draft and a photo are added offline, and once the network is back the photo uploads and
// the visit is filed; the same when only the server was out of reach (no online event). 退出
// (online or not) and a session ended without it forget what was kept about the user. A
// principal's answer being written (note and photo) comes back after a reload and goes once
// filed; 退出 with drafts on the device names them and deletes them only when asked to.
// run.mjs imports offlineTests(h) and adds each test.

import path from 'node:path';
import { request } from 'playwright-core';

import { pngBuffer } from './rectification.mjs';

const SCHOOL = '城关镇中心小学'; // in inspector duxue's town

export function offlineTests(h) {
  const { BASE, OUT, RUN_ID, PASSWORD, login, apiAs, assert, assertEq } = h;
  const tests = [];
  const test = (name, fn) => tests.push({ name, fn });
  const shot = (page, name) => page.screenshot({ path: path.join(OUT, `offline-${name}.png`) });

  // Waits until the service worker controls the page and keeps every static file it loaded
  // (polled here: waitForFunction would take the async check's promise for a true value).
  async function keptOnDevice(page) {
    const kept = () => page.evaluate(async () => {
      if (!navigator.serviceWorker.controller) return false;
      const c = await caches.open('dudao-static-v1');
      const files = ['/', ...performance.getEntriesByType('resource').map((r) => new URL(r.name))
        .filter((u) => u.origin === location.origin && !u.pathname.startsWith('/api/') && u.pathname !== '/healthz')
        .map((u) => u.pathname)];
      for (const f of files) if (!(await c.match(f))) return false;
      return files.includes('/app.js') && files.includes('/page-visit-new.js');
    });
    for (let waited = 0; !(await kept()); waited += 200) {
      if (waited > 15_000) throw new Error('the app was not kept on the device (service worker, cache)');
      await page.waitForTimeout(200);
    }
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
    const finding = page.locator('.finding').last();
    await finding.locator('textarea[data-k="description"]').fill(desc);
    await finding.locator('input[type=file][capture]').setInputFiles({ name: '离线.png', mimeType: 'image/png', buffer: pngBuffer() });
    await finding.locator('.ph-status.wait').waitFor();
    await shot(page, 'visit-form');

    // Back online (Chromium says so with an online event): the photo uploads with the session
    // read again, never refused for its CSRF token and marked bad.
    await context.setOffline(false);
    await finding.locator('.ph-status.ok, .ph-status.bad').first().waitFor({ timeout: 10_000 });
    assertEq(await finding.locator('.ph-status').first().innerText(), '已上传', 'the photo taken offline, once online');
    await page.click('#visit-submit');
    const result = page.locator('#visit-result');
    await result.waitFor({ timeout: 15_000 }).catch(async () => {
      throw new Error(`not filed once online: ${await page.locator('#visit-error').innerText().catch(() => '')}`);
    });
    const dx = await apiAs('duxue');
    try {
      const v = (await dx.call('GET', `/api/v1/visits/${await result.getAttribute('data-visit-id')}`)).body;
      assertEq([v.state, v.school_name, v.findings.map((f) => f.description), v.findings[0].evidence_ids.length],
        ['filed', SCHOOL, [desc], 1], 'the filed visit (API)');
    } finally {
      await dx.dispose();
    }
  });

  test('新建督导 started while the server was out of reach (the device online all along) files once it answers', async ({ page }) => {
    const desc = `服务器断开时登记的问题-${RUN_ID}`;
    await login(page, 'duxue');
    await page.goto(BASE + '/#/visit-new');
    await page.waitForSelector('#visit-form');
    await keptOnDevice(page);
    // The session read finds no server: the app starts as the kept user, with no CSRF token,
    // and no online event will come.
    const noServer = (route) => route.abort('connectionrefused');
    await page.route('**/api/v1/session', noServer);
    await page.reload();
    await page.waitForSelector('#visit-form');
    assertEq(await page.evaluate(() => navigator.onLine), true, 'the device stays online');
    await page.unroute('**/api/v1/session', noServer);
    await page.selectOption('#v-school', { label: SCHOOL });
    const item = page.locator('.check-item').nth(1);
    await item.locator('label.seg-opt', { hasText: '不符合' }).click();
    await item.locator('button.add-for').click();
    await page.locator('.finding').last().locator('textarea[data-k="description"]').fill(desc);
    await page.click('#visit-submit');
    await page.locator('#visit-result').waitFor({ timeout: 15_000 }).catch(async () => {
      throw new Error(`not filed: ${await page.locator('#visit-error').innerText().catch(() => '')}`);
    });
  });

  test('online, every static file comes from the server even when the device\'s storage is full (nothing answered from the device)', async ({ page, context }) => {
    await login(page, 'duxue');
    await page.goto(BASE + '/#/visit-new');
    await page.waitForSelector('#visit-form');
    await keptOnDevice(page);
    // Storage full: keeping a copy fails (the photos share the origin's quota).
    const est = await page.evaluate(() => navigator.storage.estimate());
    const cdp = await context.newCDPSession(page);
    await cdp.send('Storage.overrideQuotaForOrigin', { origin: BASE, quotaSize: Math.floor(est.usage / 2) });
    const kept = [];
    page.on('response', (r) => { if (r.headers()['x-dudao-kept']) kept.push(new URL(r.url()).pathname); });
    await page.reload();
    await page.waitForSelector('#visit-form');
    assertEq(kept, [], 'files answered from the device while the server answered');
  });

  const keptKeys = (page) => page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('dudao.kept.')));

  // With no network, the app at #/visit-new must not open as anyone.
  async function opensAsNobody(page, context, what) {
    await context.setOffline(true);
    await page.goto(BASE + '/#/visit-new').catch(() => {});
    await page.reload().catch(() => {}); // the goto may have been a hash change only
    await page.waitForSelector('#view .alert.error');
    assertEq(await page.locator('#visit-form').count(), 0, `the form, offline, ${what}`);
    assertEq(await page.locator('#who').innerText(), '', `the user shown, offline, ${what}`);
  }

  // Signed in as duxue with 新建督导 kept on the device and a draft typed.
  async function keptAsDuxue(page) {
    await login(page, 'duxue');
    await page.goto(BASE + '/#/visit-new');
    await page.waitForSelector('#visit-form');
    await keptOnDevice(page);
    assert((await keptKeys(page)).includes('dudao.kept.user'), 'the user is kept while signed in');
  }

  // 退出, then nothing kept and no opening as the user with no network.
  async function signOutLeavesNothing(page, context) {
    await page.click('#logout-btn');
    await page.waitForURL((u) => u.pathname === '/login.html');
    assertEq(await keptKeys(page), [], 'what was kept after 退出');
    await opensAsNobody(page, context, 'after 退出');
  }

  test('退出 forgets the user and reads kept on the device; with no network the app then does not open as them', async ({ page, context }) => {
    await keptAsDuxue(page);
    await signOutLeavesNothing(page, context);
  });

  test('退出 with no network forgets what was kept at once and says the sign-out waits for the network', async ({ page, context }) => {
    await keptAsDuxue(page);
    await context.setOffline(true);
    await page.click('#logout-btn');
    await page.waitForSelector('#flash.error');
    assert((await page.locator('#flash').innerText()).includes('没有网络'), 'the message says there is no network');
    assertEq(await keptKeys(page), [], 'what was kept after 退出 with no network');
    await opensAsNobody(page, context, 'after 退出 with no network');
  });

  test('退出 after a start with the server out of reach leaves nothing kept (reading the session for it keeps nobody)', async ({ page, context }) => {
    await keptAsDuxue(page);
    const noServer = (route) => route.abort('connectionrefused');
    await page.route('**/api/v1/session', noServer);
    await page.reload();
    await page.waitForSelector('#visit-form');
    await page.unroute('**/api/v1/session', noServer);
    await signOutLeavesNothing(page, context);
  });

  test('a session that ended without 退出 (a 401) forgets what was kept: offline the app does not open as the user', async ({ page, context }) => {
    await keptAsDuxue(page);
    await context.clearCookies();
    await page.reload();
    await page.waitForURL((u) => u.pathname === '/login.html');
    assertEq(await keptKeys(page), [], 'what was kept after the 401');
    await opensAsNobody(page, context, 'after the session ended');
  });

  // A new open item of SCHOOL (filed through the API as duxue); returns its id.
  async function openItem(desc) {
    const dx = await apiAs('duxue');
    try {
      const orgs = (await dx.call('GET', '/api/v1/orgs?per_page=500')).body.items;
      const school = orgs.find((o) => o.kind === 'school' && o.name === SCHOOL).id;
      const v = await dx.call('POST', '/api/v1/visits', { school_id: school, visit_date: '2026-11-20', kind: '经常性督导',
        file: true, findings: [{ item_id: 1, severity: '一般', description: desc }] });
      assertEq(v.status, 201, 'POST /visits');
      return v.body.findings[0].rectification_id;
    } finally {
      await dx.dispose();
    }
  }

  // The principal answers item (version 1) with a photo from another device, through the API.
  async function answerElsewhere(item) {
    const ctx = await request.newContext({ baseURL: BASE });
    try {
      const s = await ctx.post('/api/v1/session', { data: { username: 'xiaozhang', password: PASSWORD } });
      const csrf = (await s.json()).csrf_token;
      const up = await ctx.post('/api/v1/evidence', { data: pngBuffer(), headers: { 'X-CSRF-Token': csrf, 'Content-Type': 'image/png', 'X-Filename': 'b.png' } });
      const r = await ctx.post(`/api/v1/rectifications/${item}/answer`,
        { data: { version: 1, note: '在电脑上提交的答复', evidence_ids: [(await up.json()).id] }, headers: { 'X-CSRF-Token': csrf } });
      assertEq(r.status(), 200, 'answer from another device');
    } finally {
      await ctx.dispose();
    }
  }

  test('处理整改: an answer being written (note and photo) comes back after a reload, and goes once it is filed', async ({ page }) => {
    const note = `已整改：围栏已加固-${RUN_ID}`;
    const item = await openItem(`围栏松动-${RUN_ID}`);
    await login(page, 'xiaozhang');
    await page.goto(BASE + `/#/inbox/${item}`);
    await page.fill('#answer-note', note);
    await page.locator('#answer-photos').setInputFiles({ name: '整改后.png', mimeType: 'image/png', buffer: pngBuffer(30, 20, [40, 160, 80]) });
    await page.locator('#answer-form .picked li').waitFor();

    await page.reload();
    await page.waitForSelector('#answer-form');
    await page.locator('#answer-form .picked li img').waitFor({ timeout: 5000 }).catch(() => { throw new Error('the photo did not come back'); });
    assertEq(await page.inputValue('#answer-note'), note, 'the note after a reload');
    assertEq(await page.locator('#answer-form .picked li').count(), 1, 'photos after a reload');

    await page.click('#answer-form button[type=submit]');
    await page.waitForSelector('#answer-form', { state: 'detached' });
    const pa = await apiAs('xiaozhang');
    try {
      const it = (await pa.call('GET', `/api/v1/rectifications/${item}`)).body;
      const answer = it.journal.find((e) => e.action === 'answer');
      assertEq([it.state, answer && answer.note, answer && answer.evidence_ids.length], ['submitted', note, 1], 'the answer filed (API)');
    } finally {
      await pa.dispose();
    }
    assertEq(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('dudao.answer-draft.'))), [],
      'answer drafts left on the device');
  });

  test('处理整改: a draft written before a 退回 is not offered again in the next round', async ({ page }) => {
    const item = await openItem(`旧草稿-${RUN_ID}`);
    await login(page, 'xiaozhang');
    await page.goto(BASE + `/#/inbox/${item}`);
    await page.fill('#answer-note', '手机上的旧草稿');
    await page.locator('#answer-photos').setInputFiles({ name: '旧.png', mimeType: 'image/png', buffer: pngBuffer() });
    await page.locator('#answer-form .picked li').waitFor();
    // Meanwhile answered from another device, and returned by the inspector.
    await answerElsewhere(item);
    const dx = await apiAs('duxue');
    try {
      assertEq((await dx.call('POST', `/api/v1/rectifications/${item}/return`, { version: 2, reason: '照片不清楚' })).status, 200, 'return');
    } finally {
      await dx.dispose();
    }
    await page.reload();
    await page.waitForSelector('#answer-form');
    await page.waitForTimeout(500); // the restore would have come by now
    assertEq(await page.inputValue('#answer-note'), '', 'the note of the earlier round');
    assertEq(await page.locator('#answer-form .picked li').count(), 0, 'photos of the earlier round');
  });

  test('待办 sweeps away the draft of an item answered on another device, photo and all, and keeps the others', async ({ page }) => {
    const gone = await openItem(`别处答复-${RUN_ID}`);
    const stays = await openItem(`仍待整改-${RUN_ID}`);
    await login(page, 'xiaozhang');
    for (const [item, name] of [[gone, '别处.png'], [stays, '仍在.png']]) {
      await page.goto(BASE + `/#/inbox/${item}`);
      await page.fill('#answer-note', `草稿 ${item}`);
      await page.locator('#answer-photos').setInputFiles({ name, mimeType: 'image/png', buffer: pngBuffer() });
      await page.locator('#answer-form .picked li').waitFor();
    }
    const drafts = async () => page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('dudao.answer-draft.')).sort());
    const before = await drafts();
    assertEq(before.map((k) => k.split('.').pop()).sort(), [String(gone), String(stays)].sort(), 'drafts written');
    const gonePid = await page.evaluate((k) => JSON.parse(localStorage.getItem(k)).photos[0].pid, before.find((k) => k.endsWith(`.${gone}`)));
    await answerElsewhere(gone);
    await page.goto(BASE + '/#/inbox');
    await page.waitForSelector('#open-items');
    assertEq((await drafts()).map((k) => k.split('.').pop()), [String(stays)], 'drafts after 待办 loaded');
    let photo = 'not read';
    for (let i = 0; i < 50 && photo !== null; i++) { // the delete finishes after the page drew
      photo = await page.evaluate(async (pid) => ((await (await import('/photo-store.js')).getPhoto(pid)) ? 'kept' : null), gonePid);
      if (photo !== null) await page.waitForTimeout(100);
    }
    assertEq(photo, null, 'the swept draft\'s photo on the device');
  });

  // The keys of the drafts on the device, and whether the photo pid is still kept there.
  const draftKeys = (page) => page.evaluate(() => Object.keys(localStorage)
    .filter((k) => k.startsWith('dudao.answer-draft.') || k.startsWith('dudao.visit-draft.')).sort());
  const photoKept = (page, pid) => page.evaluate(async (p) => !!(await (await import('/photo-store.js')).getPhoto(p)), pid);

  test('退出 with an answer being written asks first: 取消 keeps it; with no network it stays; 删除草稿并退出 drops it and its photo', async ({ page, context }) => {
    const item = await openItem(`退出草稿-${RUN_ID}`);
    await login(page, 'xiaozhang');
    await page.goto(BASE + `/#/inbox/${item}`);
    await page.fill('#answer-note', '退出前未提交的答复');
    await page.locator('#answer-photos').setInputFiles({ name: '未提交.png', mimeType: 'image/png', buffer: pngBuffer() });
    await page.locator('#answer-form .picked li').waitFor();
    const [key] = await draftKeys(page);
    assert(key && key.endsWith(`.${item}`), `the answer draft is kept (${key})`);
    const pid = await page.evaluate((k) => JSON.parse(localStorage.getItem(k)).photos[0].pid, key);

    await page.click('#logout-btn');
    await page.locator('#logout-confirm').waitFor();
    assert((await page.locator('#logout-confirm-text').innerText()).includes('整改答复的草稿 1 份'), 'the question names the draft');
    await shot(page, 'logout-drafts');
    await page.click('#logout-confirm-no');
    await page.locator('#logout-confirm').waitFor({ state: 'hidden' });
    assert(!page.url().includes('login.html'), 'still signed in after 取消');
    assertEq(await draftKeys(page), [key], 'the draft after 取消');
    assert(await photoKept(page, pid), 'the photo after 取消');

    // With no network the sign-out waits, and so do the drafts of the user still signed in.
    await context.setOffline(true);
    await page.click('#logout-btn');
    await page.click('#logout-confirm-yes');
    await page.waitForSelector('#flash.error');
    assertEq(await draftKeys(page), [key], 'the draft after 退出 with no network');
    assert(await photoKept(page, pid), 'the photo after 退出 with no network');
    await context.setOffline(false);

    await page.click('#logout-btn');
    await page.click('#logout-confirm-yes');
    await page.waitForURL((u) => u.pathname === '/login.html');
    assertEq(await draftKeys(page), [], 'drafts after 删除草稿并退出');
    assertEq(await photoKept(page, pid), false, 'the photo after 删除草稿并退出');
  });

  test('退出 with a visit being written names it and drops it; with nothing typed it signs out at once', async ({ page }) => {
    await login(page, 'duxue');
    await page.goto(BASE + '/#/visit-new');
    await page.waitForSelector('#visit-form');
    await page.click('#logout-btn');
    await page.waitForURL((u) => u.pathname === '/login.html'); // an untouched form is no draft
    await login(page, 'duxue');
    await page.goto(BASE + '/#/visit-new');
    await page.waitForSelector('#visit-form');
    await page.selectOption('#v-school', { label: SCHOOL });
    await page.click('#logout-btn');
    await page.locator('#logout-confirm').waitFor();
    assert((await page.locator('#logout-confirm-text').innerText()).includes('新建督导的草稿 1 份'), 'the question names the visit');
    await page.click('#logout-confirm-yes');
    await page.waitForURL((u) => u.pathname === '/login.html');
    assertEq(await draftKeys(page), [], 'drafts after 删除草稿并退出');
  });

  return tests;
}
