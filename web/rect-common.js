// rect-common.js - what the visit and rectification pages share: requests that carry an
// Idempotency-Key, evidence uploads and photo preparation, the labels of severities, states
// and deadlines, evidence thumbnails, and the small helpers for field errors and hashes.
// The item page itself (history and actions) is in rect-item.js.

import { html, ApiError, toLogin, csrfToken } from './lib.js';

export const SEVERITIES = ['一般', '较重', '严重'];
// The documented default deadlines (days after the visit). The server applies the admin's
// settings (GET /api/v1/settings); the visit form previews those and falls back to these,
// saying they are the usual defaults, only while it cannot read them.
export const DEFAULT_DAYS = { 严重: 7, 较重: 15, 一般: 30 };
export const KINDS = ['经常性督导', '专项督导', '回头看'];
export const RECHECK = KINDS[2]; // the visit kind a reopening must rest on
export const RESULTS = ['符合', '不符合', '不适用'];
export const STATE_LABELS = { open: '待整改', submitted: '已提交待核查', closed: '已销号', reopened: '重新整改' };
export const ESCALATIONS = ['约谈', '通报', '提醒'];
export const VERIFIERS = ['inspector', 'bureau_head', 'admin'];
export const VISITORS = ['inspector', 'bureau_head'];
const MAX_UPLOAD = 10 * 1024 * 1024;

// ---- requests -----------------------------------------------------------------

// A fresh Idempotency-Key (a version-4 UUID from crypto.getRandomValues, which unlike
// crypto.randomUUID also works on plain-HTTP intranet addresses).
export function newKey() {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const sleep = (ms) => new Promise((r) => { setTimeout(r, ms); });

async function fetchOnce(ctx, method, path, opts) {
  const headers = { Accept: 'application/json', ...(opts.headers || {}) };
  if (method !== 'GET') headers['X-CSRF-Token'] = await csrfToken(ctx.session);
  if (opts.key) headers['Idempotency-Key'] = opts.key;
  let body = opts.body;
  if (opts.json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.json);
  }
  let res;
  try {
    res = await fetch(path, { method, headers, body, credentials: 'same-origin', cache: 'no-store' });
  } catch {
    throw new ApiError('网络连接失败，请检查网络后重试', { status: 0 });
  }
  let data = null;
  if (res.status !== 204) {
    try { data = await res.json(); } catch { data = null; }
  }
  if (res.status === 401) {
    toLogin();
    throw new ApiError('登录已过期，请重新登录', { status: 401 });
  }
  if (!res.ok) {
    const e = (data && data.error) || {};
    const err = new ApiError(e.message || `请求失败（${res.status}）`,
      { status: res.status, code: e.code || null, field: e.field || null });
    err.retryAfter = Number(res.headers.get('Retry-After')) || 0;
    throw err;
  }
  return data;
}

// request(ctx, method, path, {json | body + headers, key}) -> the JSON answer.
// With a key, a 409 carrying Retry-After (the first request with that key still runs)
// is waited out and retried a few times. Errors are ApiError; status 0 = no network.
export async function request(ctx, method, path, opts = {}) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fetchOnce(ctx, method.toUpperCase(), path, opts);
    } catch (e) {
      if (!(opts.key && e.status === 409 && e.retryAfter && attempt < 8)) throw e;
      await sleep(Math.min(e.retryAfter, 5) * 1000);
    }
  }
}

// True when the outcome of a request is unknown (no answer, or the server failed):
// the same submission must be retried with the same Idempotency-Key.
export const isTransient = (e) => !e.status || e.status >= 500;

// A file name the server accepts in X-Filename: no slashes or control characters, ≤ 100.
function cleanName(name, type) {
  const ext = type === 'application/pdf' ? 'pdf' : type === 'image/png' ? 'png' : 'jpg';
  const s = Array.from(String(name || '').replace(/[/\\\u0000-\u001f\u007f]/g, '_')).slice(-100).join('');
  return s.trim() || `photo.${ext}`;
}

// Uploads one file as evidence (of schoolId, or of the uploader's own school) with its
// own Idempotency-Key; returns the evidence record.
export function uploadEvidence(ctx, blob, name, { schoolId, key }) {
  const qs = schoolId ? `?school_id=${encodeURIComponent(schoolId)}` : '';
  return request(ctx, 'POST', '/api/v1/evidence' + qs, {
    body: blob,
    key,
    headers: { 'Content-Type': blob.type, 'X-Filename': encodeURIComponent(cleanName(name, blob.type)) },
  });
}

// Files one finding or one action may carry (EVIDENCE_MAX_PER_ENTRY in service/evidence.h),
// and what the pickers say when more are chosen.
export const MAX_FILES = 20;
export const tooManyFiles = (left) => (left > 0
  ? `每项最多 ${MAX_FILES} 个文件，只加入了前 ${left} 个`
  : `每项最多 ${MAX_FILES} 个文件，请先删除一些再添加`);

// Turns a chosen file into something the server takes: JPEG and PNG up to 1.5 MB and
// PDF as they are; bigger photos (and other image types) are scaled to at most 1920 px
// and re-encoded as JPEG, which also spares a weak rural network. Throws a Chinese message.
export async function preparePhoto(file) {
  const direct = file.type === 'image/jpeg' || file.type === 'image/png';
  if (file.type === 'application/pdf' || (direct && file.size <= 1.5 * 1024 * 1024)) {
    if (file.size > MAX_UPLOAD) throw new Error('文件超过 10 MB，请压缩后再上传');
    if (file.size === 0) throw new Error('文件是空的');
    return { blob: file, name: file.name, type: file.type };
  }
  let bmp = null;
  try { bmp = await createImageBitmap(file); } catch { bmp = null; }
  if (!bmp) {
    if (direct && file.size <= MAX_UPLOAD) return { blob: file, name: file.name, type: file.type };
    throw new Error('无法识别该图片，请拍摄或选择 JPG、PNG 照片或 PDF 文件');
  }
  const scale = Math.min(1, 1920 / Math.max(bmp.width, bmp.height));
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.round(bmp.width * scale));
  canvas.height = Math.max(1, Math.round(bmp.height * scale));
  canvas.getContext('2d').drawImage(bmp, 0, 0, canvas.width, canvas.height);
  const blob = await new Promise((r) => { canvas.toBlob(r, 'image/jpeg', 0.85); });
  if (!blob || blob.size > MAX_UPLOAD) throw new Error('图片过大，无法上传');
  const name = String(file.name || 'photo').replace(/\.[^.]*$/, '') + '.jpg';
  return { blob, name, type: 'image/jpeg' };
}

// ---- dates ----------------------------------------------------------------------

// The bureau's today as YYYY-MM-DD: the server's date (DUDAO_TODAY) from /healthz,
// else the clock in Asia/Shanghai.
export async function serverYmd() {
  try {
    const h = await (await fetch('/healthz', { cache: 'no-store' })).json();
    if (/^\d{4}-\d{2}-\d{2}$/.test(h.today || '')) return h.today;
  } catch { /* fall back to the clock */ }
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
}

// "2026-11-23" + n days -> "2026-12-08" (calendar arithmetic in UTC).
export function addDays(ymd, n) {
  const d = new Date(ymd + 'T00:00:00Z');
  if (isNaN(d)) return '';
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

// Days from date a to date b ("2026-11-23", "2026-12-08" -> 15), calendar days in UTC.
export const daysBetween = (a, b) => Math.round((Date.parse(b + 'T00:00:00Z') - Date.parse(a + 'T00:00:00Z')) / 86400000);

// ---- labels ---------------------------------------------------------------------

// The town of a record, or 县直属 for a school directly under the bureau (town null).
export const townName = (x) => x.town_name || '县直属';

export const sevTag = (s) => html`<span class="sev sev-${SEVERITIES.indexOf(s)}">${s}</span>`;

export function stateTag(it) {
  const label = it.state_label || STATE_LABELS[it.state] || it.state;
  return html`<span class="state state-${it.state}">${label}</span>`;
}

// The deadline badge: days left, due today, overdue (red), or how a closed item ended.
export function dueInfo(it) {
  if (it.state === 'closed') return it.on_time ? { text: '按期销号', cls: 'ok' } : { text: '逾期销号', cls: 'late' };
  if (it.state === 'submitted') {
    return it.submitted_on && it.submitted_on > it.deadline ? { text: '逾期提交', cls: 'late' } : { text: '按期提交', cls: 'info' };
  }
  if (it.overdue) return { text: `逾期 ${it.days_overdue} 天`, cls: 'overdue' };
  if (it.days_left === 0) return { text: '今天到期', cls: 'soon' };
  if (typeof it.days_left !== 'number') return { text: '', cls: '' };
  return { text: `剩 ${it.days_left} 天`, cls: it.days_left <= 3 ? 'soon' : '' };
}

export function dueTag(it) {
  const d = dueInfo(it);
  return d.text ? html`<span class="due ${d.cls}">${d.text}</span>` : '';
}

// Small marks next to an item's title: returned, reopened (or, once answered again, how often
// a 回头看 found it again), extension pending, escalation.
export function itemMarks(it) {
  const recur = it.recurrence_count > 0 && it.state !== 'reopened';
  return html`${it.returned ? html`<span class="mark returned">已退回</span>` : ''}${
    it.state === 'reopened' ? html`<span class="mark reopened">重新整改</span>` : ''}${
    recur ? html`<span class="mark reopened recur">回头看复发${it.recurrence_count > 1 ? ` ${it.recurrence_count} 次` : ''}</span>` : ''}${
    it.extension_pending ? html`<span class="mark ext">延期审批中</span>` : ''}${
    it.escalation ? html`<span class="mark esc esc-${ESCALATIONS.indexOf(it.escalation)}">${it.escalation}</span>` : ''}`;
}

// One item as a card linking to href: severity, title, marks, description, deadline.
export function itemCard(it, href, extra = '', { school = true } = {}) {
  return html`
    <li class="item-card${it.overdue ? ' is-overdue' : ''}" data-item-id="${it.id}">
      <a href="${href}">
        <div class="ic-top">${sevTag(it.severity)}<strong class="ic-title">${it.item_title}</strong>${itemMarks(it)}</div>
        <p class="ic-desc">${it.description}</p>
        <div class="ic-meta">
          ${school ? html`<span>${it.school_name}</span>` : ''}
          <span>整改期限 ${it.deadline}</span>
          ${dueTag(it)}
          ${extra}
        </div>
      </a>
    </li>`;
}

// ---- evidence -------------------------------------------------------------------

// Thumbnails of stored evidence; each opens the file in a new tab. Files that are not
// images (PDF scans) turn into a plain link: see watchBrokenThumbs.
export function evidenceThumbs(ids, label = '佐证材料') {
  if (!ids || !ids.length) return '';
  return html`<ul class="thumbs" aria-label="${label}">${ids.map((id) => html`
    <li><a href="/api/v1/evidence/${id}" target="_blank" rel="noopener" title="查看原件">
      <img src="/api/v1/evidence/${id}" alt="${label} ${id}" loading="lazy" data-evidence="${id}"></a></li>`)}</ul>`;
}

// A thumbnail that cannot be drawn as an image (a PDF) becomes a file tile.
export function watchBrokenThumbs(el) {
  el.addEventListener('error', (ev) => {
    const img = ev.target;
    if (!(img instanceof HTMLImageElement) || !img.dataset.evidence) return;
    const tile = document.createElement('span');
    tile.className = 'file-tile';
    tile.textContent = '文件 ' + img.dataset.evidence;
    img.replaceWith(tile);
  }, true);
}

// ---- forms ----------------------------------------------------------------------

// Clears every .field-error and aria-invalid under root.
export function clearErrors(root) {
  for (const p of root.querySelectorAll('.field-error, .form-error')) { p.hidden = true; p.textContent = ''; }
  for (const c of root.querySelectorAll('[aria-invalid]')) c.removeAttribute('aria-invalid');
}

// A form field: its label, the control (whose id is id), an optional hint (#hint-<id>) and the
// slot of its error message (#err-<id>, see showFieldError).
export const field = (id, label, control, hint = '') => html`
  <div class="field" data-field="${id}">
    <label for="${id}">${label}</label>
    ${control}
    ${hint ? html`<p class="hint" id="hint-${id}">${hint}</p>` : ''}
    <p class="field-error" id="err-${id}" hidden></p>
  </div>`;

// Shows message in the slot (a .field-error element) and marks control invalid; false
// when there is no slot.
export function showFieldError(slot, control, message) {
  if (!slot) return false;
  slot.textContent = message;
  slot.hidden = false;
  if (control) {
    control.setAttribute('aria-invalid', 'true');
    const described = (control.getAttribute('aria-describedby') || '').split(' ').filter(Boolean);
    if (slot.id && !described.includes(slot.id)) control.setAttribute('aria-describedby', [...described, slot.id].join(' '));
    if (typeof control.focus === 'function') control.focus({ preventScroll: true });
  }
  slot.scrollIntoView({ block: 'center', behavior: 'smooth' });
  return true;
}

// True when a text holds nothing but white space (the ideographic space U+3000 included),
// which the server refuses as empty.
export const isBlank = (s) => !String(s ?? '').trim();

// The label the page shows for the field whose control has this id ("" when none).
export function labelOf(root, id) {
  const box = root.querySelector(`[data-field="${id}"]`);
  const label = box && box.querySelector(':scope > label, :scope > .label');
  return label ? label.textContent.trim() : '';
}

const API_NAME = /^[A-Za-z_][\w.[\]-]*$/;
const escRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// A server message about API field `field` worded for the user with the page's own label:
// without a leading "findings[0].deadline：" path, "字段 x 不能为空" and "缺少必填字段 x" as
// "“label”不能为空", and any other mention of the field's API name replaced by the label.
export function fieldMessage(message, field, label) {
  let m = String(message || '').replace(/^[A-Za-z_][\w.[\]-]*：/, '');
  if (!label) return m;
  const names = new Set();
  if (field && API_NAME.test(field)) {
    names.add(field);
    names.add(field.split('.').pop().replace(/\[\d+\]$/, ''));
  }
  const name = '[A-Za-z_][\\w.[\\]-]*';
  m = m.replace(new RegExp(`^(?:缺少必填字段 ${name}|字段 ${name} 不能为空)$`), `“${label}”不能为空`);
  m = m.replace(new RegExp(`(?:字段|参数) ${name} ?`, 'g'), `“${label}”`);
  for (const n of [...names].sort((a, b) => b.length - a.length)) {
    m = m.replace(new RegExp(` ?(?<![\\w.[\\]])${escRe(n)}(?![\\w.[\\]]) ?`, 'g'), `“${label}”`);
  }
  return m;
}

// Shows each [id, message] of list under its field (the first one focused) after clearing
// the form's errors; false when list is empty.
export function showFieldErrors(form, list) {
  clearErrors(form);
  for (const [id, message] of list.slice().reverse()) {
    showFieldError(form.querySelector(`#err-${id}`), form.querySelector(`#${id}`), message);
  }
  return list.length > 0;
}

// The part of the hash after "#/page": "#/ledger/12?x=1" -> { id: "12", query: URLSearchParams("x=1") }.
export function hashParts() {
  const m = location.hash.match(/^#\/[a-z][a-z0-9-]*(?:\/([^?]*))?(?:\?(.*))?$/);
  return { id: m && m[1] ? decodeURIComponent(m[1]) : '', query: new URLSearchParams((m && m[2]) || '') };
}

// Calls fn on a window event while the page is shown; drops the listener after the user moved on.
export function onWindow(ctx, type, fn) {
  const h = (ev) => {
    if (!ctx.current()) { window.removeEventListener(type, h); return; }
    fn(ev);
  };
  window.addEventListener(type, h);
}

// The schools of the user's scope grouped by town, as <optgroup>s for a select.
export function schoolOptions(orgs, selected = '') {
  const towns = new Map(orgs.filter((o) => o.kind === 'town').map((t) => [t.id, { t, schools: [] }]));
  const direct = [];
  for (const s of orgs.filter((o) => o.kind === 'school')) {
    (towns.has(s.parent_id) ? towns.get(s.parent_id).schools : direct).push(s);
  }
  const opt = (s) => html`<option value="${s.id}" data-town="${s.parent_id}" ${String(s.id) === String(selected) ? 'selected' : ''}>${s.name}</option>`;
  const groups = [...towns.values()].filter((g) => g.schools.length).map((g) => html`
    <optgroup label="${g.t.name}">${g.schools.map(opt)}</optgroup>`);
  if (direct.length) {
    groups.push(groups.length ? html`<optgroup label="县直属学校">${direct.map(opt)}</optgroup>` : html`${direct.map(opt)}`);
  }
  return html`${groups}`;
}

// In a filter form with dates from and to: false, with the browser's bubble on 至, when to is
// before from (the service would refuse it), true otherwise. The bubble goes as either changes.
export function dateRangeOk(form) {
  const { from, to } = form.elements;
  if (!from || !to) return true;
  if (!to.dataset.checked) {
    to.dataset.checked = '1';
    for (const c of [from, to]) c.addEventListener('input', () => to.setCustomValidity(''));
  }
  to.setCustomValidity(from.value && to.value && to.value < from.value ? '结束日期不能早于开始日期' : '');
  return to.reportValidity();
}

// In a filter form with a town and a school select, choosing a town narrows the schools.
export function linkTownSchool(form) {
  const town = form.elements.town;
  const school = form.elements.school;
  if (!town || !school) return;
  const apply = () => {
    for (const g of school.querySelectorAll('optgroup')) {
      const opts = [...g.querySelectorAll('option')];
      opts.forEach((o) => { o.hidden = Boolean(town.value) && o.dataset.town !== town.value; });
      g.hidden = opts.every((o) => o.hidden);
    }
    if (school.selectedOptions[0] && school.selectedOptions[0].hidden) school.value = '';
  };
  town.addEventListener('change', apply);
  apply();
}
