// page-ledger.js - 整改台账 (verifiers and principals): every rectification item in scope
// filtered by town, school, state, severity, overdue and the date found, with the summary
// sentence bureaus file on top and an XLSX download with the same filters. The filters live
// in the address with the page number (#/ledger?town=2&state=closed&page=2), so going back
// from an item finds the same page; #/ledger/<id> opens one item.

import { registerPage, fetchAll, pagerHtml, onPager } from './lib.js';
import { request, hashParts, schoolOptions, linkTownSchool, dateRangeOk, townName, sevTag, stateTag, dueTag, itemMarks, SEVERITIES, STATE_LABELS } from './rect-common.js';
import { renderItem } from './rect-item.js';

const PER_PAGE = 50;
const FILTERS = ['town', 'school', 'state', 'severity', 'overdue', 'from', 'to'];
let lastQuery = '';

registerPage({
  id: 'ledger',
  title: '整改台账',
  roles: ['bureau_head', 'inspector', 'admin', 'principal'],
  order: 40,
  async render(el, ctx) {
    const { id, query } = hashParts();
    if (id) return renderItem(el, ctx, id, { back: '#/ledger' + lastQuery, backText: '返回整改台账' });
    const st = { page: Math.max(1, Number(query.get('page')) || 1) };
    FILTERS.forEach((k) => { st[k] = query.get(k) || ''; });
    const orgs = await fetchAll(ctx.api, '/api/v1/orgs');
    if (!ctx.current()) return;
    drawShell(el, ctx, orgs, st);
    const form = el.querySelector('#ledger-filter');
    linkTownSchool(form);
    const load = () => loadLedger(el, ctx, st);
    onPager(el.querySelector('#ledger-pager'), (step) => { st.page += step; load(); });
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      if (!dateRangeOk(form)) return;
      for (const k of FILTERS) {
        const c = form.elements[k];
        st[k] = !c ? '' : c.type === 'checkbox' ? (c.checked ? '1' : '') : c.value;
      }
      st.page = 1;
      load();
    });
    form.addEventListener('reset', (ev) => {
      ev.preventDefault(); // a plain reset would bring back the filters the page opened with
      for (const c of form.elements) {
        if (c.tagName === 'SELECT') c.selectedIndex = 0;
        else if (c.type === 'checkbox') c.checked = false;
        else if (c.type === 'date') c.value = '';
      }
      if (form.elements.town) form.elements.town.dispatchEvent(new Event('change'));
      FILTERS.forEach((k) => { st[k] = ''; });
      st.page = 1;
      load();
    });
    return load();
  },
});

function drawShell(el, ctx, orgs, st) {
  const { html } = ctx;
  const towns = orgs.filter((o) => o.kind === 'town');
  const schools = orgs.filter((o) => o.kind === 'school');
  const sel = (v, cur) => (String(v) === String(cur) ? 'selected' : '');
  el.innerHTML = html`
    <div class="page-head"><h1>整改台账</h1>
      <a class="btn" id="ledger-xlsx" href="/api/v1/rectifications/ledger?format=xlsx" download>下载 Excel</a>
      <span class="muted" id="ledger-xlsx-note" hidden></span></div>
    <section class="card summary-card" id="ledger-summary" aria-live="polite"><p class="muted">正在统计…</p></section>
    <section class="card">
      <form id="ledger-filter" class="filters" role="search">
        ${towns.length > 1 ? html`<select name="town" aria-label="街镇"><option value="">全部街镇</option>${towns.map((t) => html`
          <option value="${t.id}" ${sel(t.id, st.town)}>${t.name}</option>`)}</select>` : ''}
        ${schools.length > 1 ? html`<select name="school" aria-label="学校"><option value="">全部学校</option>${schoolOptions(orgs, st.school)}</select>` : ''}
        <select name="state" aria-label="状态"><option value="">全部状态</option>${Object.entries(STATE_LABELS).map(([k, v]) => html`
          <option value="${k}" ${sel(k, st.state)}>${v}</option>`)}</select>
        <select name="severity" aria-label="严重程度"><option value="">全部严重程度</option>${SEVERITIES.map((s) => html`
          <option ${sel(s, st.severity)}>${s}</option>`)}</select>
        <label class="check"><input type="checkbox" name="overdue" value="1" ${st.overdue === '1' ? 'checked' : ''}> 仅看逾期</label>
        <label class="date-range">发现日期从 <input type="date" name="from" value="${st.from}" aria-label="发现日期从"></label>
        <label class="date-range">至 <input type="date" name="to" value="${st.to}" aria-label="发现日期至"></label>
        <button type="submit" class="btn primary">查询</button>
        <button type="reset" class="btn">重置</button>
      </form>
      <div id="ledger-list"></div>
      <div class="pager" id="ledger-pager"></div>
    </section>`;
}

// The Excel file holds at most XLSX_MAX rows (the service refuses more): past that, the
// button gives way to a note asking for a narrower filter.
const XLSX_MAX = 100000;
function offerXlsx(link, note, total) {
  const over = total > XLSX_MAX;
  link.hidden = over;
  note.hidden = !over;
  note.textContent = over ? `共 ${total} 项，超过 Excel 导出上限 ${XLSX_MAX} 项，请缩小筛选范围后下载` : '';
}

function queryOf(st) {
  const p = new URLSearchParams();
  FILTERS.forEach((k) => { if (st[k]) p.set(k, st[k]); });
  return p;
}

async function loadLedger(el, ctx, st) {
  const { html } = ctx;
  const p = queryOf(st);
  // The address (and 返回整改台账 from an item) keeps the page number too; the Excel file does not.
  const address = new URLSearchParams(p);
  if (st.page > 1) address.set('page', st.page);
  lastQuery = address.toString() ? '?' + address : '';
  history.replaceState(null, '', '#/ledger' + lastQuery);
  const xlsx = new URLSearchParams(p);
  xlsx.set('format', 'xlsx');
  const link = el.querySelector('#ledger-xlsx');
  link.href = '/api/v1/rectifications/ledger?' + xlsx;
  const listEl = el.querySelector('#ledger-list');
  const pagerEl = el.querySelector('#ledger-pager');
  listEl.innerHTML = html`<p class="muted">正在加载…</p>`;
  p.set('page', st.page);
  p.set('per_page', PER_PAGE);
  let r;
  try {
    r = await request(ctx, 'GET', '/api/v1/rectifications/ledger?' + p);
  } catch (e) {
    if (ctx.current()) {
      listEl.innerHTML = html`<div class="alert error">${e.message}</div>`;
      pagerEl.innerHTML = '';
      el.querySelector('#ledger-summary').innerHTML = html`<p class="muted">未能统计。</p>`; // not the last query's figures
    }
    return;
  }
  if (!ctx.current()) return;
  drawSummary(el.querySelector('#ledger-summary'), html, r);
  offerXlsx(link, el.querySelector('#ledger-xlsx-note'), r.total);
  const items = r.items || [];
  const base = (st.page - 1) * (r.per_page || PER_PAGE);
  listEl.innerHTML = items.length === 0 ? html`<p class="muted">没有符合条件的整改项。</p>` : html`
    <table class="table stack ledger" id="ledger-table">
      <thead><tr><th>序号</th><th>街镇</th><th>学校</th><th>发现日期</th><th>检查项目</th><th>问题描述</th><th>严重程度</th><th>整改期限</th><th>状态</th></tr></thead>
      <tbody>${items.map((it, i) => html`
        <tr data-item-id="${it.id}" class="${it.overdue ? 'is-overdue' : ''}">
          <td data-label="序号" class="nowrap hide-phone">${base + i + 1}</td>
          <td data-label="街镇">${townName(it)}</td>
          <td data-label="学校">${it.school_name}</td>
          <td data-label="发现日期" class="nowrap">${it.found_on}</td>
          <td data-label="检查项目"><a href="#/ledger/${it.id}">${it.item_title}</a></td>
          <td data-label="问题描述" class="desc">${it.description}</td>
          <td data-label="严重程度">${sevTag(it.severity)}</td>
          <td data-label="整改期限" class="nowrap"><span>${it.deadline}${it.original_deadline && it.original_deadline !== it.deadline ? html`<br><span class="muted">原定 ${it.original_deadline}</span>` : ''}</span></td>
          <td data-label="状态" class="state-cell"><span>${stateTag(it)} ${dueTag(it)}${itemMarks({ ...it, state: '' })}</span></td>
        </tr>`)}</tbody>
    </table>`;
  const total = r.total ?? items.length;
  pagerEl.innerHTML = pagerHtml(total, st.page, r.per_page || PER_PAGE, '项');
}

function drawSummary(box, html, r) {
  const s = r.summary || {};
  box.innerHTML = html`
    <p class="sentence" id="ledger-sentence">${s.sentence}</p>
    <ul class="stats">
      <li><span class="n" id="stat-total">${s.total}</span><span>发现问题</span></li>
      <li class="ok"><span class="n" id="stat-completed">${s.completed}</span><span>整改完成（已销号）</span></li>
      <li><span class="n" id="stat-in-progress">${s.in_progress}</span><span>正在整改</span></li>
      <li class="bad"><span class="n" id="stat-overdue">${s.overdue}</span><span>逾期未整改</span></li>
    </ul>
    <p class="muted small">截至 ${r.today}。已整改 = 整改完成 + 正在整改（已提交待核查，或在期限内整改中）；逾期未整改的不计入已整改。</p>`;
}
