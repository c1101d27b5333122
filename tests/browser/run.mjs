// Browser tests for the Dudao web pages.
//
//   cd tests/browser && npm install && DUDAO_URL=http://127.0.0.1:8080 node run.mjs
//
// Drives Debian's /usr/bin/chromium through playwright-core (no browser is downloaded).
// Each test runs in a fresh browser context. Prints "ok - name" / "not ok - name: reason"
// per test and, as its last line, "N passed, N failed"; exits 1 if any test failed.
// Screenshots go to tests/browser/out/.

import { chromium, request } from 'playwright-core';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { rectificationTests } from './rectification.mjs';
import { rectExtraTests } from './rect-extra.mjs';
import { rectSettingsTests } from './rect-settings.mjs';
import { rosterTests } from './roster.mjs';
import { visitSettingsTests } from './visit-settings.mjs';
import { reviewFixesTests } from './review-fixes.mjs';
import { offlineTests } from './offline.mjs';
import { templatesPageTests } from './templates-page.mjs';

const BASE = (process.env.DUDAO_URL || 'http://127.0.0.1:8080').replace(/\/+$/, '');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
// BROWSER_ONLY=<regular expression>: only the tests whose name matches (while working on them).
const ONLY = process.env.BROWSER_ONLY ? new RegExp(process.env.BROWSER_ONLY) : null;
const PASSWORD = 'Dudao@2026';
const OUT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'out');
const TEST_TIMEOUT_MS = 60_000;
const RUN_ID = Date.now().toString(36);

const ROLE_NAMES = { admin: '系统管理员', bureau_head: '局长', inspector: '督学', aid_officer: '资助中心', principal: '校长' };
const DEMO = [
  { username: 'admin', role: 'admin', nav: ['首页', '用户管理', '组织机构', '系统设置', '检查表模板', '督导记录', '整改台账', '名册导入'] },
  { username: 'juzhang', role: 'bureau_head', nav: ['首页', '新建督导', '延期审批', '督导记录', '督导覆盖', '整改台账', '通报名单', '结对覆盖'] },
  { username: 'duxue', role: 'inspector', nav: ['首页', '新建督导', '待核查', '督导记录', '督导覆盖', '整改台账', '通报名单', '结对覆盖'] },
  { username: 'zizhu', role: 'aid_officer', nav: ['首页', '名册导入', '结对覆盖'] },
  { username: 'xiaozhang', role: 'principal', nav: ['首页', '待办', '督导记录', '整改台账', '本校名册与结对', '名册导入'] },
];
const ADMIN_ONLY = ['用户管理', '组织机构'];

// ---- helpers ----------------------------------------------------------------

function assert(cond, message) {
  if (!cond) throw new Error(message);
}
function assertEq(actual, expected, what) {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new Error(`${what}: expected ${e}, got ${a}`);
}

const onLogin = (page) => new URL(page.url()).pathname === '/login.html';

async function login(page, username, password = PASSWORD) {
  await page.goto(BASE + '/login.html');
  await page.fill('#username', username);
  await page.fill('#password', password);
  await Promise.all([
    page.waitForURL((u) => u.pathname === '/', { timeout: 10_000 }).catch(async () => {
      const err = await page.locator('#login-error').textContent().catch(() => '');
      throw new Error(`login as ${username} did not reach "/" (still at ${page.url()}; message: ${err || 'none'})`);
    }),
    page.click('button[type=submit]'),
  ]);
  await page.waitForSelector('#nav a', { state: 'attached', timeout: 10_000 });
}

async function navTexts(page) {
  return (await page.locator('#nav a').allTextContents()).map((s) => s.trim());
}

// The session as the page's own cookie sees it (status and body).
async function sessionFromPage(page) {
  return page.evaluate(async () => {
    const r = await fetch('/api/v1/session', { cache: 'no-store' });
    return { status: r.status, body: r.status === 200 ? await r.json() : null };
  });
}

// An API client signed in as `username` (no browser), for setting up test data.
async function apiAs(username) {
  const ctx = await request.newContext({ baseURL: BASE });
  const r = await ctx.post('/api/v1/session', { data: { username, password: PASSWORD } });
  assert(r.status() === 201, `API login as ${username}: status ${r.status()}`);
  const { csrf_token: csrf } = await r.json();
  return {
    async call(method, url, data) {
      const res = await ctx.fetch(url, { method, data, headers: { 'X-CSRF-Token': csrf } });
      const text = await res.text();
      return { status: res.status(), body: text ? JSON.parse(text) : null };
    },
    dispose: () => ctx.dispose(),
  };
}

// The bureau's today as 首页 should show it: the server's date from /healthz
// (settable with DUDAO_TODAY) or else the clock in Asia/Shanghai, as "2026年3月5日".
async function expectedToday() {
  const h = await (await fetch(BASE + '/healthz')).json().catch(() => ({}));
  let y, m, d;
  if (/^\d{4}-\d{2}-\d{2}$/.test(h.today || '')) {
    [y, m, d] = h.today.split('-').map(Number);
  } else {
    [y, m, d] = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date()).split('-').map(Number);
  }
  return `${y}年${m}月${d}日`;
}

async function noHorizontalScroll(page, where) {
  const { sw, cw } = await page.evaluate(() => ({
    sw: document.documentElement.scrollWidth,
    cw: window.innerWidth,
  }));
  assert(sw <= cw, `${where}: horizontal scroll (scrollWidth ${sw} > viewport ${cw})`);
}

// Fills the create-user form (opening it first).
async function fillUserForm(page, u) {
  await page.goto(BASE + '/#/users');
  await page.click('#new-user-btn');
  await page.waitForSelector('#user-form', { state: 'visible' });
  await page.waitForSelector('#f-org_id option[data-kind]', { state: 'attached' });
  await page.fill('#f-username', u.username);
  await page.fill('#f-display_name', u.display_name);
  await page.selectOption('#f-role', u.role);
  const orgValue = await page.locator(`#f-org_id option[data-kind="${u.org_kind}"]:not([disabled])`).first().getAttribute('value');
  assert(orgValue, `no ${u.org_kind} in the org select`);
  await page.selectOption('#f-org_id', orgValue);
  await page.fill('#f-password', u.password);
  if (u.phone) await page.fill('#f-phone', u.phone);
}

// ---- tests ------------------------------------------------------------------

const tests = [];
const test = (name, fn) => tests.push({ name, fn });

test('wrong password shows the Chinese error and stays on the login page', async ({ page }) => {
  // A user made for this run, so repeated runs never lock out a demo login (5 failures → 429).
  const admin = await apiAs('admin');
  const username = `bt_wrong_${RUN_ID}`;
  const made = await admin.call('POST', '/api/v1/users',
    { username, display_name: '密码测试', role: 'inspector', org_id: (await sessionOrg(admin)), password: PASSWORD });
  await admin.dispose();
  assert(made.status === 201, `creating ${username}: status ${made.status} ${JSON.stringify(made.body)}`);

  await page.goto(BASE + '/login.html');
  await page.fill('#username', username);
  await page.fill('#password', 'not-the-password');
  await page.click('button[type=submit]');
  const err = page.locator('#login-error');
  await err.waitFor({ state: 'visible', timeout: 10_000 });
  const text = (await err.textContent()).trim();
  assert(text.includes('用户名或密码错误'), `error text is "${text}"`);
  await page.waitForTimeout(300);
  assert(onLogin(page), `left the login page: ${page.url()}`);
  assertEq(await page.inputValue('#password'), '', 'password field after a failure');
  assertEq((await sessionFromPage(page)).status, 401, 'session status after a failed login');
});

async function sessionOrg(client) {
  const s = await client.call('GET', '/api/v1/session');
  return s.body.user.org_id;
}

for (const d of DEMO) {
  test(`login as ${d.username} shows the ${d.role} header, home and nav`, async ({ page }) => {
    await login(page, d.username);
    const nav = await navTexts(page);
    assertEq(nav, d.nav, 'nav items');
    for (const item of ADMIN_ONLY) {
      if (d.role !== 'admin') assert(!nav.includes(item), `${item} shown to ${d.role}`);
    }
    const { status, body } = await sessionFromPage(page);
    assertEq(status, 200, 'GET /api/v1/session');
    const user = body.user;
    assertEq(user.role, d.role, 'role from the session');
    const who = await page.locator('#who').innerText();
    assert(who.includes(ROLE_NAMES[d.role]), `header lacks the role name ${ROLE_NAMES[d.role]}: "${who}"`);
    assert(who.includes(user.display_name), `header lacks the display name "${user.display_name}": "${who}"`);
    assert(await page.locator('#logout-btn').isVisible(), 'no 退出 button');
    assert((await page.locator('.brand').innerText()).includes('督导'), 'no product name');
    // 首页: who, role, scope, today's date.
    await page.waitForSelector('#home-role');
    assertEq((await page.locator('#home-role').innerText()).trim(), ROLE_NAMES[d.role], '首页 role');
    const scope = await page.locator('#home-scope').innerText();
    assert(scope.includes(user.org_name), `首页 scope "${scope}" lacks "${user.org_name}"`);
    const today = await page.locator('#today').innerText();
    const expected = await expectedToday();
    assert(today.includes(expected), `today shows "${today}", expected ${expected}`);
    if (d.role !== 'admin') {
      // Typing an admin page's address opens nothing for other roles.
      await page.goto(BASE + '/#/users');
      await page.waitForSelector('.page h1');
      assertEq((await page.locator('.page h1').innerText()).trim(), '无法打开该页面', 'heading of #/users for ' + d.role);
      assertEq(await page.locator('#user-table, #user-form').count(), 0, 'user page elements for ' + d.role);
      await page.goto(BASE + '/#/home');
      await page.waitForSelector('#home-role');
    }
    await page.screenshot({ path: path.join(OUT, `${d.username}.png`), fullPage: true });
  });
}

test('logout returns to the login page and / then redirects to login', async ({ page }) => {
  await login(page, 'zizhu');
  await Promise.all([page.waitForURL((u) => u.pathname === '/login.html'), page.click('#logout-btn')]);
  assertEq((await sessionFromPage(page)).status, 401, 'session status after logout');
  await page.goto(BASE + '/');
  await page.waitForURL((u) => u.pathname === '/login.html', { timeout: 10_000 });
  await page.goto(BASE + '/#/home');
  await page.waitForURL((u) => u.pathname === '/login.html', { timeout: 10_000 });
  assert(await page.locator('#login-form').isVisible(), 'login form not shown');
});

test('admin creates a user through the form and sees it listed', async ({ page }) => {
  await login(page, 'admin');
  const u = { username: `bt_${RUN_ID}`, display_name: `浏览器测试${RUN_ID}`, role: 'inspector', org_kind: 'town',
    password: 'Test@2026-pass', phone: '13800000000' };
  await fillUserForm(page, u);
  await page.click('#user-form button[type=submit]');
  const row = page.locator(`#user-table tr[data-username="${u.username}"]`);
  await row.waitFor({ timeout: 10_000 });
  const text = await row.innerText();
  assert(text.includes(u.display_name) && text.includes('督学'), `row reads "${text}"`);
  assert((await page.locator('#flash').innerText()).includes(u.username), 'no success message');
  assert(await page.locator('#user-form-card').isHidden(), 'form still open after success');
  // The new user can sign in.
  const ctx = await request.newContext({ baseURL: BASE });
  const r = await ctx.post('/api/v1/session', { data: { username: u.username, password: u.password } });
  await ctx.dispose();
  assertEq(r.status(), 201, 'login as the new user');
  // Paging: the unfiltered list has a pager with the total.
  await page.fill('#user-filter input[name=q]', '');
  await page.click('#user-filter button[type=submit]');
  await page.waitForSelector('#user-pager span');
  assert(/共 \d+ 个用户/.test(await page.locator('#user-pager').innerText()), 'pager lacks the total');
  await page.screenshot({ path: path.join(OUT, 'admin-users.png'), fullPage: true });
});

test('a bad user name shows the field error next to the field', async ({ page }) => {
  await login(page, 'admin');
  await fillUserForm(page, { username: 'A!', display_name: '错误测试', role: 'inspector', org_kind: 'town', password: 'Test@2026-pass' });
  await page.click('#user-form button[type=submit]');
  const err = page.locator('[data-field="username"] .field-error');
  await err.waitFor({ state: 'visible', timeout: 10_000 });
  const text = (await err.innerText()).trim();
  assert(/[\u4e00-\u9fff]/.test(text), `field error is not Chinese: "${text}"`);
  assertEq(await page.getAttribute('#f-username', 'aria-invalid'), 'true', 'aria-invalid on 用户名');
  assertEq(await page.locator('.field-error:visible').count(), 1, 'visible field errors');
  assert(await page.locator('#user-form-error').isHidden(), 'form-level error shown instead of the field error');
  assert(await page.locator('#flash').isHidden(), 'a success message appeared');
  await page.screenshot({ path: path.join(OUT, 'admin-field-error.png') });
});

test('user data is shown as text, never as markup', async ({ page }) => {
  await login(page, 'admin');
  const name = `<img src=x id=xss${RUN_ID}>`;
  await fillUserForm(page, { username: `bt_x_${RUN_ID}`, display_name: name, role: 'aid_officer', org_kind: 'bureau', password: 'Test@2026-pass' });
  await page.click('#user-form button[type=submit]');
  const row = page.locator(`#user-table tr[data-username="bt_x_${RUN_ID}"]`);
  await row.waitFor({ timeout: 10_000 });
  assert((await row.innerText()).includes(name), 'the name is not shown literally');
  assertEq(await page.locator(`#xss${RUN_ID}`).count(), 0, 'injected elements');
  assert((await page.locator('#flash').innerText()).includes(name), 'flash does not show the name literally');
});

test('admin sees the org tree: bureau, towns, schools with code, stages, boarding', async ({ page }) => {
  await login(page, 'admin');
  await page.click('#nav a[data-page="orgs"]');
  await page.waitForSelector('#org-tree');
  const orgs = await page.evaluate(async () => {
    const r = await fetch('/api/v1/orgs?per_page=500');
    return (await r.json()).items;
  });
  const schools = orgs.filter((o) => o.kind === 'school');
  const towns = orgs.filter((o) => o.kind === 'town');
  assert(schools.length > 0 && towns.length > 0, 'demo county has no towns or schools');
  assertEq(await page.locator('.org-bureau').count(), orgs.filter((o) => o.kind === 'bureau').length, 'bureaus shown');
  assertEq(await page.locator('.org-school').count(), schools.length, 'schools shown');
  assertEq(await page.locator('.org-town:not(.org-direct)').count(), towns.length, 'towns shown');
  const s = schools[0];
  const li = page.locator(`.org-school[data-org-id="${s.id}"]`);
  const text = await li.innerText();
  assert(text.includes(s.name) && text.includes(s.code), `school line "${text}" lacks name or code`);
  for (const st of s.stages) assert(text.includes(st), `school line lacks stage ${st}`);
  assertEq(text.includes('寄宿制'), Boolean(s.boarding), 'boarding tag');
  // A school sits inside its town's branch.
  if (towns.some((t) => t.id === s.parent_id)) {
    assertEq(await page.locator(`.org-town[data-org-id="${s.parent_id}"] .org-school[data-org-id="${s.id}"]`).count(), 1, 'school under its town');
  }
  await page.screenshot({ path: path.join(OUT, 'admin-orgs.png'), fullPage: true });
});

test('at 360×740 there is no horizontal scroll and the menu button opens the nav', async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await page.goto(BASE + '/login.html');
  await noHorizontalScroll(page, 'login page');
  await login(page, 'admin');
  const menu = page.locator('#menu-btn');
  assert(await menu.isVisible(), 'menu button hidden on a phone');
  assert(await page.locator('#nav').isHidden(), 'nav open before the menu button was pressed');
  await noHorizontalScroll(page, '首页');
  await menu.click();
  await page.locator('#nav a[data-page="users"]').waitFor({ state: 'visible' });
  assertEq(await menu.getAttribute('aria-expanded'), 'true', 'aria-expanded');
  await page.screenshot({ path: path.join(OUT, 'mobile-menu.png') });
  await page.click('#nav a[data-page="users"]');
  await page.waitForSelector('#user-table');
  assert(await page.locator('#nav').isHidden(), 'nav still open after choosing a page');
  await noHorizontalScroll(page, '用户管理');
  await page.click('#new-user-btn');
  await noHorizontalScroll(page, '用户管理 with the form open');
  await page.screenshot({ path: path.join(OUT, 'mobile-users.png'), fullPage: true });
  await page.goto(BASE + '/#/orgs');
  await page.waitForSelector('#org-tree');
  await noHorizontalScroll(page, '组织机构');
  await page.screenshot({ path: path.join(OUT, 'mobile-orgs.png'), fullPage: true });
});

// Visits and rectification (issue 4): tests/browser/rectification.mjs.
for (const t of rectificationTests({ BASE, OUT, RUN_ID, PASSWORD, login, apiAs, assert, assertEq, noHorizontalScroll })) test(t.name, t.fn);

// The 回头看 reopening and 督导覆盖 (issue 4): tests/browser/rect-extra.mjs.
for (const t of rectExtraTests({ BASE, OUT, RUN_ID, PASSWORD, login, apiAs, assert, assertEq, noHorizontalScroll })) test(t.name, t.fn);

// What the rectification pages read from the settings, and 通报名单's reopened marks: tests/browser/rect-settings.mjs.
for (const t of rectSettingsTests({ BASE, OUT, RUN_ID, PASSWORD, login, apiAs, assert, assertEq, noHorizontalScroll })) test(t.name, t.fn);

// Roster, pairing and coverage pages (issue 3): tests/browser/roster.mjs.
for (const t of rosterTests({ BASE, OUT, RUN_ID, PASSWORD, login, assert, assertEq, noHorizontalScroll })) test(t.name, t.fn);

// The default deadlines 新建督导 previews from the settings: tests/browser/visit-settings.mjs.
for (const t of visitSettingsTests({ BASE, OUT, RUN_ID, PASSWORD, login, apiAs, assert, assertEq, noHorizontalScroll })) test(t.name, t.fn);

// What a browser review of the pages found (back-dated visits, messages, sign-in, paging, photos): tests/browser/review-fixes.mjs.
for (const t of reviewFixesTests({ BASE, OUT, RUN_ID, PASSWORD, login, apiAs, assert, assertEq, noHorizontalScroll })) test(t.name, t.fn);
for (const t of offlineTests({ BASE, OUT, RUN_ID, PASSWORD, login, apiAs, assert, assertEq })) test(t.name, t.fn);

// 检查表模板 (the admin edits checklist templates as new versions): tests/browser/templates-page.mjs.
// Last: the templates they make stay current (no API retires one), so 新建督导 then offers a choice.
for (const t of templatesPageTests({ BASE, OUT, RUN_ID, PASSWORD, login, apiAs, assert, assertEq, noHorizontalScroll })) test(t.name, t.fn);

// ---- runner -----------------------------------------------------------------

async function main() {
  fs.mkdirSync(OUT, { recursive: true });
  let passed = 0;
  let failed = 0;
  let browser = null;
  let startError = null;
  try {
    const h = await fetch(BASE + '/healthz');
    if (!h.ok) startError = `server at ${BASE} answered /healthz with ${h.status}`;
  } catch (e) {
    startError = `server at ${BASE} unreachable (${e.cause?.code || e.message})`;
  }
  if (!startError) {
    try {
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
          '--disable-component-update', '--disable-sync'],
      });
    } catch (e) {
      startError = `cannot launch ${CHROMIUM}: ${e.message.split('\n')[0]}`;
    }
  }
  for (const t of tests) {
    if (ONLY && !ONLY.test(t.name)) continue;
    if (startError) {
      console.log(`not ok - ${t.name}: ${startError}`);
      failed++;
      continue;
    }
    const context = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: { width: 1280, height: 800 } });
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    const pageErrors = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    let timer;
    try {
      await Promise.race([
        t.fn({ page, context }),
        new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`timed out after ${TEST_TIMEOUT_MS} ms`)), TEST_TIMEOUT_MS); }),
      ]);
      if (pageErrors.length) throw new Error('script error in the page: ' + pageErrors[0]);
      console.log(`ok - ${t.name}`);
      passed++;
    } catch (e) {
      const reason = (e && e.message ? e.message : String(e)).split('\n')[0];
      console.log(`not ok - ${t.name}: ${reason}`);
      failed++;
      await page.screenshot({ path: path.join(OUT, `failed-${tests.indexOf(t) + 1}.png`) }).catch(() => {});
    } finally {
      clearTimeout(timer);
      await context.close().catch(() => {});
    }
  }
  if (browser) await browser.close().catch(() => {});
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed ? 1 : 0;
}

main();
