// page-templates.js - 检查表模板 (admin): the checklists inspectors check schools against.
// The list shows the current version of each template; #/templates/<id> edits one, and saving
// makes a new version (PUT with the version read) that new visits use, while the visits made
// with the old one keep it. #/templates/new creates a template (POST). A version saved
// meanwhile by someone else gets 409 and the page shows the current version.

import { registerPage, fmtTime } from './lib.js';
import { hashParts, clearErrors, showFieldError, fieldMessage, labelOf, field } from './rect-common.js';

const MAX_ITEMS = 200; // TEMPLATE_MAX_ITEMS in service/templates.h
const ITEM_FIELDS = ['code', 'category', 'title', 'hint'];

registerPage({
  id: 'templates',
  title: '检查表模板',
  roles: ['admin'],
  order: 27,
  render(el, ctx) {
    const { id } = hashParts();
    return id ? renderEditor(el, ctx, id) : renderList(el, ctx);
  },
});

async function renderList(el, ctx) {
  const { api, html } = ctx;
  el.innerHTML = html`<h1>检查表模板</h1><p class="muted">正在加载…</p>`;
  const { items = [] } = await api('GET', '/api/v1/templates');
  if (!ctx.current()) return;
  el.innerHTML = html`
    <div class="page-head">
      <h1>检查表模板</h1>
      <a class="btn primary" id="tpl-new" href="#/templates/new">新建模板</a>
    </div>
    <p class="lead">督学按检查表逐项督导。修改模板会保存为新版本：新的督导记录使用新版本，已有督导记录仍按原版本。</p>
    <section class="card">${items.length === 0 ? html`<p class="muted">还没有检查表模板。</p>` : html`
      <table class="table stack" id="tpl-table">
        <thead><tr><th>名称</th><th>版本</th><th>检查项目</th><th>创建时间</th></tr></thead>
        <tbody>${items.map((t) => html`
          <tr data-id="${t.id}" data-lineage="${t.lineage_id}">
            <td data-label="名称"><div><a href="#/templates/${t.id}">${t.name}</a>
              ${t.description ? html`<p class="hint">${t.description}</p>` : ''}</div></td>
            <td data-label="版本" class="nowrap">第 ${t.version} 版</td>
            <td data-label="检查项目" class="nowrap">${t.item_count} 项</td>
            <td data-label="创建时间" class="nowrap">${fmtTime(t.created_at)}</td>
          </tr>`)}</tbody>
      </table>`}
    </section>`;
}

// The current version's list row of lineage, or null.
async function currentOf(api, lineage) {
  const { items = [] } = await api('GET', '/api/v1/templates');
  return items.find((x) => x.lineage_id === lineage) || null;
}

// The first code "I<n>" no item of items has (codes are unique regardless of case).
function freeCode(items) {
  const used = new Set(items.map((it) => it.code.trim().toUpperCase()));
  let n = items.length + 1;
  while (used.has('I' + n)) n++;
  return 'I' + n;
}

// A template as the API takes it, texts trimmed; a blank code is left to the server.
function requestBody(name, description, items) {
  return {
    name: name.trim(),
    description: description.trim(),
    items: items.map((it) => {
      const o = Object.fromEntries(ITEM_FIELDS.map((k) => [k, String(it[k] ?? '').trim()]));
      if (!o.code) delete o.code;
      return o;
    }),
  };
}

// The control id of API field `field`: "name" -> tpl-name, "items[2].title" -> ti-2-title ("" if none).
function controlId(field) {
  if (['name', 'description', 'items'].includes(field)) return 'tpl-' + field;
  const m = /^items\[(\d+)\]\.(code|category|title|hint)$/.exec(field || '');
  return m ? `ti-${m[1]}-${m[2]}` : '';
}

async function renderEditor(el, ctx, id) {
  const { api, html } = ctx;
  el.innerHTML = html`<p class="back"><a href="#/templates">返回检查表模板</a></p><p class="muted">正在加载…</p>`;
  let t = id === 'new'
    ? { id: 0, name: '', description: '', items: [{ code: 'I1', category: '', title: '', hint: '' }] }
    : await api('GET', `/api/v1/templates/${encodeURIComponent(id)}`);
  if (!ctx.current()) return;
  let items = []; // the items as the form shows them, read back before each redraw
  let latest = t.id && !t.is_current ? await currentOf(api, t.lineage_id) : null;
  if (!ctx.current()) return;

  const input = (fid, name, value, max, extra = '') => html`<input id="${fid}" name="${name}" value="${value}"
    maxlength="${max}" autocomplete="off" aria-describedby="err-${fid}" ${extra}>`;
  const textarea = (fid, name, value, max) => html`<textarea id="${fid}" name="${name}" rows="2"
    maxlength="${max}" aria-describedby="err-${fid}">${value}</textarea>`;

  const itemHtml = (it, i, n) => html`
    <li class="tpl-item" data-index="${i}">
      <div class="tpl-item-head">
        <h3>第 ${i + 1} 项</h3>
        <div class="actions">
          <button type="button" class="btn small" data-move="-1" aria-label="上移第 ${i + 1} 项" ${i === 0 ? 'disabled' : ''}>上移</button>
          <button type="button" class="btn small" data-move="1" aria-label="下移第 ${i + 1} 项" ${i === n - 1 ? 'disabled' : ''}>下移</button>
          <button type="button" class="btn small danger" data-remove aria-label="删除第 ${i + 1} 项" ${n === 1 ? 'disabled' : ''}>删除</button>
        </div>
      </div>
      <div class="form grid-form">
        ${field(`ti-${i}-code`, '编号', input(`ti-${i}-code`, 'code', it.code, 16, html`autocapitalize="none" spellcheck="false"`))}
        ${field(`ti-${i}-category`, '类别', input(`ti-${i}-category`, 'category', it.category, 50, html`list="tpl-categories"`))}
        ${field(`ti-${i}-title`, '标题', input(`ti-${i}-title`, 'title', it.title, 100))}
        ${field(`ti-${i}-hint`, '检查要点', textarea(`ti-${i}-hint`, 'hint', it.hint, 500), '选填')}
      </div>
    </li>`;

  // Draws the whole editor for t (latest: the current version's row when t is superseded).
  function draw() {
    items = t.items.map((it) => Object.fromEntries(ITEM_FIELDS.map((k) => [k, it[k] ?? ''])));
    el.innerHTML = html`
      <p class="back"><a href="#/templates">返回检查表模板</a></p>
      <div class="page-head">
        <h1>${t.id ? t.name : '新建检查表模板'}</h1>
        ${t.id ? html`<span class="muted" id="tpl-version">第 ${t.version} 版 · ${fmtTime(t.created_at)} 创建</span>` : ''}
      </div>
      ${latest ? html`<p class="alert warn" id="tpl-superseded">这是已被取代的第 ${t.version} 版，不能修改；用它做的督导记录仍按此版本。
        <a href="#/templates/${latest.id}">打开当前的第 ${latest.version} 版</a></p>` : ''}
      <form id="tpl-form" novalidate>
        <fieldset class="plain" ${latest ? 'disabled' : ''}>
          <section class="card form">
            ${field('tpl-name', '名称', input('tpl-name', 'name', t.name, 100))}
            ${field('tpl-description', '说明', textarea('tpl-description', 'description', t.description, 500), '选填')}
          </section>
          <section class="card">
            <h2>检查项目 <span class="muted small" id="tpl-count"></span></h2>
            <p class="hint">编号由字母、数字、_ 或 - 组成（最多 16 位），同一模板内不能重复；请在各版本间保持同一项目的编号不变。</p>
            <p class="field-error" id="err-tpl-items" hidden></p>
            <ol class="tpl-items" id="tpl-items"></ol>
            <datalist id="tpl-categories"></datalist>
            <div class="actions"><button type="button" class="btn" id="tpl-add">添加检查项目</button></div>
          </section>
          <p class="alert error form-error" id="tpl-error" role="alert" hidden></p>
          <div class="actions">
            <button type="submit" class="btn primary" id="tpl-save">${t.id ? '保存为新版本' : '创建模板'}</button>
            <a class="btn" href="#/templates">返回列表</a>
          </div>
        </fieldset>
      </form>`;
    drawItems();
  }

  function drawItems() {
    el.querySelector('#tpl-items').innerHTML = html`${items.map((it, i) => itemHtml(it, i, items.length))}`;
    const cats = [...new Set(items.map((it) => it.category.trim()).filter(Boolean))];
    el.querySelector('#tpl-categories').innerHTML = html`${cats.map((c) => html`<option value="${c}">`)}`;
    el.querySelector('#tpl-count').textContent = `共 ${items.length} 项`;
    el.querySelector('#tpl-add').disabled = items.length >= MAX_ITEMS;
  }

  const readItems = () => [...el.querySelectorAll('.tpl-item')].map((li) =>
    Object.fromEntries(ITEM_FIELDS.map((k) => [k, li.querySelector(`[name="${k}"]`).value])));
  const formBody = () => requestBody(el.querySelector('#tpl-name').value, el.querySelector('#tpl-description').value, readItems());

  // Focuses the first enabled element of the selectors.
  function focusFirst(...sels) {
    const c = sels.map((s) => el.querySelector(s)).find((x) => x && !x.disabled);
    if (c) c.focus();
  }

  function formError(message) {
    const p = el.querySelector('#tpl-error');
    p.textContent = message;
    p.hidden = false;
    p.scrollIntoView({ block: 'center' });
  }

  // A server error under its field (the control's label in the message), else above the button.
  function showError(e) {
    const fid = controlId(e.field);
    const slot = fid && el.querySelector(`#err-${fid}`);
    if (!slot) { formError(e.message); return; }
    const control = fid === 'tpl-items' ? null : el.querySelector(`#${fid}`);
    showFieldError(slot, control, fieldMessage(e.message, e.field, labelOf(el, fid)));
  }

  // Someone saved a newer version: show it (the admin's changes are not kept).
  async function showLatest() {
    const row = await currentOf(api, t.lineage_id);
    const fresh = row && await api('GET', `/api/v1/templates/${row.id}`);
    if (!ctx.current()) return;
    if (!fresh) { formError('该检查表已被他人修改，请返回列表后重新打开'); return; }
    show(fresh);
    formError(`该检查表已被他人修改，现为第 ${fresh.version} 版。页面已显示最新版本，您刚才的修改没有保存，请核对后重新修改。`);
  }

  // Shows template version v, its address #/templates/<id> without drawing the page again.
  function show(v) {
    t = v;
    latest = null;
    history.replaceState(null, '', `#/templates/${v.id}`);
    draw();
    window.scrollTo(0, 0);
  }

  el.addEventListener('click', (ev) => {
    const b = ev.target.closest('button');
    if (!b || b.disabled) return;
    if (b.id === 'tpl-add') {
      items = readItems();
      const last = items[items.length - 1];
      items.push({ code: freeCode(items), category: last ? last.category : '', title: '', hint: '' });
      drawItems();
      focusFirst(`#ti-${items.length - 1}-title`);
      return;
    }
    const li = b.closest('.tpl-item');
    if (!li) return;
    const i = Number(li.dataset.index);
    items = readItems();
    if (b.dataset.move) {
      const j = i + Number(b.dataset.move);
      [items[i], items[j]] = [items[j], items[i]];
      drawItems();
      focusFirst(`[data-index="${j}"] [data-move="${b.dataset.move}"]`, `[data-index="${j}"] [data-move]`);
    } else if ('remove' in b.dataset) {
      items.splice(i, 1);
      drawItems();
      const k = Math.min(i, items.length - 1);
      focusFirst(`[data-index="${k}"] [data-remove]`, `#ti-${k}-title`);
    }
  });

  el.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const form = el.querySelector('#tpl-form');
    clearErrors(form);
    const body = formBody();
    if (t.id && JSON.stringify(body) === JSON.stringify(requestBody(t.name, t.description, t.items))) {
      ctx.flash('检查表没有改动，未生成新版本');
      return;
    }
    const submit = el.querySelector('#tpl-save');
    submit.disabled = true;
    try {
      const saved = t.id
        ? await api('PUT', `/api/v1/templates/${t.id}`, { version: t.version, ...body })
        : await api('POST', '/api/v1/templates', body);
      if (!ctx.current()) return;
      const message = t.id
        ? `已保存为第 ${saved.version} 版，新的督导记录将使用新版本；已有督导记录仍按原版本`
        : `已创建检查表模板“${saved.name}”，共 ${saved.item_count} 项`;
      show(saved);
      ctx.flash(message);
    } catch (e) {
      if (!ctx.current()) return;
      if (e.status !== 409) { showError(e); return; }
      try { await showLatest(); } catch (e2) { if (ctx.current()) formError(e2.message); }
    } finally {
      submit.disabled = false;
    }
  });

  draw();
}
