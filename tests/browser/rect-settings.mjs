// Browser tests of what the rectification pages read from the admin's settings
// (GET /api/v1/settings): the escalation thresholds stated on 通报名单 and the default deadline
// in the 回头看 reopen form; and of the marks of a reopened item on 通报名单. run.mjs imports
// rectSettingsTests(h) and adds each test; h carries its helpers.
//
// A changed setting, a refused request (403) and a lost network are played by rewriting the
// answer on its way to the page (page.route), so that no other test sees a changed rule; the
// unchanged answer is compared with the API's. 系统设置, the admin's page that changes them,
// changes them for real and sets them back.
// A reopening sets a deadline on or after today, so under a fixed DUDAO_TODAY no reopened item
// can be overdue: the 通报名单 test turns one real overdue item of the list into a reopened one
// (state reopened, recurrence_count 2) on its way to the page.

import path from 'node:path';

import { serverToday, addDays, allItems, countSettings, rewriteSettings } from './settings-helpers.mjs';

const RECHECK = '回头看';
const LEVELS = ['提醒', '通报', '约谈']; // lowest first

export function rectSettingsTests(h) {
  const { BASE, OUT, login, apiAs, assert, assertEq, noHorizontalScroll } = h;
  const tests = [];
  const test = (name, fn) => tests.push({ name, fn });
  const shot = (page, name, full = true) => page.screenshot({ path: path.join(OUT, `settings-${name}.png`), fullPage: full });
  const today = () => serverToday(BASE);
  const all = (client, url) => allItems(client, url, assertEq);

  async function settingsAs(client) {
    const r = await client.call('GET', '/api/v1/settings');
    assertEq(r.status, 200, 'GET /api/v1/settings');
    return r.body;
  }

  // Opens 通报名单 (again) and returns the text of its threshold sentence once drawn.
  async function escalationRule(page) {
    await page.goto(BASE + '/#/home');
    await page.waitForSelector('#home-role');
    await page.goto(BASE + '/#/escalations');
    const rule = page.locator('p', { hasText: '预警等级由逾期天数' });
    await rule.waitFor();
    return { text: (await rule.innerText()).trim(), known: await rule.getAttribute('data-known') };
  }

  const ruleWith = (d) => `逾期 ${LEVELS.map((l) => `${d[l]} 天起${l}`).join('、')}`;

  // Turns the item `id` of a list answer into a reopened item found again twice.
  const reopenIn = (list, id) => {
    const it = list.find((x) => x.id === id);
    Object.assign(it, { state: 'reopened', state_label: '重新整改', recurrence_count: 2 });
  };

  // Checks the rows of 通报名单 against `items` (the list the page got): the reopened one is
  // marked 重新整改 and 复发 2 次, no other row carries a reopening mark.
  async function checkMarks(page, items, id) {
    const row = page.locator(`.esc-table tr[data-item-id="${id}"]`);
    await row.waitFor();
    const marks = (await row.locator('.mark.reopened').allInnerTexts()).map((s) => s.trim());
    assertEq(marks, ['重新整改', '复发 2 次'], 'marks of the reopened row');
    assertEq(await row.getAttribute('data-state'), 'reopened', 'data-state of the reopened row');
    for (const it of items.filter((x) => x.id !== id && x.escalation && x.recurrence_count === 0)) {
      assertEq(await page.locator(`.esc-table tr[data-item-id="${it.id}"] .mark.reopened`).count(), 0, `reopening marks on item ${it.id}`);
    }
  }

  test('通报名单: a reopened overdue item is marked 重新整改 and 复发 N 次; the thresholds are the settings\' (bureau head and inspector)', async ({ page }) => {
    const jz = await apiAs('juzhang');
    const rules = await settingsAs(jz);
    const county = (await all(jz, '/api/v1/rectifications?overdue=1')).filter((x) => x.escalation);
    await jz.dispose();
    // The demo's reopened items are not overdue (a reopening sets a deadline from today on).
    const target = county.find((x) => x.escalation === '通报') || county[0];
    assert(target, 'the demo county has no overdue item');
    let seen = null;
    const overdue = (u) => u.pathname === '/api/v1/rectifications' && u.searchParams.get('overdue') === '1';
    await page.route(overdue, async (route) => {
      const res = await route.fetch();
      const body = await res.json();
      reopenIn(body.items, target.id);
      seen = body.items;
      return route.fulfill({ response: res, json: body });
    });
    await login(page, 'juzhang');
    const n = countSettings(page);
    await page.goto(BASE + '/#/escalations');
    await checkMarks(page, county, target.id);
    assert(seen, 'the page did not ask for the overdue items');
    const rule = (await page.locator('#escalation-rule').innerText()).trim();
    assert(rule.includes(ruleWith(rules.escalate_days)), `threshold sentence "${rule}" lacks "${ruleWith(rules.escalate_days)}"`);
    assertEq(n.gets, 1, 'GET /api/v1/settings on one page load');
    await shot(page, 'escalations-reopened');
    await page.setViewportSize({ width: 360, height: 740 });
    await page.waitForTimeout(200);
    await noHorizontalScroll(page, '通报名单 with a reopened item');
    await shot(page, 'phone-escalations-reopened');
    await page.setViewportSize({ width: 1280, height: 800 });
    // The inspector's list (the overdue items of the area) marks it the same way.
    await page.unroute(overdue);
    const dx = await apiAs('duxue');
    const mine = (await all(dx, '/api/v1/rectifications?overdue=1')).filter((x) => x.escalation);
    await dx.dispose();
    const ours = mine.find((x) => x.id === target.id) || mine[0];
    assert(ours, 'duxue has no overdue item');
    await page.route((u) => u.pathname === '/api/v1/rectifications' && u.searchParams.get('overdue') === '1', async (route) => {
      const res = await route.fetch();
      const body = await res.json();
      if (body.items.some((x) => x.id === ours.id)) reopenIn(body.items, ours.id);
      return route.fulfill({ response: res, json: body });
    });
    await page.context().clearCookies();
    await login(page, 'duxue');
    await page.goto(BASE + '/#/escalations');
    await checkMarks(page, mine, ours.id);
    const rule2 = (await page.locator('#escalation-rule').innerText()).trim();
    assert(rule2.includes(ruleWith(rules.escalate_days)), `inspector's threshold sentence "${rule2}"`);
  });

  test('通报名单: changed thresholds are shown as set; without the settings (403, no network) a sentence without numbers', async ({ page }) => {
    await login(page, 'juzhang');
    const n = countSettings(page);
    const changed = { 提醒: 3, 通报: 10, 约谈: 21 };
    let undo = await rewriteSettings(page, (b) => { b.escalate_days = { ...changed }; });
    let r = await escalationRule(page);
    assert(r.text.includes(ruleWith(changed)), `threshold sentence "${r.text}" lacks "${ruleWith(changed)}"`);
    assertEq(r.known, '1', 'data-known with settings');
    assertEq(n.gets, 1, 'GET /api/v1/settings on one page load');
    await undo();
    for (const how of [403, 'offline']) {
      undo = await rewriteSettings(page, how);
      r = await escalationRule(page);
      assert(!/\d/.test(r.text), `threshold sentence without the settings (${how}) has numbers: "${r.text}"`);
      assert(r.text.startsWith('预警等级由逾期天数和系统设置的阈值确定'), `threshold sentence (${how}): "${r.text}"`);
      assertEq(r.known, '0', `data-known (${how})`);
      // The list itself is still shown.
      assert(/逾期未整改 \d+ 项/.test(await page.locator('#escalation-summary').innerText()), `no summary (${how})`);
      assert(await page.locator('.esc-group').count() === 3, `level groups (${how})`);
      await undo();
    }
    await shot(page, 'escalations-no-settings', false);
  });

  // The deadline hint of the reopen form for an item of severity sev, with the default days
  // and date when known.
  const hintText = (sev, days, date) => (days
    ? `不填时按系统设置的${sev}问题默认期限 ${days} 天自今天起计算，至 ${date}`
    : `不填时按系统设置的${sev}问题默认期限自今天起计算`);

  // Opens the item page of `it` (drawn afresh), unfolds the reopen form, waits until the hint
  // of the new deadline reads `expected` (and, without numbers, still does a moment later:
  // the settings' answer has come) and returns its data (days, date).
  async function reopenDefault(page, it, expected) {
    await page.goto(BASE + '/#/home');
    await page.waitForSelector('#home-role');
    await page.goto(BASE + `/#/ledger/${it.id}`);
    await page.waitForFunction((x) => document.querySelector('.page-head .muted')?.textContent.trim() === `整改项 ${x}`
      && document.querySelector('#reopen-box'), it.id);
    await page.locator('#reopen-box summary').click();
    const hint = page.locator('[data-field="reopen-deadline"] .hint');
    const read = async () => (await hint.innerText()).trim();
    await page.waitForFunction((e) => document.querySelector('[data-field="reopen-deadline"] .hint')?.textContent.trim() === e, expected)
      .catch(async () => { throw new Error(`the new deadline's hint of a ${it.severity} item reads "${await read()}", expected "${expected}"`); });
    if (!/\d/.test(expected)) {
      await page.waitForTimeout(500);
      assertEq(await read(), expected, 'the hint a moment later');
    }
    const span = page.locator('#reopen-default');
    return { days: await span.getAttribute('data-days'), date: await span.getAttribute('data-date') };
  }

  test('回头看 form: the default deadline of the item\'s severity from the settings and its date; a reopening without a deadline gets that date', async ({ page }) => {
    const dx = await apiAs('duxue');
    const rules = await settingsAs(dx);
    const day = await today();
    const closed = await all(dx, '/api/v1/rectifications?state=closed');
    const bySeverity = new Map();
    for (const it of closed) if (!bySeverity.has(it.severity)) bySeverity.set(it.severity, it);
    assert(bySeverity.size > 1, 'closed items of one severity only');
    await login(page, 'duxue');
    const n = countSettings(page);
    // A changed setting shows as set (a value no page has built in).
    const [sev, it] = [...bySeverity][0];
    const other = rules.deadline_days[sev] + 4;
    let undo = await rewriteSettings(page, (b) => { b.deadline_days[sev] = other; });
    let shown = await reopenDefault(page, it, hintText(sev, other, addDays(day, other)));
    assertEq([shown.days, shown.date], [String(other), addDays(day, other)], 'default with a changed setting');
    await undo();
    // The settings as the API gives them, for each severity.
    for (const [s, x] of bySeverity) {
      const days = rules.deadline_days[s];
      const before = n.gets;
      shown = await reopenDefault(page, x, hintText(s, days, addDays(day, days)));
      assertEq([shown.days, shown.date], [String(days), addDays(day, days)], `default of a ${s} item`);
      assertEq(n.gets - before, 1, 'GET /api/v1/settings on one page load');
    }
    // Without the settings, no number.
    for (const how of [403, 'offline']) {
      undo = await rewriteSettings(page, how);
      shown = await reopenDefault(page, it, hintText(sev));
      assertEq(shown.days, null, `data-days without the settings (${how})`);
      await undo();
    }
    // The date shown is the one a reopening without a deadline gets.
    let pick = null;
    for (const c of closed) {
      const v = await all(dx, `/api/v1/visits?reopens=${c.id}`); // the 回头看 the server accepts for it
      if (v.length) { pick = c; break; }
    }
    if (!pick) {
      pick = closed[closed.length - 1];
      const r = await dx.call('POST', '/api/v1/visits', { school_id: pick.school_id, visit_date: day, kind: RECHECK,
        summary: '回头看复查（浏览器测试，默认期限）', file: true });
      assertEq(r.status, 201, 'filing a 回头看 ' + JSON.stringify(r.body));
    }
    const pickDays = rules.deadline_days[pick.severity];
    shown = await reopenDefault(page, pick, hintText(pick.severity, pickDays, addDays(day, pickDays)));
    await page.waitForFunction(() => { const s = document.querySelector('#reopen-visit'); return s && !s.disabled; });
    await page.setViewportSize({ width: 360, height: 740 });
    await page.waitForTimeout(200);
    await noHorizontalScroll(page, 'reopen form with the default deadline');
    await shot(page, 'phone-reopen-default', false);
    await page.fill('#reopen-reason', `回头看发现问题反弹（默认期限）${h.RUN_ID}`);
    await page.click('#reopen-btn');
    await page.locator('#item-head .state-reopened').waitFor();
    const after = (await dx.call('GET', `/api/v1/rectifications/${pick.id}`)).body;
    assertEq([after.state, after.deadline], ['reopened', shown.date], 'deadline the server gave (API)');
    assert((await page.locator('#item-deadline').innerText()).includes(shown.date), 'new deadline not shown');
    // A principal gets no reopen form and the page asks for no settings (they may not read them).
    const xz = await apiAs('xiaozhang');
    assertEq((await xz.call('GET', '/api/v1/settings')).status, 403, 'GET /api/v1/settings as a principal');
    const own = (await all(xz, '/api/v1/rectifications?state=closed'))[0];
    await xz.dispose();
    await dx.dispose();
    assert(own, 'xiaozhang\'s school has no closed item');
    await page.context().clearCookies();
    await login(page, 'xiaozhang');
    const m = countSettings(page);
    await page.goto(BASE + `/#/ledger/${own.id}`);
    await page.waitForSelector('#item-head .state-closed');
    await page.waitForTimeout(300);
    assertEq(await page.locator('#reopen-card').count(), 0, 'reopen form shown to the principal');
    assertEq(m.gets, 0, 'GET /api/v1/settings by the principal\'s item page');
  });


  test('系统设置: the admin saves a rule that applies at once; thresholds out of order and a change made meanwhile are refused, nothing saved', async ({ page }) => {
    const ad = await apiAs('admin');
    const before = (await ad.call('GET', '/api/v1/settings')).body;
    const stored = async () => (await ad.call('GET', '/api/v1/settings')).body;
    const save = () => page.click('#settings-form button[type=submit]');
    try {
      await login(page, 'admin');
      await page.goto(BASE + '/#/settings');
      await page.waitForSelector('#settings-form');
      assertEq(await page.inputValue('#set-deadline_days_严重'), String(before.deadline_days['严重']), 'the 严重 deadline shown');
      assertEq(await page.isChecked('#settings-form input[value="建档立卡"]'), true, '建档立卡 counted');
      await page.fill('#set-deadline_days_严重', '10');
      await save();
      await page.waitForSelector('#flash.ok');
      assertEq((await stored()).deadline_days['严重'], 10, 'the deadline after saving (API)');
      await shot(page, 'admin-page');

      await page.fill('#set-escalate_days_提醒', '20');
      await save();
      const err = page.locator('#err-set-escalate_days_提醒');
      await err.waitFor();
      assert((await err.innerText()).includes('依次增大'), `the message under 提醒: ${await err.innerText()}`);
      assertEq((await stored()).escalate_days['提醒'], before.escalate_days['提醒'], '提醒 after the refusal (API)');

      await page.fill('#set-escalate_days_提醒', String(before.escalate_days['提醒']));
      await page.uncheck('#settings-form input[value="建档立卡"]');
      await page.uncheck('#settings-form input[value="防返贫监测"]');
      await save();
      await page.locator('#err-set-eligible_categories').waitFor();
      await page.check('#settings-form input[value="建档立卡"]');
      await page.check('#settings-form input[value="防返贫监测"]');

      const vps = (await stored()).items.find((r) => r.name === 'visits_per_semester');
      const other = await ad.call('PATCH', '/api/v1/settings', { items: [{ name: 'visits_per_semester', value: '3', version: vps.version }] });
      assertEq(other.status, 200, 'a change made meanwhile (API)');
      await page.fill('#set-visits_per_semester', '4');
      await save();
      await page.locator('#settings-error').waitFor();
      assert((await page.locator('#settings-error').innerText()).includes('已被他人修改'), 'the 409 message');
      assertEq(await page.inputValue('#set-visits_per_semester'), '3', 'the page shows the rule as changed meanwhile');
      assertEq((await stored()).visits_per_semester, 3, 'visits per semester (API)');
      await page.setViewportSize({ width: 360, height: 740 });
      await noHorizontalScroll(page, '系统设置');
      await page.setViewportSize({ width: 1280, height: 800 });
    } finally {
      const now = await stored();
      const items = before.items
        .map((b) => ({ b, n: now.items.find((x) => x.name === b.name) }))
        .filter(({ b, n }) => n && n.value !== b.value)
        .map(({ b, n }) => ({ name: b.name, value: b.value, version: n.version }));
      if (items.length) assertEq((await ad.call('PATCH', '/api/v1/settings', { items })).status, 200, 'settings set back');
      await ad.dispose();
    }
  });
  return tests;
}
