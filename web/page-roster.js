// page-roster.js - 本校名册与结对 (principal): the school's registered students, paged and
// filtered by grade, category and "unpaired today"; who is unpaired today is counted on top
// and highlighted in the list. The filters live in the address (#/roster?unpaired=1&page=2);
// #/roster/<id> opens one student (roster-student.js: history, pairings, home visits).

import { registerPage, pagerHtml, onPager } from './lib.js';
import { CATEGORIES, GRADES, hashParts, serverYmd, isEligible, categoryTags, pct } from './roster-common.js';
import { renderStudent } from './roster-student.js';

const PER_PAGE = 20;
const FILTERS = ['grade', 'category', 'unpaired', 'q'];
let lastQuery = '';

registerPage({
  id: 'roster',
  title: '本校名册与结对',
  roles: ['principal'],
  order: 60,
  async render(el, ctx) {
    const { id, query } = hashParts();
    if (id) return renderStudent(el, ctx, Number(id), { back: '#/roster' + lastQuery });
    const st = { page: Math.max(1, Number(query.get('page')) || 1) };
    FILTERS.forEach((k) => { st[k] = query.get(k) || ''; });
    lastQuery = location.hash.replace(/^#\/roster/, '');
    const school = ctx.user.org_id;
    const [today, orgs, cov, unpaired] = await Promise.all([
      serverYmd(),
      ctx.api('GET', `/api/v1/orgs?per_page=500`),
      ctx.api('GET', `/api/v1/metrics/pairing-coverage?org_id=${school}`),
      unpairedIds(ctx, school),
    ]);
    if (!ctx.current()) return;
    const org = (orgs.items || []).find((o) => o.id === school) || { name: ctx.user.org_name, stages: [] };
    drawShell(el, ctx, { org, today, cov, unpaired, st });
    bindFilters(el, st);
    await loadList(el, ctx, { school, st, unpaired, eligible: cov.eligible_categories || [] });
  },
});

// Every student unpaired today at the school: {ids: Set, total}.
async function unpairedIds(ctx, school) {
  const ids = new Set();
  let total = 0;
  for (let page = 1; page <= 20; page++) {
    const r = await ctx.api('GET', `/api/v1/students?school_id=${school}&unpaired=1&per_page=500&page=${page}`);
    total = r.total ?? 0;
    (r.items || []).forEach((s) => ids.add(s.id));
    if (!r.items || r.items.length < 500) break;
  }
  return { ids, total };
}

function drawShell(el, ctx, { org, today, cov, unpaired, st }) {
  const { html } = ctx;
  const t = cov.totals || {};
  const grades = (org.stages || []).flatMap((s) => GRADES[s] || []);
  const sel = (v, cur) => (v === cur ? 'selected' : '');
  el.innerHTML = html`
    <div class="page-head"><h1>本校名册与结对</h1><span class="muted">${org.name} · ${today}</span></div>
    <section class="card roster-summary ${unpaired.total ? 'has-unpaired' : 'all-paired'}" aria-live="polite">
      <p class="sentence">今日未结对 <strong id="unpaired-count" class="big">${unpaired.total}</strong> 人</p>
      <ul class="stats">
        <li><span class="n" id="eligible-count">${t.eligible ?? 0}</span>应结对学生</li>
        <li class="ok"><span class="n">${t.paired ?? 0}</span>已结对</li>
        <li class="${unpaired.total ? 'bad' : 'ok'}"><span class="n">${pct(t.coverage_permille)}</span>结对覆盖率</li>
      </ul>
      <p class="hint">应结对：在校且属于${(cov.eligible_categories || []).join('、')}的学生。
        ${unpaired.total ? html`<a href="#/roster?unpaired=1" id="show-unpaired">只看未结对学生</a>` : '全部已结对。'}</p>
    </section>
    <section class="card">
      <form id="roster-filter" class="filters" role="search">
        <input name="q" type="search" maxlength="50" placeholder="姓名或身份证后四位" aria-label="姓名或身份证后四位" value="${st.q}">
        <input name="grade" list="grade-list" maxlength="20" placeholder="年级" aria-label="年级" value="${st.grade}">
        <datalist id="grade-list">${grades.map((g) => html`<option value="${g}"></option>`)}</datalist>
        <select name="category" aria-label="类别"><option value="">全部类别</option>${CATEGORIES.map((c) => html`
          <option ${sel(c, st.category)}>${c}</option>`)}</select>
        <label class="check"><input type="checkbox" name="unpaired" value="1" ${st.unpaired === '1' ? 'checked' : ''}> 仅看未结对</label>
        <button type="submit" class="btn primary">查询</button>
        <button type="reset" class="btn">重置</button>
      </form>
      <div id="roster-list" aria-live="polite"><p class="muted">正在加载…</p></div>
      <div class="pager" id="roster-pager"></div>
    </section>`;
}

function go(st) {
  const qs = new URLSearchParams();
  FILTERS.forEach((k) => { if (st[k]) qs.set(k, st[k]); });
  if (st.page > 1) qs.set('page', st.page);
  const s = qs.toString();
  location.hash = '#/roster' + (s ? '?' + s : '');
}

function bindFilters(el, st) {
  const form = el.querySelector('#roster-filter');
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    st.q = form.q.value.trim();
    st.grade = form.grade.value.trim();
    st.category = form.category.value;
    st.unpaired = form.unpaired.checked ? '1' : '';
    st.page = 1;
    go(st);
  });
  form.addEventListener('reset', (ev) => {
    ev.preventDefault();
    location.hash = '#/roster';
  });
  onPager(el.querySelector('#roster-pager'), (step) => { st.page += step; go(st); });
}

async function loadList(el, ctx, { school, st, unpaired, eligible }) {
  const { html } = ctx;
  const qs = new URLSearchParams({ school_id: school, page: st.page, per_page: PER_PAGE });
  if (st.grade) qs.set('grade', st.grade);
  if (st.category) qs.set('category', st.category);
  if (st.unpaired) qs.set('unpaired', '1');
  if (/^\d{3}[\dXx]$/.test(st.q)) qs.set('q', st.q.toUpperCase());
  else if (st.q) qs.set('q', st.q);
  const listEl = el.querySelector('#roster-list');
  const pagerEl = el.querySelector('#roster-pager');
  let r;
  try {
    r = await ctx.api('GET', '/api/v1/students?' + qs);
  } catch (e) {
    if (ctx.current()) listEl.innerHTML = html`<div class="alert error">${e.message}</div>`;
    return;
  }
  if (!ctx.current()) return;
  const items = r.items || [];
  const pairTag = (s) => {
    if (unpaired.ids.has(s.id)) return html`<span class="tag pair-no">未结对</span>`;
    if (isEligible(s, eligible)) return html`<span class="tag pair-yes">已结对</span>`;
    return html`<span class="muted small">无需结对</span>`;
  };
  listEl.innerHTML = items.length === 0 ? html`<p class="muted">没有符合条件的学生。</p>` : html`
    <table class="table stack" id="roster-table">
      <thead><tr><th>姓名</th><th>性别</th><th>年级</th><th>类别</th><th>就读状态</th><th>结对</th><th></th></tr></thead>
      <tbody>${items.map((s) => html`
        <tr data-student-id="${s.id}" class="${unpaired.ids.has(s.id) ? 'is-unpaired' : ''}">
          <td data-label="姓名"><a href="#/roster/${s.id}" class="student-link">${s.name}</a>
            <span class="m-only">${s.gender}</span>
            <span class="muted small mono">${s.id_last4 ? '尾号 ' + s.id_last4 : ''}</span></td>
          <td data-label="性别">${s.gender}</td>
          <td data-label="年级">${s.grade}</td>
          <td data-label="类别">${categoryTags(s.categories)}${s.boarding ? html`<span class="tag boarding">寄宿</span>` : ''}</td>
          <td data-label="就读状态">${s.status}</td>
          <td data-label="结对" class="pair-cell">${pairTag(s)}</td>
          <td data-label="操作"><a class="btn small" href="#/roster/${s.id}">${unpaired.ids.has(s.id) ? '去结对' : '详情'}</a></td>
        </tr>`)}</tbody>
    </table>`;
  const total = r.total ?? items.length;
  pagerEl.innerHTML = pagerHtml(total, st.page, r.per_page || PER_PAGE, '名学生');
}
