// page-escalations.js - 通报名单: the overdue rectification items grouped by escalation
// level (提醒, 通报, 约谈; the server derives the level from the admin's thresholds, which the
// page states as GET /api/v1/settings gives them, or without numbers when it cannot read them).
// Items reopened by a 回头看 (重新整改) carry their marks and how often the problem came back.
// The list is every overdue item in the user's scope that has reached a level (GET
// /api/v1/rectifications?overdue=1, all pages: the inbox's 200 would miscount the levels).
// #/escalations/<id> opens one item.

import { registerPage, fetchAll, html } from './lib.js';
import { request, hashParts, sevTag, townName, itemMarks, ESCALATIONS } from './rect-common.js';
import { renderItem } from './rect-item.js';

// The sentence on how levels are set: the thresholds in force from the settings (days
// overdue from which each level applies, lowest first), or without numbers when unknown.
function ruleSentence(settings) {
  const days = settings && settings.escalate_days;
  const levels = [...ESCALATIONS].reverse();
  const known = days && levels.every((l) => Number.isInteger(days[l]));
  const rule = known ? `（现行设置：逾期 ${levels.map((l) => `${days[l]} 天起${l}`).join('、')}）` : '';
  return html`<p class="muted small" id="escalation-rule" data-known="${known ? 1 : 0}">预警等级由逾期天数和系统设置的阈值确定${rule}，按逾期天数从多到少排列。</p>`;
}

// The item's marks (returned, 重新整改, extension pending; the level is the group's) and, for a
// reopened item, how often a 回头看 found the problem again.
function marks(it) {
  const again = it.state === 'reopened' && it.recurrence_count > 0;
  return html`${itemMarks({ ...it, escalation: '' })}${again ? html`<span class="mark reopened recur">复发 ${it.recurrence_count} 次</span>` : ''}`;
}

registerPage({
  id: 'escalations',
  title: '通报名单',
  roles: ['bureau_head', 'inspector'],
  order: 41,
  async render(el, ctx) {
    const { id } = hashParts();
    if (id) return renderItem(el, ctx, id, { back: '#/escalations', backText: '返回通报名单' });
    el.innerHTML = html`<div class="page-head"><h1>通报名单</h1></div><p class="muted">正在加载…</p>`;
    const settings = request(ctx, 'GET', '/api/v1/settings').catch(() => null);
    const items = (await fetchAll(ctx.api, '/api/v1/rectifications?overdue=1'))
      .filter((it) => it.escalation)
      .sort((a, b) => b.days_overdue - a.days_overdue || a.id - b.id);
    const rules = await settings;
    if (!ctx.current()) return;
    const groups = ESCALATIONS.map((level) => ({ level, items: items.filter((it) => it.escalation === level) }));
    el.innerHTML = html`
      <div class="page-head"><h1>通报名单</h1></div>
      <p class="lead" id="escalation-summary">逾期未整改 <strong>${items.length}</strong> 项：${groups.map((g, i) => html`${i ? '，' : ''}${g.level} <strong>${g.items.length}</strong> 项`)}。</p>
      ${ruleSentence(rules)}
      ${groups.map((g, gi) => html`
        <section class="card esc-group esc-${gi}" data-level="${g.level}">
          <h2><span class="mark esc esc-${gi}">${g.level}</span> ${g.items.length} 项</h2>
          ${g.items.length ? html`
            <table class="table stack esc-table">
              <thead><tr><th>学校</th><th>街镇</th><th>问题</th><th>严重程度</th><th>整改期限</th><th>逾期天数</th><th>退回次数</th></tr></thead>
              <tbody>${g.items.map((it) => html`
                <tr data-item-id="${it.id}" data-state="${it.state}">
                  <td data-label="学校">${it.school_name}</td>
                  <td data-label="街镇">${townName(it)}</td>
                  <td data-label="问题"><span><a href="#/escalations/${it.id}">${it.item_title}</a>${marks(it)}<br><span class="muted">${it.description}</span></span></td>
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
