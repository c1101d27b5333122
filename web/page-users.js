// page-users.js - 用户管理 (admin): the user list with paging and filters,
// and a form to create a user whose field errors appear next to the field.

import { registerPage, ROLES, roleName, fetchAll, fmtTime, buildOrgTree, walkTree, pagerHtml, onPager } from './lib.js';

const PER_PAGE = 20;

registerPage({
  id: 'users',
  title: '用户管理',
  roles: ['admin'],
  order: 10,
  async render(el, ctx) {
    const { api, html } = ctx;
    const st = { page: 1, q: '', role: '', highlight: '' };

    const field = (name, label, control, hint) => html`
      <div class="field" data-field="${name}">
        <label for="f-${name}">${label}</label>
        ${control}
        ${hint ? html`<p class="hint">${hint}</p>` : ''}
        <p class="field-error" id="err-${name}" hidden></p>
      </div>`;
    const roleOptions = ROLES.map((r) => html`<option value="${r}">${roleName(r)}</option>`);

    el.innerHTML = html`
      <div class="page-head">
        <h1>用户管理</h1>
        <button type="button" class="btn primary" id="new-user-btn" aria-controls="user-form-card" aria-expanded="false">新建用户</button>
      </div>
      <section class="card" id="user-form-card" hidden>
        <h2>新建用户</h2>
        <form id="user-form" class="form grid-form" novalidate>
          ${field('username', '用户名', html`<input id="f-username" name="username" maxlength="32" autocomplete="off" autocapitalize="none" spellcheck="false" aria-describedby="err-username">`, '3–32 位，小写字母、数字或 _ . -')}
          ${field('display_name', '姓名', html`<input id="f-display_name" name="display_name" maxlength="50" autocomplete="off" aria-describedby="err-display_name">`)}
          ${field('role', '角色', html`<select id="f-role" name="role" aria-describedby="err-role"><option value="">请选择角色</option>${roleOptions}</select>`)}
          ${field('org_id', '所属机构', html`<select id="f-org_id" name="org_id" aria-describedby="err-org_id"><option value="">正在加载机构…</option></select>`, '校长的所属机构须为学校')}
          ${field('password', '初始密码', html`<input id="f-password" name="password" type="password" maxlength="128" autocomplete="new-password" aria-describedby="err-password">`, '8–128 位')}
          ${field('phone', '手机号码', html`<input id="f-phone" name="phone" type="tel" maxlength="20" autocomplete="off" aria-describedby="err-phone">`, '选填')}
          <p class="alert error form-error" id="user-form-error" role="alert" hidden></p>
          <div class="actions">
            <button type="submit" class="btn primary">创建用户</button>
            <button type="button" class="btn" id="user-form-cancel">取消</button>
          </div>
        </form>
      </section>
      <section class="card">
        <form id="user-filter" class="filters" role="search">
          <input name="q" type="search" maxlength="50" placeholder="用户名或姓名" aria-label="用户名或姓名">
          <select name="role" aria-label="角色"><option value="">全部角色</option>${roleOptions}</select>
          <button type="submit" class="btn">查询</button>
        </form>
        <div id="user-list" aria-live="polite"></div>
        <div class="pager" id="user-pager"></div>
      </section>`;

    const form = el.querySelector('#user-form');
    const card = el.querySelector('#user-form-card');
    const newBtn = el.querySelector('#new-user-btn');
    const filter = el.querySelector('#user-filter');
    const listEl = el.querySelector('#user-list');
    const pagerEl = el.querySelector('#user-pager');

    // ---- the list ----
    async function load() {
      const qs = new URLSearchParams({ page: st.page, per_page: PER_PAGE });
      if (st.q) qs.set('q', st.q);
      if (st.role) qs.set('role', st.role);
      listEl.innerHTML = html`<p class="muted">正在加载…</p>`;
      let r;
      try {
        r = await api('GET', '/api/v1/users?' + qs);
      } catch (e) {
        if (ctx.current()) { listEl.innerHTML = html`<div class="alert error">${e.message}</div>`; pagerEl.innerHTML = ''; }
        return;
      }
      if (!ctx.current()) return;
      const items = r.items || [];
      listEl.innerHTML = items.length === 0 ? html`<p class="muted">没有符合条件的用户。</p>` : html`
        <table class="table stack" id="user-table">
          <thead><tr><th>用户名</th><th>姓名</th><th>角色</th><th>所属机构</th><th>手机号码</th><th>状态</th><th>创建时间</th></tr></thead>
          <tbody>${items.map((u) => html`
            <tr data-username="${u.username}" class="${u.username === st.highlight ? 'new' : ''}">
              <td data-label="用户名" class="mono">${u.username}</td>
              <td data-label="姓名">${u.display_name}</td>
              <td data-label="角色">${roleName(u.role)}</td>
              <td data-label="所属机构">${u.org_name}</td>
              <td data-label="手机号码">${u.phone || '—'}</td>
              <td data-label="状态">${u.active === false ? html`<span class="tag off">已停用</span>` : html`<span class="tag on">启用</span>`}</td>
              <td data-label="创建时间">${fmtTime(u.created_at)}</td>
            </tr>`)}</tbody>
        </table>`;
      const total = r.total ?? items.length;
      pagerEl.innerHTML = pagerHtml(total, st.page, r.per_page || PER_PAGE, '个用户');
    }

    onPager(pagerEl, (step) => { st.page += step; load(); });
    filter.addEventListener('submit', (ev) => {
      ev.preventDefault();
      st.q = filter.q.value.trim();
      st.role = filter.role.value;
      st.page = 1;
      load();
    });

    // ---- the form ----
    function showForm(open) {
      card.hidden = !open;
      newBtn.setAttribute('aria-expanded', String(open));
      if (open) form.username.focus();
    }
    newBtn.addEventListener('click', () => showForm(card.hidden));
    el.querySelector('#user-form-cancel').addEventListener('click', () => { form.reset(); clearErrors(); showForm(false); });

    // A principal's org must be a school: other kinds are greyed out for that role.
    function syncOrgChoices() {
      const principal = form.role.value === 'principal';
      for (const opt of form.org_id.options) {
        if (opt.value) opt.disabled = principal && opt.dataset.kind !== 'school';
      }
      if (form.org_id.selectedOptions[0] && form.org_id.selectedOptions[0].disabled) form.org_id.value = '';
    }
    form.role.addEventListener('change', syncOrgChoices);

    function clearErrors() {
      for (const p of form.querySelectorAll('.field-error')) { p.hidden = true; p.textContent = ''; }
      for (const c of form.querySelectorAll('[aria-invalid]')) c.removeAttribute('aria-invalid');
      const fe = form.querySelector('#user-form-error');
      fe.hidden = true;
      fe.textContent = '';
    }

    function showError(e) {
      const control = e.field && form.elements.namedItem(e.field);
      const slot = e.field && form.querySelector(`#err-${CSS.escape(e.field)}`);
      if (control && slot) {
        slot.textContent = e.message;
        slot.hidden = false;
        control.setAttribute('aria-invalid', 'true');
        control.focus();
      } else {
        const fe = form.querySelector('#user-form-error');
        fe.textContent = e.message;
        fe.hidden = false;
      }
    }

    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      clearErrors();
      const f = form.elements;
      const body = {
        username: f.username.value.trim(),
        display_name: f.display_name.value.trim(),
        role: f.role.value,
        password: f.password.value,
      };
      if (f.org_id.value) body.org_id = Number(f.org_id.value);
      if (f.phone.value.trim()) body.phone = f.phone.value.trim();
      const submit = form.querySelector('button[type=submit]');
      submit.disabled = true;
      try {
        const u = await api('POST', '/api/v1/users', body);
        if (!ctx.current()) return;
        ctx.flash(`已创建用户 ${u.username}（${u.display_name}，${roleName(u.role)}）`);
        form.reset();
        syncOrgChoices();
        showForm(false);
        // Show the new user in the list: filter on its user name.
        st.q = u.username;
        st.role = '';
        st.page = 1;
        st.highlight = u.username;
        filter.q.value = u.username;
        filter.role.value = '';
        await load();
      } catch (e) {
        if (ctx.current()) showError(e);
      } finally {
        submit.disabled = false;
      }
    });

    // ---- start: the org choices and the first page of users ----
    const orgsReady = fetchAll(api, '/api/v1/orgs').then((orgs) => {
      if (!ctx.current()) return;
      const opts = [html`<option value="">请选择所属机构</option>`];
      walkTree(buildOrgTree(orgs), (o, depth) => {
        opts.push(html`<option value="${o.id}" data-kind="${o.kind}">${'　'.repeat(depth)}${o.name}</option>`);
      });
      form.org_id.innerHTML = html`${opts}`;
      syncOrgChoices();
    }).catch((e) => {
      if (ctx.current()) form.org_id.innerHTML = html`<option value="">机构列表加载失败：${e.message}</option>`;
    });
    await Promise.all([load(), orgsReady]);
  },
});
