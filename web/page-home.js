// page-home.js - 首页: who you are, your role, your scope, today's date.

import { registerPage, ROLES, ROLE_DUTIES, serverToday, fmtTime } from './lib.js';

registerPage({
  id: 'home',
  title: '首页',
  roles: ROLES,
  order: 0,
  async render(el, { html, user, session, roleName, orgKindName, pages, current }) {
    const today = await serverToday();
    if (!current()) return;
    const others = pages.filter((p) => p.id !== 'home');
    el.innerHTML = html`
      <h1>您好，${user.display_name || user.username}</h1>
      <p class="today">今天是 <strong id="today">${today}</strong></p>
      <div class="card">
        <dl class="facts">
          <dt>姓名</dt><dd>${user.display_name}</dd>
          <dt>用户名</dt><dd>${user.username}</dd>
          <dt>角色</dt><dd id="home-role">${roleName(user.role)}</dd>
          <dt>管辖范围</dt>
          <dd id="home-scope">${user.org_name}
            <span class="tag">${orgKindName(user.org_kind)}</span></dd>
          <dt>工作职责</dt><dd>${ROLE_DUTIES[user.role] || ''}</dd>
          ${session.expires_at ? html`<dt>登录有效期至</dt><dd>${fmtTime(session.expires_at)}</dd>` : ''}
        </dl>
      </div>
      ${others.length ? html`
        <h2>常用功能</h2>
        <ul class="quick">${others.map((p) => html`<li><a class="btn" href="#/${p.id}">${p.title}</a></li>`)}</ul>`
      : ''}`;
  },
});
