// app.js - the signed-in shell: loads the session, draws the header and the
// role's navigation, and routes #/<page-id> to the registered pages.
// A new page is one module that calls registerPage() plus one import below.

import { pages, makeApi, html, esc, raw, roleName, orgKindName, toLogin, ROLES } from './lib.js';
import { keepStatic, keptUser, keepUser, forgetKept, forgetTyped, unreachable, signingOut } from './offline.js';
import { answerDraftIds, dropAnswerDraft } from './answer-draft.js';
import './page-home.js';
import './page-users.js';
import './page-orgs.js';
import './page-settings.js';
import './page-templates.js';
import './page-inbox.js';
import { visitDraftState, dropVisitDraft } from './page-visit-new.js';
import './page-verify.js';
import './page-visits.js';
import './page-compliance.js';
import './page-ledger.js';
import './page-escalations.js';
import './page-roster.js';
import './page-roster-import.js';
import './page-coverage.js';

const state = { session: null, renderSeq: 0 };
const api = makeApi(() => state.session);
const $ = (sel) => document.querySelector(sel);

function visiblePages() {
  const role = state.session.user.role;
  return pages.filter((p) => (p.roles || []).includes(role) || (p.roles || []).includes('*'));
}

function renderHeader(user) {
  $('#who').innerHTML = html`
    <span class="who-name">${user.display_name || user.username}</span>
    <span class="who-role">${roleName(user.role)}</span>
    <span class="who-org" title="${user.org_name}">${user.org_name}</span>`;
  document.body.classList.remove('booting');
}

function renderNav() {
  $('#nav').innerHTML = html`<ul>${visiblePages().map((p) => html`
    <li><a href="#/${p.id}" data-page="${p.id}">${p.title}</a></li>`)}</ul>`;
}

function setMenu(open) {
  document.body.classList.toggle('menu-open', open);
  $('#menu-btn').setAttribute('aria-expanded', String(open));
}

// A message above the page content; kind is "ok" or "error".
function flash(message, kind = 'ok') {
  const box = $('#flash');
  if (!message) { box.hidden = true; box.textContent = ''; return; }
  box.className = 'alert ' + kind;
  box.textContent = message;
  box.hidden = false;
}

async function route() {
  const m = location.hash.match(/^#\/([a-z][a-z0-9-]*)/);
  const allowed = visiblePages();
  if (!m) { location.replace('#/' + allowed[0].id); return; }
  const page = allowed.find((p) => p.id === m[1]);
  setMenu(false);
  flash('');
  $('#logout-confirm').hidden = true; // asked about the page left
  for (const a of document.querySelectorAll('#nav a')) {
    if (a.dataset.page === m[1]) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  const seq = ++state.renderSeq;
  const container = document.createElement('section');
  container.className = 'page';
  $('#view').replaceChildren(container);
  if (!page) {
    document.title = '无法打开 - 督导';
    container.innerHTML = html`<h1>无法打开该页面</h1>
      <p>页面不存在，或您的角色（${roleName(state.session.user.role)}）无权使用。</p>
      <p><a href="#/${allowed[0].id}">返回${allowed[0].title}</a></p>`;
    return;
  }
  document.title = `${page.title} - 督导`;
  const ctx = {
    api, esc, html, raw, flash, roleName, orgKindName,
    user: state.session.user,
    session: state.session,
    pages: allowed,
    current: () => seq === state.renderSeq, // false once the user has moved on
  };
  try {
    await page.render(container, ctx);
  } catch (e) {
    if (ctx.current() && e.status !== 401) {
      // The page's "正在加载…" gives way to the error: it is not loading any more.
      for (const p of container.querySelectorAll('p.muted')) if (p.textContent.trim() === '正在加载…') p.remove();
      container.insertAdjacentHTML('beforeend', html`<div class="alert error">${e.message}</div>`.toString());
    }
  }
}

// What the user has not sent yet, kept on this device: a visit being written, answers to items.
function draftsOnDevice(user) {
  const parts = [];
  const visit = visitDraftState(user);
  if (visit === 'sending') parts.push('已发出但未收到服务器确认的督导记录 1 份（删除后无法再安全重试）');
  else if (visit) parts.push('新建督导的草稿 1 份');
  const answers = answerDraftIds(user).length;
  if (answers) parts.push(`整改答复的草稿 ${answers} 份`);
  return parts;
}

// Drafts are kept on the device for the user who wrote them; once they sign out, the next
// person at a shared computer must not find them there. 退出 says so and asks first.
function askLogout(parts) {
  const box = $('#logout-confirm');
  $('#logout-confirm-text').textContent =
    `本机上还有尚未提交的${parts.join('和')}。退出会把草稿连同照片从本机删除，不能恢复；如需保留，请取消，提交后再退出。`;
  box.hidden = false;
  box.focus();
}

async function logout(confirmed) {
  const btn = $('#logout-btn');
  const user = state.session && state.session.user;
  const drafts = user ? draftsOnDevice(user) : [];
  if (drafts.length && confirmed !== true) { askLogout(drafts); return; }
  $('#logout-confirm').hidden = true;
  btn.disabled = true;
  forgetKept(); // first: with no network the device must not keep opening as this user
  forgetTyped();
  try {
    await api('DELETE', '/api/v1/session');
  } catch (e) {
    if (e.status !== 401) {
      btn.disabled = false;
      flash(e.status ? '退出失败：' + e.message
        : '没有网络：为离线打开而保存的用户和学校资料已清除，但登录要等网络恢复后再点“退出”才会结束。', 'error');
      return;
    }
  }
  forgetKept(); // again: reading the session for the DELETE's CSRF token keeps the user anew
  if (user) { // signed out: their drafts go, photos too, before the page (and their removal) does
    signingOut.now = true;
    await Promise.all([dropVisitDraft(user), ...answerDraftIds(user).map((id) => dropAnswerDraft(user, { id }))]);
  }
  location.href = '/login.html';
}

// With no network the session is the user kept on the device (offline.js), without a CSRF
// token; it is read again, into the same object the pages hold, when the network is back and
// before any write (csrfToken in lib.js calls session.refresh).
async function readSession() {
  try {
    state.session = await api('GET', '/api/v1/session');
    keepUser(state.session.user, state.session.expires_at);
    return true;
  } catch (e) {
    const kept = unreachable(e) && keptUser();
    if (kept) {
      state.session = { user: kept, csrf_token: '', offline: true, refresh: refreshSession };
      window.addEventListener('online', refreshSession);
      return true;
    }
    if (e.status !== 401) {
      $('#view').innerHTML = html`<div class="alert error">${e.message}</div>
        <p><a href="">重新加载</a></p>`;
    }
    return false;
  }
}

let refreshing = null;
function refreshSession() {
  if (!refreshing) refreshing = readFreshSession().finally(() => { refreshing = null; });
  return refreshing;
}

async function readFreshSession() {
  let fresh;
  try {
    fresh = await api('GET', '/api/v1/session');
  } catch { return; } // still no answer: the next try is the next write or online event; a 401 went to the login page
  keepUser(fresh.user, fresh.expires_at);
  if (fresh.user.id !== state.session.user.id) { location.reload(); return; }
  Object.assign(state.session, fresh, { offline: false });
  window.removeEventListener('online', refreshSession);
}

async function boot() {
  if (!(await readSession())) return;
  keepStatic();
  const user = state.session.user || {};
  if (!ROLES.includes(user.role)) { toLogin(); return; }
  renderHeader(user);
  renderNav();
  $('#menu-btn').addEventListener('click', () => setMenu(!document.body.classList.contains('menu-open')));
  // Any tap on a menu entry closes the menu, the page already shown included (no hashchange then).
  $('#nav').addEventListener('click', (ev) => { if (ev.target.closest('a')) setMenu(false); });
  $('#logout-btn').addEventListener('click', () => logout(false));
  $('#logout-confirm-yes').addEventListener('click', () => logout(true));
  $('#logout-confirm-no').addEventListener('click', () => { $('#logout-confirm').hidden = true; $('#logout-btn').focus(); });
  document.addEventListener('keydown', (ev) => { if (ev.key === 'Escape') setMenu(false); });
  window.addEventListener('hashchange', route);
  route();
}

boot();
