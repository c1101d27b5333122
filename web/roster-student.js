// roster-student.js - one student for the principal (#/roster/<id>): the record, the
// enrolment history, the pairings (add one with a staff member of the school, or a new one;
// end one) and the home visits (log one: 入户/电话/到校, date, note). Every write re-reads
// the student and redraws. Called by page-roster.js.

import { fetchAll } from './lib.js';
import { STAFF_ROLES, VISIT_KINDS, serverYmd, categoryTags, isEligible, field, clearErrors, showError } from './roster-common.js';

// Draws the student page into el; `back` is the list address to return to.
export async function renderStudent(el, ctx, id, { back }) {
  const { html } = ctx;
  el.innerHTML = html`<p class="back"><a href="${back}">← 返回本校名册</a></p><p class="muted">正在加载…</p>`;
  if (!Number.isInteger(id) || id <= 0) {
    el.innerHTML = html`<p class="back"><a href="${back}">← 返回本校名册</a></p><div class="alert error">学生编号无效</div>`;
    return;
  }
  const school = ctx.user.org_id;
  let s, staff, today, cov;
  try {
    [s, staff, today, cov] = await Promise.all([
      ctx.api('GET', `/api/v1/students/${id}`),
      fetchAll(ctx.api, `/api/v1/staff?school_id=${school}&active=1`),
      serverYmd(),
      ctx.api('GET', `/api/v1/metrics/pairing-coverage?org_id=${school}`),
    ]);
  } catch (e) {
    if (!ctx.current()) return;
    el.innerHTML = html`<p class="back"><a href="${back}">← 返回本校名册</a></p>
      <div class="alert error">${e.status === 404 ? '该学生不存在，或不在本校名册中' : e.message}</div>`;
    return;
  }
  if (!ctx.current()) return;
  const page = { el, ctx, id, back, staff, today, eligible: cov.eligible_categories || [] };
  draw(page, s);
}

const activeOn = (p, day) => p.start_date <= day && (!p.end_date || p.end_date >= day);

function draw(page, s) {
  const { el, ctx, back, today } = page;
  const { html } = ctx;
  const active = (s.pairings || []).filter((p) => activeOn(p, today));
  const needs = isEligible(s, page.eligible);
  el.innerHTML = html`
    <p class="back"><a href="${back}">← 返回本校名册</a></p>
    <div class="page-head"><h1 id="student-name">${s.name}</h1>
      ${needs && !active.length ? html`<span class="tag pair-no big-tag" id="student-pair-state">今日未结对</span>`
        : active.length ? html`<span class="tag pair-yes big-tag" id="student-pair-state">已结对</span>` : ''}</div>
    <section class="card">
      <dl class="facts student-facts">
        <dt>学校</dt><dd>${s.school_name}</dd>
        <dt>性别 / 出生日期</dt><dd>${s.gender} · ${s.birth_date}</dd>
        <dt>身份证号</dt><dd class="mono">尾号 ${s.id_last4}</dd>
        <dt>年级 / 学段</dt><dd>${s.grade} · ${s.stage}${s.boarding ? html` <span class="tag boarding">寄宿</span>` : ''}</dd>
        <dt>类别</dt><dd>${categoryTags(s.categories)}</dd>
        <dt>就读状态</dt><dd>${s.status}</dd>
        <dt>户主 / 家庭住址</dt><dd>${s.household ? html`${s.household.head_name}${s.household.address ? ' · ' + s.household.address : ''}` : '—'}</dd>
        ${s.note ? html`<dt>备注</dt><dd>${s.note}</dd>` : ''}
      </dl>
    </section>
    <section class="card" id="pairings-card">
      <div class="card-head"><h2>结对帮扶</h2>
        <button type="button" class="btn primary" id="add-pairing-btn" aria-controls="pairing-form" aria-expanded="false">新增结对</button></div>
      ${pairingForm(page)}
      ${pairingList(page, s)}
    </section>
    <section class="card" id="visits-card">
      <div class="card-head"><h2>家访记录</h2>
        <button type="button" class="btn primary" id="add-visit-btn" aria-controls="visit-form" aria-expanded="false">登记家访</button></div>
      ${visitForm(page, s, active)}
      ${visitList(page, s)}
    </section>
    <section class="card">
      <h2>就读经历</h2>
      <table class="table stack" id="enrolments">
        <thead><tr><th>学校</th><th>状态</th><th>开始</th><th>结束</th></tr></thead>
        <tbody>${(s.enrolments || []).map((e) => html`<tr>
          <td data-label="学校">${e.school_name}</td><td data-label="状态">${e.status}</td>
          <td data-label="开始">${e.start_date}</td><td data-label="结束">${e.end_date || '至今'}</td></tr>`)}</tbody>
      </table>
    </section>`;
  bindPairing(page, s);
  bindVisit(page, s);
}

function staffOptions(page, selected = '') {
  const { html } = page.ctx;
  return html`${page.staff.map((m) => html`
    <option value="${m.id}" ${String(m.id) === String(selected) ? 'selected' : ''}>${m.name}${m.position ? '（' + m.position + '）' : ''}${m.active_pairings ? ` · 已帮扶 ${m.active_pairings} 人` : ''}</option>`)}`;
}

function pairingForm(page) {
  const { html } = page.ctx;
  return html`<form id="pairing-form" class="form grid-form sub-form" novalidate hidden>
    ${field('p-staff', '帮扶人', html`<select id="p-staff" name="staff_id" aria-describedby="err-p-staff">
      <option value="">请选择本校教职工</option>${staffOptions(page)}<option value="new">＋ 新增教职工…</option></select>`)}
    <fieldset class="new-staff" id="new-staff" hidden>
      <legend>新增教职工</legend>
      <div class="form grid-form">
        ${field('ns-name', '姓名', html`<input id="ns-name" maxlength="50" autocomplete="off" aria-describedby="err-ns-name">`)}
        ${field('ns-position', '职务', html`<input id="ns-position" maxlength="100" placeholder="如：三年级班主任">`)}
        ${field('ns-phone', '联系电话', html`<input id="ns-phone" type="tel" maxlength="20" aria-describedby="err-ns-phone">`)}
        <div class="field"><span class="label">身份</span><div class="checks">${STAFF_ROLES.map((r) => html`
          <label class="check"><input type="checkbox" name="ns-role" value="${r}"> ${r}</label>`)}</div></div>
      </div>
    </fieldset>
    ${field('p-start', '开始日期', html`<input id="p-start" name="start_date" type="date" value="${page.today}" aria-describedby="err-p-start">`)}
    ${field('p-note', '备注', html`<input id="p-note" name="note" maxlength="200" placeholder="选填，如：每月家访一次">`)}
    <p class="alert error form-error" role="alert" hidden></p>
    <div class="actions"><button type="submit" class="btn primary">保存结对</button>
      <button type="button" class="btn" data-cancel>取消</button></div>
  </form>`;
}

function pairingList(page, s) {
  const { html } = page.ctx;
  const list = s.pairings || [];
  if (!list.length) return html`<p class="muted" id="pairings">尚无结对记录。</p>`;
  return html`<ul class="pair-list" id="pairings">${list.map((p) => {
    const on = activeOn(p, page.today);
    return html`<li class="pair-row ${on ? 'on' : 'ended'}" data-pairing-id="${p.id}">
      <div class="pair-main"><strong>${p.staff_name}</strong>${p.staff_position ? html` <span class="muted">${p.staff_position}</span>` : ''}
        <span class="tag ${on ? 'on' : 'off'}">${pairingState(p, on, page.today)}</span></div>
      <div class="muted small">${p.start_date} 至 ${p.end_date || '今'}${p.note ? ' · ' + p.note : ''}</div>
      ${!p.end_date ? html`<form class="end-form" data-id="${p.id}" data-version="${p.version}" novalidate>
        <label>结束日期 <input type="date" name="end_date" value="${page.today}" min="${p.start_date}" aria-label="结束日期"></label>
        <button type="submit" class="btn small danger">结束结对</button>
        <p class="field-error form-error" hidden></p></form>` : ''}
    </li>`;
  })}</ul>`;
}

function pairingState(p, on, today) {
  if (p.start_date > today) return '未开始';
  if (!on) return '已结束';
  return p.end_date ? `帮扶至 ${p.end_date}` : '帮扶中';
}

function visitForm(page, s, active) {
  const { html } = page.ctx;
  const def = active.length ? active[0].staff_id : '';
  return html`<form id="visit-form" class="form grid-form sub-form" novalidate hidden>
    ${field('v-staff', '家访人', html`<select id="v-staff" name="staff_id" aria-describedby="err-v-staff">
      <option value="">请选择教职工</option>${staffOptions(page, def)}</select>`, active.length ? '默认为帮扶人' : '')}
    <div class="field" data-field="v-kind"><span class="label">方式</span>
      <div class="seg" id="v-kind">${VISIT_KINDS.map((k, i) => html`
        <label class="seg-opt"><input type="radio" name="kind" value="${k}" ${i === 0 ? 'checked' : ''}><span>${k}</span></label>`)}</div>
      <p class="field-error" id="err-v-kind" hidden></p></div>
    ${field('v-date', '家访日期', html`<input id="v-date" name="visit_date" type="date" max="${page.today}" value="${page.today}" aria-describedby="err-v-date">`)}
    <div class="field wide" data-field="v-note"><label for="v-note">情况记录</label>
      <textarea id="v-note" name="note" rows="3" maxlength="1000" placeholder="家庭情况、学生表现、帮扶措施等"></textarea>
      <p class="field-error" id="err-v-note" hidden></p></div>
    <p class="alert error form-error" role="alert" hidden></p>
    <div class="actions"><button type="submit" class="btn primary">保存家访</button>
      <button type="button" class="btn" data-cancel>取消</button></div>
  </form>`;
}

function visitList(page, s) {
  const { html } = page.ctx;
  const list = s.home_visits || [];
  if (!list.length) return html`<p class="muted" id="visits">尚无家访记录。</p>`;
  return html`<ul class="visit-list" id="visits">${list.map((v) => html`
    <li data-visit-id="${v.id}"><div><strong>${v.visit_date}</strong> <span class="tag kind-tag">${v.kind}</span>
      <span class="muted">${v.staff_name}</span></div>${v.note ? html`<p class="visit-note">${v.note}</p>` : ''}</li>`)}</ul>`;
}

// Toggles a sub-form with its opening button.
function toggler(btn, form) {
  const show = (open) => { form.hidden = !open; btn.setAttribute('aria-expanded', String(open)); if (!open) clearErrors(form); };
  btn.addEventListener('click', () => show(form.hidden));
  form.querySelector('[data-cancel]').addEventListener('click', () => show(false));
}

async function reload(page, message) {
  const [s, staff] = await Promise.all([
    page.ctx.api('GET', `/api/v1/students/${page.id}`),
    fetchAll(page.ctx.api, `/api/v1/staff?school_id=${page.ctx.user.org_id}&active=1`),
  ]);
  if (!page.ctx.current()) return;
  page.staff = staff;
  draw(page, s);
  if (message) page.ctx.flash(message);
}

function bindPairing(page, s) {
  const { el, ctx } = page;
  const form = el.querySelector('#pairing-form');
  const newStaff = form.querySelector('#new-staff');
  toggler(el.querySelector('#add-pairing-btn'), form);
  form.staff_id.addEventListener('change', () => { newStaff.hidden = form.staff_id.value !== 'new'; });
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const btn = form.querySelector('button[type=submit]');
    btn.disabled = true;
    try {
      let staffId = form.staff_id.value;
      if (staffId === 'new') staffId = await createStaff(page, form);
      if (!staffId) { showError(form, { field: 'staff_id', message: '请选择帮扶人' }, { staff_id: 'p-staff' }); return; }
      const body = { staff_id: Number(staffId), student_id: s.id };
      if (form.start_date.value) body.start_date = form.start_date.value;
      if (form.note.value.trim()) body.note = form.note.value.trim();
      const p = await ctx.api('POST', '/api/v1/pairings', body);
      if (!ctx.current()) return;
      await reload(page, `已为 ${s.name} 结对：帮扶人 ${p.staff_name}，自 ${p.start_date} 起`);
    } catch (e) {
      if (ctx.current()) showError(form, e, { staff_id: 'p-staff', start_date: 'p-start', end_date: 'p-start', student_id: 'p-staff', name: 'ns-name', phone: 'ns-phone' });
    } finally {
      btn.disabled = false;
    }
  });
  for (const f of el.querySelectorAll('.end-form')) f.addEventListener('submit', (ev) => endPairing(ev, page, s));
}

// Creates the staff member typed into the new-staff fields; returns the id (added to the list).
async function createStaff(page, form) {
  const name = form.querySelector('#ns-name').value.trim();
  if (!name) throw Object.assign(new Error('请填写新教职工的姓名'), { field: 'name' });
  const body = { school_id: page.ctx.user.org_id, name,
    roles: [...form.querySelectorAll('input[name=ns-role]:checked')].map((c) => c.value) };
  const position = form.querySelector('#ns-position').value.trim();
  const phone = form.querySelector('#ns-phone').value.trim();
  if (position) body.position = position;
  if (phone) body.phone = phone;
  const m = await page.ctx.api('POST', '/api/v1/staff', body);
  page.staff.push(m);
  return m.id;
}

async function endPairing(ev, page, s) {
  ev.preventDefault();
  const f = ev.currentTarget;
  const err = f.querySelector('.form-error');
  err.hidden = true;
  const btn = f.querySelector('button');
  btn.disabled = true;
  try {
    await page.ctx.api('PATCH', `/api/v1/pairings/${f.dataset.id}`, { version: Number(f.dataset.version), end_date: f.end_date.value || page.today });
    if (page.ctx.current()) await reload(page, `已结束 ${s.name} 的一项结对`);
  } catch (e) {
    if (!page.ctx.current()) return;
    err.textContent = e.status === 409 ? '该结对已被他人修改，请刷新后重试' : e.message;
    err.hidden = false;
    btn.disabled = false;
  }
}

function bindVisit(page, s) {
  const { el, ctx } = page;
  const form = el.querySelector('#visit-form');
  toggler(el.querySelector('#add-visit-btn'), form);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const fields = { staff_id: 'v-staff', visit_date: 'v-date', kind: 'v-kind', note: 'v-note' };
    if (!form.staff_id.value) { showError(form, { field: 'staff_id', message: '请选择家访人' }, fields); return; }
    const body = { student_id: s.id, staff_id: Number(form.staff_id.value), visit_date: form.visit_date.value,
      kind: form.kind.value, note: form.note.value.trim() };
    const btn = form.querySelector('button[type=submit]');
    btn.disabled = true;
    try {
      const v = await ctx.api('POST', '/api/v1/home-visits', body);
      if (ctx.current()) await reload(page, `已登记 ${v.visit_date} 的${v.kind}家访`);
    } catch (e) {
      if (ctx.current()) showError(form, e, fields);
    } finally {
      btn.disabled = false;
    }
  });
}
