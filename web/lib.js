// lib.js - what every page shares: the page registry, the API wrapper,
// escaping, and the Chinese names of roles and org kinds.
// Pages import from here (never from app.js), so there are no import cycles.

import { forgetKept } from './offline.js';

export const ROLES = ['admin', 'bureau_head', 'inspector', 'aid_officer', 'principal'];

export const ROLE_NAMES = {
  admin: '系统管理员',
  bureau_head: '局长',
  inspector: '督学',
  aid_officer: '资助中心',
  principal: '校长',
};

export const ROLE_DUTIES = {
  admin: '管理用户、组织机构、检查表模板，以及整改期限、逾期预警、督导次数和资助统计类别等系统设置。',
  bureau_head: '查看整改台账、通报名单、学期督导次数和结对帮扶覆盖率，审批整改延期。',
  inspector: '到责任区学校开展督导检查，登记问题并设定整改期限，核查整改情况并销号，安排“回头看”。',
  aid_officer: '导入建档立卡学生名册和结对帮扶登记表，查看各校结对帮扶覆盖率。',
  principal: '查看本校待整改问题，按期限提交整改情况和佐证材料，维护本校学生名册、结对帮扶和家访记录。',
};

export const ORG_KIND_NAMES = { bureau: '教育局', town: '街镇教管中心', school: '学校' };

export const roleName = (r) => ROLE_NAMES[r] || r || '';
export const orgKindName = (k) => ORG_KIND_NAMES[k] || k || '';

// ---- page registry ----------------------------------------------------------

export const pages = [];

// registerPage({id, title, roles: [...], render(container, ctx)})
// `roles` lists the roles that may open the page; the nav shows it only to them.
export function registerPage(page) {
  if (!page || !/^[a-z][a-z0-9-]*$/.test(page.id || '') || typeof page.render !== 'function') {
    throw new Error('registerPage: needs id, title, roles and render');
  }
  if (pages.some((p) => p.id === page.id)) throw new Error('registerPage: duplicate id ' + page.id);
  pages.push({ order: 100, ...page });
  pages.sort((a, b) => a.order - b.order);
}

// ---- escaping ---------------------------------------------------------------

const ESC = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function esc(v) {
  return String(v ?? '').replace(/[&<>"']/g, (c) => ESC[c]);
}

// A fragment of trusted markup. html`` returns one; its toString gives the markup,
// so `el.innerHTML = html`...`` works.
class Markup {
  constructor(s) { this.s = s; }
  toString() { return this.s; }
}
export const raw = (s) => new Markup(String(s));

function part(v) {
  if (v instanceof Markup) return v.s;
  if (Array.isArray(v)) return v.map(part).join('');
  if (v === null || v === undefined || v === false) return '';
  return esc(v);
}

// Tagged template: every ${value} is escaped unless it is itself html`` / raw().
export function html(strings, ...values) {
  let out = strings[0];
  values.forEach((v, i) => { out += part(v) + strings[i + 1]; });
  return new Markup(out);
}

// ---- API --------------------------------------------------------------------

export class ApiError extends Error {
  constructor(message, { status = 0, code = null, field = null } = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field;
  }
}

// Signed out (a 401, an expired session): what was kept on the device about the user goes too.
export function toLogin() {
  forgetKept();
  const h = location.hash;
  const next = h && h.length > 2 ? '?next=' + encodeURIComponent(h) : '';
  location.href = '/login.html' + next;
}

// The CSRF token writes carry; a session started with no network (app.js) is read again first.
export async function csrfToken(session) {
  if (session && session.offline && session.refresh) await session.refresh();
  return (session && session.csrf_token) || '';
}

// makeApi(getSession) -> api(method, path, body)
// JSON in and out; writes carry X-CSRF-Token; 401 sends the browser to the login page;
// any other error throws an ApiError with the server's message and field.
export function makeApi(getSession) {
  return async function api(method, path, body) {
    method = method.toUpperCase();
    if (!path.startsWith('/')) path = '/api/v1/' + path;
    const headers = { Accept: 'application/json' };
    const opts = { method, headers, credentials: 'same-origin', cache: 'no-store' };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      opts.body = JSON.stringify(body);
    }
    if (method !== 'GET' && method !== 'HEAD') headers['X-CSRF-Token'] = await csrfToken(getSession());
    let res;
    try {
      res = await fetch(path, opts);
    } catch {
      throw new ApiError('无法连接服务器，请检查网络后重试');
    }
    let data = null;
    if (res.status !== 204) {
      try { data = await res.json(); } catch { data = null; }
    }
    if (res.status === 401) {
      toLogin();
      throw new ApiError((data && data.error && data.error.message) || '请先登录', { status: 401 });
    }
    if (!res.ok) {
      const e = (data && data.error) || {};
      throw new ApiError(e.message || `请求失败（${res.status}）`,
        { status: res.status, code: e.code || null, field: e.field || null });
    }
    return data;
  };
}

// Fetches every page of a list resource (per_page 500) and returns all items.
export async function fetchAll(api, path) {
  const sep = path.includes('?') ? '&' : '?';
  const items = [];
  for (let page = 1; page <= 100; page++) {
    const r = await api('GET', `${path}${sep}page=${page}&per_page=500`);
    items.push(...(r.items || []));
    if (!r.items || r.items.length === 0 || items.length >= (r.total ?? 0)) break;
  }
  return items;
}

// ---- dates ------------------------------------------------------------------

export const TZ = 'Asia/Shanghai';

// The pager under a list: 上一页, "共 N <unit> · 第 p / q 页" (without the count when unit is
// empty), 下一页; its buttons carry data-go="-1" / "1" for onPager.
export function pagerHtml(total, page, perPage, unit) {
  const pages = Math.max(1, Math.ceil(total / perPage));
  return html`
    <button type="button" class="btn" data-go="-1" ${page <= 1 ? 'disabled' : ''}>上一页</button>
    <span>${unit ? `共 ${total} ${unit} · ` : ''}第 ${page} / ${pages} 页</span>
    <button type="button" class="btn" data-go="1" ${page >= pages ? 'disabled' : ''}>下一页</button>`;
}

// Calls go(step), step -1 or 1, when an enabled pagerHtml button inside el is clicked.
export function onPager(el, go) {
  el.addEventListener('click', (ev) => {
    const b = ev.target.closest('button[data-go]');
    if (b && !b.disabled) go(Number(b.dataset.go));
  });
}

// "2026-03-05T02:04:05Z" -> "2026-03-05 10:04" in the bureau's time zone.
export function fmtTime(ts) {
  if (!ts) return '';
  const d = new Date(ts);
  if (isNaN(d)) return String(ts);
  const p = Object.fromEntries(new Intl.DateTimeFormat('zh-CN', {
    timeZone: TZ, year: 'numeric', month: '2-digit', day: '2-digit',
    hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(d).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

export function todayText(d = new Date()) {
  return new Intl.DateTimeFormat('zh-CN', { timeZone: TZ, dateStyle: 'full' }).format(d);
}

// "2026-03-05" -> "2026年3月5日星期四" (a calendar date, no time zone shift).
export function dateText(ymd) {
  return new Intl.DateTimeFormat('zh-CN', { timeZone: 'UTC', dateStyle: 'full' }).format(new Date(ymd + 'T00:00:00Z'));
}

// The bureau's "today": the server's date (settable by DUDAO_TODAY) from /healthz,
// or the browser's clock in the bureau's time zone when the server does not say.
export async function serverToday() {
  try {
    const r = await fetch('/healthz', { cache: 'no-store' });
    const h = await r.json();
    if (/^\d{4}-\d{2}-\d{2}$/.test(h.today || '')) return dateText(h.today);
  } catch { /* fall back to the clock */ }
  return todayText();
}

// ---- org tree ---------------------------------------------------------------

const KIND_ORDER = { bureau: 0, town: 1, school: 2 };

// Builds the tree from a flat org list: returns the roots (orgs whose parent is not
// in the list, i.e. the top of the user's scope), each node with .children sorted
// towns first, then schools, each by id.
export function buildOrgTree(orgs) {
  const byId = new Map(orgs.map((o) => [o.id, { ...o, children: [] }]));
  const roots = [];
  for (const node of byId.values()) {
    const parent = node.parent_id != null ? byId.get(node.parent_id) : null;
    (parent ? parent.children : roots).push(node);
  }
  const sort = (list) => {
    list.sort((a, b) => (KIND_ORDER[a.kind] ?? 9) - (KIND_ORDER[b.kind] ?? 9) || a.id - b.id);
    list.forEach((n) => sort(n.children));
  };
  sort(roots);
  return roots;
}

// Depth-first walk: calls fn(node, depth) for every node.
export function walkTree(nodes, fn, depth = 0) {
  for (const n of nodes) {
    fn(n, depth);
    walkTree(n.children, fn, depth + 1);
  }
}
