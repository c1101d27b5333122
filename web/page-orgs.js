// page-orgs.js - 组织机构 (admin): the org tree bureau -> towns -> schools,
// with each school's code, stages and boarding.

import { registerPage, fetchAll, buildOrgTree } from './lib.js';

registerPage({
  id: 'orgs',
  title: '组织机构',
  roles: ['admin'],
  order: 20,
  async render(el, ctx) {
    const { api, html, orgKindName } = ctx;
    el.innerHTML = html`<h1>组织机构</h1><p class="muted">正在加载…</p>`;
    const orgs = await fetchAll(api, '/api/v1/orgs');
    if (!ctx.current()) return;

    const schools = orgs.filter((o) => o.kind === 'school');
    const towns = orgs.filter((o) => o.kind === 'town');
    const boarding = schools.filter((o) => o.boarding).length;

    const school = (o) => html`
      <li class="org org-school" data-org-id="${o.id}">
        <div class="org-line">
          <span class="org-name">${o.name}</span>
          ${o.boarding ? html`<span class="tag boarding">寄宿制</span>` : ''}
        </div>
        <div class="org-meta">
          <span>学校标识码 <span class="mono">${o.code || '—'}</span></span>
          <span>学段 ${(o.stages || []).length ? (o.stages || []).map((s) => html`<span class="tag">${s}</span>`) : '—'}</span>
        </div>
      </li>`;

    const countSchools = (n) => n.children.filter((c) => c.kind === 'school').length;

    const town = (o) => html`
      <li class="org org-town" data-org-id="${o.id}">
        <details open>
          <summary><span class="org-name">${o.name}</span>
            <span class="muted">${orgKindName(o.kind)} · ${countSchools(o)} 所学校</span></summary>
          ${o.children.length ? html`<ul>${o.children.map(node)}</ul>` : html`<p class="muted indent">暂无下属学校</p>`}
        </details>
      </li>`;

    // Schools hanging straight off the bureau are grouped as 直属学校.
    const bureau = (o) => {
      const direct = o.children.filter((c) => c.kind === 'school');
      const rest = o.children.filter((c) => c.kind !== 'school');
      return html`
        <li class="org org-bureau" data-org-id="${o.id}">
          <div class="org-line"><span class="org-name">${o.name}</span><span class="tag">${orgKindName(o.kind)}</span></div>
          <ul>
            ${rest.map(node)}
            ${direct.length ? html`
              <li class="org org-town org-direct">
                <details open>
                  <summary><span class="org-name">直属学校</span><span class="muted">${direct.length} 所学校</span></summary>
                  <ul>${direct.map(school)}</ul>
                </details>
              </li>` : ''}
          </ul>
        </li>`;
    };

    function node(o) {
      if (o.kind === 'bureau') return bureau(o);
      if (o.kind === 'town') return town(o);
      return school(o);
    }

    el.innerHTML = html`
      <h1>组织机构</h1>
      <p class="summary" id="org-summary">共 ${towns.length} 个街镇教管中心、${schools.length} 所学校（其中寄宿制 ${boarding} 所）。</p>
      ${orgs.length ? html`<ul class="org-tree" id="org-tree">${buildOrgTree(orgs).map(node)}</ul>`
        : html`<p class="muted">没有可显示的机构。</p>`}`;
  },
});
