// page-verify.js - 待核查 (inspector): the answers to verify in the area and the pending
// extension requests; 延期审批 (bureau head): the pending extension requests. Both from
// GET /api/v1/inbox; #/<page>/<id> opens the item to close (销号), return or decide.

import { registerPage } from './lib.js';
import { request, itemCard, hashParts, sevTag, STATE_LABELS } from './rect-common.js';
import { renderItem } from './rect-item.js';

function extensionCard(html, x, page) {
  return html`
    <li class="item-card" data-item-id="${x.item_id}">
      <a href="#/${page}/${x.item_id}">
        <div class="ic-top">${x.severity ? sevTag(x.severity) : ''}<strong class="ic-title">${x.item_title || '整改项 ' + x.item_id}</strong></div>
        <p class="ic-desc">申请延期至 <strong>${x.deadline_requested}</strong>（当前期限 ${x.deadline_before}）：${x.reason}</p>
        <div class="ic-meta"><span>${x.school_name || ''}</span><span>${x.requested_by_name} 于 ${x.requested_on} 申请</span></div>
      </a>
    </li>`;
}

async function renderQueue(el, ctx, page, title, withAnswers) {
  const { id } = hashParts();
  if (id) return renderItem(el, ctx, id, { back: `#/${page}`, backText: '返回' + title });
  const { html } = ctx;
  el.innerHTML = html`<div class="page-head"><h1>${title}</h1></div><p class="muted">正在加载…</p>`;
  const box = await request(ctx, 'GET', '/api/v1/inbox');
  if (!ctx.current()) return;
  const toVerify = box.to_verify || [];
  const ext = box.extensions || [];
  el.innerHTML = html`
    <div class="page-head"><h1>${title}</h1><span class="muted">今天 ${box.today}</span></div>
    ${withAnswers ? html`
      <section class="card">
        <h2>学校已提交、待核查销号（${box.counts.to_verify}）</h2>
        ${toVerify.length ? html`<ul class="item-list" id="verify-items">${toVerify.map((it) => itemCard(it, `#/${page}/${it.id}`,
          it.submitted_on ? html`<span>提交于 ${it.submitted_on}</span>` : ''))}</ul>`
        : html`<p class="muted" id="verify-empty">没有待核查的整改。</p>`}
        ${box.counts.to_verify > toVerify.length ? html`<p class="muted" id="verify-more">仅显示期限最近的 ${toVerify.length} 项；全部 ${box.counts.to_verify} 项可在<a href="#/ledger?state=submitted">整改台账</a>中按状态“${STATE_LABELS.submitted}”查看。</p>` : ''}
      </section>` : ''}
    <section class="card">
      <h2>延期申请待审批（${box.counts.extensions}）</h2>
      ${ext.length ? html`<ul class="item-list" id="extension-items">${ext.map((x) => extensionCard(html, x, page))}</ul>`
      : html`<p class="muted" id="extension-empty">没有待审批的延期申请。</p>`}
      ${box.counts.extensions > ext.length ? html`<p class="muted" id="extension-more">仅显示最早提出的 ${ext.length} 项，处理后再显示其余的 ${box.counts.extensions - ext.length} 项。</p>` : ''}
    </section>`;
  return undefined;
}

registerPage({
  id: 'verify',
  title: '待核查',
  roles: ['inspector'],
  order: 32,
  render: (el, ctx) => renderQueue(el, ctx, 'verify', '待核查', true),
});

registerPage({
  id: 'extensions',
  title: '延期审批',
  roles: ['bureau_head'],
  order: 33,
  render: (el, ctx) => renderQueue(el, ctx, 'extensions', '延期审批', false),
});
