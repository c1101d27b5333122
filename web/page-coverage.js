// page-coverage.js - 结对覆盖 (bureau head, inspector, aid officer): pairing coverage of an
// org (default: the user's scope) on a date - totals, the table by town or school with a bar
// per row, the 一帮一/一帮多/多帮一 split, students per helper, this semester's home-visit
// coverage, key students not visited this month, and the server's PNG chart. Clicking a town
// drills down to its schools. Org and date live in the address: #/coverage?org=2&date=2026-11-23.

import { registerPage, fetchAll, buildOrgTree, walkTree, pagerHtml, onPager } from './lib.js';
import { hashParts, serverYmd, pct, coverClass, categoryTags } from './roster-common.js';

const KEY_PER_PAGE = 20;

registerPage({
  id: 'coverage',
  title: '结对覆盖',
  roles: ['bureau_head', 'inspector', 'aid_officer'],
  order: 64,
  async render(el, ctx) {
    const { query } = hashParts();
    const today = await serverYmd();
    const st = { org: query.get('org') || '', date: query.get('date') || today, today, kpage: 1 };
    if (!/^\d{4}-\d{2}-\d{2}$/.test(st.date)) st.date = today;
    const qs = new URLSearchParams({ date: st.date });
    if (st.org) qs.set('org_id', st.org);
    let orgs, cov, hv;
    try {
      [orgs, cov, hv] = await Promise.all([
        fetchAll(ctx.api, '/api/v1/orgs'),
        ctx.api('GET', '/api/v1/metrics/pairing-coverage?' + qs),
        ctx.api('GET', '/api/v1/metrics/home-visit-coverage' + (st.org ? `?org_id=${encodeURIComponent(st.org)}` : '')),
      ]);
    } catch (e) {
      if (!ctx.current() || !(e.status === 400 || e.status === 404)) throw e;
      el.innerHTML = ctx.html`<h1>结对覆盖</h1><div class="alert error">${e.status === 404 ? '该机构不存在或不在您的管辖范围内' : e.message}</div>
        <p><a href="#/coverage">查看本辖区的结对覆盖</a></p>`;
      return;
    }
    if (!ctx.current()) return;
    st.orgId = cov.org.id;
    draw(el, ctx, { st, orgs, cov, hv });
    bind(el, ctx, st);
    await loadKeyStudents(el, ctx, st);
  },
});

const address = (org, date, today) => {
  const qs = new URLSearchParams();
  if (org) qs.set('org', org);
  if (date && date !== today) qs.set('date', date);
  const s = qs.toString();
  return '#/coverage' + (s ? '?' + s : '');
};

// The chain of orgs from the scope's top down to `id`, for the breadcrumb.
function chain(orgs, id) {
  const byId = new Map(orgs.map((o) => [o.id, o]));
  const out = [];
  for (let o = byId.get(id); o; o = byId.get(o.parent_id)) out.unshift(o);
  return out;
}

function draw(el, ctx, { st, orgs, cov, hv }) {
  const { html } = ctx;
  const t = cov.totals || {};
  const opts = [];
  walkTree(buildOrgTree(orgs), (o, depth) => {
    opts.push(html`<option value="${o.id}" ${o.id === st.orgId ? 'selected' : ''}>${'　'.repeat(depth)}${o.name}</option>`);
  });
  const crumbs = chain(orgs, st.orgId);
  const by = cov.org.kind === 'bureau' ? '按街镇及直属学校' : cov.org.kind === 'town' ? '按学校' : '本校';
  const chartSrc = `/api/v1/charts/pairing-coverage.png?org_id=${cov.org.id}&date=${cov.date}`;
  el.innerHTML = html`
    <h1>结对覆盖</h1>
    <section class="card">
      <form id="cov-filter" class="filters" role="search">
        <select name="org" aria-label="机构">${opts}</select>
        <label class="date-range">截至 <input type="date" name="date" value="${st.date}" max="${st.today}" required></label>
        <button type="submit" class="btn primary">查询</button>
      </form>
      <nav class="crumbs" aria-label="层级">${crumbs.map((o, i) => html`${i ? html`<span aria-hidden="true"> › </span>` : ''}${
        o.id === st.orgId ? html`<strong>${o.name}</strong>` : html`<a href="${address(String(o.id), st.date, st.today)}">${o.name}</a>`}`)}</nav>
    </section>
    <section class="card summary-card cov-summary" id="cov-totals">
      <p class="sentence">${cov.org.name} 截至 ${cov.date}：应结对 ${t.eligible} 人，已结对 ${t.paired} 人，未结对
        <span class="${t.unpaired ? 'red' : ''}">${t.unpaired}</span> 人，覆盖率 ${pct(t.coverage_permille)}</p>
      <ul class="stats">
        <li><span class="n" data-total="eligible">${t.eligible}</span>应结对</li>
        <li class="ok"><span class="n" data-total="paired">${t.paired}</span>已结对</li>
        <li class="${t.unpaired ? 'bad' : 'ok'}"><span class="n" data-total="unpaired">${t.unpaired}</span>未结对</li>
        <li class="${t.coverage_permille === 1000 ? 'ok' : t.unpaired ? 'bad' : ''}"><span class="n" data-total="coverage">${pct(t.coverage_permille)}</span>覆盖率</li>
      </ul>
      <p class="hint">应结对：在校且属于${(cov.eligible_categories || []).join('、')}的学生；同一学生有多名帮扶人只计一次。</p>
    </section>
    <section class="card">
      <h2>覆盖情况（${by}）</h2>
      ${coverageTable(ctx, cov, hv, st)}
    </section>
    <section class="card chart-card">
      <h2>覆盖率图</h2>
      <img id="cov-chart" src="${chartSrc}" alt="${cov.org.name}结对帮扶覆盖率（${by}），截至${cov.date}" width="960">
      <p class="alert warn" id="cov-chart-error" hidden>图表无法生成。</p>
    </section>
    <section class="card">
      <h2>结对方式</h2>
      ${splitFacts(ctx, cov)}
    </section>
    <section class="card" id="hv-card">
      <h2>本学期家访覆盖 <span class="muted small">${hv.semester.name}（${hv.semester.start} 至 ${hv.date}）</span></h2>
      ${visitSection(ctx, hv)}
    </section>
    <section class="card" id="key-card">
      <h2>本月未家访的重点学生 <span class="muted small">残疾、留守学生</span></h2>
      <div id="key-list" aria-live="polite"><p class="muted">正在加载…</p></div>
      <div class="pager" id="key-pager"></div>
    </section>`;
  for (const bar of el.querySelectorAll('.bar-fill[data-permille]')) bar.style.width = `${Number(bar.dataset.permille) / 10}%`;
}

// The coverage rows with this semester's home visits of the same org beside them.
function coverageTable(ctx, cov, hv, st) {
  const { html } = ctx;
  const rows = cov.rows || [];
  if (!rows.length) return html`<p class="muted">没有下属学校。</p>`;
  const kindName = { town: '街镇', school: '学校' };
  const visits = new Map((hv.rows || []).map((r) => [r.org_id, r]));
  const hvCells = (id) => {
    const v = visits.get(id);
    return v ? html`<td data-label="本学期已家访" class="num hv">${v.visited} / ${v.paired}</td>
      <td data-label="家访覆盖率" class="num hv ${v.unvisited ? 'amber' : ''}">${pct(v.coverage_permille)}</td>`
      : html`<td class="num hv">—</td><td class="num hv">—</td>`;
  };
  return html`<table class="table stack cov-table" id="cov-table">
    <thead><tr><th>名称</th><th class="num">应结对</th><th class="num">已结对</th><th>覆盖率</th><th class="num">未结对</th>
      <th class="num hv" title="本学期已家访 / 已结对">本学期家访</th><th class="num hv">家访覆盖率</th></tr></thead>
    <tbody>${rows.map((r) => html`<tr data-org-id="${r.org_id}" data-kind="${r.kind}" class="${r.unpaired ? 'has-unpaired' : ''}">
      <td data-label="${kindName[r.kind] || '名称'}">${r.kind === 'town'
        ? html`<a class="drill" href="${address(String(r.org_id), st.date, st.today)}">${r.name}</a>`
        : r.name}</td>
      <td data-label="应结对" class="num">${r.eligible}</td>
      <td data-label="已结对" class="num">${r.paired}</td>
      <td data-label="覆盖率" class="cov-cell"><span class="bar ${coverClass(r.coverage_permille)}" aria-hidden="true"><span class="bar-fill" data-permille="${r.coverage_permille ?? 0}"></span></span>
        <span class="cov-val">${pct(r.coverage_permille)}</span></td>
      <td data-label="未结对" class="num ${r.unpaired ? 'red' : ''}">${r.unpaired}</td>
      ${hvCells(r.org_id)}
    </tr>`)}</tbody>
  </table>`;
}

function splitFacts(ctx, cov) {
  const { html } = ctx;
  const s = cov.split || {};
  const h = cov.students_per_helper || {};
  return html`<ul class="stats split-stats" id="cov-split">
      <li><span class="n" data-split="one_to_one">${s.one_to_one ?? 0}</span>一帮一（帮扶人）</li>
      <li><span class="n" data-split="one_to_many">${s.one_to_many ?? 0}</span>一帮多（帮扶人）</li>
      <li><span class="n" data-split="many_to_one">${s.many_to_one ?? 0}</span>多帮一（学生）</li>
      <li><span class="n" data-split="helpers">${s.helpers ?? 0}</span>帮扶人</li>
      <li><span class="n" data-split="pairs">${s.pairs ?? 0}</span>结对关系</li>
      <li><span class="n" data-split="mean">${((h.mean_x100 ?? 0) / 100).toFixed(2)}</span>人均帮扶学生（最多 ${h.max ?? 0} 人）</li>
    </ul>`;
}

function visitSection(ctx, hv) {
  const { html } = ctx;
  const t = hv.totals || {};
  return html`<ul class="stats">
      <li><span class="n">${t.paired}</span>已结对学生</li>
      <li class="ok"><span class="n">${t.visited}</span>已家访</li>
      <li class="${t.unvisited ? 'bad' : 'ok'}"><span class="n" id="hv-unvisited">${t.unvisited}</span>未家访</li>
      <li><span class="n" id="hv-coverage">${pct(t.coverage_permille)}</span>家访覆盖率</li>
    </ul>
    <p class="hint">已结对的应结对学生中，本学期至少有一次入户、电话或到校家访的人数；各${hv.org.kind === 'bureau' ? '街镇和学校' : '学校'}的数字见上表“本学期家访”一列。</p>`;
}

function bind(el, ctx, st) {
  const form = el.querySelector('#cov-filter');
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    location.hash = address(form.org.value, form.date.value || st.today, st.today);
  });
  form.org.addEventListener('change', () => form.requestSubmit());
  const img = el.querySelector('#cov-chart');
  img.addEventListener('error', () => { img.hidden = true; el.querySelector('#cov-chart-error').hidden = false; });
  onPager(el.querySelector('#key-pager'), (step) => { st.kpage += step; loadKeyStudents(el, ctx, st); });
}

async function loadKeyStudents(el, ctx, st) {
  const { html } = ctx;
  const list = el.querySelector('#key-list');
  const pager = el.querySelector('#key-pager');
  let r;
  try {
    r = await ctx.api('GET', `/api/v1/metrics/key-students-unvisited?org_id=${st.orgId}&page=${st.kpage}&per_page=${KEY_PER_PAGE}`);
  } catch (e) {
    if (ctx.current()) list.innerHTML = html`<div class="alert error">${e.message}</div>`;
    return;
  }
  if (!ctx.current()) return;
  const items = r.items || [];
  const pages = Math.max(1, Math.ceil((r.total || 0) / KEY_PER_PAGE));
  list.innerHTML = html`<p class="key-sum">${r.month.slice(0, 4)} 年 ${Number(r.month.slice(5))} 月（${r.from} 至 ${r.as_of}）：重点学生 ${r.key_students} 人，
      本月未家访 <strong id="key-unvisited" class="${r.total ? 'red' : ''}">${r.total}</strong> 人。</p>
    ${items.length ? html`<table class="table stack" id="key-table">
      <thead><tr><th>姓名</th><th>学校</th><th>年级</th><th>类别</th><th>最近家访</th></tr></thead>
      <tbody>${items.map((s) => html`<tr data-student-id="${s.student_id}">
        <td data-label="姓名">${s.name}<span class="muted small"> ${s.gender}</span></td><td data-label="学校">${s.school_name}</td>
        <td data-label="年级">${s.grade}</td><td data-label="类别">${categoryTags(s.categories)}</td>
        <td data-label="最近家访">${s.last_visit_date || html`<span class="muted">从未家访</span>`}</td></tr>`)}</tbody></table>` : ''}`;
  pager.innerHTML = pages > 1 ? pagerHtml(r.total || 0, st.kpage, KEY_PER_PAGE, '') : '';
}
