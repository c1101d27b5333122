// Browser tests of the 回头看 reopening on the item page and of 督导覆盖 (visit compliance per
// semester), issue 4. run.mjs imports rectExtraTests(h) and adds each test; h carries its helpers.
// The reopening works on closed items of the demo county: the tests pick them through the API
// (a closed item and a filed 回头看 of its school dated on or after the closing), and file a
// 回头看 themselves only when the demo has none left (a server that already ran these tests).
// The compliance tests compare the page with the API's JSON at the moment they run.

import path from 'node:path';

import { serverToday, allItems } from './settings-helpers.mjs';

const SCHOOL = '城关镇中心小学'; // principal xiaozhang's school, in inspector duxue's town
const RECHECK = '回头看';

export function rectExtraTests(h) {
  const { BASE, OUT, login, apiAs, assert, assertEq, noHorizontalScroll } = h;
  const tests = [];
  const test = (name, fn) => tests.push({ name, fn });
  const shot = (page, name, full = true) => page.screenshot({ path: path.join(OUT, `extra-${name}.png`), fullPage: full });
  const used = new Set(); // items taken by a test of this run
  const today = () => serverToday(BASE);
  const all = (client, url) => allItems(client, url, assertEq);

  async function switchTo(page, username) {
    await page.context().clearCookies();
    await login(page, username);
  }

  // The filed 回头看 visits of a school, newest first.
  const rechecksOf = (client, schoolId) =>
    all(client, `/api/v1/visits?school=${schoolId}&kind=${encodeURIComponent(RECHECK)}&state=filed`);

  // The ones the server accepts for a reopening of it: filed on or after its closing, and not
  // finding its point 符合 or 不适用 (the visits list's reopens= filter).
  const rechecksFor = (client, it) => all(client, `/api/v1/visits?reopens=${it.id}`);

  async function fileRecheck(client, schoolId) {
    const r = await client.call('POST', '/api/v1/visits', { school_id: schoolId, visit_date: await today(), kind: RECHECK,
      summary: '回头看复查（浏览器测试）', file: true });
    assertEq(r.status, 201, 'filing a 回头看 ' + JSON.stringify(r.body));
    return r.body;
  }

  // A closed item in duxue's area (at `school` when given) with a 回头看 after its closing;
  // prefers one the demo already has, and one whose school also had a 回头看 before the
  // closing and several after it (so the page must choose and order them). Returns
  // { it, visits } with the item's detail and the 回头看 visits it may rest on.
  async function closedWithRecheck(dx, { school = null } = {}) {
    const closed = (await all(dx, '/api/v1/rectifications?state=closed'))
      .filter((it) => !used.has(it.id) && (!school || it.school_name === school));
    assert(closed.length, `no closed item${school ? ' at ' + school : ''} in duxue's area`);
    let pick = null;
    for (const it of closed) {
      const every = await rechecksOf(dx, it.school_id);
      const visits = await rechecksFor(dx, it);
      if (visits.length > 1 && every.length > visits.length) { pick = { it, visits }; break; }
      if (visits.length && !pick) pick = { it, visits };
    }
    if (!pick) {
      await fileRecheck(dx, closed[0].school_id);
      pick = { it: closed[0], visits: await rechecksFor(dx, closed[0]) };
    }
    used.add(pick.it.id);
    const d = await dx.call('GET', `/api/v1/rectifications/${pick.it.id}`);
    assertEq(d.status, 200, 'GET the closed item');
    return { it: d.body, visits: pick.visits };
  }

  // Opens the item page as the signed-in user and unfolds the reopen form until its visit list is loaded.
  async function openReopenForm(page, id) {
    await page.goto(BASE + `/#/ledger/${id}`);
    await page.waitForSelector('#item-head .state-closed');
    await page.locator('#reopen-box summary').click();
    await page.waitForFunction(() => { const s = document.querySelector('#reopen-visit'); return s && !s.disabled; });
  }

  test('回头看: duxue reopens a closed demo item; journal, ledger and the principal\'s 待办 show 重新整改', async ({ page }) => {
    const dx = await apiAs('duxue');
    const { it, visits } = await closedWithRecheck(dx, { school: SCHOOL });
    const reason = `回头看发现问题反弹 ${h.RUN_ID}-${it.id}`;
    await login(page, 'duxue');
    await openReopenForm(page, it.id);
    // The select offers exactly the 回头看 visits the server accepts, newest first.
    const offered = await page.$$eval('#reopen-visit option', (os) => os.map((o) => Number(o.value)));
    assertEq(offered, visits.map((v) => v.id), '回头看 visits offered');
    // A reopening without a reason is stopped in the page, next to the field.
    await page.click('#reopen-btn');
    await page.locator('#err-reopen-reason').waitFor({ state: 'visible' });
    assertEq(await page.getAttribute('#reopen-reason', 'aria-invalid'), 'true', 'aria-invalid on the reason');
    await shot(page, 'reopen-form');
    await page.fill('#reopen-reason', reason);
    await page.click('#reopen-btn');
    await page.locator('#item-head .state-reopened').waitFor();
    assertEq((await page.locator('#item-head .state-reopened').innerText()).trim(), '重新整改', 'state label on the item');
    assert((await page.locator('#flash').innerText()).includes('已重新下达整改'), 'no confirmation after reopening');
    assertEq(await page.locator('#reopen-card').count(), 0, 'reopen form still offered on a reopened item');
    // The journal ends with the reopening: its label, the reason, the visit it rests on, the new deadline.
    const last = page.locator('#journal li.ev').last();
    assertEq(await last.getAttribute('data-action'), 'reopen', 'last journal event');
    const text = await last.innerText();
    assert(text.includes('回头看重新整改') && text.includes(reason), `journal entry: ${text}`);
    assert(text.includes('已销号 → 重新整改'), `journal entry lacks the state change: ${text}`);
    assertEq(await last.locator('a[href$="/report"]').getAttribute('href'), `/api/v1/visits/${visits[0].id}/report`, 'the 回头看 cited');
    const after = (await dx.call('GET', `/api/v1/rectifications/${it.id}`)).body;
    assertEq([after.state, after.recurrence_count, after.version], ['reopened', it.recurrence_count + 1, it.version + 1], 'item after the reopening (API)');
    const ev = after.journal[after.journal.length - 1];
    assertEq([ev.action, ev.visit_id, ev.note], ['reopen', visits[0].id, reason], 'journal event (API)');
    assert(after.deadline >= await today(), `new deadline ${after.deadline} is in the past`);
    assert((await page.locator('#item-deadline').innerText()).includes(after.deadline), 'new deadline not shown');
    assert(text.includes(`→ ${after.deadline}`), `journal entry lacks the new deadline ${after.deadline}: ${text}`);
    await shot(page, 'reopened-item');
    // The ledger lists it as 重新整改 under its state filter.
    await page.goto(BASE + `/#/ledger?school=${it.school_id}&state=reopened`);
    const row = page.locator(`#ledger-table tr[data-item-id="${it.id}"]`);
    await row.waitFor();
    assert((await row.locator('.state').innerText()).includes('重新整改'), `ledger row: ${await row.innerText()}`);
    // The principal finds it back in 待办, marked 重新整改, and may answer it again.
    await switchTo(page, 'xiaozhang');
    await page.goto(BASE + '/#/inbox');
    const card = page.locator(`#open-items .item-card[data-item-id="${it.id}"]`);
    await card.waitFor();
    assertEq(await card.locator('.mark.reopened').innerText(), '重新整改', '待办 mark');
    await card.locator('a').click();
    await page.waitForSelector('#answer-form');
    await dx.dispose();
  });

  test('回头看: a reopening that lost a race shows the 409 in place, and a refused visit the 422 next to its field', async ({ page }) => {
    const dx = await apiAs('duxue');
    const jz = await apiAs('juzhang');
    const { it, visits } = await closedWithRecheck(dx);
    // A 回头看 after the closing that found the item's point 符合 did not find the problem again.
    const cleared = await dx.call('POST', '/api/v1/visits', { school_id: it.school_id, visit_date: await today(), kind: RECHECK,
      summary: '回头看复查：该项已符合（浏览器测试）', file: true, answers: [{ item_id: it.item_id, result: '符合' }] });
    assertEq(cleared.status, 201, 'filing a 回头看 that found the point 符合 ' + JSON.stringify(cleared.body));
    await login(page, 'duxue');
    await openReopenForm(page, it.id);
    const offered = await page.$$eval('#reopen-visit option', (os) => os.map((o) => Number(o.value)));
    assertEq(offered, visits.map((v) => v.id), '回头看 visits offered');
    assert(!offered.includes(cleared.body.id), 'a 回头看 that found the point 符合 is offered');
    const refused = await dx.call('POST', `/api/v1/rectifications/${it.id}/reopen`, { version: it.version, reason: 'x', visit_id: cleared.body.id });
    assertEq([refused.status, refused.body.error && refused.body.error.field], [422, 'visit_id'], 'reopen citing a 回头看 that found the point 符合');
    await page.fill('#reopen-reason', '复查时发现问题仍然存在');
    // 422: the server refuses a visit that is not a 回头看 of this school after the closing
    // (the page never offers one, so the request is altered on its way out).
    const other = (await all(dx, `/api/v1/visits?school=${it.school_id}&state=filed`)).find((v) => v.kind !== RECHECK);
    assert(other, 'the school has no filed visit other than a 回头看');
    await page.route('**/api/v1/rectifications/*/reopen', (route) => {
      const body = { ...route.request().postDataJSON(), visit_id: other.id };
      return route.continue({ postData: JSON.stringify(body) });
    });
    await page.click('#reopen-btn');
    const visitErr = page.locator('#err-reopen-visit');
    await visitErr.waitFor({ state: 'visible' });
    const server422 = await dx.call('POST', `/api/v1/rectifications/${it.id}/reopen`, { version: it.version, reason: 'x', visit_id: other.id });
    assertEq(server422.status, 422, 'reopen citing a routine visit');
    assert((await visitErr.innerText()).includes(server422.body.error.message), `in-place 422 "${await visitErr.innerText()}" is not the server's "${server422.body.error.message}"`);
    await page.unroute('**/api/v1/rectifications/*/reopen');
    await shot(page, 'reopen-422', false);
    // 409: the bureau head reopens it first; the inspector's form still carries the old version.
    const first = await jz.call('POST', `/api/v1/rectifications/${it.id}/reopen`, { version: it.version, reason: '局长先行重新整改', visit_id: visits[0].id });
    assertEq(first.status, 200, 'the bureau head\'s reopening ' + JSON.stringify(first.body));
    await page.click('#reopen-btn');
    const formErr = page.locator('#reopen-form .form-error');
    await formErr.waitFor({ state: 'visible' });
    const server409 = await dx.call('POST', `/api/v1/rectifications/${it.id}/reopen`, { version: it.version, reason: 'x', visit_id: visits[0].id });
    assertEq(server409.status, 409, 'reopen with a stale version');
    assert((await formErr.innerText()).includes(server409.body.error.message), `in-place 409 "${await formErr.innerText()}" is not the server's "${server409.body.error.message}"`);
    assertEq(await page.inputValue('#reopen-reason'), '复查时发现问题仍然存在', 'the reason was kept');
    const now = (await dx.call('GET', `/api/v1/rectifications/${it.id}`)).body;
    assertEq([now.state, now.recurrence_count], ['reopened', it.recurrence_count + 1], 'item reopened once only');
    assertEq(now.journal.filter((e) => e.action === 'reopen').length, it.journal.filter((e) => e.action === 'reopen').length + 1, 'reopen events');
    await shot(page, 'reopen-409', false);
    // One tap on 刷新 shows the item as it is now: reopened, with nothing left to reopen.
    await formErr.locator('button.refresh-btn').click();
    await page.locator('#item-head .state-reopened').waitFor();
    assertEq(await page.locator('#reopen-card').count(), 0, 'reopen form after the refresh');
    await dx.dispose();
    await jz.dispose();
  });

  test('回头看: without a 回头看 after the closing the form says so and cannot be sent; principals get no reopen form', async ({ page }) => {
    const dx = await apiAs('duxue');
    const closed = (await all(dx, '/api/v1/rectifications?state=closed')).filter((it) => !used.has(it.id));
    let lone = null;
    for (const it of closed) {
      if (!(await rechecksFor(dx, it)).length) { lone = it; break; }
    }
    assert(lone, 'every closed item has a 回头看 after its closing');
    await login(page, 'duxue');
    await page.goto(BASE + `/#/ledger/${lone.id}`);
    await page.locator('#reopen-box summary').click();
    await page.locator('#reopen-none').waitFor({ state: 'visible' });
    assert((await page.locator('#reopen-none').innerText()).includes('还没有发现此问题反弹的“回头看”'), 'no explanation');
    assert(await page.locator('#reopen-btn').isDisabled(), 'the reopen button can be pressed without a 回头看');
    const mine = (await all(dx, '/api/v1/rectifications?state=closed')).find((it) => it.school_name === SCHOOL);
    assert(mine, `no closed item at ${SCHOOL}`);
    await switchTo(page, 'xiaozhang');
    await page.goto(BASE + `/#/ledger/${mine.id}`);
    await page.waitForSelector('#item-head .state-closed');
    assertEq(await page.locator('#reopen-card').count(), 0, 'reopen form shown to the principal');
    await dx.dispose();
  });

  // The town with the most schools below the requirement this semester (as client sees them).
  async function townWithGaps(client) {
    const r = (await client.call('GET', '/api/v1/visits/compliance')).body;
    const byTown = new Map();
    for (const it of r.items.filter((x) => x.town_id != null)) {
      const t = byTown.get(it.town_id) || { id: it.town_id, name: it.town_name, below: 0 };
      t.below += it.compliant ? 0 : 1;
      byTown.set(it.town_id, t);
    }
    return [...byTown.values()].sort((a, b) => b.below - a.below || a.id - b.id)[0];
  }

  // Waits for the summary of `expected` (an API answer) and checks the page against it.
  async function checkCompliance(page, expected, sentenceHead) {
    const below = expected.items.filter((x) => !x.compliant);
    const sentence = `${sentenceHead}应督导学校 ${expected.schools} 所，达标 ${expected.compliant} 所，未达标 ${below.length} 所`;
    await page.waitForFunction((s) => document.querySelector('#compliance-sentence')?.textContent.trim() === s, sentence)
      .catch(async () => { throw new Error(`summary reads "${await page.locator('#compliance-summary').innerText()}", expected "${sentence}"`); });
    const stats = await page.$$eval('#stat-schools, #stat-compliant, #stat-below', (els) => els.map((e) => Number(e.textContent)));
    assertEq(stats, [expected.schools, expected.compliant, below.length], 'stat figures');
    const rows = await page.$$eval('.compliance-table tbody tr', (trs) => trs.map((tr) => ({
      id: Number(tr.dataset.schoolId), visits: Number(tr.dataset.visits), below: tr.classList.contains('is-below'),
      table: tr.closest('table').id, text: tr.textContent })));
    assertEq(rows.length, expected.items.length, 'school rows');
    // Schools below the requirement come first, all of them, marked, in their own table.
    assertEq(rows.slice(0, below.length).map((r) => r.id).sort((a, b) => a - b), below.map((x) => x.school_id).sort((a, b) => a - b), 'schools listed first');
    for (const r of rows) {
      const x = expected.items.find((i) => i.school_id === r.id);
      assert(x, `school ${r.id} is not in the API answer`);
      assertEq([r.visits, r.below, r.table], [x.visits, !x.compliant, x.compliant ? 'compliance-ok-table' : 'compliance-below-table'], `row of ${x.school_name}`);
      assert(r.text.includes(x.school_name) && r.text.includes(`${x.visits} / ${expected.required} 次`), `row of ${x.school_name} reads "${r.text}"`);
      if (!x.compliant) assert(r.text.includes(`差 ${expected.required - x.visits} 次`), `row of ${x.school_name} lacks the gap: "${r.text}"`);
    }
    const order = rows.slice(0, below.length).map((r) => r.visits);
    assertEq(order, [...order].sort((a, b) => a - b), 'schools below ordered by visits');
  }

  test('督导覆盖: a town\'s counts, summary and schools below first match the API; the semester filter too', async ({ page }) => {
    const jz = await apiAs('juzhang');
    const town = await townWithGaps(jz);
    const cur = (await jz.call('GET', `/api/v1/visits/compliance?town=${town.id}`)).body;
    assert(cur.items.length > 0, `no schools in ${town.name}`);
    await login(page, 'juzhang');
    await page.click('#nav a[data-page="compliance"]');
    await page.waitForSelector('#compliance-sentence');
    const county = (await jz.call('GET', '/api/v1/visits/compliance')).body;
    await checkCompliance(page, county, '本学期');
    await page.selectOption('#compliance-filter select[name=town]', String(town.id));
    await checkCompliance(page, cur, '本学期');
    assert(page.url().includes(`town=${town.id}`), `town not kept in the address: ${page.url()}`);
    assert((await page.locator('#compliance-rule').innerText()).includes(`${cur.semester.start} 至 ${cur.semester.end}`), 'semester dates not shown');
    await shot(page, 'compliance-town');
    // The semester before: the name replaces 本学期; every figure follows the API.
    const prevCode = cur.semester.code.endsWith('-2') ? cur.semester.code.slice(0, 4) + '-1' : `${Number(cur.semester.code.slice(0, 4)) - 1}-2`;
    const prev = (await jz.call('GET', `/api/v1/visits/compliance?semester=${prevCode}&town=${town.id}`)).body;
    await page.selectOption('#compliance-filter select[name=semester]', prevCode);
    await checkCompliance(page, prev, prev.semester.name);
    assert(page.url().includes(`semester=${prevCode}`), 'semester not kept in the address');
    // A visit filed now for a school below the requirement moves it up by one.
    const gap = cur.items.filter((x) => !x.compliant).sort((a, b) => a.visits - b.visits)[0];
    if (gap) {
      const r = await jz.call('POST', '/api/v1/visits', { school_id: gap.school_id, visit_date: await today(), kind: '经常性督导', file: true });
      assertEq(r.status, 201, 'filing a visit ' + JSON.stringify(r.body));
      const next = (await jz.call('GET', `/api/v1/visits/compliance?town=${town.id}`)).body;
      assertEq(next.items.find((x) => x.school_id === gap.school_id).visits, gap.visits + 1, 'visits after filing one (API)');
      await page.selectOption('#compliance-filter select[name=semester]', cur.semester.code);
      await checkCompliance(page, next, '本学期');
      assertEq(await page.getAttribute(`tr[data-school-id="${gap.school_id}"]`, 'data-visits'), String(gap.visits + 1), 'row after filing a visit');
    }
    // County-wide, in a semester whose schools below the requirement differ in their visits:
    // the fewest visits come first.
    await page.selectOption('#compliance-filter select[name=town]', '');
    let mixed = null;
    for (const code of await page.$$eval('#compliance-filter select[name=semester] option', (os) => os.map((o) => o.value))) {
      const r = (await jz.call('GET', `/api/v1/visits/compliance?semester=${code}`)).body;
      if (new Set(r.items.filter((x) => !x.compliant).map((x) => x.visits)).size > 1) { mixed = r; break; }
    }
    assert(mixed, 'no semester offered where the schools below the requirement differ in visits');
    await page.selectOption('#compliance-filter select[name=semester]', mixed.semester.code);
    await checkCompliance(page, mixed, mixed.semester.code === cur.semester.code ? '本学期' : mixed.semester.name);
    // 县直属学校 (?town=<the bureau's id>): the schools without a town, and only those.
    const direct = county.items.filter((x) => x.town_id == null);
    if (direct.length) {
      const bureau = (await jz.call('GET', '/api/v1/orgs?per_page=500')).body.items.find((o) => o.kind === 'bureau');
      await page.selectOption('#compliance-filter select[name=semester]', cur.semester.code);
      await page.selectOption('#compliance-filter select[name=town]', { label: '县直属学校' });
      const d = (await jz.call('GET', `/api/v1/visits/compliance?town=${bureau.id}`)).body;
      assertEq(d.items.map((x) => x.school_id).sort(), direct.map((x) => x.school_id).sort(), 'direct schools (API)');
      await checkCompliance(page, d, '本学期');
      assert(page.url().includes(`town=${bureau.id}`), `县直属 not kept in the address: ${page.url()}`);
    }
    await jz.dispose();
  });

  test('督导覆盖: the inspector sees the schools of the area; other roles cannot open it', async ({ page }) => {
    const dx = await apiAs('duxue');
    const mine = (await dx.call('GET', '/api/v1/visits/compliance')).body;
    await dx.dispose();
    await login(page, 'duxue');
    assert((await page.locator('#nav a').allTextContents()).map((s) => s.trim()).includes('督导覆盖'), 'inspector nav lacks 督导覆盖');
    await page.goto(BASE + '/#/compliance');
    await checkCompliance(page, mine, '本学期');
    for (const user of ['xiaozhang', 'zizhu', 'admin']) {
      await switchTo(page, user);
      assert(!(await page.locator('#nav a').allTextContents()).map((s) => s.trim()).includes('督导覆盖'), `${user} nav has 督导覆盖`);
      await page.goto(BASE + '/#/compliance');
      await page.waitForSelector('.page h1');
      assertEq((await page.locator('.page h1').innerText()).trim(), '无法打开该页面', '#/compliance for ' + user);
    }
  });

  test('at 360×740 督导覆盖 and the reopen form have no horizontal scroll', async ({ page }) => {
    await page.setViewportSize({ width: 360, height: 740 });
    const dx = await apiAs('duxue');
    const closed = (await all(dx, '/api/v1/rectifications?state=closed')).filter((it) => !used.has(it.id));
    await dx.dispose();
    assert(closed.length, 'no closed item left in duxue\'s area');
    await login(page, 'juzhang');
    await page.goto(BASE + '/#/compliance');
    await page.waitForSelector('#compliance-sentence');
    await page.waitForSelector('.compliance-table');
    await noHorizontalScroll(page, '督导覆盖');
    await shot(page, 'phone-compliance');
    await switchTo(page, 'duxue');
    await page.goto(BASE + `/#/ledger/${closed[0].id}`);
    await page.locator('#reopen-box summary').click();
    await page.waitForSelector('#reopen-form');
    await page.waitForFunction(() => !document.querySelector('#reopen-visit option')?.textContent.includes('正在加载'));
    await noHorizontalScroll(page, '重新整改');
    await shot(page, 'phone-reopen');
  });

  return tests;
}
