// page-inbox.js - 待办 (principal): the school's open rectification items by deadline with
// the days left or overdue (red), returned ones marked; the items already answered and
// waiting for the inspector; #/inbox/<id> opens one item to answer it or ask for more time.

import { registerPage, fetchAll } from './lib.js';
import { request, itemCard, hashParts } from './rect-common.js';
import { renderItem } from './rect-item.js';
import { sweepAnswerDrafts } from './answer-draft.js';

registerPage({
  id: 'inbox',
  title: '待办',
  roles: ['principal'],
  order: 30,
  async render(el, ctx) {
    const { id } = hashParts();
    if (id) return renderItem(el, ctx, id, { back: '#/inbox', backText: '返回待办' });
    const { html } = ctx;
    el.innerHTML = html`<div class="page-head"><h1>待办</h1></div><p class="muted">正在加载…</p>`;
    const [box, submitted] = await Promise.all([
      request(ctx, 'GET', '/api/v1/inbox'),
      fetchAll(ctx.api, '/api/v1/rectifications?state=submitted'),
    ]);
    if (!ctx.current()) return;
    const open = box.open || [];
    const overdue = open.filter((it) => it.overdue).length;
    const returned = open.filter((it) => it.returned).length;
    if (box.counts.open === open.length) sweepAnswerDrafts(ctx.user, open);
    el.innerHTML = html`
      <div class="page-head"><h1>待办</h1><span class="muted">今天 ${box.today}</span></div>
      <p class="lead" id="inbox-summary">本校待整改 <strong>${box.counts.open}</strong> 项${
        overdue ? html`，其中 <strong class="red">逾期 ${overdue} 项</strong>` : ''}${
        returned ? html`，被退回 ${returned} 项` : ''}。请在整改期限内提交整改情况和佐证材料。</p>
      <section class="card">
        <h2>待整改（按整改期限）</h2>
        ${open.length ? html`<ul class="item-list" id="open-items">${open.map((it) => itemCard(it, `#/inbox/${it.id}`, '', { school: false }))}</ul>`
        : html`<p class="muted" id="open-items-empty">目前没有待整改的问题。</p>`}
        ${box.counts.open > open.length ? html`<p class="muted">仅显示期限最近的 ${open.length} 项。</p>` : ''}
      </section>
      <section class="card">
        <h2>已提交，等待核查（${submitted.length}）</h2>
        ${submitted.length ? html`<ul class="item-list" id="submitted-items">${submitted.map((it) => itemCard(it, `#/inbox/${it.id}`, '', { school: false }))}</ul>`
        : html`<p class="muted">没有等待核查的整改。</p>`}
      </section>`;
  },
});
