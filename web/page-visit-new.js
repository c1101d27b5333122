// page-visit-new.js - 新建督导 (inspector, bureau head): the visit form made for a phone at a
// school. School, date, kind, the checklist (符合/不符合/不适用 with a note per item), the
// findings (item, severity, description, deadline defaulting from the severity, photos from
// the camera). The draft lives on the device: localStorage, saved on every keystroke and
// restored on reload; photos in IndexedDB until uploaded (visit-photos.js). Submitting
// uploads the photos (?school_id=<school>) and files the visit in one POST /api/v1/visits
// ({file: true}) with ONE Idempotency-Key per submission, stored with the draft and reused
// on every retry, so a submission retried on a bad network never makes a second visit.
// The default deadlines previewed are the admin's settings (GET /api/v1/settings, read once
// per page load without holding up the form); while they load, or when they cannot be read
// (no network, 403), the usual defaults are previewed and said to be such. A finding without
// a deadline of its own is sent without one: the server computes it from the settings.
// Filing a visit dated more than 30 days before today (visit-checks.js), or one whose findings' deadlines
// (as previewed) are already past, first asks for a confirmation in the page: its items
// would be overdue at once, and a filed visit's date cannot be changed.
// With no network the page still opens (offline.js, sw.js): the schools and templates are the
// ones last read online, today is the device's date.

import { registerPage, fetchAll } from './lib.js';
import {
  request, newKey, isTransient, serverYmd, addDays, daysBetween, sevTag, onWindow,
  clearErrors, showFieldError, schoolOptions, labelOf, fieldMessage, field, SEVERITIES, DEFAULT_DAYS, KINDS, RESULTS, VISITORS,
} from './rect-common.js';
import { VisitPhotos } from './visit-photos.js';
import { deletePhotos } from './photo-store.js';
import { settingsEscalation, findingProblem, dateRisk, riskHtml } from './visit-checks.js';
import { keptRead, signingOut } from './offline.js';

const DRAFT_VERSION = 1;
// The draft being edited, shared by every render of the page in this tab: an upload or a
// submission still running after the user moved away and came back saves into the same
// object the new form shows, never over it.
const live = { userId: null, draft: null, syncing: null, view: null };
const draftKey = (user) => `dudao.visit-draft.${user.id}`;

function loadDraft(user) {
  try {
    const d = JSON.parse(localStorage.getItem(draftKey(user)) || 'null');
    return d && d.v === DRAFT_VERSION ? d : null;
  } catch {
    return null;
  }
}

// What the user's visit on this device is, for 退出 to ask before dropping it: 'sending' when
// it was sent without an answer (a retry would be safe), 'draft' when anything was typed or
// chosen, else null.
export function visitDraftState(user) {
  const d = loadDraft(user);
  if (!d) return null;
  if (d.sub) return 'sending';
  return d.school_id || (d.summary || '').trim() || (d.findings || []).length || Object.keys(d.answers || {}).length
    ? 'draft' : null;
}

// Drops the user's visit draft and its photos from the device; the promise settles once the
// photos are gone.
export function dropVisitDraft(user) {
  const d = loadDraft(user);
  localStorage.removeItem(draftKey(user));
  const pids = d ? (d.findings || []).flatMap((f) => (f.photos || []).map((p) => p.pid)) : [];
  return pids.length ? deletePhotos(pids).catch(() => {}) : Promise.resolve();
}

const emptyDraft = (today) => ({
  v: DRAFT_VERSION, school_id: '', visit_date: today, kind: KINDS[0], summary: '', template_id: null,
  answers: {}, findings: [], sub: null, saved_at: null, touched: false,
});

const newFinding = (itemId = '') => ({
  uid: newKey().slice(0, 8), item_id: String(itemId), severity: '一般', description: '',
  deadline: '', deadline_auto: true, photos: [],
});

// The default deadline days by severity from a settings answer, or null when it lacks one.
function settingsDays(rules) {
  const d = rules && rules.deadline_days;
  return d && SEVERITIES.every((s) => Number.isInteger(d[s]) && d[s] >= 0) ? { ...d } : null;
}

// Why the settings could not be read, for the sentence that says the usual defaults are shown.
const whyUnread = (e) => (!e || !e.status ? '网络连接失败' : e.status === 403 ? '没有查看系统设置的权限' : e.message);

const daysList = (days) => SEVERITIES.slice().reverse().map((s) => `${s} ${days[s]} 天`).join('、');

const hhmm = (iso) => new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
}).format(new Date(iso));

registerPage({
  id: 'visit-new',
  title: '新建督导',
  roles: VISITORS,
  order: 31,
  async render(el, ctx) {
    // Asked first and never awaited before drawing: the form works without it.
    const rules = request(ctx, 'GET', '/api/v1/settings').then((r) => {
      const days = settingsDays(r);
      return days ? { days, escalate: settingsEscalation(r) } : { error: new Error('系统设置中没有默认期限') };
    }, (error) => ({ error }));
    // The schools and templates last read online serve when there is no network (offline.js).
    const kept = (name, read) => keptRead(ctx.user.id, name, read);
    const [today, orgs, templates] = await Promise.all([
      serverYmd(),
      kept('orgs', () => fetchAll(ctx.api, '/api/v1/orgs')),
      kept('templates', () => request(ctx, 'GET', '/api/v1/templates')),
    ]);
    if (!ctx.current()) return;
    const form = new VisitForm(el, ctx, { today, orgs, templates: templates.items || [] });
    await form.start(rules);
  },
});

// The form's state and behaviour; `draft` is the single source of truth, the DOM mirrors it.
class VisitForm {
  constructor(el, ctx, { today, orgs, templates }) {
    Object.assign(this, { el, ctx, today, orgs, templates });
    this.html = ctx.html;
    this.photos = new VisitPhotos(this, live);
    this.busy = false;
    this.pendingRisk = null; // the confirmation on screen (see askConfirm)
    this.confirmedSig = null; // the date and deadlines the user confirmed filing with
    // The default days previewed: 'loading' and 'usual' show DEFAULT_DAYS, 'settings' the admin's.
    this.rules = { source: 'loading', days: DEFAULT_DAYS, why: '' };
  }

  get draft() { return live.draft; }

  set draft(d) { live.draft = d; }

  async start(rules) {
    if (live.userId !== this.ctx.user.id || !live.draft) {
      live.userId = this.ctx.user.id;
      live.draft = loadDraft(this.ctx.user) || emptyDraft(this.today);
    }
    live.view = this;
    this.restored = Boolean(this.draft.touched);
    const current = this.templates.slice().sort((a, b) => a.lineage_id - b.lineage_id)[0];
    if (!this.draft.template_id && current) this.draft.template_id = current.id;
    if (!this.draft.template_id) throw new Error('没有可用的检查表模板，请联系系统管理员');
    const id = this.draft.template_id;
    this.template = await keptRead(this.ctx.user.id, `template.${id}`, () => request(this.ctx, 'GET', `/api/v1/templates/${id}`));
    if (!this.ctx.current()) return;
    this.drawForm();
    this.applyRules(rules);
    onWindow(this.ctx, 'online', () => { this.drawNetwork(); this.photos.sync().catch(() => {}); });
    onWindow(this.ctx, 'offline', () => this.drawNetwork());
    this.photos.sync().catch(() => {});
  }

  // Previews the settings' days once they come, or says the usual defaults stay.
  async applyRules(pending) {
    const got = await pending;
    if (!this.ctx.current()) return;
    this.rules = got.days ? { source: 'settings', days: got.days, escalate: got.escalate, why: '' }
      : { source: 'usual', days: DEFAULT_DAYS, why: whyUnread(got.error) };
    this.drawDeadlines();
  }

  save() {
    if (signingOut.now) return; // 退出 is deleting the drafts
    const d = this.draft;
    d.touched = true;
    d.saved_at = new Date().toISOString();
    const status = this.el.querySelector('#draft-status');
    try {
      localStorage.setItem(draftKey(this.ctx.user), JSON.stringify(d));
      if (status) status.textContent = `草稿已保存在本机 ${hhmm(d.saved_at)}`;
    } catch {
      if (status) status.textContent = '本机存储已满，草稿未能保存';
    }
  }

  // ---- drawing --------------------------------------------------------------------------

  drawForm() {
    const { html, draft: d } = this;
    const notice = this.restored ? html`<p class="alert ok" id="draft-restored">已恢复本机保存的草稿${
      d.saved_at ? html`（${hhmm(d.saved_at)} 保存）` : ''}。</p>` : '';
    this.el.innerHTML = html`
      <div class="page-head"><h1>新建督导</h1><span class="muted" id="draft-status">${d.touched ? '草稿保存在本机' : '填写内容会自动保存在本机'}</span></div>
      <p class="alert warn" id="offline-banner" hidden>当前没有网络。填写的内容和照片都保存在本机，恢复网络后再点“提交”即可。</p>
      ${notice}
      <p class="alert warn" id="pending-sub" hidden>上次提交没有收到服务器的确认（可能是网络中断）。再次点击“提交督导记录”会安全地重试，不会重复创建督导记录。</p>
      <form id="visit-form" class="visit-form" novalidate>
        <section class="card">
          <h2>基本信息</h2>
          <div class="grid-form form">
            ${field('v-school', '学校', html`<select id="v-school" name="school_id"><option value="">请选择学校</option>${schoolOptions(this.orgs, d.school_id)}</select>`)}
            ${field('v-date', '督导日期', html`<input type="date" id="v-date" name="visit_date" max="${this.today}" value="${d.visit_date}">`)}
            ${field('v-kind', '督导类型', html`<select id="v-kind" name="kind">${KINDS.map((k) => html`<option ${k === d.kind ? 'selected' : ''}>${k}</option>`)}</select>`)}
            ${this.templates.length > 1 ? field('v-template', '检查表', html`<select id="v-template" name="template_id">${this.templates.map((t) => html`
              <option value="${t.id}" ${t.id === this.template.id ? 'selected' : ''}>${t.name}</option>`)}</select>`) : ''}
          </div>
        </section>
        <section class="card">
          <h2>检查项目</h2>
          <p class="muted">${this.template.name}（第 ${this.template.version} 版）· 逐项选择检查结果，不符合的项目请登记问题。</p>
          <div id="checklist">${this.checklist()}</div>
        </section>
        <section class="card">
          <h2>发现的问题</h2>
          ${this.rulesNote()}
          <div id="findings"></div>
          <button type="button" class="btn" id="add-finding">＋ 添加问题</button>
        </section>
        <section class="card">
          ${field('v-summary', '督导小结（选填）', html`<textarea id="v-summary" name="summary" rows="3" maxlength="2000">${d.summary}</textarea>`)}
          <p class="discard"><button type="button" class="btn link" id="discard-draft">清空草稿</button></p>
        </section>
        <div class="submit-bar">
          <div class="alert warn confirm-box" id="file-confirm" role="alertdialog" aria-labelledby="file-confirm-title"
            aria-describedby="file-confirm-text" tabindex="-1" hidden>
            <p class="confirm-title" id="file-confirm-title">请核对督导日期</p>
            <div id="file-confirm-text"></div>
            <div class="actions">
              <button type="button" class="btn danger" id="file-confirm-ok">日期无误，确认提交</button>
              <button type="button" class="btn" id="file-confirm-cancel">返回修改</button>
            </div>
          </div>
          <p class="alert error form-error" id="visit-error" role="alert" hidden></p>
          <div class="submit-row">
            <span id="progress" class="muted"></span>
            <button type="submit" class="btn primary" id="visit-submit">提交督导记录</button>
          </div>
        </div>
      </form>`;
    this.drawFindings();
    this.drawProgress();
    this.drawNetwork();
    this.el.querySelector('#pending-sub').hidden = !d.sub;
    this.bind();
  }

  checklist() {
    const { html } = this;
    const cats = [];
    for (const it of this.template.items || []) {
      let c = cats.find((x) => x.name === it.category);
      if (!c) cats.push(c = { name: it.category, items: [] });
      c.items.push(it);
    }
    return html`${cats.map((c) => html`
      <h3 class="cat">${c.name}</h3>
      ${c.items.map((it) => this.checkItem(it))}`)}`;
  }

  checkItem(it) {
    const { html } = this;
    const a = this.draft.answers[it.id] || {};
    return html`
      <fieldset class="check-item${a.result === '不符合' ? ' is-fail' : ''}" data-item-id="${it.id}" id="item-${it.id}">
        <legend><span class="code">${it.code}</span>${it.title}</legend>
        ${it.hint ? html`<p class="hint">${it.hint}</p>` : ''}
        <div class="check-row">
          <div class="seg">${RESULTS.map((r, i) => html`
            <label class="seg-opt r-${i}"><input type="radio" name="ans-${it.id}" value="${r}" ${a.result === r ? 'checked' : ''}><span>${r}</span></label>`)}
          </div>
          <div class="check-extra">
            <input class="note" name="note-${it.id}" maxlength="1000" placeholder="备注（选填）" aria-label="${it.title} 备注" value="${a.note || ''}">
            <button type="button" class="btn small add-for" data-item="${it.id}" ${a.result === '不符合' ? '' : 'hidden'}>登记问题</button>
          </div>
        </div>
        <p class="field-error" id="err-a-${it.id}" hidden></p>
      </fieldset>`;
  }

  itemOptions(selected) {
    const { html } = this;
    const cats = new Map();
    for (const it of this.template.items || []) {
      if (!cats.has(it.category)) cats.set(it.category, []);
      cats.get(it.category).push(it);
    }
    return html`<option value="">请选择检查项目</option>${[...cats].map(([name, items]) => html`
      <optgroup label="${name}">${items.map((it) => html`
        <option value="${it.id}" ${String(it.id) === String(selected) ? 'selected' : ''}>${it.code} ${it.title}</option>`)}</optgroup>`)}`;
  }

  autoDeadline(f) {
    return this.draft.visit_date ? addDays(this.draft.visit_date, this.rules.days[f.severity]) : '';
  }

  // Where the default days come from, above the findings: the settings, or the usual
  // defaults while loading or when the settings cannot be read.
  rulesNote() {
    const { html, rules: r } = this;
    const list = daysList(r.days);
    if (r.source === 'settings') {
      return html`<p class="muted small" id="deadline-rules" data-source="settings">整改期限不填时，按系统设置的默认期限自督导日期起计算：${list}。</p>`;
    }
    const loading = r.source === 'loading';
    return html`<p class="${loading ? 'muted small' : 'alert warn small'}" id="deadline-rules" data-source="${r.source}">${
      loading ? '正在读取系统设置的默认期限。' : `无法读取系统设置（${r.why}）。`}下面的期限按通常的默认期限（${list}）预览，不是从系统读取的现行设置；期限不改时，提交后由系统按现行设置计算，以提交结果为准。</p>`;
  }

  // The hint under a finding's deadline: manual, or the default's days and date and where
  // they come from.
  deadlineHint(f, p) {
    const { html, rules: r } = this;
    if (!f.deadline_auto) return html`<p class="hint" id="hint-${p}-deadline" data-source="manual">已手动设定期限；清空则按严重程度的默认期限</p>`;
    const days = r.days[f.severity];
    const date = this.autoDeadline(f);
    const from = r.source === 'settings' ? '按系统设置' : '按通常的默认期限（非现行设置）';
    return html`<p class="hint" id="hint-${p}-deadline" data-source="${r.source}" data-days="${days}" data-date="${date}">${from}：${f.severity}问题自督导日期起 ${days} 天${date ? `，至 ${date}` : ''}；可修改</p>`;
  }

  // Redraws what depends on the default days without touching the rest of the form.
  drawDeadlines() {
    const note = this.el.querySelector('#deadline-rules');
    if (note) note.outerHTML = String(this.rulesNote());
    for (const f of this.draft.findings) {
      const p = `f-${f.uid}`;
      const input = this.el.querySelector(`#${p}-deadline`);
      const hint = this.el.querySelector(`#hint-${p}-deadline`);
      if (!input || !hint) continue;
      if (f.deadline_auto) input.value = this.autoDeadline(f);
      hint.outerHTML = String(this.deadlineHint(f, p));
    }
  }

  findingBlock(f, i) {
    const { html } = this;
    const p = `f-${f.uid}`;
    const dl = f.deadline_auto ? this.autoDeadline(f) : f.deadline;
    const min = this.draft.visit_date || '';
    return html`
      <div class="finding" data-uid="${f.uid}" id="finding-${f.uid}">
        <div class="finding-head">
          <h3>问题 ${i + 1} ${sevTag(f.severity)}</h3>
          <button type="button" class="btn small link-danger" data-remove="${f.uid}">删除</button>
        </div>
        <div class="form">
          ${field(`${p}-item_id`, '检查项目', html`<select id="${p}-item_id" data-k="item_id">${this.itemOptions(f.item_id)}</select>`)}
          <div class="field" data-field="${p}-severity">
            <span class="label" id="${p}-severity-label">严重程度</span>
            <div class="seg" role="radiogroup" aria-labelledby="${p}-severity-label" id="${p}-severity">${SEVERITIES.map((s, k) => html`
              <label class="seg-opt s-${k}"><input type="radio" name="${p}-sev" data-k="severity" value="${s}" ${f.severity === s ? 'checked' : ''}><span>${s}</span></label>`)}
            </div>
            <p class="field-error" id="err-${p}-severity" hidden></p>
          </div>
          ${field(`${p}-description`, '问题描述', html`<textarea id="${p}-description" data-k="description" rows="3" maxlength="2000" placeholder="写明发现的具体问题">${f.description}</textarea>`)}
          <div class="field" data-field="${p}-deadline">
            <label for="${p}-deadline">整改期限</label>
            <input type="date" id="${p}-deadline" data-k="deadline" value="${dl}" min="${min}" max="${min ? addDays(min, 365) : ''}">
            ${this.deadlineHint(f, p)}
            <p class="field-error" id="err-${p}-deadline" hidden></p>
          </div>
          <div class="field photo-field" data-field="${p}-photos">
            <span class="label">现场照片</span>
            <div class="photo-buttons">
              <label class="btn photo-btn">拍照<input type="file" class="sr-only" id="${p}-photos" data-photo="${f.uid}" accept="image/*" capture="environment"></label>
              <label class="btn photo-btn">从相册选择<input type="file" class="sr-only" id="${p}-album" data-photo="${f.uid}" accept="image/*" multiple></label>
            </div>
            <ul class="thumbs photos" id="${p}-thumbs">${f.photos.map((ph) => this.photos.item(ph))}</ul>
            <p class="field-error" id="err-${p}-photos" hidden></p>
          </div>
        </div>
      </div>`;
  }

  drawFindings() {
    const box = this.el.querySelector('#findings');
    const list = this.draft.findings;
    box.innerHTML = list.length ? this.html`${list.map((f, i) => this.findingBlock(f, i))}`
      : this.html`<p class="muted" id="no-findings">尚未登记问题。检查结果为“不符合”的项目，请点“登记问题”。</p>`;
    this.photos.loadThumbs();
  }

  drawProgress() {
    const d = this.draft;
    const total = (this.template.items || []).length;
    const done = Object.values(d.answers).filter((a) => a.result).length;
    const fails = Object.values(d.answers).filter((a) => a.result === '不符合').length;
    this.el.querySelector('#progress').textContent = `已检查 ${done}/${total} 项，不符合 ${fails} 项，登记问题 ${d.findings.length} 个`;
  }

  drawNetwork() {
    const b = this.el.querySelector('#offline-banner');
    if (b) b.hidden = navigator.onLine !== false;
  }

  // ---- events ----------------------------------------------------------------------------

  bind() {
    const el = this.el;
    const form = el.querySelector('#visit-form');
    this.form = form;
    form.addEventListener('submit', (ev) => { ev.preventDefault(); this.submit(); });
    form.addEventListener('input', (ev) => { this.hideConfirm(); this.onInput(ev); });
    form.addEventListener('change', (ev) => { this.hideConfirm(); this.onChange(ev); });
    el.querySelector('#file-confirm-ok').addEventListener('click', () => this.confirmFiling());
    el.querySelector('#file-confirm-cancel').addEventListener('click', () => {
      this.hideConfirm();
      el.querySelector('#v-date').focus();
    });
    form.addEventListener('click', (ev) => this.onClick(ev));
    el.querySelector('#add-finding').addEventListener('click', () => this.addFinding(''));
    el.querySelector('#discard-draft').addEventListener('click', (ev) => this.discard(ev.currentTarget));
  }

  onInput(ev) {
    const t = ev.target;
    const d = this.draft;
    if (t.id === 'v-summary') d.summary = t.value;
    else if (t.classList.contains('note')) this.answer(t.closest('.check-item')).note = t.value;
    else if (t.dataset.k === 'description') this.finding(t).description = t.value;
    else return;
    this.save();
  }

  onChange(ev) {
    const t = ev.target;
    const d = this.draft;
    if (t.id === 'v-school') { d.school_id = t.value; this.save(); this.photos.drawAll(); this.photos.sync().catch(() => {}); return; }
    if (t.id === 'v-date') { d.visit_date = t.value; this.save(); this.drawFindings(); return; }
    if (t.id === 'v-kind') { d.kind = t.value; this.save(); return; }
    if (t.id === 'v-template') { this.changeTemplate(t.value); return; }
    if (t.type === 'radio' && t.name.startsWith('ans-')) { this.setResult(t); return; }
    if (t.type === 'file' && t.dataset.photo) { this.photos.add(t); return; }
    const k = t.dataset.k;
    if (!k || k === 'description') return;
    const f = this.finding(t);
    if (k === 'item_id') f.item_id = t.value;
    if (k === 'severity') { f.severity = t.value; this.save(); this.drawFindings(); return; }
    if (k === 'deadline') {
      f.deadline_auto = !t.value;
      f.deadline = t.value;
      this.save();
      this.drawFindings();
      return;
    }
    this.save();
  }

  onClick(ev) {
    const add = ev.target.closest('button.add-for');
    const rm = ev.target.closest('button[data-remove]');
    const delPhoto = ev.target.closest('button[data-del-photo]');
    if (add) this.addFinding(add.dataset.item);
    else if (rm) this.removeFinding(rm);
    else if (delPhoto) this.photos.remove(delPhoto.dataset.delPhoto);
  }

  answer(fieldset) {
    const id = fieldset.dataset.itemId;
    if (!this.draft.answers[id]) this.draft.answers[id] = { result: '', note: '' };
    return this.draft.answers[id];
  }

  finding(node) {
    const uid = node.closest('.finding').dataset.uid;
    return this.draft.findings.find((f) => f.uid === uid);
  }

  setResult(radio) {
    const fs = radio.closest('.check-item');
    this.answer(fs).result = radio.value;
    fs.classList.toggle('is-fail', radio.value === '不符合');
    fs.querySelector('.add-for').hidden = radio.value !== '不符合';
    const err = fs.querySelector('.field-error');
    err.hidden = true;
    this.save();
    this.drawProgress();
  }

  addFinding(itemId) {
    const f = newFinding(itemId);
    this.draft.findings.push(f);
    this.save();
    this.drawFindings();
    this.drawProgress();
    const box = this.el.querySelector(`#finding-${f.uid}`);
    box.scrollIntoView({ block: 'start', behavior: 'smooth' });
    box.querySelector(itemId ? 'textarea' : 'select').focus({ preventScroll: true });
  }

  removeFinding(btn) {
    // Two presses: the first asks, the second removes (no blocking dialog on a phone).
    if (btn.dataset.armed !== '1') {
      btn.dataset.armed = '1';
      btn.textContent = '确认删除？';
      setTimeout(() => { if (btn.isConnected) { btn.dataset.armed = ''; btn.textContent = '删除'; } }, 4000);
      return;
    }
    const uid = btn.dataset.remove;
    const f = this.draft.findings.find((x) => x.uid === uid);
    this.draft.findings = this.draft.findings.filter((x) => x.uid !== uid);
    this.photos.discard(f ? f.photos : []);
    this.save();
    this.drawFindings();
    this.drawProgress();
  }

  changeTemplate(id) {
    const ids = new Set();
    keptRead(this.ctx.user.id, `template.${id}`, () => request(this.ctx, 'GET', `/api/v1/templates/${id}`)).then((t) => {
      if (!this.ctx.current()) return;
      this.template = t;
      this.draft.template_id = t.id;
      this.draft.answers = {};
      (t.items || []).forEach((it) => ids.add(String(it.id)));
      this.draft.findings.forEach((f) => { if (!ids.has(f.item_id)) f.item_id = ''; });
      this.save();
      this.drawForm();
    }).catch((e) => this.formError(e.message));
  }

  discard(btn) {
    if (btn.dataset.armed !== '1') {
      btn.dataset.armed = '1';
      btn.textContent = '再点一次确认清空草稿（不可恢复）';
      setTimeout(() => { if (btn.isConnected) { btn.dataset.armed = ''; btn.textContent = '清空草稿'; } }, 4000);
      return;
    }
    this.clearDraft();
    this.restored = false;
    this.draft = emptyDraft(this.today);
    this.draft.template_id = this.template.id;
    this.drawForm();
    this.ctx.flash('草稿已清空');
  }

  clearDraft() {
    localStorage.removeItem(draftKey(this.ctx.user));
    this.photos.discard(this.draft.findings.flatMap((f) => f.photos));
  }

  // ---- submit ----------------------------------------------------------------------------

  // The message above 提交; kind 'photos' marks a failed photo upload (see VisitPhotos.synced).
  formError(message, kind = '') {
    const box = this.el.querySelector('#visit-error');
    box.textContent = message;
    box.dataset.kind = kind;
    box.hidden = false;
  }

  // Checks what can be checked without the server (on a phone without network too).
  localCheck() {
    const d = this.draft;
    const fail = (id, msg) => {
      showFieldError(this.el.querySelector(`#err-${id}`), this.el.querySelector(`#${id}`), msg);
      this.formError('请先修改标红的内容：' + msg);
      return false;
    };
    if (!d.school_id) return fail('v-school', '请选择学校');
    if (!d.visit_date) return fail('v-date', '请填写督导日期');
    if (d.visit_date > this.today) return fail('v-date', `督导日期不能晚于今天（${this.today}）`);
    for (const [id, a] of Object.entries(d.answers)) {
      if (!a.result && a.note && a.note.trim()) return fail(`a-${id}`, '填写了备注，请选择检查结果');
    }
    for (const [i, f] of d.findings.entries()) {
      const problem = findingProblem(d, this.template, f, i);
      if (problem) return fail(...problem);
    }
    return true;
  }

  // Why filing needs a confirmation (visit-checks.js), with the deadlines as previewed.
  dateRisk() {
    return dateRisk(this.draft, this.today, (f) => (f.deadline_auto ? this.autoDeadline(f) : f.deadline));
  }

  // Shows the in-page confirmation for `risk`: the date, how long ago, what filing it means.
  askConfirm(risk) {
    const box = this.el.querySelector('#file-confirm');
    box.querySelector('#file-confirm-text').innerHTML = riskHtml(this.html, this.draft, risk, this.today, this.rules.escalate);
    this.pendingRisk = risk;
    box.hidden = false;
    box.scrollIntoView({ block: 'nearest' });
    box.focus({ preventScroll: true });
  }

  hideConfirm() {
    const box = this.el.querySelector('#file-confirm');
    if (box) box.hidden = true;
    this.pendingRisk = null;
  }

  // The user confirmed the date shown: file it, without asking again for the same date and deadlines.
  confirmFiling() {
    if (!this.pendingRisk) return;
    this.confirmedSig = this.pendingRisk.sig;
    this.hideConfirm();
    this.submit();
  }

  // The request body, plus maps from its list positions back to the form.
  body() {
    const d = this.draft;
    const answers = [];
    const answerItems = [];
    for (const it of this.template.items || []) {
      const a = d.answers[it.id];
      if (!a || !a.result) continue;
      answers.push({ item_id: it.id, result: a.result, ...(a.note && a.note.trim() ? { note: a.note.trim() } : {}) });
      answerItems.push(it.id);
    }
    const findings = d.findings.map((f) => ({
      item_id: Number(f.item_id), severity: f.severity, description: f.description.trim(),
      ...(!f.deadline_auto && f.deadline ? { deadline: f.deadline } : {}),
      evidence_ids: f.photos.map((p) => p.evidence_id),
    }));
    const body = {
      school_id: Number(d.school_id), visit_date: d.visit_date, kind: d.kind, template_id: this.template.id,
      ...(d.summary.trim() ? { summary: d.summary.trim() } : {}), answers, findings, file: true,
    };
    return { body, answerItems, findingUids: d.findings.map((f) => f.uid) };
  }

  async submit() {
    if (this.busy) return;
    clearErrors(this.form);
    this.ctx.flash('');
    this.hideConfirm();
    if (!this.localCheck()) return;
    const risk = this.dateRisk();
    if (risk && risk.sig !== this.confirmedSig) { this.askConfirm(risk); return; }
    const btn = this.el.querySelector('#visit-submit');
    this.busy = true;
    btn.disabled = true;
    btn.textContent = '正在提交…';
    this.form.inert = true; // what is sent is what is shown: no edits while it goes
    try {
      await this.submitSteps();
    } finally {
      this.busy = false;
      this.form.inert = false;
      if (btn.isConnected) { btn.disabled = false; btn.textContent = '提交督导记录'; }
    }
  }

  async submitSteps() {
    try {
      await this.photos.sync();
    } catch (e) {
      this.formError(isTransient(e) ? '照片上传失败：网络连接不稳定。内容已保存在本机，请恢复网络后再次提交。'
        : `照片上传失败：${e.message}`, 'photos');
      return;
    }
    const { body, answerItems, findingUids } = this.body();
    const d = this.draft;
    if (!d.sub) d.sub = { key: newKey(), sent: [] };
    const text = JSON.stringify(body);
    if (!d.sub.sent.includes(text)) d.sub.sent.push(text);
    this.save();
    let result;
    try {
      result = await this.send(body);
    } catch (e) {
      if (isTransient(e)) {
        this.el.querySelector('#pending-sub').hidden = false;
        this.formError('提交没有完成：网络连接失败或服务器暂时不可用。内容已保存在本机，请恢复网络后再次点击“提交督导记录”（不会重复提交）。');
      } else {
        // Refused: nothing was stored under the key, the next submission starts afresh.
        d.sub = null;
        this.save();
        this.el.querySelector('#pending-sub').hidden = true;
        this.serverError(e, answerItems, findingUids);
      }
      return;
    }
    this.done(result.visit, result.earlier);
  }

  // POST with the draft's key. When the key already holds an earlier, different body (the
  // draft was edited after a submission whose answer was lost), that earlier submission
  // was stored: it is fetched back by resending it, and nothing is created twice.
  async send(body) {
    const key = this.draft.sub.key;
    try {
      return { visit: await request(this.ctx, 'POST', '/api/v1/visits', { json: body, key }), earlier: false };
    } catch (e) {
      if (!(e.status === 422 && e.field === 'Idempotency-Key')) throw e;
      for (const s of this.draft.sub.sent) {
        if (s === JSON.stringify(body)) continue;
        try {
          return { visit: await request(this.ctx, 'POST', '/api/v1/visits', { json: JSON.parse(s), key }), earlier: true };
        } catch (e2) {
          if (isTransient(e2)) throw e2;
        }
      }
      throw e;
    }
  }

  // Puts the server's message next to the field it names (findings[i].x, answers[i].x, ...),
  // worded with the form's labels: no API path or field name reaches the user.
  serverError(e, answerItems, findingUids) {
    this.form.inert = false; // the field in error takes the focus
    const f = e.field || '';
    const top = { school_id: 'v-school', visit_date: 'v-date', kind: 'v-kind', summary: 'v-summary', template_id: 'v-template' };
    let id = top[f];
    let label = id ? labelOf(this.el, id) : '';
    let where = '';
    const fm = f.match(/^findings\[(\d+)\](?:\.(\w+))?/);
    const am = f.match(/^answers\[(\d+)\](?:\.(\w+))?/);
    if (fm && findingUids[fm[1]]) {
      const k = fm[2] === 'evidence_ids' ? 'photos' : fm[2] || 'description';
      id = `f-${findingUids[fm[1]]}-${k}`;
      label = labelOf(this.el, id);
      where = `问题 ${Number(fm[1]) + 1}`;
    } else if (am && answerItems[am[1]] !== undefined) {
      id = `a-${answerItems[am[1]]}`;
      label = am[2] === 'note' ? '备注' : '检查结果';
      const it = (this.template.items || []).find((x) => x.id === answerItems[am[1]]);
      where = it ? `检查项目 ${it.code}` : '';
    }
    const message = fieldMessage(e.message, f, label);
    this.formError(`提交未成功${where ? `（${where}）` : ''}：${message}`);
    if (id) showFieldError(this.el.querySelector(`#err-${id}`), this.el.querySelector(`#${id}`), message);
  }

  // Filed: the draft is cleared and the form that is on screen (this one, or the one the
  // user came back to meanwhile) shows what was created.
  done(visit, earlier) {
    this.clearDraft();
    this.draft = emptyDraft(this.today);
    this.draft.template_id = this.template.id;
    const view = live.view && live.view.ctx.current() ? live.view : this;
    if (view.ctx.current()) view.showResult(visit, earlier);
  }

  showResult(visit, earlier) {
    const { html } = this;
    const findings = visit.findings || [];
    this.el.innerHTML = html`
      <div class="page-head"><h1>督导记录已提交</h1></div>
      ${earlier ? html`<p class="alert warn">网络中断前的那次提交已经成功保存；此后对草稿的修改没有保存，如需补充请联系管理员或另行登记。</p>` : ''}
      <section class="card" id="visit-result" data-visit-id="${visit.id}">
        <p class="lead">${visit.school_name} · ${visit.visit_date} · ${visit.kind}</p>
        ${findings.length ? html`
          <p>已向学校下达整改 <strong>${findings.length}</strong> 项，学校校长会在“待办”中看到：</p>
          <ul class="item-list created">${findings.map((f) => html`
            <li class="item-card" data-rect-id="${f.rectification_id || ''}">
              <div class="ic-top">${sevTag(f.severity)}<strong class="ic-title">${f.item_code} ${f.item_title}</strong></div>
              <p class="ic-desc">${f.description}</p>
              <div class="ic-meta"><span class="deadline">整改期限 <strong>${f.rectification_deadline || f.deadline || '—'}</strong>${
                f.rectification_deadline ? html`（${daysBetween(visit.visit_date, f.rectification_deadline)} 天）` : ''}</span></div>
            </li>`)}</ul>`
        : html`<p>本次督导未发现问题，没有下达整改。</p>`}
        <div class="actions">
          <a class="btn primary" id="report-link" href="/api/v1/visits/${visit.id}/report" target="_blank" rel="noopener">查看督导意见书</a>
          <button type="button" class="btn" id="another">新建另一次督导</button>
          <a class="btn" href="#/visits">督导记录</a>
        </div>
      </section>`;
    window.scrollTo({ top: 0 });
    this.el.querySelector('#another').addEventListener('click', () => { this.restored = false; this.drawForm(); });
  }
}
