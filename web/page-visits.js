// page-visits.js - 督导记录: the visits in the user's scope, newest first, filtered by town,
// school, kind, state and dates, each with its 督导意见书 (opens in a new tab). Principals see
// their school's filed visits. The filters live in the address (#/visits?school=14&kind=...).
// Not shown to the aid officer, whose work (roster, payouts) has no visits in it.

import { registerPage, fetchAll, pagerHtml, onPager } from './lib.js';
import { request, hashParts, schoolOptions, linkTownSchool, dateRangeOk, townName, KINDS } from './rect-common.js';

const PER_PAGE = 30;
const FILTERS = ['town', 'school', 'kind', 'state', 'from', 'to'];

registerPage({
  id: 'visits',
  title: '督导记录',
  roles: ['inspector', 'bureau_head', 'admin', 'principal'],
  order: 34,
  async render(el, ctx) {
    const { html } = ctx;
    const q = hashParts().query;
    const st = { page: Math.max(1, Number(q.get('page')) || 1) };
    FILTERS.forEach((k) => { st[k] = q.get(k) || ''; });
    const principal = ctx.user.role === 'principal';
    const orgs = await fetchAll(ctx.api, '/api/v1/orgs');
    if (!ctx.current()) return;
    const towns = orgs.filter((o) => o.kind === 'town');
    const sel = (v, cur) => (String(v) === String(cur) ? 'selected' : '');
    el.innerHTML = html`
      <div class="page-head"><h1>督导记录</h1>
        ${['inspector', 'bureau_head'].includes(ctx.user.role) ? html`<a class="btn primary" href="#/visit-new">新建督导</a>` : ''}</div>
      <section class="card">
        <form id="visit-filter" class="filters" role="search">
          ${!principal && towns.length > 1 ? html`<select name="town" aria-label="街镇"><option value="">全部街镇</option>${towns.map((t) => html`
            <option value="${t.id}" ${sel(t.id, st.town)}>${t.name}</option>`)}</select>` : ''}
          ${principal ? '' : html`<select name="school" aria-label="学校"><option value="">全部学校</option>${schoolOptions(orgs, st.school)}</select>`}
          <select name="kind" aria-label="督导类型"><option value="">全部类型</option>${KINDS.map((k) => html`<option ${sel(k, st.kind)}>${k}</option>`)}</select>
          ${principal ? '' : html`<select name="state" aria-label="状态"><option value="">全部状态</option>
            <option value="filed" ${sel('filed', st.state)}>已提交</option><option value="draft" ${sel('draft', st.state)}>草稿</option></select>`}
          <label class="date-range">从 <input type="date" name="from" value="${st.from}" aria-label="督导日期从"></label>
          <label class="date-range">至 <input type="date" name="to" value="${st.to}" aria-label="督导日期至"></label>
          <button type="submit" class="btn">查询</button>
        </form>
        <div id="visit-list" aria-live="polite"></div>
        <div class="pager" id="visit-pager"></div>
      </section>`;
    const form = el.querySelector('#visit-filter');
    linkTownSchool(form);
    const listEl = el.querySelector('#visit-list');
    const pagerEl = el.querySelector('#visit-pager');

    const query = () => {
      const p = new URLSearchParams();
      FILTERS.forEach((k) => { if (st[k]) p.set(k, st[k]); });
      return p;
    };
    async function load() {
      const p = query();
      const address = new URLSearchParams(p); // the page number too, for a reload or 返回
      if (st.page > 1) address.set('page', st.page);
      history.replaceState(null, '', '#/visits' + (address.toString() ? '?' + address : ''));
      p.set('page', st.page);
      p.set('per_page', PER_PAGE);
      listEl.innerHTML = html`<p class="muted">正在加载…</p>`;
      let r;
      try {
        r = await request(ctx, 'GET', '/api/v1/visits?' + p);
      } catch (e) {
        if (ctx.current()) { listEl.innerHTML = html`<div class="alert error">${e.message}</div>`; pagerEl.innerHTML = ''; }
        return;
      }
      if (!ctx.current()) return;
      const items = r.items || [];
      listEl.innerHTML = items.length === 0 ? html`<p class="muted">没有符合条件的督导记录。</p>` : html`
        <table class="table stack" id="visit-table">
          <thead><tr><th>督导日期</th><th>学校</th><th>街镇</th><th>督导类型</th><th>状态</th><th>问题数</th><th>督导意见书</th></tr></thead>
          <tbody>${items.map((v) => html`
            <tr data-visit-id="${v.id}">
              <td data-label="督导日期" class="nowrap">${v.visit_date}</td>
              <td data-label="学校">${v.school_name}</td>
              <td data-label="街镇">${townName(v)}</td>
              <td data-label="督导类型">${v.kind}</td>
              <td data-label="状态">${v.state === 'filed' ? html`<span class="tag on">已提交</span>` : html`<span class="tag off">草稿</span>`}</td>
              <td data-label="问题数">${v.finding_count}</td>
              <td data-label="督导意见书"><a href="/api/v1/visits/${v.id}/report" target="_blank" rel="noopener">查看</a></td>
            </tr>`)}</tbody>
        </table>`;
      const total = r.total ?? items.length;
      pagerEl.innerHTML = pagerHtml(total, st.page, r.per_page || PER_PAGE, '次督导');
    }
    onPager(pagerEl, (step) => { st.page += step; load(); });
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      if (!dateRangeOk(form)) return;
      FILTERS.forEach((k) => { st[k] = form.elements[k] ? form.elements[k].value : ''; });
      st.page = 1;
      load();
    });
    await load();
  },
});
