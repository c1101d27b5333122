// rect-item.js - one rectification item (整改项): its facts, the finding's photos, the
// journal (every event, oldest first, with its evidence), the extension requests, and the
// actions the user may take in its state: a principal answers (note + photos) or asks for
// an extension; a verifier outside the school closes (销号) or returns it; an inspector or
// bureau head outside the school decides a pending extension; after a 回头看 finds a closed
// problem again, a verifier outside the school reopens it (重新整改) citing that visit; its form
// states the default deadline in force (GET /api/v1/settings, read once per page). Used by the
// inbox, the verification queue, the ledger and the escalation list (#/<page>/<id>). What a form
// needs (a note and a photo, a reason, a date) is asked for in the page before sending, and a
// server's refusal is shown under its field worded with the page's label, not the API's name.
// A principal's answer being written (note and photos) is kept on the device (answer-draft.js).

import { html, fmtTime, roleName, ApiError } from './lib.js';
import { keepAnswerDraft, dropAnswerDraft } from './answer-draft.js';
import {
  request, newKey, isTransient, uploadEvidence, preparePhoto, addDays, sevTag, stateTag, dueTag,
  itemMarks, evidenceThumbs, watchBrokenThumbs, clearErrors, showFieldError, townName, serverYmd, VERIFIERS, VISITORS,
  isBlank, labelOf, fieldMessage, showFieldErrors, MAX_FILES, tooManyFiles, field,
} from './rect-common.js';

const isImage = (p) => String(p.type || '').startsWith('image/');

// When a journal event happened: the time it was recorded when that is on the bureau's date of
// the action (on_date), else the date alone (history entered later, the demo's year, a test
// server's fixed today): a recording time on another day would say it happened then.
function eventWhen(ev) {
  const at = fmtTime(ev.at);
  return !ev.on_date || at.startsWith(ev.on_date) ? at : ev.on_date;
}

// A photo chooser: a camera button, a file button, thumbnails with 删除 (a file that is not an
// image, a PDF scan, as a tile with its name).
// Returns { markup, bind(root), files() -> [{blob,name,type,key,evidence,url,error}], refresh(),
// add(photo), onChange(fn) }: fn(photos) after each photo added or removed.
function photoPicker(id, label) {
  const photos = [];
  let root = null;
  let changed = () => {};
  const draw = () => {
    const list = root.querySelector('.picked');
    list.innerHTML = html`${photos.map((p, i) => html`
      <li class="${p.error ? 'bad' : ''}">${isImage(p) ? html`<img src="${p.url}" alt="${p.name}">` : html`<span class="file-tile">${p.name}</span>`}
        ${p.error ? html`<span class="ph-status bad">无法上传</span>` : ''}
        <button type="button" class="thumb-del" data-del="${i}" aria-label="删除${isImage(p) ? '照片' : '文件'} ${p.name}">删除</button></li>`)}`;
    root.querySelector('.picked-count').textContent = photos.length ? `已选 ${photos.length} 个文件` : '';
  };
  return {
    markup: html`
      <div class="field photo-field" data-field="${id}">
        <span class="label">${label}</span>
        <div class="photo-buttons">
          <label class="btn photo-btn">拍照<input type="file" class="sr-only" id="${id}" accept="image/*" capture="environment"></label>
          <label class="btn photo-btn">选择照片或文件<input type="file" class="sr-only" id="${id}-file" accept="image/*,application/pdf" multiple></label>
          <span class="picked-count muted"></span>
        </div>
        <ul class="thumbs picked"></ul>
        <p class="field-error" id="err-${id}" hidden></p>
      </div>`,
    bind(r) {
      root = r.querySelector(`[data-field="${id}"]`);
      root.addEventListener('change', async (ev) => {
        const input = ev.target;
        if (!(input instanceof HTMLInputElement) || input.type !== 'file') return;
        const err = root.querySelector('.field-error');
        err.hidden = true;
        const chosen = Array.from(input.files || []);
        const left = Math.max(0, MAX_FILES - photos.length);
        if (chosen.length > left) {
          err.textContent = tooManyFiles(left);
          err.hidden = false;
        }
        for (const f of chosen.slice(0, left)) {
          try {
            const p = await preparePhoto(f);
            const photo = { ...p, key: newKey(), evidence: null, url: URL.createObjectURL(p.blob) };
            photos.push(photo);
            await changed(photos, { added: photo });
          } catch (e) {
            err.textContent = e.message;
            err.hidden = false;
          }
        }
        input.value = '';
        draw();
      });
      root.addEventListener('click', (ev) => {
        const b = ev.target.closest('button[data-del]');
        if (!b) return;
        const [p] = photos.splice(Number(b.dataset.del), 1);
        if (p) URL.revokeObjectURL(p.url);
        draw();
        changed(photos, { removed: p });
      });
    },
    files: () => photos,
    refresh: () => { if (root) draw(); },
    add(photo) {
      photos.push({ ...photo, url: URL.createObjectURL(photo.blob) });
      if (root) draw();
    },
    onChange(fn) { changed = fn; },
  };
}

// Uploads the photos of picker not yet uploaded (each with its own key); returns their
// evidence ids. A file the service refuses is marked in the picker and named in the error,
// which is the picker's field's (evidence_ids); a network failure is thrown as it is.
async function uploadAll(ctx, picker, schoolId) {
  const ids = [];
  for (const p of picker.files()) {
    if (!p.evidence) {
      try {
        p.evidence = await uploadEvidence(ctx, p.blob, p.name, { schoolId, key: p.key });
      } catch (e) {
        if (isTransient(e)) throw e;
        p.error = e.message;
        picker.refresh();
        throw new ApiError(`“${p.name}”无法上传：${e.message}。请删除该文件后重新选择`, { status: e.status, field: 'evidence_ids' });
      }
    }
    ids.push(p.evidence.id);
  }
  return ids;
}

function journalEntry(ev, exts) {
  const x = ev.extension_id ? exts.find((e) => e.id === ev.extension_id) : null;
  const change = ev.from_state && ev.to_state && ev.from_state !== ev.to_state;
  const dl = ev.deadline_before && ev.deadline_after && ev.deadline_before !== ev.deadline_after;
  return html`
    <li class="ev ev-${ev.action}" data-action="${ev.action}">
      <div class="ev-head">
        <strong class="ev-label">${ev.action_label || ev.action}</strong>
        <span class="ev-who">${ev.user_name}（${roleName(ev.user_role)}）</span>
        <time class="ev-at" datetime="${eventWhen(ev)}">${eventWhen(ev)}</time>
      </div>
      ${ev.action === 'create' && ev.deadline_after ? html`<p class="ev-line">整改期限：${ev.deadline_after}</p>` : ''}
      ${dl ? html`<p class="ev-line">整改期限：${ev.deadline_before} → ${ev.deadline_after}</p>` : ''}
      ${x && ev.action === 'extension_request' ? html`<p class="ev-line">申请延期至 ${x.deadline_requested}（当时期限 ${x.deadline_before}）</p>` : ''}
      ${ev.action === 'reopen' && ev.visit_id ? html`<p class="ev-line">依据：<a href="/api/v1/visits/${ev.visit_id}/report" target="_blank" rel="noopener">“回头看”督导意见书</a></p>` : ''}
      ${ev.note ? html`<p class="ev-note">${ev.note}</p>` : ''}
      ${change ? html`<p class="ev-line muted">状态：${stateName(ev.from_state)} → ${stateName(ev.to_state)}</p>` : ''}
      ${evidenceThumbs(ev.evidence_ids, '佐证材料')}
    </li>`;
}

const STATE_NAMES = { open: '待整改', submitted: '已提交待核查', closed: '已销号', reopened: '重新整改' };
const stateName = (s) => STATE_NAMES[s] || s;

function extensionRow(x) {
  const st = { pending: '待审批', approved: '已同意', refused: '未同意', lapsed: '已失效（已销号）' }[x.state] || x.state;
  return html`
    <li class="ext-row ext-${x.state}">
      <div><strong>申请延期至 ${x.deadline_requested}</strong>（原期限 ${x.deadline_before}）
        <span class="state ext-state-${x.state}">${st}</span></div>
      <p class="muted">${x.requested_by_name} 于 ${x.requested_on} 申请：${x.reason}</p>
      ${x.decided_by_name ? html`<p class="muted">${x.decided_by_name} 于 ${x.decided_on} 审批${x.decision_note ? html`：${x.decision_note}` : ''}</p>` : ''}
    </li>`;
}

function headCard(it) {
  const visitLink = it.visit_id ? html`<a href="/api/v1/visits/${it.visit_id}/report" target="_blank" rel="noopener">督导意见书</a>` : '';
  return html`
    <section class="card item-head" id="item-head">
      <div class="ic-top">${sevTag(it.severity)}${stateTag(it)}${itemMarks({ ...it, state: it.state === 'reopened' ? '' : it.state })}</div>
      <p class="item-desc" id="item-desc">${it.description}</p>
      <dl class="facts">
        <dt>学校</dt><dd>${it.school_name}<span class="muted">（${townName(it)}）</span></dd>
        <dt>检查项目</dt><dd>${it.item_code} ${it.item_title}<span class="muted">（${it.item_category}）</span></dd>
        <dt>发现日期</dt><dd>${it.found_on}（${it.visit_kind}）${visitLink}</dd>
        <dt>整改期限</dt><dd id="item-deadline">${it.deadline} ${dueTag(it)}
          ${it.original_deadline && it.original_deadline !== it.deadline ? html`<span class="muted">原定 ${it.original_deadline}</span>` : ''}</dd>
        ${it.submitted_on ? html`<dt>提交日期</dt><dd>${it.submitted_on}</dd>` : ''}
        ${it.closed_on ? html`<dt>销号日期</dt><dd>${it.closed_on}</dd>` : ''}
        ${it.return_count ? html`<dt>退回次数</dt><dd>${it.return_count}</dd>` : ''}
        ${it.recurrence_count ? html`<dt>复发次数</dt><dd>${it.recurrence_count}</dd>` : ''}
      </dl>
      ${it.finding_evidence_ids && it.finding_evidence_ids.length ? html`
        <h3>问题照片</h3>${evidenceThumbs(it.finding_evidence_ids, '问题照片')}` : ''}
    </section>`;
}

// ---- the action forms -------------------------------------------------------------

function answerForm(it, picker) {
  return html`
    <section class="card action" id="answer-card">
      <h2>提交整改情况</h2>
      ${it.returned ? html`<p class="alert error">该问题的整改情况曾被退回，请按退回意见整改后重新提交。</p>` : ''}
      <form id="answer-form" class="form" novalidate>
        ${field('answer-note', '整改情况说明', html`<textarea id="answer-note" name="note" rows="4" maxlength="2000" placeholder="说明采取的整改措施和完成情况"></textarea>`)}
        ${picker.markup}
        <p class="hint">须附佐证材料（现场照片或扫描件，JPG/PNG/PDF，每个不超过 10 MB）。</p>
        <p class="alert error form-error" role="alert" tabindex="-1" hidden></p>
        <div class="actions"><button type="submit" class="btn primary">提交整改情况</button></div>
      </form>
    </section>`;
}

function extensionForm(it, today) {
  if (it.pending_extension) {
    const x = it.pending_extension;
    return html`<section class="card action"><h2>延期申请</h2>
      <p>已申请延期至 <strong>${x.deadline_requested}</strong>，等待督学或局长审批。</p></section>`;
  }
  const min = addDays(it.deadline > today ? it.deadline : today, 1);
  return html`
    <section class="card action">
      <details id="extension-box">
        <summary>申请延期</summary>
        <form id="extension-form" class="form" novalidate>
          ${field('ext-deadline', '延期至', html`<input type="date" id="ext-deadline" name="deadline" min="${min}" max="${addDays(it.deadline, 365)}">`, `当前期限 ${it.deadline}，原定期限会保留`)}
          ${field('ext-reason', '延期理由', html`<textarea id="ext-reason" name="reason" rows="3" maxlength="2000"></textarea>`)}
          <p class="alert error form-error" role="alert" tabindex="-1" hidden></p>
          <div class="actions"><button type="submit" class="btn">提交延期申请</button></div>
        </form>
      </details>
    </section>`;
}

function lastAnswer(it) {
  const ans = (it.journal || []).filter((e) => e.action === 'answer').pop();
  if (!ans) return '';
  return html`<div class="answer-box">
      <p><strong>学校提交的整改情况</strong><span class="muted">（${ans.user_name}，${ans.on_date}）</span></p>
      <p class="ev-note">${ans.note}</p>${evidenceThumbs(ans.evidence_ids, '整改佐证')}</div>`;
}

function verifyForm(it) {
  return html`
    <section class="card action" id="verify-card">
      <h2>核查整改情况</h2>
      ${lastAnswer(it)}
      <form id="verify-form" class="form" novalidate>
        ${field('verify-note', '核查意见', html`<textarea id="verify-note" name="note" rows="3" maxlength="2000" placeholder="销号时可填写核查意见；退回时必须写明理由"></textarea>`)}
        <p class="alert error form-error" role="alert" tabindex="-1" hidden></p>
        <div class="actions">
          <button type="submit" class="btn primary" name="act" value="close" id="close-btn">销号</button>
          <button type="submit" class="btn danger" name="act" value="return" id="return-btn">退回重改</button>
        </div>
      </form>
    </section>`;
}

function decideForm(x) {
  return html`
    <section class="card action" id="decide-card">
      <h2>延期申请待审批</h2>
      <p>申请延期至 <strong>${x.deadline_requested}</strong>（当前期限 ${x.deadline_before}）</p>
      <p class="muted">${x.requested_by_name} 于 ${x.requested_on} 申请：${x.reason}</p>
      <form id="decide-form" class="form" novalidate>
        ${field('decide-note', '审批意见', html`<textarea id="decide-note" name="note" rows="2" maxlength="2000" placeholder="同意时可不填；不同意时必须写明理由"></textarea>`)}
        <p class="alert error form-error" role="alert" tabindex="-1" hidden></p>
        <div class="actions">
          <button type="submit" class="btn primary" name="act" value="approve" id="approve-btn">同意延期</button>
          <button type="submit" class="btn danger" name="act" value="refuse" id="refuse-btn">不同意</button>
        </div>
      </form>
    </section>`;
}

// The 回头看 reopening of a closed item: the visit it rests on (filled in by loadRechecks),
// what the re-check found, an optional new deadline (its default filled in by showDefaultDeadline)
// and optional photos. Kept folded: it is the rare action on a closed item.
function reopenForm(it, picker, today) {
  return html`
    <section class="card action" id="reopen-card">
      <details id="reopen-box">
        <summary>回头看发现问题反弹：重新整改</summary>
        <p class="muted">该问题已于 ${it.closed_on} 销号。“回头看”复查发现问题仍然存在或再次出现时，可依据该次督导记录重新下达整改，计为复发一次。</p>
        <p class="alert warn" id="reopen-none" hidden></p>
        <form id="reopen-form" class="form" novalidate>
          ${field('reopen-visit', '依据的“回头看”督导记录', html`<select id="reopen-visit" name="visit_id" disabled><option value="">正在加载…</option></select>`,
            html`须为该校在销号（${it.closed_on}）之后已提交、且这一检查项未判为“符合”的“回头看”记录`)}
          ${field('reopen-reason', '复查发现的情况', html`<textarea id="reopen-reason" name="reason" rows="3" maxlength="2000" placeholder="写明复查时看到的问题，学校将按此重新整改"></textarea>`)}
          ${field('reopen-deadline', '新的整改期限（可不填）', html`<input type="date" id="reopen-deadline" name="deadline" min="${today}">`,
            html`<span id="reopen-default">不填时按系统设置的${it.severity}问题默认期限自今天起计算</span>`)}
          ${picker.markup}
          <p class="alert error form-error" role="alert" tabindex="-1" hidden></p>
          <div class="actions"><button type="submit" class="btn danger" id="reopen-btn">重新下达整改</button></div>
        </form>
      </details>
    </section>`;
}

// States the default deadline of a reopening without one: the settings' days for the item's
// severity from today, and the date they give; keeps the sentence without numbers when the
// settings cannot be read (settings() resolves to null).
async function showDefaultDeadline(form, ctx, it, today, settings) {
  const rules = await settings();
  const days = rules && rules.deadline_days && rules.deadline_days[it.severity];
  if (!ctx.current() || !Number.isInteger(days) || !today) return;
  const span = form.querySelector('#reopen-default');
  span.dataset.days = days;
  span.dataset.date = addDays(today, days);
  span.textContent = `不填时按系统设置的${it.severity}问题默认期限 ${days} 天自今天起计算，至 ${span.dataset.date}`;
}

// Fills the visit select of the reopen form with the school's filed 回头看 visits dated on or
// after the closing, newest first (what the server accepts); without one, says how to get one.
async function loadRechecks(form, ctx, it) {
  const select = form.querySelector('#reopen-visit');
  // The service's own rule: filed 回头看 of the school on or after the closing that did not find the point in order.
  const q = new URLSearchParams({ reopens: it.id, per_page: 100 });
  let visits;
  try {
    visits = (await request(ctx, 'GET', '/api/v1/visits?' + q)).items || [];
  } catch (e) {
    if (!ctx.current()) return;
    select.innerHTML = html`<option value="">无法加载督导记录</option>`;
    showFieldError(form.querySelector('#err-reopen-visit'), null, e.message);
    return;
  }
  if (!ctx.current()) return;
  if (!visits.length) {
    select.innerHTML = html`<option value="">没有可依据的“回头看”记录</option>`;
    const none = form.parentElement.querySelector('#reopen-none');
    none.innerHTML = html`该校在销号之后还没有发现此问题反弹的“回头看”督导记录（已提交，且对这一检查项的结果不是“符合”或“不适用”）。请先${VISITORS.includes(ctx.user.role) ? html`在<a href="#/visit-new">新建督导</a>中` : ''}对该校开展“回头看”并提交记录，再重新整改。`;
    none.hidden = false;
    form.querySelector('#reopen-btn').disabled = true;
    return;
  }
  select.innerHTML = html`${visits.map((v) => html`<option value="${v.id}">${v.visit_date} 回头看${v.finding_count ? `（登记问题 ${v.finding_count} 个）` : ''}</option>`)}`;
  select.disabled = false;
}

// Which forms this user gets for this item.
function allowed(it, user) {
  const own = user.org_id === it.school_id;
  const active = it.state === 'open' || it.state === 'reopened';
  return {
    answer: user.role === 'principal' && active,
    extension: user.role === 'principal' && active,
    verify: VERIFIERS.includes(user.role) && !own && it.state === 'submitted',
    decide: VISITORS.includes(user.role) && !own && Boolean(it.pending_extension),
    reopen: VERIFIERS.includes(user.role) && !own && it.state === 'closed' && Boolean(it.closed_on),
  };
}

// ---- render ---------------------------------------------------------------------------

// Renders item `id` into el with a back link; re-renders itself after every action.
export async function renderItem(el, ctx, id, { back, backText }) {
  const { html: h } = ctx;
  el.innerHTML = h`<p class="back"><a href="${back}">← ${backText}</a></p><p class="muted">正在加载…</p>`;
  if (!/^\d+$/.test(id)) throw new Error('整改项编号无效');
  const [it, today] = await Promise.all([request(ctx, 'GET', `/api/v1/rectifications/${id}`), serverYmd()]);
  if (!ctx.current()) return;
  // The admin's rules, asked for once and only when a form needs them (null when unreadable).
  let rules = null;
  const settings = () => {
    if (!rules) rules = request(ctx, 'GET', '/api/v1/settings').catch(() => null);
    return rules;
  };
  draw(el, ctx, it, { back, backText, today, settings });
}

function draw(el, ctx, it, opts) {
  const can = allowed(it, ctx.user);
  const picker = photoPicker('answer-photos', '整改佐证照片');
  const recheckPicker = photoPicker('reopen-photos', '复查照片（可不附）');
  document.title = `${it.item_title} - 督导`;
  el.innerHTML = ctx.html`
    <p class="back"><a href="${opts.back}">← ${opts.backText}</a></p>
    <div class="page-head"><h1 id="item-title">${it.item_title}</h1><span class="muted">整改项 ${it.id}</span></div>
    ${headCard(it)}
    ${can.decide ? decideForm(it.pending_extension) : ''}
    ${can.verify ? verifyForm(it) : ''}
    ${can.answer ? answerForm(it, picker) : ''}
    ${can.extension ? extensionForm(it, opts.today) : ''}
    ${can.reopen ? reopenForm(it, recheckPicker, opts.today) : ''}
    <section class="card">
      <h2>处理记录</h2>
      <ol class="timeline" id="journal">${(it.journal || []).map((ev) => journalEntry(ev, it.extensions || []))}</ol>
    </section>
    ${it.extensions && it.extensions.length ? ctx.html`
      <section class="card"><h2>延期申请</h2><ul class="ext-list">${it.extensions.map(extensionRow)}</ul></section>` : ''}`;
  watchBrokenThumbs(el);
  const redraw = (next, message) => {
    if (!ctx.current()) return;
    draw(el, ctx, next, opts);
    if (message) ctx.flash(message);
    window.scrollTo({ top: 0 });
  };
  if (can.answer) bindAnswer(el, ctx, it, picker, redraw);
  else dropAnswerDraft(ctx.user, it); // answered (here or elsewhere) or closed: a draft is moot
  if (can.extension && !it.pending_extension) bindExtension(el, ctx, it, redraw);
  if (can.verify) bindVerify(el, ctx, it, redraw);
  if (can.decide) bindDecide(el, ctx, it, redraw);
  if (can.reopen) bindReopen(el, ctx, it, recheckPicker, redraw, opts);
}

// Runs one action submission: one key per submission, kept while the outcome is unknown
// (no network), dropped once the server answered. Errors land in the form.
function submitter(form, ctx, fields) {
  let key = null;
  let lastBody = '';
  return async (path, body, { before } = {}) => {
    clearErrors(form);
    ctx.flash('');
    const buttons = form.querySelectorAll('button[type=submit]');
    buttons.forEach((b) => { b.disabled = true; });
    try {
      if (before) Object.assign(body, await before());
      const s = path + JSON.stringify(body);
      if (!key || s !== lastBody) { key = newKey(); lastBody = s; }
      const res = await request(ctx, 'POST', path, { json: body, key });
      key = null;
      return res;
    } catch (e) {
      if (!isTransient(e)) key = null;
      showError(form, fields, e);
      return null;
    } finally {
      buttons.forEach((b) => { b.disabled = false; });
    }
  };
}

function showError(form, fields, e) {
  let message = e.message;
  if (e.status === 409 && e.field === 'version') message += '（该整改项已被他人处理，请刷新页面查看最新情况）';
  if (!e.status) message = '网络连接失败，内容仍保留在本页，请恢复网络后再次提交（不会重复提交）';
  const id = e.field && fields[e.field];
  // Under its field the message speaks of the page's label, never of the API's field name.
  const worded = e.status ? fieldMessage(message, e.field, id ? labelOf(form, id) : '') : message;
  if (id && showFieldError(form.querySelector(`#err-${id}`), form.querySelector(`#${id}`), worded)) return;
  const box = form.querySelector('.form-error');
  box.textContent = worded;
  if (e.status === 409 && !e.retryAfter) {
    // Someone else acted on the item meanwhile: offer its current state in one tap.
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'btn small refresh-btn';
    b.textContent = '刷新查看最新情况';
    b.addEventListener('click', () => location.reload());
    box.append(' ', b);
  }
  box.hidden = false;
  box.focus({ preventScroll: true }); // not left on the button the request disabled
  box.scrollIntoView({ block: 'center', behavior: 'smooth' });
}

// A reason the server would require anyway, asked for before sending.
function needReason(form, id, message) {
  clearErrors(form);
  showFieldError(form.querySelector(`#err-${id}`), form.querySelector(`#${id}`), message);
}

function bindAnswer(el, ctx, it, picker, redraw) {
  const form = el.querySelector('#answer-form');
  picker.bind(form);
  const draft = keepAnswerDraft(ctx.user, it, form, picker);
  const send = submitter(form, ctx, { note: 'answer-note', evidence_ids: 'answer-photos' });
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const missing = [];
    if (isBlank(form.note.value)) missing.push(['answer-note', '请填写整改情况说明，写明采取的整改措施和完成情况']);
    if (!picker.files().length) missing.push(['answer-photos', '请至少附上一张整改后的照片或一份扫描件作为佐证材料']);
    if (showFieldErrors(form, missing)) return;
    const body = { version: it.version, note: form.note.value.trim() };
    const res = await send(`/api/v1/rectifications/${it.id}/answer`, body, {
      before: async () => {
        try {
          return { evidence_ids: await uploadAll(ctx, picker, null) };
        } finally {
          draft.save(); // the files uploaded so far are not uploaded again after a reload
        }
      },
    });
    if (res) {
      draft.clear();
      redraw(res, '已提交整改情况，等待督学核查销号');
    }
  });
}

// The texts and dates typed in an action form (a reason, a note, a deadline), kept in this
// tab's sessionStorage per user, item and form, so that 刷新 after a 409 or signing in again
// after an expired session gives them back. done() forgets them once the action went through.
function keepTyped(form, ctx, it) {
  const key = `dudao.typed.${ctx.user.id}.${it.id}.${form.id}`;
  const fields = () => [...form.querySelectorAll('textarea[name], input[name][type=text], input[name][type=date]')];
  try {
    const kept = JSON.parse(sessionStorage.getItem(key) || 'null') || {};
    for (const c of fields()) if (!c.value && kept[c.name]) c.value = kept[c.name];
  } catch { /* nothing kept, or storage unavailable */ }
  form.addEventListener('input', () => {
    try {
      sessionStorage.setItem(key, JSON.stringify(Object.fromEntries(fields().map((c) => [c.name, c.value]))));
    } catch { /* storage full or unavailable: the page keeps them */ }
  });
  return { done: () => { try { sessionStorage.removeItem(key); } catch { /* unavailable */ } } };
}

function bindExtension(el, ctx, it, redraw) {
  const form = el.querySelector('#extension-form');
  const send = submitter(form, ctx, { deadline: 'ext-deadline', reason: 'ext-reason' });
  const typed = keepTyped(form, ctx, it);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const missing = [];
    if (!form.deadline.value) missing.push(['ext-deadline', '请选择申请延期到哪一天']);
    if (isBlank(form.reason.value)) missing.push(['ext-reason', '请写明延期理由']);
    if (showFieldErrors(form, missing)) return;
    const body = { version: it.version, reason: form.reason.value.trim(), deadline: form.deadline.value };
    const res = await send(`/api/v1/rectifications/${it.id}/extensions`, body);
    if (res) { typed.done(); redraw(res, `已申请延期至 ${body.deadline}，等待审批`); }
  });
}

function bindVerify(el, ctx, it, redraw) {
  const form = el.querySelector('#verify-form');
  const send = submitter(form, ctx, { note: 'verify-note', reason: 'verify-note' });
  const typed = keepTyped(form, ctx, it);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const act = ev.submitter && ev.submitter.value === 'return' ? 'return' : 'close';
    const text = form.note.value.trim();
    if (act === 'return' && !text) { needReason(form, 'verify-note', '退回时请写明理由，学校将按此重新整改'); return; }
    const body = act === 'close' ? { version: it.version, ...(text ? { note: text } : {}) } : { version: it.version, reason: text };
    const res = await send(`/api/v1/rectifications/${it.id}/${act}`, body);
    if (res) { typed.done(); redraw(res, act === 'close' ? '已销号' : '已退回学校重新整改'); }
  });
}

function bindDecide(el, ctx, it, redraw) {
  const form = el.querySelector('#decide-form');
  const send = submitter(form, ctx, { note: 'decide-note', reason: 'decide-note' });
  const typed = keepTyped(form, ctx, it);
  const x = it.pending_extension;
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const act = ev.submitter && ev.submitter.value === 'refuse' ? 'refuse' : 'approve';
    const text = form.note.value.trim();
    if (act === 'refuse' && !text) { needReason(form, 'decide-note', '不同意延期时请写明理由'); return; }
    const body = act === 'approve' ? { version: it.version, ...(text ? { note: text } : {}) } : { version: it.version, reason: text };
    const res = await send(`/api/v1/rectifications/${it.id}/extensions/${x.id}/${act}`, body);
    if (res) { typed.done(); redraw(res, act === 'approve' ? `已同意延期至 ${x.deadline_requested}` : '已驳回延期申请'); }
  });
}

function bindReopen(el, ctx, it, picker, redraw, opts) {
  const form = el.querySelector('#reopen-form');
  picker.bind(form);
  loadRechecks(form, ctx, it);
  showDefaultDeadline(form, ctx, it, opts.today, opts.settings);
  const send = submitter(form, ctx, { visit_id: 'reopen-visit', reason: 'reopen-reason', deadline: 'reopen-deadline', evidence_ids: 'reopen-photos' });
  const typed = keepTyped(form, ctx, it);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const reason = form.reason.value.trim();
    const visit = form.visit_id.value;
    if (!visit) { needReason(form, 'reopen-visit', '请选择依据的“回头看”督导记录'); return; }
    if (!reason) { needReason(form, 'reopen-reason', '请写明复查发现的情况，学校将按此重新整改'); return; }
    const body = { version: it.version, visit_id: Number(visit), reason, ...(form.deadline.value ? { deadline: form.deadline.value } : {}) };
    const res = await send(`/api/v1/rectifications/${it.id}/reopen`, body, {
      before: async () => {
        const ids = await uploadAll(ctx, picker, it.school_id);
        return ids.length ? { evidence_ids: ids } : {};
      },
    });
    if (res) { typed.done(); redraw(res, `已重新下达整改，新的整改期限为 ${res.deadline}`); }
  });
}
