// page-escalations.js - 通报名单: the overdue rectification items grouped by escalation
// level (约谈 30+ days, 通报 15–29, 提醒 1–14 by default; the server derives the level from
// the admin's thresholds). The bureau head's list is the inbox's escalations; an inspector's
// is the overdue items of the area (GET /api/v1/rectifications?overdue=1).
// #/escalations/<id> opens one item.

import { registerPage, fetchAll } from './lib.js';
import { request, hashParts, sevTag, townName, ESCALATIONS } from './rect-common.js';
import { renderItem } from './rect-item.js';

registerPage({
  id: 'escalations',
  title: '通报名单',
  roles: ['bureau_head', 'inspector'],
  order: 41,
  async render(el, ctx) {
    const { id } = hashParts();
    if (id) return renderItem(el, ctx, id, { back: '#/escalations', backText: '返回通报名单' });
    const { html } = ctx;
    el.innerHTML = html`<div class="page-head"><h1>通报名单</h1></div><p class="muted">正在加载…</p>`;
    let items;
    let total;
    let today;
    if (ctx.user.role === 'bureau_head') {
      const box = await request(ctx, 'GET', '/api/v1/inbox');
      items = box.escalations || [];
      total = box.counts.escalations;
      today = box.today;
    } else {
      items = (await fetchAll(ctx.api, '/api/v1/rectifications?overdue=1'))
        .filter((it) => it.escalation)
        .sort((a, b) => b.days_overdue - a.days_overdue || a.id - b.id);
      total = items.length;
      today = '';
    }
    if (!ctx.current()) return;
    const groups = ESCALATIONS.map((level) => ({ level, items: items.filter((it) => it.escalation === level) }));
    el.innerHTML = html`
      <div class="page-head"><h1>通报名单</h1>${today ? html`<span class="muted">截至 ${today}</span>` : ''}</div>
      <p class="lead" id="escalation-summary">逾期未整改 <strong>${total}</strong> 项：${groups.map((g, i) => html`${i ? '，' : ''}${g.level} <strong>${g.items.length}</strong> 项`)}。</p>
      <p class="muted small">预警等级由逾期天数和系统设置的阈值确定（默认逾期 1 天起提醒、15 天起通报、30 天起约谈），按逾期天数从多到少排列。</p>
      ${total > items.length ? html`<p class="alert warn">此处列出逾期最久的 ${items.length} 项；完整名单请在<a href="#/ledger?overdue=1">整改台账</a>中勾选“仅看逾期”后查看或下载。</p>` : ''}
      ${groups.map((g, gi) => html`
        <section class="card esc-group esc-${gi}" data-level="${g.level}">
          <h2><span class="mark esc esc-${gi}">${g.level}</span> ${g.items.length} 项</h2>
          ${g.items.length ? html`
            <table class="table stack esc-table">
              <thead><tr><th>学校</th><th>街镇</th><th>问题</th><th>严重程度</th><th>整改期限</th><th>逾期天数</th><th>退回次数</th></tr></thead>
              <tbody>${g.items.map((it) => html`
                <tr data-item-id="${it.id}">
                  <td data-label="学校">${it.school_name}</td>
                  <td data-label="街镇">${townName(it)}</td>
                  <td data-label="问题"><span><a href="#/escalations/${it.id}">${it.item_title}</a><br><span class="muted">${it.description}</span></span></td>
                  <td data-label="严重程度">${sevTag(it.severity)}</td>
                  <td data-label="整改期限" class="nowrap">${it.deadline}</td>
                  <td data-label="逾期天数" class="nowrap"><strong class="red">${it.days_overdue} 天</strong></td>
                  <td data-label="退回次数">${it.return_count}</td>
                </tr>`)}</tbody>
            </table>` : html`<p class="muted">无。</p>`}
        </section>`)}`;
    return undefined;
  },
});
