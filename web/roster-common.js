// roster-common.js - what the roster pages (issue 3) share: the enumerations of the roster
// API, the bureau's "today", the hash's id and query, percentages from per-mille integers,
// raw-file uploads for the imports, and field errors shown next to the field.
// Used by page-roster.js, roster-student.js, page-roster-import.js and page-coverage.js.

import { html, ApiError, toLogin, csrfToken } from './lib.js';

export const CATEGORIES = ['建档立卡', '防返贫监测', '低保', '特困供养', '残疾', '孤儿', '留守', '随迁'];
export const STAFF_ROLES = ['班主任', '任课教师', '干部', '党员'];
export const VISIT_KINDS = ['入户', '电话', '到校'];
export const ENROLLED = ['在校', '劝返复学'];
export const GRADES = {
  学前: ['小班', '中班', '大班'],
  小学: ['一年级', '二年级', '三年级', '四年级', '五年级', '六年级'],
  初中: ['七年级', '八年级', '九年级'],
  高中: ['高一', '高二', '高三'],
  中职: ['中职一年级', '中职二年级', '中职三年级'],
};
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const MAX_IMPORT_BYTES = 12 * 1024 * 1024;

// The bureau's today as YYYY-MM-DD: the server's (DUDAO_TODAY) from /healthz, else the
// browser's clock in Asia/Shanghai.
export async function serverYmd() {
  try {
    const h = await (await fetch('/healthz', { cache: 'no-store' })).json();
    if (/^\d{4}-\d{2}-\d{2}$/.test(h.today || '')) return h.today;
  } catch { /* the clock below */ }
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
}

// #/page/<id>?a=b -> {id: "<id>", query: URLSearchParams}
export function hashParts() {
  const m = location.hash.match(/^#\/[a-z][a-z0-9-]*(?:\/([^?]*))?(?:\?(.*))?$/);
  return { id: m && m[1] ? decodeURIComponent(m[1]) : '', query: new URLSearchParams((m && m[2]) || '') };
}

// 963 -> "96.3%"; null -> "—".
export function pct(permille) {
  if (permille === null || permille === undefined) return '—';
  return (permille / 10).toFixed(1) + '%';
}

// The CSS class of a coverage figure: full, short of it, or nobody to pair.
export function coverClass(permille) {
  if (permille === null || permille === undefined) return 'cov-none';
  return permille >= 1000 ? 'cov-full' : 'cov-short';
}

// True when the student counts for pairing today: an eligible category and enrolled.
export function isEligible(student, eligibleCategories) {
  return ENROLLED.includes(student.status) &&
    (student.categories || []).some((c) => eligibleCategories.includes(c));
}

export const categoryTags = (cats) => html`${(cats || []).map((c) => html`<span class="tag cat-tag">${c}</span>`)}`;

// The Content-Type of an import file: its own type when the browser knows it, else by name.
export function importType(file) {
  if (/\.xlsx$/i.test(file.name || '')) return XLSX_TYPE;
  if (file.type === XLSX_TYPE || file.type === 'text/csv') return file.type;
  return 'text/csv';
}

// POSTs a file as the raw body. Resolves to {status, data} for 200/415/422 (the import
// report, with data.error when refused); throws ApiError for other failures.
export async function uploadImport(ctx, path, file, { dryRun }) {
  const qs = new URLSearchParams();
  if (dryRun) qs.set('dry_run', '1');
  if (file.name) qs.set('file_name', file.name.slice(0, 200));
  let res;
  try {
    res = await fetch(`${path}?${qs}`, {
      method: 'POST',
      credentials: 'same-origin',
      cache: 'no-store',
      headers: {
        Accept: 'application/json',
        'Content-Type': importType(file),
        'X-Filename': encodeURIComponent(file.name || ''),
        'X-CSRF-Token': await csrfToken(ctx.session),
      },
      body: file,
    });
  } catch {
    throw new ApiError('无法连接服务器，请检查网络后重试');
  }
  let data = null;
  try { data = await res.json(); } catch { data = null; }
  if (res.status === 401) { toLogin(); throw new ApiError('登录已过期，请重新登录', { status: 401 }); }
  if (data && Array.isArray(data.errors) && [200, 415, 422].includes(res.status)) return { status: res.status, data };
  const e = (data && data.error) || {};
  throw new ApiError(e.message || `请求失败（${res.status}）`, { status: res.status, code: e.code || null, field: e.field || null });
}

// ---- forms --------------------------------------------------------------------

// A labelled control with a slot for its error (id "err-<id>").
export function field(id, label, control, hint) {
  return html`<div class="field" data-field="${id}">
    <label for="${id}">${label}</label>
    ${control}
    ${hint ? html`<p class="hint">${hint}</p>` : ''}
    <p class="field-error" id="err-${id}" hidden></p>
  </div>`;
}

export function clearErrors(root) {
  for (const p of root.querySelectorAll('.field-error, .form-error')) { p.hidden = true; p.textContent = ''; }
  for (const c of root.querySelectorAll('[aria-invalid]')) c.removeAttribute('aria-invalid');
}

// Shows an API error next to the control named by the error's field (through `fields`,
// API field -> control id), or in the form's .form-error when none matches.
export function showError(form, e, fields = {}) {
  const id = e.field && fields[e.field];
  const control = id && form.querySelector('#' + CSS.escape(id));
  const slot = id && form.querySelector('#err-' + CSS.escape(id));
  if (control && slot) {
    slot.textContent = e.message;
    slot.hidden = false;
    control.setAttribute('aria-invalid', 'true');
    control.focus();
    return;
  }
  const fe = form.querySelector('.form-error');
  if (fe) { fe.textContent = e.message; fe.hidden = false; }
}
