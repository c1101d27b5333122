// page-roster-import.js - 名册导入: upload the roster of registered students (aid officer,
// admin) or a pairing register 附件3 (also principals) as CSV or XLSX. Choosing a file runs a
// dry run that previews what would be added, changed and rejected, with each row's errors
// shown under the row (row, column, header, message) and unknown columns listed; 确认导入
// sends the same file for the real, all-or-nothing import and shows the result or, when
// refused, every error.

import { registerPage, html } from './lib.js';
import { uploadImport, categoryTags, MAX_IMPORT_BYTES } from './roster-common.js';

const KINDS = {
  roster: {
    label: '学生名册', path: '/api/v1/imports/roster', roles: ['aid_officer', 'admin'],
    required: '姓名、身份证号、学校（或学校标识码）、年级、类别',
    optional: '性别、学段、是否寄宿、户主、家庭住址、就读状态、入学日期、出生日期、备注',
    template: ['序号', '姓名', '性别', '身份证号', '学校', '年级', '类别', '是否寄宿', '户主', '家庭住址', '就读状态', '入学日期', '备注'],
  },
  pairings: {
    label: '结对帮扶登记表（附件3）', path: '/api/v1/imports/pairings', roles: ['aid_officer', 'admin', 'principal'],
    required: '帮扶人、帮扶学生',
    optional: '工作单位及职务、学生身份证号、学校、所在年级、家庭住址、联系电话、贫困原因、备注、开始日期、结束日期',
    template: ['序号', '帮扶人', '工作单位及职务', '帮扶学生', '学生身份证号', '家庭住址', '所在年级', '联系电话', '贫困原因', '备注'],
  },
};

// Headers of the fields the API names in errors and changes.
const FIELD_NAMES = {
  name: '姓名', gender: '性别', id_number: '身份证号', school: '学校', school_code: '学校标识码', grade: '年级',
  stage: '学段', boarding: '是否寄宿', head_name: '户主', address: '家庭住址', categories: '类别', status: '就读状态',
  start_date: '开始日期', birth_date: '出生日期', note: '备注', staff_name: '帮扶人', unit_position: '工作单位及职务',
  student_name: '帮扶学生', student_id_number: '学生身份证号', phone: '联系电话', poverty_reason: '贫困原因',
  end_date: '结束日期', household: '户主/住址', school_id: '学校',
};

// Which preview cell shows an error of each field.
const CELL_OF = {
  name: 'name', id_number: 'id', gender: 'id', birth_date: 'id', school: 'school', school_code: 'school',
  stage: 'grade', grade: 'grade', categories: 'cat', status: 'status', start_date: 'status', boarding: 'cat',
  head_name: 'home', address: 'home', note: 'home', staff_name: 'staff', unit_position: 'staff', phone: 'staff',
  student_name: 'student', student_id_number: 'student', poverty_reason: 'note', end_date: 'dates',
};

registerPage({
  id: 'roster-import',
  title: '名册导入',
  roles: ['aid_officer', 'admin', 'principal'],
  order: 62,
  async render(el, ctx) {
    const kinds = Object.entries(KINDS).filter(([, k]) => k.roles.includes(ctx.user.role));
    const st = { kind: kinds[0][0], file: null, seq: 0 };
    el.innerHTML = html`
      <h1>${kinds.length > 1 ? '名册导入' : '导入结对帮扶登记表'}</h1>
      <section class="card">
        <form id="import-form" class="form" novalidate>
          ${kinds.length > 1 ? html`<fieldset class="field import-kind"><legend class="label">导入内容</legend>
            <div class="seg">${kinds.map(([k, v]) => html`
              <label class="seg-opt"><input type="radio" name="kind" value="${k}" ${k === st.kind ? 'checked' : ''}><span>${v.label}</span></label>`)}</div>
          </fieldset>` : ''}
          <div id="import-help"></div>
          <div class="field">
            <span class="label">文件（Excel .xlsx 或 CSV，不超过 12 MB）</span>
            <div class="file-pick">
              <label class="btn file-btn"><input id="import-file" class="sr-only" type="file" accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet">选择文件…</label>
              <span id="import-file-name" class="muted">未选择文件</span>
            </div>
            <p class="hint">选择文件后先“试导入”检查，不写入任何数据；确认无误后再正式导入。整个文件要么全部导入，要么全部不导入。</p>
          </div>
          <div class="actions"><button type="submit" class="btn primary" id="import-check" disabled>试导入检查</button></div>
        </form>
      </section>
      <div id="import-result" aria-live="polite"></div>`;
    const form = el.querySelector('#import-form');
    const fileInput = el.querySelector('#import-file');
    const result = el.querySelector('#import-result');
    const help = () => { el.querySelector('#import-help').innerHTML = helpText(st.kind); };
    help();
    form.addEventListener('change', (ev) => {
      if (ev.target.name === 'kind') { st.kind = ev.target.value; help(); }
      st.file = fileInput.files[0] || null;
      el.querySelector('#import-check').disabled = !st.file;
      el.querySelector('#import-file-name').textContent = st.file ? `${st.file.name}（${sizeText(st.file.size)}）` : '未选择文件';
      result.innerHTML = '';
      if (st.file) run(ctx, st, result, true);
    });
    form.addEventListener('submit', (ev) => { ev.preventDefault(); if (st.file) run(ctx, st, result, true); });
    result.addEventListener('click', (ev) => {
      if (ev.target.closest('#import-confirm')) run(ctx, st, result, false);
      if (ev.target.closest('#import-again')) {
        fileInput.value = '';
        st.file = null;
        result.innerHTML = '';
        el.querySelector('#import-check').disabled = true;
        el.querySelector('#import-file-name').textContent = '未选择文件';
        fileInput.click();
      }
    });
    result.addEventListener('change', (ev) => {
      if (ev.target.id === 'row-filter') ev.target.closest('.card').querySelector('#import-preview')?.setAttribute('data-show', ev.target.value);
    });
    el.querySelector('#import-help').addEventListener('click', (ev) => {
      const a = ev.target.closest('#import-template');
      if (a) template(a, st.kind);
    });
  },
});

const sizeText = (n) => (n < 1024 ? `${n} 字节` : n < 1048576 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1048576).toFixed(1)} MB`);

function helpText(kind) {
  const k = KINDS[kind];
  return html`<div class="import-help">
    <p><strong>必填列：</strong>${k.required}</p>
    <p><strong>可选列：</strong>${k.optional}</p>
    <p class="hint">表头可在前 10 行内（标题行之下），常见写法如“身份证号（18位）*”均可识别；未识别的列会列出，不会被悄悄丢弃。
      <a href="#" id="import-template" download="${k.label}模板.csv">下载 CSV 模板</a></p></div>`;
}

// Points the template link at a CSV (UTF-8 with BOM, as Excel opens it) of the headers.
function template(a, kind) {
  const csv = '\ufeff' + KINDS[kind].template.join(',') + '\r\n';
  if (a.dataset.url) URL.revokeObjectURL(a.dataset.url);
  a.dataset.url = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }));
  a.href = a.dataset.url;
}

// Runs a dry run (dry = true) or the real import of st.file and draws the answer.
async function run(ctx, st, box, dry) {
  const seq = ++st.seq;
  const file = st.file;
  const kind = st.kind;
  if (file.size > MAX_IMPORT_BYTES) {
    box.innerHTML = html`<div class="alert error" id="import-refused">文件超过 12 MB，请拆分后分批导入。</div>`;
    return;
  }
  for (const b of box.querySelectorAll('button')) b.disabled = true;
  box.insertAdjacentHTML('afterbegin', html`<p class="muted" id="import-busy">${dry ? '正在检查' : '正在导入'}“${file.name}”…</p>`.toString());
  let r;
  try {
    r = await uploadImport(ctx, KINDS[kind].path, file, { dryRun: dry });
  } catch (e) {
    if (ctx.current() && seq === st.seq) box.innerHTML = html`<div class="alert error" id="import-refused">${e.message}</div>`;
    return;
  }
  if (!ctx.current() || seq !== st.seq) return;
  box.innerHTML = report(kind, file, r.status, r.data, dry);
  if (!dry && r.status === 200) ctx.flash(`已导入“${file.name}”：新增 ${r.data.added}，更新 ${r.data.changed}，不变 ${r.data.unchanged}`);
  box.querySelector('.import-head')?.scrollIntoView({ block: 'nearest' });
}

function report(kind, file, status, d, dry) {
  const ok = status === 200 && !d.errors_total;
  const head = !ok
    ? html`<div class="alert error" id="import-refused"><strong>${dry ? '检查未通过' : '导入被拒绝，未写入任何数据'}：</strong>${(d.error && d.error.message) || `发现 ${d.errors_total} 处错误，整个文件不会导入；请按行号和列修改后重新上传`}</div>`
    : dry ? html`<div class="alert ok" id="import-ready">检查通过：确认后将新增 <strong id="n-added">${d.added}</strong> 条、更新 <strong id="n-changed">${d.changed}</strong> 条${d.unchanged ? `，${d.unchanged} 条不变` : ''}。</div>`
      : html`<div class="alert ok" id="import-done">导入完成：新增 <strong id="n-added">${d.added}</strong> 条，更新 <strong id="n-changed">${d.changed}</strong> 条，不变 ${d.unchanged} 条${d.staff_created ? `，新建教职工 ${d.staff_created} 人` : ''}。</div>`;
  const canConfirm = ok && dry && d.added + d.changed > 0;
  return html`<section class="card import-report ${ok ? 'is-ok' : 'is-bad'}" data-dry-run="${dry ? '1' : '0'}">
    <div class="import-head"><h2>${dry ? '试导入结果' : '导入结果'}</h2>
      <span class="muted small">${file.name} · ${d.format || '未知格式'}${d.encoding ? ' · ' + d.encoding : ''} · 共 ${d.rows_total} 行数据</span></div>
    ${head}
    <ul class="stats import-stats">
      <li class="ok"><span class="n" data-n="added">${d.added}</span>新增</li>
      <li><span class="n" data-n="changed">${d.changed}</span>更新</li>
      <li><span class="n" data-n="unchanged">${d.unchanged}</span>不变</li>
      <li class="${d.rejected ? 'bad' : ''}"><span class="n" data-n="rejected">${d.rejected}</span>有误</li>
    </ul>
    ${columnsNote(d)}
    ${canConfirm ? html`<div class="actions confirm-bar"><button type="button" class="btn primary" id="import-confirm">确认导入</button>
      <button type="button" class="btn" id="import-again">重新选择文件</button></div>`
      : html`<div class="actions"><button type="button" class="btn" id="import-again">${ok && dry ? '文件与系统记录一致，无需导入；重新选择文件' : '重新选择文件'}</button></div>`}
    ${otherErrors(d)}
    ${preview(kind, d)}
  </section>`;
}

function columnsNote(d) {
  return html`
    ${(d.unknown_columns || []).length ? html`<p class="alert warn" id="unknown-columns">未识别的列（不会导入）：${d.unknown_columns.map((c) => html`<span class="tag col-tag">${c}</span>`)}</p>` : ''}`;
}

// Errors that no previewed row shows: file-level ones and rows past the preview.
function otherErrors(d) {
  const shown = new Set((d.rows || []).map((r) => r.row));
  const rest = (d.errors || []).filter((e) => !shown.has(e.row));
  const more = d.errors_total > (d.errors || []).length;
  if (!rest.length && !more) return '';
  return html`<div class="other-errors"><h3>${shown.size ? '其余错误' : '错误'}</h3>
    <table class="table stack err-table" id="import-errors"><thead><tr><th>行</th><th>列</th><th>说明</th></tr></thead>
      <tbody>${rest.map((e) => html`<tr class="err-row" data-row="${e.row ?? ''}">
        <td data-label="行">${e.row ?? '—'}</td><td data-label="列">${colRef(e)}</td><td data-label="说明">${e.message}</td></tr>`)}</tbody></table>
    ${more ? html`<p class="hint">共 ${d.errors_total} 处错误，此处列出前 ${(d.errors || []).length} 处。</p>` : ''}</div>`;
}

const colRef = (e) => (e.column ? `${e.column} 列${e.header ? '（' + e.header + '）' : ''}` : (FIELD_NAMES[e.field] || e.field || '—'));

const ACTIONS = { add: ['新增', 'act-add'], change: ['更新', 'act-change'], unchanged: ['不变', 'act-same'], reject: ['有误', 'act-reject'] };

function preview(kind, d) {
  const rows = d.rows || [];
  if (!rows.length) return '';
  const byRow = new Map();
  for (const e of d.errors || []) if (e.row != null) byRow.set(e.row, [...(byRow.get(e.row) || []), e]);
  const cols = kind === 'roster' ? ROSTER_COLS : PAIRING_COLS;
  const counts = { add: d.added, change: d.changed, unchanged: d.unchanged, reject: d.rejected };
  return html`<div class="preview">
    <div class="preview-head"><h3>逐行预览${d.rows_truncated ? html` <span class="muted small">（前 ${rows.length} 行）</span>` : ''}</h3>
      <label class="check">显示 <select id="row-filter" aria-label="显示哪些行"><option value="all">全部行</option>${Object.entries(ACTIONS).map(([k, [t]]) => counts[k] ? html`
        <option value="${k}" ${k === 'reject' ? 'selected' : ''}>${t}（${counts[k]}）</option>` : '')}</select></label></div>
    <table class="table stack preview-table" id="import-preview" data-show="${d.rejected ? 'reject' : 'all'}">
      <thead><tr><th>行</th><th>结果</th>${cols.map((c) => html`<th>${c.title}</th>`)}</tr></thead>
      <tbody>${rows.map((r) => previewRow(r, cols, byRow.get(r.row) || []))}</tbody>
    </table></div>`;
}

function previewRow(r, cols, errs) {
  const [label, cls] = ACTIONS[r.action] || [r.action, ''];
  const bad = new Set(errs.map((e) => CELL_OF[e.field]).filter(Boolean));
  return html`<tr class="pv-row ${cls}" data-row="${r.row}" data-action="${r.action}">
      <td data-label="行" class="mono">${r.row}</td>
      <td data-label="结果"><span class="tag act ${cls}">${label}</span></td>
      ${cols.map((c) => html`<td data-label="${c.title}" data-cell="${c.key}" class="${bad.has(c.key) ? 'cell-bad' : ''}">${c.show(r)}</td>`)}
    </tr>
    ${errs.length ? html`<tr class="row-errors ${cls}" data-row="${r.row}" data-action="${r.action}"><td colspan="${cols.length + 2}">
      <ul>${errs.map((e) => html`<li class="row-error" data-column="${e.column || ''}"><span class="cell-ref">第 ${e.row} 行 · ${colRef(e)}</span> ${bareMessage(e)}</li>`)}</ul></td></tr>` : ''}`;
}

// The message without its "第 3 行 C 列（身份证号）：" prefix, which the badge before it shows.
const bareMessage = (e) => String(e.message || '').replace(/^第\s*\d+\s*行\s*(?:[A-Z]+\s*列)?(?:（[^）]*）)?[：:]\s*/, '');

const changesText = (r) => (r.changes || []).map((c) => html`<span class="change">${FIELD_NAMES[c.field] || c.field}：${fmt(c.from)} → ${fmt(c.to)}</span>`);
const fmt = (v) => (Array.isArray(v) ? v.join('、') : v === true ? '是' : v === false ? '否' : v === null || v === '' || v === undefined ? '（空）' : String(v));

const ROSTER_COLS = [
  { key: 'name', title: '姓名', show: (r) => r.name || '' },
  { key: 'id', title: '身份证尾号', show: (r) => html`<span class="mono">${r.id_last4 || ''}</span>${r.gender ? ' · ' + r.gender : ''}` },
  { key: 'school', title: '学校', show: (r) => r.school_name || '' },
  { key: 'grade', title: '年级', show: (r) => [r.grade, r.stage].filter(Boolean).join(' · ') },
  { key: 'cat', title: '类别', show: (r) => html`${categoryTags(r.categories)}${r.boarding ? html`<span class="tag boarding">寄宿</span>` : ''}` },
  { key: 'status', title: '状态', show: (r) => r.status || '' },
  { key: 'home', title: '户主 / 住址', show: (r) => [r.head_name, r.address].filter(Boolean).join(' · ') },
  { key: 'changes', title: '变更', show: changesText },
];

const PAIRING_COLS = [
  { key: 'staff', title: '帮扶人', show: (r) => html`${r.staff_name || ''}${r.staff_new ? html` <span class="tag new-staff-tag">新建</span>` : ''}${r.position ? html`<br><span class="muted small">${r.position}</span>` : ''}` },
  { key: 'student', title: '帮扶学生', show: (r) => r.student_name || '' },
  { key: 'grade', title: '年级', show: (r) => r.grade || '' },
  { key: 'dates', title: '起止日期', show: (r) => (r.start_date ? `${r.start_date} 至 ${r.end_date || '今'}` : '') },
  { key: 'note', title: '备注', show: (r) => r.note || '' },
  { key: 'changes', title: '变更', show: changesText },
];
