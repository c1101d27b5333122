// visit-checks.js - what 新建督导 checks before filing, with no server (on a phone without
// network too): a finding's own fields, and whether the visit's date needs a confirmation.
// A visit dated more than BACKDATE_DAYS before today, or whose findings' deadlines are already
// past, would make its items overdue at once, and a filed visit's date cannot be changed.

import { daysBetween } from './rect-common.js';

export const BACKDATE_DAYS = 30;

// The escalation thresholds (days overdue by level) from a settings answer, or null.
export function settingsEscalation(rules) {
  const e = rules && rules.escalate_days;
  return e && typeof e === 'object' ? { ...e } : null;
}

// The escalation level an item this many days overdue reaches under thresholds `esc`, or ''.
export function escalationLevel(esc, overdue) {
  if (!esc) return '';
  const reached = Object.entries(esc).filter(([, d]) => Number.isInteger(d) && d > 0 && overdue >= d);
  return reached.sort((a, b) => b[1] - a[1]).map(([level]) => level)[0] || '';
}

// What stops finding f (number i + 1) of draft from being filed, as [field id, message], or
// null; template gives the checklist items' codes and titles.
export function findingProblem(draft, template, f, i) {
  const p = `f-${f.uid}`;
  if (!f.item_id) return [`${p}-item_id`, '请选择问题对应的检查项目'];
  const a = draft.answers[f.item_id];
  if (a && (a.result === '符合' || a.result === '不适用')) {
    const it = ((template && template.items) || []).find((x) => String(x.id) === String(f.item_id));
    const name = it ? `${it.code} ${it.title}` : '该项目';
    return [`${p}-item_id`, `问题 ${i + 1} 登记在检查项目“${name}”上，但该项目的检查结果是“${a.result}”。请把该项目改为“不符合”，或删除这个问题。`];
  }
  if (!f.description.trim()) return [`${p}-description`, '请填写问题描述'];
  if (!f.deadline_auto && f.deadline && f.deadline < draft.visit_date) {
    return [`${p}-deadline`, `整改期限不能早于督导日期（${draft.visit_date}）`];
  }
  if (f.photos.some((ph) => ph.bad)) return [`${p}-photos`, '有照片无法上传，请删除后重新拍摄'];
  return null;
}

// Why filing draft needs a confirmation on `today`: { ago, late: [{ n, deadline }], sig }, or
// null. deadlineOf(f) is a finding's deadline as the form previews it (its own or the default).
export function dateRisk(draft, today, deadlineOf) {
  const ago = daysBetween(draft.visit_date, today);
  const late = draft.findings.map((f, i) => ({ n: i + 1, deadline: deadlineOf(f) }))
    .filter((x) => x.deadline && x.deadline < today);
  if (ago <= BACKDATE_DAYS && !late.length) return null;
  return { ago, late, sig: JSON.stringify([draft.visit_date, late]) };
}

// The confirmation's text for `risk`: the date, how long ago, and what filing it means
// (items overdue at once, their escalation level under thresholds `escalate`).
export function riskHtml(html, draft, risk, today, escalate) {
  const worst = risk.late.length ? daysBetween(risk.late.map((x) => x.deadline).sort()[0], today) : 0;
  const level = escalationLevel(escalate, worst);
  return html`
    <p>督导日期为 <strong>${draft.visit_date}</strong>，是 <strong>${risk.ago} 天前</strong>${risk.ago > BACKDATE_DAYS ? `（超过 ${BACKDATE_DAYS} 天）` : ''}。</p>
    ${risk.late.length ? html`<p id="file-confirm-late">按这个日期，${risk.late.map((x) => `问题 ${x.n}（${x.deadline}）`).join('、')}的整改期限已经过去：提交后这些整改项立即成为逾期整改项（${risk.late.length > 1 ? '最多' : ''}已逾期 ${worst} 天）${
      level ? `，列入通报名单（${level}）` : ''}，学校已无法按期整改。</p>`
      : html`<p>整改期限自督导日期起计算，日期填错（如年份）会使整改期限随之提前。</p>`}
    <p>督导记录提交后不能再修改日期。日期无误请点“日期无误，确认提交”；填错了请点“返回修改”。</p>`;
}
