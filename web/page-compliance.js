// page-compliance.js - 督导覆盖 (inspectors and bureau heads): for one semester, every school in
// scope with its filed visits against the required number (setting visits_per_semester, the
// national floor being 2), schools below it first and marked, a summary line, and filters by
// semester and town kept in the address (#/compliance?semester=2026-2&town=2). The schools
// directly under the bureau (县直属) are ?town=<the bureau's id>, as the API selects them.
// Data: GET /api/v1/visits/compliance. Semesters follow service/calendar.c: spring (YYYY-1)
// 1 March to 31 August, autumn (YYYY-2) 1 September to the end of February.

import { registerPage, fetchAll } from './lib.js';
import { request, hashParts, serverYmd, daysBetween } from './rect-common.js';

const SEMESTERS_SHOWN = 6; // the current semester and the five before it

// ---- semesters (the same arithmetic as service/calendar.c) -------------------------

// The semester code of a date: "2026-11-23" -> "2026-2", "2027-01-10" -> "2026-2", "2026-04-01" -> "2026-1".
function semesterOf(ymd) {
  const y = Number(ymd.slice(0, 4));
  const m = Number(ymd.slice(5, 7));
  if (m >= 9) return `${y}-2`;
  return m >= 3 ? `${y}-1` : `${y - 1}-2`;
}

const validCode = (code) => /^\d{4}-[12]$/.test(code || '');

// The semester before code: autumn -> the spring of the same year, spring -> the autumn before.
function previous(code) {
  const y = Number(code.slice(0, 4));
  return code.endsWith('-2') ? `${y}-1` : `${y - 1}-2`;
}

// "2026-2" -> "2026年秋季学期".
const semesterName = (code) => `${code.slice(0, 4)}年${code.endsWith('-2') ? '秋季' : '春季'}学期`;

function semesterCodes(current, selected) {
  const codes = [current];
  while (codes.length < SEMESTERS_SHOWN) codes.push(previous(codes[codes.length - 1]));
  if (validCode(selected) && !codes.includes(selected)) codes.push(selected);
  return codes.sort().reverse();
}


// ---- the page -----------------------------------------------------------------------

registerPage({
  id: 'compliance',
  title: '督导覆盖',
  roles: ['inspector', 'bureau_head'],
  order: 35,
  async render(el, ctx) {
    const { html } = ctx;
    el.innerHTML = html`<div class="page-head"><h1>督导覆盖</h1></div><p class="muted">正在加载…</p>`;
    const q = hashParts().query;
    const [today, orgs] = await Promise.all([serverYmd(), fetchAll(ctx.api, '/api/v1/orgs')]);
    if (!ctx.current()) return;
    const current = semesterOf(today);
    const st = { semester: validCode(q.get('semester')) ? q.get('semester') : current, town: q.get('town') || '' };
    drawShell(el, ctx, orgs, st, semesterCodes(current, st.semester));
    const form = el.querySelector('#compliance-filter');
    st.town = form.elements.town ? form.elements.town.value : ''; // a town from the address that is not offered is dropped
    const load = () => loadCompliance(el, ctx, st, { today, current });
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      st.semester = form.elements.semester.value;
      st.town = form.elements.town ? form.elements.town.value : '';
      load();
    });
    // A filter applies as soon as it changes; the button stays for keyboards and old phones.
    form.addEventListener('change', () => form.requestSubmit());
    await load();
  },
});

function drawShell(el, ctx, orgs, st, codes) {
  const { html } = ctx;
  const towns = orgs.filter((o) => o.kind === 'town');
  const bureau = orgs.find((o) => o.kind === 'bureau');
  const direct = bureau && orgs.some((o) => o.kind === 'school' && o.parent_id === bureau.id);
  const sel = (v, cur) => (String(v) === String(cur) ? 'selected' : '');
  el.innerHTML = html`
    <div class="page-head"><h1>督导覆盖</h1></div>
    <section class="card">
      <form id="compliance-filter" class="filters" role="search">
        <select name="semester" aria-label="学期">${codes.map((c) => html`
          <option value="${c}" ${sel(c, st.semester)}>${semesterName(c)}</option>`)}</select>
        ${towns.length > 1 || (towns.length && direct) ? html`<select name="town" aria-label="街镇">
          <option value="">全部街镇</option>${towns.map((t) => html`
          <option value="${t.id}" ${sel(t.id, st.town)}>${t.name}</option>`)}
          ${direct ? html`<option value="${bureau.id}" ${sel(bureau.id, st.town)}>县直属学校</option>` : ''}</select>` : ''}
        <button type="submit" class="btn primary">查询</button>
      </form>
      <div id="compliance-summary" class="summary-card" aria-live="polite"><p class="muted">正在统计…</p></div>
    </section>
    <div id="compliance-list"></div>`;
}

async function loadCompliance(el, ctx, st, { today, current }) {
  const { html } = ctx;
  const p = new URLSearchParams();
  if (st.semester !== current) p.set('semester', st.semester);
  if (st.town) p.set('town', st.town);
  history.replaceState(null, '', '#/compliance' + (p.toString() ? '?' + p : ''));
  const sumEl = el.querySelector('#compliance-summary');
  const listEl = el.querySelector('#compliance-list');
  sumEl.innerHTML = html`<p class="muted">正在统计…</p>`;
  listEl.innerHTML = '';
  const seq = (st.seq = (st.seq || 0) + 1);
  const shown = () => ctx.current() && seq === st.seq; // false once a newer query was sent
  let r;
  try {
    const q = new URLSearchParams({ semester: st.semester });
    if (st.town) q.set('town', st.town);
    r = await request(ctx, 'GET', '/api/v1/visits/compliance?' + q);
  } catch (e) {
    if (shown()) sumEl.innerHTML = html`<div class="alert error">${e.message}</div>`;
    return;
  }
  if (!shown()) return;
  drawSummary(sumEl, html, r, { today, isCurrent: r.semester.code === current });
  // Below the required number first, fewest visits first; the server's order (town, school) otherwise.
  const below = r.items.filter((it) => !it.compliant).sort((a, b) => a.visits - b.visits);
  const ok = r.items.filter((it) => it.compliant);
  listEl.innerHTML = r.items.length === 0 ? html`<section class="card"><p class="muted">范围内没有学校。</p></section>` : html`
    ${below.length ? html`
      <section class="card compliance-below">
        <h2>未达标学校 <span class="red">${below.length}</span> 所</h2>
        ${schoolTable(html, 'compliance-below-table', below, r)}
      </section>` : html`<section class="card"><p class="alert ok" id="compliance-all-ok">全部学校都已达到督导次数要求。</p></section>`}
    ${ok.length ? html`
      <section class="card">
        <h2>达标学校 ${ok.length} 所</h2>
        ${schoolTable(html, 'compliance-ok-table', ok, r)}
      </section>` : ''}`;
}

function drawSummary(box, html, r, { today, isCurrent }) {
  const s = r.semester;
  const below = r.schools - r.compliant;
  const left = isCurrent ? daysBetween(today, s.end) : -1;
  box.innerHTML = html`
    <p class="sentence" id="compliance-sentence">${isCurrent ? '本学期' : s.name}应督导学校 ${r.schools} 所，达标 ${r.compliant} 所，未达标 ${below} 所</p>
    <ul class="stats">
      <li><span class="n" id="stat-schools">${r.schools}</span><span>应督导学校</span></li>
      <li class="ok"><span class="n" id="stat-compliant">${r.compliant}</span><span>达标</span></li>
      <li class="bad"><span class="n" id="stat-below">${below}</span><span>未达标</span></li>
      <li><span class="n" id="stat-ratio">${r.schools ? (r.ratio * 100).toFixed(1) + '%' : '—'}</span><span>达标率</span></li>
    </ul>
    <p class="muted small" id="compliance-rule">${s.name}：${s.start} 至 ${s.end}${left >= 0 ? `，距学期结束还有 ${left} 天` : ''}。每所学校每学期至少督导 ${r.required} 次（系统设置）；只统计已提交的督导记录，经常性督导、专项督导和“回头看”都计入。</p>`;
}

function schoolTable(html, id, items, r) {
  const s = r.semester;
  return html`
    <table class="table stack compliance-table" id="${id}">
      <thead><tr><th>学校</th><th>街镇</th><th>已督导</th><th>状态</th></tr></thead>
      <tbody>${items.map((it) => html`
        <tr data-school-id="${it.school_id}" data-visits="${it.visits}" class="${it.compliant ? '' : 'is-below'}">
          <td data-label="学校" class="cp-school"><a href="#/visits?school=${it.school_id}&state=filed&from=${s.start}&to=${s.end}"
            title="查看该校本学期的督导记录">${it.school_name}</a></td>
          <td data-label="街镇" class="cp-town">${it.town_name || '县直属'}</td>
          <td data-label="已督导" class="nowrap cp-visits"><strong class="${it.compliant ? '' : 'red'}">${it.visits}</strong> / ${r.required} 次</td>
          <td data-label="状态" class="cp-state">${it.compliant ? html`<span class="tag on">达标</span>`
            : html`<span class="tag below">未达标，差 ${r.required - it.visits} 次</span>`}</td>
        </tr>`)}</tbody>
    </table>`;
}
