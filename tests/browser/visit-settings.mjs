// Browser tests of the default deadlines the visit form (新建督导) previews: the days of the
// admin's settings (GET /api/v1/settings) for each severity and the date they give from the
// visit date; while the settings load, and when they cannot be read (403, no network), the
// usual defaults, said to be such, with the form and its draft still working; and a visit
// filed from the form gets the deadlines the form showed. run.mjs imports
// visitSettingsTests(h) and adds each test; h carries its helpers.
//
// As in rect-settings.mjs, a changed setting, a refused request and a lost network are played
// by rewriting the settings' answer on its way to the page (page.route); the unchanged answer
// is compared with the API's.

import path from 'node:path';

import { serverToday, addDays, countSettings, rewriteSettings } from './settings-helpers.mjs';

const SEVERITIES = ['一般', '较重', '严重'];
// The usual defaults (docs/api-rectification.md), which the form shows without the settings.
const USUAL = { 严重: 7, 较重: 15, 一般: 30 };

export function visitSettingsTests(h) {
  const { BASE, OUT, RUN_ID, login, apiAs, assert, assertEq, noHorizontalScroll } = h;
  const tests = [];
  const test = (name, fn) => tests.push({ name, fn });
  const shot = (page, name, full = true) => page.screenshot({ path: path.join(OUT, `visit-settings-${name}.png`), fullPage: full });
  let seq = 0;
  const unique = (what) => `${what}-${RUN_ID}-${++seq}`;
  const today = () => serverToday(BASE);

  async function settingsAs(username) {
    const c = await apiAs(username);
    const r = await c.call('GET', '/api/v1/settings');
    await c.dispose();
    assertEq(r.status, 200, `GET /api/v1/settings as ${username}`);
    return r.body;
  }

  const daysList = (days) => ['严重', '较重', '一般'].map((s) => `${s} ${days[s]} 天`).join('、');

  // Opens 新建督导 afresh (the draft on the device is kept) and, unless source is null, waits
  // until the note on the default deadlines comes from `source` (settings, loading, usual).
  async function openForm(page, source = 'settings') {
    await page.goto(BASE + '/#/home');
    await page.waitForSelector('#home-role');
    await page.goto(BASE + '/#/visit-new');
    await page.waitForSelector('#visit-form');
    if (source) await page.waitForSelector(`#deadline-rules[data-source="${source}"]`);
    return (await page.locator('#deadline-rules').innerText()).trim();
  }

  // What the finding `finding` previews: the hint's source, days, date and text, and the
  // date in the deadline field.
  async function preview(finding) {
    const hint = finding.locator('[data-field$="-deadline"] .hint');
    return {
      source: await hint.getAttribute('data-source'),
      days: Number(await hint.getAttribute('data-days')),
      date: await hint.getAttribute('data-date'),
      text: (await hint.innerText()).trim(),
      value: await finding.locator('input[data-k="deadline"]').inputValue(),
    };
  }

  // Chooses severity sev for the finding and checks it previews `days` from `visitDate`,
  // taken from `source`.
  async function checkSeverity(page, finding, sev, days, visitDate, source) {
    await finding.locator('label.seg-opt', { hasText: sev }).click();
    await page.waitForFunction((s) => document.querySelector('.finding input[data-k="severity"]:checked')?.value === s, sev);
    const p = await preview(page.locator('.finding').first());
    const date = addDays(visitDate, days);
    assertEq([p.source, p.days, p.date, p.value], [source, days, date, date], `preview of a ${sev} finding (${source})`);
    assert(p.text.includes(`${sev}问题自督导日期起 ${days} 天，至 ${date}`), `hint of a ${sev} finding reads "${p.text}"`);
    if (source === 'settings') assert(p.text.startsWith('按系统设置'), `hint "${p.text}"`);
    else assert(p.text.startsWith('按通常的默认期限（非现行设置）'), `hint without the settings "${p.text}"`);
    return p;
  }

  test('新建督导: each severity\'s default deadline is the settings\' (as the API gives them), dated from the visit date; changed settings are shown', async ({ page }) => {
    const rules = await settingsAs('duxue');
    const day = await today();
    await login(page, 'duxue');
    const n = countSettings(page);
    let note = await openForm(page);
    assert(note.includes(`按系统设置的默认期限自督导日期起计算：${daysList(rules.deadline_days)}`), `note reads "${note}"`);
    assert(!note.includes('通常的默认期限'), `note with the settings speaks of the usual defaults: "${note}"`);
    assertEq(n.gets, 1, 'GET /api/v1/settings on one page load');
    await page.click('#add-finding');
    const finding = page.locator('.finding').first();
    for (const s of SEVERITIES) await checkSeverity(page, finding, s, rules.deadline_days[s], day, 'settings');
    // Another visit date moves the date, not the days.
    const earlier = addDays(day, -12);
    await page.fill('#v-date', earlier);
    await page.waitForFunction((d) => document.querySelector('.finding input[data-k="deadline"]')?.min === d, earlier);
    for (const s of SEVERITIES) await checkSeverity(page, finding, s, rules.deadline_days[s], earlier, 'settings');
    // Changed settings (values no page has built in) are shown as set, read once per load.
    const changed = { 一般: rules.deadline_days.一般 + 4, 较重: rules.deadline_days.较重 + 3, 严重: rules.deadline_days.严重 + 2 };
    const undo = await rewriteSettings(page, (b) => { b.deadline_days = { ...changed }; });
    const before = n.gets;
    note = await openForm(page);
    assert(note.includes(daysList(changed)), `note with changed settings reads "${note}"`);
    for (const s of SEVERITIES) await checkSeverity(page, page.locator('.finding').first(), s, changed[s], earlier, 'settings');
    assertEq(n.gets - before, 1, 'GET /api/v1/settings on one page load');
    await undo();
    await shot(page, 'changed', false);
  });

  test('新建督导: while the settings load, and without them (403, no network), the usual defaults, said to be such; the form and its draft keep working', async ({ page }) => {
    const rules = await settingsAs('duxue');
    const day = await today();
    await login(page, 'duxue');
    await openForm(page);
    await page.click('#add-finding');
    const desc = unique('教室照明不足');
    // Loading: the answer is held back; the form is usable meanwhile and keeps what was typed.
    let release;
    const gate = new Promise((r) => { release = r; });
    let undo = await rewriteSettings(page, gate);
    let note = await openForm(page, 'loading');
    assert(note.startsWith('正在读取系统设置的默认期限。') && note.includes(`按通常的默认期限（${daysList(USUAL)}）预览，不是从系统读取的现行设置`),
      `note while loading reads "${note}"`);
    const finding = page.locator('.finding').first();
    await checkSeverity(page, finding, '较重', USUAL.较重, day, 'loading');
    const text = finding.locator('textarea[data-k="description"]');
    await text.fill(desc);
    await text.focus();
    release();
    await page.waitForSelector('#deadline-rules[data-source="settings"]');
    const p = await preview(finding);
    assertEq([p.source, p.days, p.value], ['settings', rules.deadline_days.较重, addDays(day, rules.deadline_days.较重)], 'preview once the settings came');
    assertEq(await text.inputValue(), desc, 'description after the settings came');
    assert(await text.evaluate((t) => t === document.activeElement), 'the description lost the focus when the settings came');
    await undo();
    // Refused or no network: the usual defaults, with the reason, and the form as it was.
    for (const [how, why] of [[403, '没有查看系统设置的权限'], ['offline', '网络连接失败']]) {
      undo = await rewriteSettings(page, how);
      note = await openForm(page, 'usual');
      assert(note.startsWith(`无法读取系统设置（${why}）。`), `note without the settings (${how}) reads "${note}"`);
      assert(note.includes(`按通常的默认期限（${daysList(USUAL)}）预览，不是从系统读取的现行设置`), `note (${how}) reads "${note}"`);
      assert(note.includes('提交后由系统按现行设置计算'), `note (${how}) does not say who sets the deadline: "${note}"`);
      assertEq(await page.locator('#deadline-rules.alert.warn').count(), 1, `the note (${how}) is a warning`);
      await page.locator('#draft-restored').waitFor();
      assertEq(await finding.locator('textarea[data-k="description"]').inputValue(), desc, `draft after a reload (${how})`);
      for (const s of SEVERITIES) await checkSeverity(page, finding, s, USUAL[s], day, 'usual');
      // A deadline set by hand is kept and said to be so.
      const own = addDays(day, 20);
      await finding.locator('input[data-k="deadline"]').fill(own);
      await page.waitForSelector('.finding [data-field$="-deadline"] .hint[data-source="manual"]');
      assertEq(await finding.locator('input[data-k="deadline"]').inputValue(), own, `manual deadline (${how})`);
      await finding.locator('input[data-k="deadline"]').fill('');
      await page.waitForSelector('.finding [data-field$="-deadline"] .hint[data-source="usual"]');
      const saved = await page.evaluate(() => JSON.parse(localStorage.getItem(Object.keys(localStorage).find((k) => k.startsWith('dudao.visit-draft')))));
      assertEq([saved.findings[0].description, saved.findings[0].deadline_auto], [desc, true], `draft on the device (${how})`);
      await undo();
    }
    await shot(page, 'no-settings', false);
  });

  test('新建督导: a visit filed without the settings is not blocked; the deadlines are the server\'s from the settings, not sent by the form', async ({ page }) => {
    const rules = await settingsAs('duxue');
    const day = await today();
    await login(page, 'duxue');
    const undo = await rewriteSettings(page, 'offline');
    await openForm(page, 'usual');
    await page.selectOption('#v-school', { index: 1 });
    const item = page.locator('.check-item').first();
    await item.locator('label.seg-opt', { hasText: '不符合' }).click();
    await item.locator('button.add-for').click();
    const finding = page.locator('.finding').first();
    await checkSeverity(page, finding, '严重', USUAL.严重, day, 'usual');
    const desc = unique('楼梯扶手松动');
    await finding.locator('textarea[data-k="description"]').fill(desc);
    let sent = null;
    page.on('request', (r) => { if (r.method() === 'POST' && new URL(r.url()).pathname === '/api/v1/visits') sent = r.postDataJSON(); });
    await page.click('#visit-submit');
    await page.locator('#visit-result').waitFor({ timeout: 15_000 });
    await undo();
    assert(sent, 'no POST /api/v1/visits');
    assertEq(sent.findings.map((f) => 'deadline' in f), [false], 'findings sent with a deadline');
    const expected = addDays(day, rules.deadline_days.严重);
    const card = page.locator('#visit-result .item-card', { hasText: desc });
    assert((await card.innerText()).includes(expected), `the result lacks the server's deadline ${expected}: ${await card.innerText()}`);
  });

  test('新建督导 at 360 px: a visit filed with a finding of each severity gets the deadlines the form previewed (API)', async ({ page }) => {
    const rules = await settingsAs('duxue');
    const day = await today();
    const visitDate = addDays(day, -3);
    await page.setViewportSize({ width: 360, height: 740 });
    await login(page, 'duxue');
    await openForm(page);
    const school = await page.locator('#v-school option[value]:not([value=""])').last().getAttribute('value');
    await page.selectOption('#v-school', school);
    await page.fill('#v-date', visitDate);
    const items = page.locator('.check-item');
    const shown = new Map();
    for (const [i, sev] of SEVERITIES.entries()) {
      const it = items.nth(i);
      await it.locator('label.seg-opt', { hasText: '不符合' }).click();
      await it.locator('button.add-for').click();
      const finding = page.locator('.finding').nth(i);
      await finding.waitFor();
      await finding.locator('label.seg-opt', { hasText: sev }).click();
      const desc = unique(`默认期限${sev}`);
      await finding.locator('textarea[data-k="description"]').fill(desc);
      const p = await preview(finding);
      const date = addDays(visitDate, rules.deadline_days[sev]);
      assertEq([p.source, p.days, p.date, p.value], ['settings', rules.deadline_days[sev], date, date], `preview of the ${sev} finding`);
      shown.set(desc, p.date);
    }
    await noHorizontalScroll(page, '新建督导 with the default deadlines');
    await shot(page, 'phone-form');
    await page.click('#visit-submit');
    const result = page.locator('#visit-result');
    await result.waitFor({ timeout: 15_000 });
    await noHorizontalScroll(page, 'the filed visit');
    await shot(page, 'phone-result');
    const dx = await apiAs('duxue');
    const visit = (await dx.call('GET', `/api/v1/visits/${await result.getAttribute('data-visit-id')}`)).body;
    assertEq([visit.state, visit.visit_date, visit.findings.length], ['filed', visitDate, 3], 'the visit (API)');
    for (const f of visit.findings) {
      const want = shown.get(f.description);
      assert(want, `unexpected finding "${f.description}"`);
      const item = (await dx.call('GET', `/api/v1/rectifications/${f.rectification_id}`)).body;
      assertEq([item.deadline, f.rectification_deadline], [want, want], `deadline of the ${f.severity} item (API) against the preview`);
      const card = result.locator('.item-card', { hasText: f.description });
      assert((await card.innerText()).includes(want), `result card of the ${f.severity} item: ${await card.innerText()}`);
    }
    await dx.dispose();
  });

  return tests;
}
