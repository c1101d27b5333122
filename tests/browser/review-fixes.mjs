// Browser tests of the defects a browser review of the pages found: a back-dated visit filed
// without a question, API field names in the messages users read, required inputs left to
// the server, the page a signed-out user was sent to lost at sign-in, the 整改台账 page number
// lost after opening an item, photos of a deleted finding left on the device, a finding on an
// item answered 符合, the phone menu staying open, a PDF shown as a broken image, a stale
// photo-upload message, delete buttons too small for a thumb, and history shown at the time
// it was recorded instead of its date; queues cut at 200 items without a word. run.mjs imports
// reviewFixesTests(h) and adds each test; h carries its helpers.
//
// "Today" is the server's (GET /healthz, settable with DUDAO_TODAY), never the clock. Every
// test makes the records it needs (named with a unique suffix) or reads them from the API.

import path from 'node:path';
import { request } from 'playwright-core';

import { serverToday, addDays } from './settings-helpers.mjs';
import { pngBuffer } from './rectification.mjs';

const SCHOOL = '城关镇中心小学'; // principal xiaozhang's school, in inspector duxue's town
const LATIN = /[A-Za-z_]/; // an API field name (or path) shown to the user
const IDEOGRAPHIC_SPACE = '\u3000';

// A small PDF (a scan as a principal would attach it).
const pdfBuffer = () => Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n'
  + '2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n', 'latin1');

export function reviewFixesTests(h) {
  const { BASE, OUT, RUN_ID, PASSWORD, login, apiAs, assert, assertEq, noHorizontalScroll } = h;
  const tests = [];
  const test = (name, fn) => tests.push({ name, fn });
  const shot = (page, name, full = false) => page.screenshot({ path: path.join(OUT, `review-${name}.png`), fullPage: full });
  let seq = 0;
  const unique = (what) => `${what}-${RUN_ID}-${++seq}`;
  const today = () => serverToday(BASE);

  async function switchTo(page, username) {
    await page.context().clearCookies();
    await login(page, username);
  }

  // Waits until loc is visible; fails saying `what` did not appear.
  async function shown(loc, what, timeout = 10_000) {
    await loc.waitFor({ state: 'visible', timeout }).catch(() => { throw new Error(`${what} did not appear`); });
  }

  // Counts the page's POST requests whose path matches re.
  function countPosts(page, re) {
    const n = { posts: 0 };
    page.on('request', (r) => { if (r.method() === 'POST' && re.test(new URL(r.url()).pathname)) n.posts++; });
    return n;
  }

  async function schoolId(client) {
    const r = await client.call('GET', '/api/v1/orgs?per_page=500');
    const s = r.body.items.find((o) => o.kind === 'school' && o.name === SCHOOL);
    assert(s, `school ${SCHOOL} not in scope`);
    return s.id;
  }

  // Files a visit at SCHOOL through the API (as duxue) with one finding; returns its item.
  async function newItem(desc) {
    const dx = await apiAs('duxue');
    try {
      const r = await dx.call('POST', '/api/v1/visits', { school_id: await schoolId(dx), visit_date: await today(),
        kind: '经常性督导', answers: [{ item_id: 1, result: '不符合' }],
        findings: [{ item_id: 1, severity: '一般', description: desc }], file: true });
      assertEq(r.status, 201, 'POST /visits ' + JSON.stringify(r.body));
      const it = await dx.call('GET', `/api/v1/rectifications/${r.body.findings[0].rectification_id}`);
      assertEq(it.status, 200, 'GET the new item');
      return it.body;
    } finally {
      await dx.dispose();
    }
  }

  // The principal answers item `it` through the API with one uploaded photo.
  async function answerByApi(it) {
    const ctx = await request.newContext({ baseURL: BASE });
    try {
      const s = await ctx.post('/api/v1/session', { data: { username: 'xiaozhang', password: PASSWORD } });
      assertEq(s.status(), 201, 'API login as xiaozhang');
      const csrf = (await s.json()).csrf_token;
      const up = await ctx.post('/api/v1/evidence', { data: pngBuffer(), headers: { 'X-CSRF-Token': csrf, 'Content-Type': 'image/png', 'X-Filename': 'a.png' } });
      assertEq(up.status(), 201, 'evidence upload');
      const r = await ctx.post(`/api/v1/rectifications/${it.id}/answer`,
        { data: { version: it.version, note: '已整改', evidence_ids: [(await up.json()).id] }, headers: { 'X-CSRF-Token': csrf } });
      assertEq(r.status(), 200, 'answer ' + await r.text());
    } finally {
      await ctx.dispose();
    }
  }

  // Opens 新建督导 with the settings read, SCHOOL chosen and `visitDate` (today when null).
  async function openVisitForm(page, { visitDate = null, school = true } = {}) {
    await page.goto(BASE + '/#/visit-new');
    await page.waitForSelector('#visit-form');
    await page.waitForSelector('#deadline-rules[data-source="settings"]');
    if (school) await page.selectOption('#v-school', { label: SCHOOL });
    if (visitDate) await page.fill('#v-date', visitDate);
  }

  // Marks checklist item n 不符合, adds a finding on it with `desc`; returns the finding.
  async function findingOn(page, n, desc) {
    const item = page.locator('.check-item').nth(n);
    await item.locator('label.seg-opt', { hasText: '不符合' }).click();
    await item.locator('button.add-for').click();
    const finding = page.locator('.finding').last();
    await finding.waitFor();
    await finding.locator('textarea[data-k="description"]').fill(desc);
    return finding;
  }

  // The escalation level of an item `overdue` days late under the settings' thresholds.
  async function levelFor(overdue) {
    const dx = await apiAs('duxue');
    const esc = (await dx.call('GET', '/api/v1/settings')).body.escalate_days;
    await dx.dispose();
    return Object.entries(esc).filter(([, d]) => overdue >= d).sort((a, b) => b[1] - a[1]).map(([l]) => l)[0] || '';
  }

  test('新建督导: a visit dated over 30 days back, or with a deadline already past, is filed only after an in-page confirmation', async ({ page }) => {
    const day = await today();
    const dialogs = [];
    page.on('dialog', (d) => { dialogs.push(d.type()); d.dismiss().catch(() => {}); });
    const sent = countPosts(page, /^\/api\/v1\/visits$/);
    await login(page, 'duxue');
    const far = addDays(day, -730); // 2026 typed as 2024
    await openVisitForm(page, { visitDate: far });
    const desc = unique('收费公示栏未更新');
    const finding = await findingOn(page, 0, desc);
    const box = page.locator('#file-confirm');
    // Asked, in Chinese, with the date, how long ago and that the items would be overdue at once.
    await page.click('#visit-submit');
    await shown(box, `the confirmation for a visit dated ${far} (POSTs sent: ${sent.posts})`, 5000);
    let text = await box.innerText();
    const farDeadline = await finding.locator('input[data-k="deadline"]').inputValue();
    const overdue = Math.round((Date.parse(day) - Date.parse(farDeadline)) / 86400000);
    assert(text.includes(far) && text.includes('730 天前'), `confirmation lacks the date and the days: "${text}"`);
    assert(text.includes(`问题 1（${farDeadline}）`) && text.includes(`已逾期 ${overdue} 天`) && text.includes('逾期整改项'),
      `confirmation does not say the item is overdue at once: "${text}"`);
    const level = await levelFor(overdue);
    if (level) assert(text.includes(`通报名单（${level}）`), `confirmation lacks the escalation ${level}: "${text}"`);
    assert(!LATIN.test(text.replace(/\d{4}-\d{2}-\d{2}/g, '')), `confirmation has Latin text: "${text}"`);
    assertEq(await page.locator('#visit-result').count(), 0, 'a result before confirming');
    await shot(page, 'backdate-confirm');
    // 返回修改: nothing filed, the form as it was, and its draft saved without asking.
    await page.click('#file-confirm-cancel');
    await box.waitFor({ state: 'hidden' });
    await page.waitForTimeout(300);
    assertEq(sent.posts, 0, 'POST /api/v1/visits after 返回修改');
    assertEq([await page.inputValue('#v-date'), await finding.locator('textarea[data-k="description"]').inputValue()], [far, desc], 'form after 返回修改');
    const draft = await page.evaluate(() => JSON.parse(localStorage.getItem(Object.keys(localStorage).find((k) => k.startsWith('dudao.visit-draft')))));
    assertEq([draft.visit_date, draft.findings[0].description], [far, desc], 'the draft on the device');
    // A recent date whose deadline (set by hand) is past is asked about too.
    const near = addDays(day, -10);
    const past = addDays(day, -2);
    await page.fill('#v-date', near);
    await finding.locator('input[data-k="deadline"]').fill(past);
    await page.waitForSelector('.finding [data-field$="-deadline"] .hint[data-source="manual"]');
    await page.click('#visit-submit');
    await box.waitFor({ state: 'visible' });
    text = await box.innerText();
    assert(text.includes(near) && text.includes('10 天前') && text.includes(`问题 1（${past}）`) && text.includes('已逾期 2 天'),
      `confirmation for a past deadline reads "${text}"`);
    // Changing the form takes the question back; confirming files the visit once.
    const back = addDays(day, -45);
    await page.fill('#v-date', back);
    await box.waitFor({ state: 'hidden' });
    await finding.locator('input[data-k="deadline"]').fill('');
    await page.waitForSelector('.finding [data-field$="-deadline"] .hint[data-source="settings"]');
    await page.click('#visit-submit');
    await box.waitFor({ state: 'visible' });
    assert((await box.innerText()).includes('45 天前'), `confirmation reads "${await box.innerText()}"`);
    assertEq(sent.posts, 0, 'POST /api/v1/visits before confirming');
    await page.click('#file-confirm-ok');
    const result = page.locator('#visit-result');
    await result.waitFor({ timeout: 15_000 });
    assertEq(sent.posts, 1, 'POST /api/v1/visits after confirming');
    const dx = await apiAs('duxue');
    const visit = (await dx.call('GET', `/api/v1/visits/${await result.getAttribute('data-visit-id')}`)).body;
    await dx.dispose();
    assertEq([visit.visit_date, visit.findings.map((f) => f.description)], [back, [desc]], 'the filed visit (API)');
    assertEq(dialogs, [], 'browser dialogs (window.confirm and the like)');
  });

  for (const result of ['符合', '不适用']) {
  test(`新建督导: a finding on an item answered ${result} is not filed; the message names the item`, async ({ page }) => {
    const sent = countPosts(page, /^\/api\/v1\/visits$/);
    await login(page, 'duxue');
    await openVisitForm(page);
    const item = page.locator('.check-item').nth(1);
    const code = (await item.locator('legend .code').innerText()).trim();
    const title = (await item.locator('legend').innerText()).trim().slice(code.length).trim();
    const finding = await findingOn(page, 1, unique('公示栏内容过期'));
    await item.locator('label.seg-opt', { hasText: new RegExp(`^${result}$`) }).click();
    await page.click('#visit-submit');
    const err = finding.locator('[data-field$="-item_id"] .field-error');
    await shown(err, `a message under the finding's item (POSTs sent: ${sent.posts})`, 5000);
    for (const t of [await err.innerText(), await page.locator('#visit-error').innerText()]) {
      assert(t.includes(code) && t.includes(title) && t.includes(`“${result}”`) && t.includes('不符合') && t.includes('删除'),
        `message does not name the item ${code} ${title}, its result and what to do: "${t}"`);
    }
    await page.waitForTimeout(300);
    assertEq(sent.posts, 0, `POST /api/v1/visits with a finding on a ${result} item`);
    assertEq(await page.locator('#file-confirm:visible, #visit-result').count(), 0, 'confirmation or result shown');
    await shot(page, `finding-on-${result === '符合' ? 'pass' : 'na'}`);
  });
  }

  test('新建督导: deleting a finding deletes its photos from the device (IndexedDB)', async ({ page }) => {
    await login(page, 'duxue');
    await openVisitForm(page, { school: false }); // no school: the photos wait on the device
    await page.click('#add-finding');
    const finding = page.locator('.finding').first();
    await finding.locator('input[type=file][multiple]').setInputFiles([
      { name: '现场1.png', mimeType: 'image/png', buffer: pngBuffer() },
      { name: '现场2.png', mimeType: 'image/png', buffer: pngBuffer(20, 20, [30, 90, 200]) }]);
    await page.waitForFunction(() => document.querySelectorAll('.finding .thumbs li').length === 2);
    const pids = await page.evaluate(() => JSON.parse(localStorage.getItem(Object.keys(localStorage)
      .find((k) => k.startsWith('dudao.visit-draft')))).findings[0].photos.map((p) => p.pid));
    assertEq(pids.length, 2, 'photos in the draft');
    // How many of the pids IndexedDB still holds.
    const stored = () => page.evaluate((ids) => new Promise((resolve, reject) => {
      const req = indexedDB.open('dudao-drafts');
      req.onerror = () => reject(req.error);
      req.onsuccess = () => {
        const db = req.result;
        const store = db.transaction('photos').objectStore('photos');
        let n = 0;
        let left = ids.length;
        ids.forEach((id) => {
          const g = store.get(id);
          g.onsuccess = () => { if (g.result) n++; if (--left === 0) { db.close(); resolve(n); } };
        });
      };
    }), pids);
    assertEq(await stored(), 2, 'photos in IndexedDB before deleting the finding');
    const del = finding.locator('button[data-remove]');
    await del.click();
    await del.click();
    await page.waitForFunction(() => !document.querySelector('.finding'));
    let left = 2;
    for (let i = 0; i < 20 && left; i++) {
      await page.waitForTimeout(100);
      left = await stored();
    }
    assertEq(left, 0, 'photos of the deleted finding left in IndexedDB');
  });

  test('新建督导: the photo-upload failure message goes once the network is back and every photo is uploaded', async ({ page, context }) => {
    await login(page, 'duxue');
    await openVisitForm(page);
    const finding = await findingOn(page, 0, unique('实验室药品台账缺失'));
    await context.setOffline(true);
    await finding.locator('input[type=file][capture]').setInputFiles({ name: '离线.png', mimeType: 'image/png', buffer: pngBuffer() });
    await finding.locator('.ph-status.wait').waitFor();
    await page.click('#visit-submit');
    const err = page.locator('#visit-error');
    await err.waitFor({ state: 'visible' });
    assert((await err.innerText()).includes('照片上传失败'), `offline message: ${await err.innerText()}`);
    await context.setOffline(false);
    await finding.locator('.ph-status.ok').waitFor({ timeout: 10_000 });
    await err.waitFor({ state: 'hidden', timeout: 3000 }).catch(async () => {
      throw new Error(`"${await err.innerText()}" still shown after the photo was uploaded`);
    });
    await shot(page, 'photo-error-gone');
  });

  test('待办 and 待核查: required inputs are checked in the page in Chinese (white space is blank); server messages name no API field', async ({ page }) => {
    const it = await newItem(unique('食堂从业人员健康证过期'));
    const sent = countPosts(page, new RegExp(`^/api/v1/rectifications/${it.id}/`));
    await login(page, 'xiaozhang');
    await page.goto(BASE + `/#/inbox/${it.id}`);
    await page.waitForSelector('#answer-form');
    const submit = '#answer-form button[type=submit]';
    const visibleText = async (sel) => ((await page.locator(sel).isVisible()) ? (await page.locator(sel).innerText()).trim() : '');
    // Nothing filled: both fields say what is missing.
    await page.click(submit);
    await shown(page.locator('#err-answer-photos'), 'a message under the photos of an empty answer', 5000);
    for (const id of ['answer-note', 'answer-photos']) {
      const t = await visibleText(`#err-${id}`);
      assert(/[\u4e00-\u9fff]/.test(t) && !LATIN.test(t), `message under ${id}: "${t}"`);
    }
    assertEq(await page.getAttribute('#answer-note', 'aria-invalid'), 'true', 'aria-invalid on the note');
    // White space alone (the ideographic space too) is no note.
    await page.fill('#answer-note', `${IDEOGRAPHIC_SPACE} ${IDEOGRAPHIC_SPACE}`);
    await page.click(submit);
    await page.locator('#err-answer-note').waitFor({ state: 'visible' });
    await page.fill('#answer-note', '已为全部从业人员办理健康证');
    await page.click(submit);
    await page.locator('#err-answer-photos').waitFor({ state: 'visible' });
    assertEq(await visibleText('#err-answer-note'), '', 'note error with a note');
    await page.waitForTimeout(300);
    assertEq(sent.posts, 0, 'answers sent with a blank note or no photo');
    // A refusal the server words with its field name ("字段 note 不能为空") reads with the label.
    const xz = await apiAs('xiaozhang');
    const server = await xz.call('POST', `/api/v1/rectifications/${it.id}/answer`, { version: it.version, note: IDEOGRAPHIC_SPACE, evidence_ids: [] });
    assertEq([server.status, server.body.error.field], [400, 'note'], 'answer with a blank note (API)');
    assert(server.body.error.message.includes('note'), `the server's message "${server.body.error.message}" no longer names the field`);
    await page.locator('#answer-photos').setInputFiles({ name: '健康证.png', mimeType: 'image/png', buffer: pngBuffer() });
    await page.locator('#answer-form .picked img').waitFor();
    const blankNote = (route) => route.continue({ postData: JSON.stringify({ ...route.request().postDataJSON(), note: IDEOGRAPHIC_SPACE }) });
    await page.route('**/api/v1/rectifications/*/answer', blankNote);
    await page.click(submit);
    await page.locator('#err-answer-note').waitFor({ state: 'visible' });
    let t = await visibleText('#err-answer-note');
    assert(t.includes('整改情况说明') && !LATIN.test(t), `server message under the note: "${t}"`);
    await page.unroute('**/api/v1/rectifications/*/answer', blankNote);
    await shot(page, 'answer-errors', true);
    // The extension request: a deadline and a reason, checked the same way.
    await page.click('#extension-box summary');
    const extSubmit = '#extension-form button[type=submit]';
    await page.click(extSubmit);
    await shown(page.locator('#err-ext-deadline'), 'a message under the deadline of an empty extension request', 5000);
    for (const id of ['ext-deadline', 'ext-reason']) {
      t = await visibleText(`#err-${id}`);
      assert(/[\u4e00-\u9fff]/.test(t) && !LATIN.test(t), `message under ${id}: "${t}"`);
    }
    const wanted = addDays(it.deadline, 10);
    await page.fill('#ext-deadline', wanted);
    await page.fill('#ext-reason', IDEOGRAPHIC_SPACE);
    await page.click(extSubmit);
    await page.locator('#err-ext-reason').waitFor({ state: 'visible' });
    assertEq(await visibleText('#err-ext-deadline'), '', 'deadline error with a deadline');
    const before = sent.posts;
    await page.fill('#ext-reason', '需要等待卫生部门体检');
    const blankReason = (route) => route.continue({ postData: JSON.stringify({ ...route.request().postDataJSON(), reason: ' ' }) });
    await page.route('**/api/v1/rectifications/*/extensions', blankReason);
    await page.click(extSubmit);
    await page.locator('#err-ext-reason').waitFor({ state: 'visible' });
    t = await visibleText('#err-ext-reason');
    assert(t.includes('延期理由') && !LATIN.test(t), `server message under the reason: "${t}"`);
    assertEq(sent.posts - before, 1, 'extension requests sent');
    await page.unroute('**/api/v1/rectifications/*/extensions', blankReason);
    await shot(page, 'extension-errors', true);
    const now = (await xz.call('GET', `/api/v1/rectifications/${it.id}`)).body;
    await xz.dispose();
    assertEq([now.state, now.version, Boolean(now.pending_extension)], ['open', it.version, false], 'item after the refused requests');
    // 退回 with an ideographic space only is stopped in the page too.
    await answerByApi(it);
    await switchTo(page, 'duxue');
    const returned = countPosts(page, /\/return$/);
    await page.goto(BASE + `/#/verify/${it.id}`);
    await page.waitForSelector('#verify-form');
    await page.fill('#verify-note', IDEOGRAPHIC_SPACE);
    await page.click('#return-btn');
    await page.locator('#err-verify-note').waitFor({ state: 'visible' });
    await page.waitForTimeout(300);
    assertEq(returned.posts, 0, '退回 sent with a blank reason');
  });

  test('新建督导: a refusal the server gives for a finding\'s field shows without the API path or field name', async ({ page }) => {
    const day = await today();
    await login(page, 'duxue');
    await openVisitForm(page);
    await findingOn(page, 0, unique('校车安全检查记录不全'));
    const dx = await apiAs('duxue');
    const school = await schoolId(dx);
    // What the server says (nothing is stored: it refuses the body).
    const refused = async (finding) => {
      const r = await dx.call('POST', '/api/v1/visits', { school_id: school, visit_date: day, kind: '经常性督导',
        findings: [{ item_id: 1, severity: '一般', ...finding }], file: true });
      assertEq(r.status, 400, 'POST /visits ' + JSON.stringify(r.body));
      assert(r.body.error.message.startsWith(`${r.body.error.field}：`), `the server's message "${r.body.error.message}" has no path`);
      return r.body.error;
    };
    for (const [k, change, label] of [['deadline', { deadline: addDays(day, -1) }, '整改期限'], ['description', { description: IDEOGRAPHIC_SPACE }, '问题描述']]) {
      const server = await refused({ description: 'x', ...change });
      assertEq(server.field, `findings[0].${k}`, `field of the refusal (${k})`);
      const alter = (route) => {
        const body = route.request().postDataJSON();
        body.findings[0] = { ...body.findings[0], ...change };
        return route.continue({ postData: JSON.stringify(body) });
      };
      await page.route('**/api/v1/visits', alter);
      await page.click('#visit-submit');
      const err = page.locator(`.finding [data-field$="-${k}"] .field-error`);
      await err.waitFor({ state: 'visible' });
      const under = (await err.innerText()).trim();
      const top = (await page.locator('#visit-error').innerText()).trim();
      await page.unroute('**/api/v1/visits', alter);
      for (const t of [under, top]) {
        assert(!LATIN.test(t) && !t.includes('findings'), `message with the API path or name (${k}): "${t}"`);
      }
      assert(top.includes('问题 1'), `the message above 提交 does not say which finding: "${top}"`);
      if (k === 'description') assert(under.includes(label), `message under the description: "${under}"`);
      else assert(under.includes(server.message.slice(server.field.length + 1)), `message under the deadline "${under}" is not the server's`);
    }
    await dx.dispose();
    await shot(page, 'visit-server-error');
  });

  test('signing in lands on the page the user was sent from (an item, the ledger\'s filters), never off the site', async ({ page, context }) => {
    const xz = await apiAs('xiaozhang');
    const open = (await xz.call('GET', '/api/v1/inbox')).body.open;
    await xz.dispose();
    assert(open.length, 'xiaozhang has no open item');
    const id = open[0].id;
    const dialogs = [];
    page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss().catch(() => {}); });
    const signIn = async () => {
      await page.fill('#username', 'xiaozhang');
      await page.fill('#password', PASSWORD);
      await page.click('button[type=submit]');
    };
    const at = () => new URL(page.url());
    for (const hash of [`#/inbox/${id}`, '#/ledger?state=open&overdue=1']) {
      await context.clearCookies();
      await page.goto(BASE + '/' + hash);
      await page.waitForURL((u) => u.pathname === '/login.html');
      await signIn();
      await page.waitForURL((u) => u.pathname === '/' && u.hash === hash, { timeout: 10_000 })
        .catch(() => { throw new Error(`signed in at ${page.url()}, not at ${hash}`); });
      // Settled before the next round clears the cookies: a read still under way would meet
      // a 401 and send the page to 登录 in the middle of the next page.goto.
      await page.waitForLoadState('networkidle');
    }
    await page.waitForSelector('#ledger-filter');
    assertEq([await page.inputValue('#ledger-filter select[name=state]'), await page.isChecked('#ledger-filter input[name=overdue]')],
      ['open', true], 'ledger filters after signing in');
    // Signed in already: the login page goes straight on.
    await page.goto(BASE + '/login.html?next=' + encodeURIComponent(`#/inbox/${id}`));
    await page.waitForURL((u) => u.pathname === '/' && u.hash === `#/inbox/${id}`);
    await page.locator('#item-title').waitFor();
    // Anything but a hash route of this site leads to 首页 here.
    for (const next of ['https://example.com/#/inbox', '//example.com/#/inbox', 'javascript:alert(1)', '#/inbox\njavascript:alert(1)', '/\\example.com']) {
      await page.goto(BASE + '/login.html?next=' + encodeURIComponent(next));
      await page.waitForURL((u) => u.pathname === '/' && u.hash === '#/home', { timeout: 10_000 })
        .catch(() => { throw new Error(`next=${JSON.stringify(next)} led to ${page.url()}`); });
      assertEq(at().origin, new URL(BASE).origin, `origin after next=${JSON.stringify(next)}`);
    }
    await context.clearCookies();
    await page.goto(BASE + '/login.html?next=' + encodeURIComponent('https://example.com/'));
    await signIn();
    await page.waitForURL((u) => u.pathname === '/' && u.hash === '#/home');
    assertEq(at().origin, new URL(BASE).origin, 'origin after signing in with a foreign next');
    assertEq(dialogs, [], 'dialogs opened');
  });

  test('整改台账: the page number is kept in the address and found again after opening an item', async ({ page }) => {
    await login(page, 'juzhang');
    await page.goto(BASE + '/#/ledger');
    await page.waitForSelector('#ledger-table');
    const pager = page.locator('#ledger-pager span');
    const next = page.locator('#ledger-pager button[data-go="1"]');
    assert(await next.isEnabled(), 'the ledger has a single page');
    await next.click();
    await page.waitForFunction(() => document.querySelector('#ledger-pager span')?.textContent.includes('第 2 /'));
    await page.waitForSelector('#ledger-table');
    assert(new URL(page.url()).hash.includes('page=2'), `page not in the address: ${page.url()}`);
    assert(!(await page.locator('#ledger-xlsx').getAttribute('href')).includes('page='), 'the Excel link carries the page');
    const first = await page.locator('#ledger-table tbody tr').first().getAttribute('data-item-id');
    const onPage2 = async (how) => {
      await page.waitForSelector('#ledger-table');
      const p = (await pager.innerText()).trim();
      assert(p.includes('第 2 /'), `after ${how} the ledger shows "${p}"`);
      assertEq(await page.locator('#ledger-table tbody tr').first().getAttribute('data-item-id'), first, `first row after ${how}`);
    };
    await page.locator(`#ledger-table tr[data-item-id="${first}"] a`).click();
    await page.locator('#item-title').waitFor();
    await page.click('.back a');
    await onPage2('返回整改台账');
    await page.locator(`#ledger-table tr[data-item-id="${first}"] a`).click();
    await page.locator('#item-title').waitFor();
    await page.goBack();
    await onPage2('the browser\'s back');
  });

  test('at 360 px a tap on the page already shown closes the menu', async ({ page }) => {
    await page.setViewportSize({ width: 360, height: 740 });
    await login(page, 'xiaozhang');
    await page.goto(BASE + '/#/inbox');
    await page.waitForSelector('#inbox-summary');
    await page.click('#menu-btn');
    const link = page.locator('#nav a[data-page="inbox"]');
    await link.waitFor({ state: 'visible' });
    await link.click();
    await page.waitForTimeout(300);
    assert(await page.locator('#nav').isHidden(), 'the menu is still open after tapping the page shown');
    assertEq(await page.getAttribute('#menu-btn', 'aria-expanded'), 'false', 'aria-expanded');
    await page.waitForSelector('#inbox-summary');
  });

  test('at 360 px a chosen PDF shows as a file tile with its name, and the 删除 buttons are at least 40 px high', async ({ page }) => {
    await page.setViewportSize({ width: 360, height: 740 });
    const it = await newItem(unique('宿舍楼消防通道不畅'));
    const height = async (loc) => (await loc.boundingBox()).height;
    await login(page, 'xiaozhang');
    await page.goto(BASE + `/#/inbox/${it.id}`);
    await page.waitForSelector('#answer-form');
    const name = '整改报告扫描件.pdf';
    await page.locator('#answer-photos-file').setInputFiles({ name, mimeType: 'application/pdf', buffer: pdfBuffer() });
    const tile = page.locator('#answer-form .picked li').first();
    await tile.waitFor();
    assertEq(await page.locator('#answer-form .picked img').count(), 0, 'images shown for a PDF');
    assert((await tile.locator('.file-tile').innerText()).includes(name), `the tile does not name the file: "${await tile.innerText()}"`);
    const del = tile.locator('.thumb-del');
    assert(await height(del) >= 40, `the answer form's 删除 is ${await height(del)} px high`);
    await noHorizontalScroll(page, 'answer form with a PDF');
    await shot(page, 'pdf-tile');
    await switchTo(page, 'duxue');
    await openVisitForm(page, { school: false });
    await page.click('#add-finding');
    const finding = page.locator('.finding').first();
    await finding.locator('input[type=file][multiple]').setInputFiles({ name: '现场.png', mimeType: 'image/png', buffer: pngBuffer() });
    await finding.locator('.thumbs li').first().waitFor();
    for (const [what, loc] of [['the finding\'s 删除', finding.locator('button[data-remove]')], ['the photo\'s 删除', finding.locator('.thumb-del')]]) {
      const hgt = await height(loc);
      assert(hgt >= 40, `${what} is ${hgt} px high`);
    }
    await noHorizontalScroll(page, '新建督导 with a photo');
    await shot(page, 'tap-targets');
  });

  test('处理记录: an event recorded on another day than its date shows its date, not the recording time', async ({ page }) => {
    // The demo year is recorded when the demo loads: its events carry dates long past.
    const head = await apiAs('juzhang');
    const closed = (await head.call('GET', '/api/v1/rectifications?state=closed&per_page=50')).body.items;
    const now = await today();
    const old = closed.find((x) => x.found_on < addDays(now, -60));
    assert(old, 'no demo item closed more than 60 days ago');
    const journal = (await head.call('GET', `/api/v1/rectifications/${old.id}`)).body.journal;
    await login(page, 'juzhang');
    await page.goto(BASE + `/#/ledger/${old.id}`);
    await page.locator('#item-title').waitFor();
    const shown = await page.locator('.ev-at').allInnerTexts();
    assertEq(shown.length, journal.length, 'events shown');
    journal.forEach((ev, i) => assert(shown[i].trim().startsWith(ev.on_date),
      `event ${i} (${ev.action} on ${ev.on_date}, recorded ${ev.at}) shows "${shown[i]}"`));
  });

  test('待核查 and 延期审批 say when the inbox holds more than the 200 items it lists', async ({ page }) => {
    await login(page, 'duxue');
    // The inbox lists at most 200 of each; counts are totals. Seen through a longer queue than the demo's.
    await page.route('**/api/v1/inbox', async (route) => {
      const box = await (await route.fetch()).json();
      box.counts.to_verify = box.to_verify.length + 150;
      box.counts.extensions = box.extensions.length + 7;
      await route.fulfill({ json: box });
    });
    await page.goto(BASE + '/#/verify');
    await shown(page.locator('#verify-more'), 'the note on more items to verify');
    assert((await page.locator('#verify-more').innerText()).includes('整改台账'), 'the note says where the rest are');
    await shown(page.locator('#extension-more'), 'the note on more extension requests');
    assert((await page.locator('#extension-more').innerText()).includes('其余的 7 项'), 'the note counts the rest');
    await page.unroute('**/api/v1/inbox');
    await page.reload();
    await page.locator('#verify-items, #verify-empty').first().waitFor();
    assertEq(await page.locator('#verify-more, #extension-more').count(), 0, 'notes when the lists hold everything');
  });

  // ---- a second review (flows on a phone and a desktop) ----

  test('整改台账 and 督导记录: an end date before the start date is stopped in the page, under 至, in Chinese', async ({ page }) => {
    await login(page, 'duxue');
    for (const [hash, form] of [['#/ledger', '#ledger-filter'], ['#/visits', '#visit-filter']]) {
      await page.goto(BASE + '/' + hash);
      await page.waitForSelector(`${form} input[name=to]`);
      const asked = { n: 0 };
      const count = (r) => { if (/\/api\/v1\/(rectifications\/ledger|visits)\?/.test(r.url())) asked.n++; };
      page.on('request', count);
      await page.fill(`${form} input[name=from]`, '2026-10-01');
      await page.fill(`${form} input[name=to]`, '2026-09-01');
      await page.click(`${form} button[type=submit]`);
      await page.waitForTimeout(300);
      page.off('request', count);
      assertEq(asked.n, 0, `${hash}: requests sent for a reversed range`);
      assertEq(await page.$eval(`${form} input[name=to]`, (i) => i.validationMessage), '结束日期不能早于开始日期', `${hash}: the message on 至`);
    }
  });

  test('督导记录: the page number is kept in the address and found again after a reload', async ({ page }) => {
    await login(page, 'duxue');
    await page.goto(BASE + '/#/visits');
    await page.waitForSelector('#visit-table');
    const next = page.locator('#visit-pager button', { hasText: '下一页' });
    assert(await next.isEnabled(), 'the demo has a second page of visits');
    await next.click();
    await page.waitForFunction(() => location.hash.includes('page=2'));
    await page.reload();
    await page.waitForSelector('#visit-table');
    assert((await page.locator('#visit-pager').innerText()).includes('第 2 /'), 'the page after a reload');
  });

  test('处理整改: a file the service refuses is marked and named under the photos; more than 20 files are not taken', async ({ page }) => {
    const it = await newItem(unique('拒收文件'));
    await login(page, 'xiaozhang');
    await page.goto(BASE + `/#/inbox/${it.id}`);
    await page.fill('#answer-note', '已整改');
    // Not a JPEG, as the phone claimed: the service answers 415.
    await page.route('**/api/v1/evidence', (route) => route.fulfill({ status: 415,
      json: { error: { code: 'unsupported_media_type', message: '文件内容与声明的类型（image/png）不符', field: null } } }));
    await page.locator('#answer-photos-file').setInputFiles({ name: '假照片.png', mimeType: 'image/png', buffer: pngBuffer() });
    await page.locator('#answer-form .picked li').waitFor();
    await page.click('#answer-form button[type=submit]');
    const err = page.locator('#err-answer-photos');
    await shown(err, 'the error under the photos');
    assert((await err.innerText()).includes('“假照片.png”无法上传'), `the error names the file: ${await err.innerText()}`);
    assertEq(await page.locator('#answer-form .picked li.bad').count(), 1, 'the refused file marked');
    await page.unroute('**/api/v1/evidence');
    const files = Array.from({ length: 21 }, (_, i) => ({ name: `p${i}.png`, mimeType: 'image/png', buffer: pngBuffer() }));
    await page.locator('#answer-form .thumb-del').click();
    await page.locator('#answer-photos-file').setInputFiles(files);
    await page.waitForFunction(() => document.querySelectorAll('#answer-form .picked li').length === 20);
    assert((await err.innerText()).includes('每项最多 20 个文件'), `the limit said: ${await err.innerText()}`);
  });

  test('新建督导: the form cannot be changed while the visit is being sent', async ({ page }) => {
    await login(page, 'duxue');
    await openVisitForm(page);
    await findingOn(page, 0, unique('提交时不可修改'));
    let release;
    const held = new Promise((r) => { release = r; });
    await page.route('**/api/v1/visits', async (route) => { await held; await route.continue(); });
    await page.click('#visit-submit');
    await page.waitForFunction(() => document.querySelector('#visit-form').inert);
    const typed = await page.locator('#v-summary').fill('提交途中', { timeout: 500 }).then(() => true, () => false);
    assert(!typed, 'the summary took typing while the visit was being sent');
    release();
    await page.waitForFunction(() => !document.querySelector('#visit-form') || !document.querySelector('#visit-form').inert);
    await page.unroute('**/api/v1/visits');
  });

  test('待核查: when the item changed meanwhile (409) the message is announced and takes the focus', async ({ page }) => {
    const it = await newItem(unique('核查冲突'));
    await answerByApi(it);
    await login(page, 'duxue');
    await page.goto(BASE + `/#/verify/${it.id}`);
    await page.waitForSelector('#close-btn');
    const dx = await apiAs('duxue');
    try {
      const now = (await dx.call('GET', `/api/v1/rectifications/${it.id}`)).body;
      assertEq((await dx.call('POST', `/api/v1/rectifications/${it.id}/return`, { version: now.version, reason: '照片不清楚' })).status, 200, 'returned meanwhile');
    } finally {
      await dx.dispose();
    }
    await page.click('#close-btn');
    const box = page.locator('#verify-form .form-error');
    await shown(box, 'the message of the 409');
    assertEq(await box.getAttribute('role'), 'alert', 'the message is announced');
    assert(await box.evaluate((b) => document.activeElement === b), 'the focus is on the message');
  });

  test('待核查: a reason typed before the session ended comes back after signing in again; 退出 forgets it', async ({ page, context }) => {
    const it = await newItem(unique('会话过期'));
    await answerByApi(it);
    await login(page, 'duxue');
    await page.goto(BASE + `/#/verify/${it.id}`);
    const reason = `照片看不清消防通道-${RUN_ID}`;
    await page.fill('#verify-note', reason);
    await context.clearCookies(); // the session ends
    await page.click('#verify-form button[value=return]');
    await page.waitForURL((u) => u.pathname === '/login.html');
    await page.fill('#username', 'duxue');
    await page.fill('#password', PASSWORD);
    await page.click('button[type=submit]');
    await page.waitForSelector('#verify-note');
    assertEq(await page.inputValue('#verify-note'), reason, 'the reason after signing in again');
    await page.click('#logout-btn');
    await page.waitForURL((u) => u.pathname === '/login.html');
    assertEq(await page.evaluate(() => Object.keys(sessionStorage).filter((k) => k.startsWith('dudao.typed.'))), [], 'typed texts after 退出');
  });

  test('an item that cannot be opened shows the error, not 正在加载… beside it', async ({ page }) => {
    await login(page, 'xiaozhang');
    await page.goto(BASE + '/#/inbox/999999999');
    await page.locator('.page .alert.error').waitFor();
    assert(!(await page.locator('.page').innerText()).includes('正在加载'), 'still says 正在加载…');
  });

  return tests;
}
