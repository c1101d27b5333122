// page-settings.js - 系统设置 (admin): the bureau's rules — the default rectification
// deadline by severity, the days overdue from which 提醒, 通报 and 约谈 apply, the visits
// each school needs per semester, and the student categories the aid figures count.
// Saving sends only the rules changed, each with the version read (PATCH /api/v1/settings):
// all or nothing; a rule changed meanwhile by someone else gets 409 and the page reloads them.

import { registerPage, fmtTime } from './lib.js';
import { field, clearErrors, showFieldError } from './rect-common.js';
import { CATEGORIES } from './roster-common.js';

// The rules the form edits: the stored row's name, the input's label and its unit.
const DAY_RULES = [
  ['deadline_days_严重', '严重问题', '整改期限（天）'],
  ['deadline_days_较重', '较重问题', '整改期限（天）'],
  ['deadline_days_一般', '一般问题', '整改期限（天）'],
  ['escalate_days_提醒', '提醒', '逾期天数起'],
  ['escalate_days_通报', '通报', '逾期天数起'],
  ['escalate_days_约谈', '约谈', '逾期天数起'],
  ['visits_per_semester', '每校每学期督导', '次数'],
];
const CATEGORY_RULE = 'eligible_categories';
const inputId = (name) => `set-${name}`;

registerPage({
  id: 'settings',
  title: '系统设置',
  roles: ['admin'],
  order: 25,
  async render(el, ctx) {
    const { api, html } = ctx;
    el.innerHTML = html`<h1>系统设置</h1><p class="muted">正在加载…</p>`;
    let rows = await api('GET', '/api/v1/settings');
    if (!ctx.current()) return;

    const rowOf = (name) => (rows.items || []).find((r) => r.name === name) || null;
    const numberField = ([name, label, unit]) => field(inputId(name), html`${label}<span class="muted">（${unit}）</span>`,
      html`<input id="${inputId(name)}" name="${name}" type="number" inputmode="numeric" min="1" step="1" required>`);

    el.innerHTML = html`
      <div class="page-head"><h1>系统设置</h1></div>
      <p class="lead">本县（区）的督导规则。修改后立即生效：新提交的问题按新的默认期限计算，逾期预警按新的天数判定；已定的整改期限不变。</p>
      <form id="settings-form" class="form" novalidate>
        <section class="card">
          <h2>默认整改期限</h2>
          <p class="muted small">督学未填写整改期限时，自督导日期起按问题的严重程度计算。</p>
          <div class="form grid-form">${DAY_RULES.slice(0, 3).map(numberField)}</div>
        </section>
        <section class="card">
          <h2>逾期预警</h2>
          <p class="muted small">逾期达到相应天数起，分别提醒、通报、约谈；天数应依次增大。</p>
          <div class="form grid-form">${DAY_RULES.slice(3, 6).map(numberField)}</div>
        </section>
        <section class="card">
          <h2>督导次数</h2>
          <div class="form grid-form">${numberField(DAY_RULES[6])}</div>
        </section>
        <section class="card">
          <h2>资助统计的学生类别</h2>
          <fieldset class="plain" data-field="${inputId(CATEGORY_RULE)}" aria-describedby="err-${inputId(CATEGORY_RULE)}">
            <legend class="muted small">结对帮扶覆盖率和资助统计计入以下类别的学生（至少一类）。</legend>
            <div class="checks">${CATEGORIES.map((c) => html`<label class="check"><input type="checkbox" name="category" value="${c}"> ${c}</label>`)}</div>
            <p class="field-error" id="err-${inputId(CATEGORY_RULE)}" hidden></p>
          </fieldset>
        </section>
        <p class="alert error form-error" id="settings-error" role="alert" hidden></p>
        <div class="actions">
          <button type="submit" class="btn primary">保存设置</button>
          <span class="muted small" id="settings-updated"></span>
        </div>
      </form>`;

    const form = el.querySelector('#settings-form');
    const formError = el.querySelector('#settings-error');

    // Puts the stored values into the form.
    function fill() {
      for (const [name] of DAY_RULES) {
        const r = rowOf(name);
        form.elements.namedItem(name).value = r ? r.value : '';
      }
      const chosen = rows.eligible_categories || [];
      for (const box of form.querySelectorAll('input[name=category]')) box.checked = chosen.includes(box.value);
      const last = (rows.items || []).map((r) => r.updated_at).filter(Boolean).sort().pop();
      el.querySelector('#settings-updated').textContent = last ? `最近修改：${fmtTime(last)}` : '';
    }

    // The error under the field of rule name, or above the button.
    function showError(name, message) {
      const slot = name && form.querySelector(`#err-${CSS.escape(inputId(name))}`);
      const control = name === CATEGORY_RULE ? form.querySelector('input[name=category]') : name && form.elements.namedItem(name);
      if (showFieldError(slot, control, message)) return;
      formError.textContent = message;
      formError.hidden = false;
    }

    // The rules whose value the form changed, as PATCH items.
    function changes() {
      const items = [];
      for (const [name] of DAY_RULES) {
        const r = rowOf(name);
        const value = form.elements.namedItem(name).value.trim();
        if (r && value !== r.value) items.push({ name, value, version: r.version });
      }
      const r = rowOf(CATEGORY_RULE);
      const chosen = [...form.querySelectorAll('input[name=category]:checked')].map((b) => b.value);
      if (r && chosen.join(',') !== (rows.eligible_categories || []).join(',')) {
        items.push({ name: CATEGORY_RULE, value: chosen.join(','), version: r.version });
      }
      return items;
    }

    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      clearErrors(form);
      const items = changes();
      if (!items.length) { ctx.flash('设置没有改动'); return; }
      if (items.some((it) => it.name === CATEGORY_RULE && !it.value)) {
        showError(CATEGORY_RULE, '请至少选择一类学生');
        return;
      }
      const submit = form.querySelector('button[type=submit]');
      submit.disabled = true;
      try {
        rows = await api('PATCH', '/api/v1/settings', { items });
        if (!ctx.current()) return;
        fill();
        ctx.flash(`已保存 ${items.length} 项设置，立即生效`);
      } catch (e) {
        if (!ctx.current()) return;
        if (e.status === 409) {
          rows = await api('GET', '/api/v1/settings');
          if (!ctx.current()) return;
          fill();
          showError(null, '设置已被他人修改，页面已显示最新的设置，请核对后重新修改');
          return;
        }
        const m = /^items\[(\d+)\]/.exec(e.field || '');
        showError(m && items[Number(m[1])] ? items[Number(m[1])].name : null, e.message);
      } finally {
        submit.disabled = false;
      }
    });

    fill();
  },
});
