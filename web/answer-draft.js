// answer-draft.js - a principal's answer to a rectification item (rect-item.js), kept on the
// device while it is written: the note in localStorage and the photos in IndexedDB
// (photo-store.js), per user and item, so a reload, a closed tab or a phone that dropped the
// page gives the answer back as it was, with the files already uploaded not uploaded again.
// The draft belongs to one round of the item (its return and reopen counts): after a 退回 or a
// 重新整改 an older draft is dropped, not offered again. It goes once the answer is filed, or
// when the item, shown on this device, no longer waits for an answer; 待办 sweeps away the
// drafts of items that left it (answered elsewhere, closed) or began another round.

import { putPhoto, getPhoto, deletePhotos } from './photo-store.js';
import { signingOut } from './offline.js';

const draftPrefix = (user) => `dudao.answer-draft.${user.id}.`;
const draftKey = (user, it) => `${draftPrefix(user)}${it.id}`;
const roundOf = (it) => `${it.return_count || 0}.${it.recurrence_count || 0}`;

function readDraft(user, it) {
  try { return JSON.parse(localStorage.getItem(draftKey(user, it))); } catch { return null; }
}

// Restores the draft of item it into form (its note) and picker, then keeps both as they
// change. Returns { save(), clear() }: save after an upload (evidence ids), clear once filed.
export function keepAnswerDraft(user, it, form, picker) {
  let cleared = false;
  let restoring = true; // saving the photos restored so far would drop the others
  const save = () => {
    if (cleared || restoring || !form.isConnected || signingOut.now) return; // a form redrawn since keeps its own
    const photos = picker.files().map((p) => ({ pid: p.key, name: p.name, type: p.type, evidence: p.evidence }));
    if (!form.note.value && !photos.length) { localStorage.removeItem(draftKey(user, it)); return; }
    try {
      localStorage.setItem(draftKey(user, it), JSON.stringify({ round: roundOf(it), note: form.note.value, photos }));
    } catch { /* storage full: the page keeps it */ }
  };
  picker.onChange(async (photos, { added, removed }) => {
    if (added) await putPhoto({ pid: added.key, blob: added.blob, name: added.name, type: added.type });
    if (removed) deletePhotos([removed.key]).catch(() => {});
    save();
  });
  form.note.addEventListener('input', save);
  restore(user, it, form, picker).finally(() => { restoring = false; save(); });
  return {
    save,
    clear() {
      cleared = true;
      dropAnswerDraft(user, it, picker.files().map((p) => p.key));
    },
  };
}

async function restore(user, it, form, picker) {
  const d = readDraft(user, it);
  if (!d) return;
  if (d.round !== roundOf(it)) { dropAnswerDraft(user, it); return; } // written before a 退回 or 重新整改
  if (d.note && !form.note.value) form.note.value = d.note;
  for (const p of d.photos || []) {
    const rec = await getPhoto(p.pid);
    if (rec) picker.add({ blob: rec.blob, name: p.name, type: p.type, key: p.pid, evidence: p.evidence || null });
  }
}

// Forgets the draft of item it and its photos (and the photos pids, kept elsewhere); the
// promise settles once the photos are gone.
export function dropAnswerDraft(user, it, pids = []) {
  const d = readDraft(user, it);
  localStorage.removeItem(draftKey(user, it));
  const all = new Set([...pids, ...((d && d.photos) || []).map((p) => p.pid)]);
  return all.size ? deletePhotos([...all]).catch(() => {}) : Promise.resolve();
}

// The ids of the items the user has an answer draft of on this device.
export function answerDraftIds(user) {
  const prefix = draftPrefix(user);
  const ids = [];
  for (let i = 0; i < localStorage.length; i++) {
    const k = localStorage.key(i);
    if (k && k.startsWith(prefix)) ids.push(k.slice(prefix.length));
  }
  return ids;
}

// Drops the user's drafts of items that no longer wait for their answer: waiting holds every
// item that does (the whole of 待办's list, never a part of it), each with its current round.
export function sweepAnswerDrafts(user, waiting) {
  const rounds = new Map(waiting.map((it) => [String(it.id), roundOf(it)]));
  for (const id of answerDraftIds(user)) {
    const d = readDraft(user, { id });
    if (!rounds.has(id) || !d || d.round !== rounds.get(id)) dropAnswerDraft(user, { id });
  }
}
