// visit-photos.js - the photos of 新建督导's findings (page-visit-new.js). A photo taken or
// picked on the phone is shrunk (preparePhoto), kept in IndexedDB (photo-store.js) and shown
// from there as an object URL, so no network is needed; the draft holds its record
// { pid, name, type, evidence_id, school_id, key, key_school, bad, error }. Photos are uploaded
// to the chosen school one at a time, each under an Idempotency-Key saved with the draft before
// it is sent, so that a retry (also from a reloaded page) never stores a file twice; choosing
// another school uploads them again under new keys.

import { newKey, isTransient, uploadEvidence, preparePhoto, MAX_FILES, tooManyFiles } from './rect-common.js';
import { putPhoto, getPhoto, deletePhotos } from './photo-store.js';

export class VisitPhotos {
  // form: the VisitForm shown (draft, el, html, ctx, save()). live: the page's state shared by
  // every form of this tab: live.syncing is the upload running, live.view the form on screen,
  // which an upload started by an earlier form draws into.
  constructor(form, live) {
    this.form = form;
    this.live = live;
    this.urls = new Map(); // pid -> object URL of the local photo
  }

  get draft() { return this.form.draft; }

  // The <li> of photo ph: its picture (or a file tile), its upload status, 删除.
  item(ph) {
    const { html } = this.form;
    const image = !ph.type || String(ph.type).startsWith('image/');
    const src = image && (this.urls.get(ph.pid) || (ph.evidence_id ? `/api/v1/evidence/${ph.evidence_id}` : ''));
    const status = ph.bad ? html`<span class="ph-status bad">${ph.error}</span>`
      : this.uploaded(ph) ? html`<span class="ph-status ok">已上传</span>`
        : html`<span class="ph-status wait">${this.draft.school_id ? '待上传' : '选择学校后上传'}</span>`;
    return html`
      <li data-pid="${ph.pid}">
        ${src ? html`<img src="${src}" alt="${ph.name}">` : html`<span class="file-tile">${ph.name}</span>`}
        ${status}
        <button type="button" class="thumb-del" data-del-photo="${ph.pid}" aria-label="删除照片">删除</button>
      </li>`;
  }

  uploaded(ph) {
    return Boolean(ph.evidence_id) && String(ph.school_id) === String(this.draft.school_id);
  }

  // Local photos are shown from the device (object URLs), so no network is needed.
  async loadThumbs() {
    for (const f of this.draft.findings) {
      for (const ph of f.photos) {
        if (this.urls.has(ph.pid)) continue;
        const rec = await getPhoto(ph.pid);
        if (!rec || !this.form.ctx.current()) continue;
        this.urls.set(ph.pid, URL.createObjectURL(rec.blob));
        this.draw(ph);
      }
    }
  }

  draw(ph) {
    const li = this.form.el.querySelector(`li[data-pid="${CSS.escape(ph.pid)}"]`);
    if (li) li.outerHTML = String(this.item(ph));
  }

  drawAll() {
    for (const f of this.draft.findings) f.photos.forEach((ph) => this.draw(ph));
  }

  // The files chosen in input (a finding's 拍照 or 从相册选择) join its photos.
  async add(input) {
    const f = this.draft.findings.find((x) => x.uid === input.dataset.photo);
    const chosen = Array.from(input.files || []);
    input.value = '';
    const err = this.form.el.querySelector(`#err-f-${f.uid}-photos`);
    err.hidden = true;
    const left = Math.max(0, MAX_FILES - f.photos.length);
    const files = chosen.slice(0, left);
    if (chosen.length > left) {
      err.textContent = tooManyFiles(left);
      err.hidden = false;
    }
    for (const file of files) {
      try {
        const p = await preparePhoto(file);
        const ph = { pid: newKey(), name: p.name, type: p.type, evidence_id: null, school_id: null, key: null, key_school: null, bad: false, error: '' };
        await putPhoto({ pid: ph.pid, blob: p.blob, name: p.name, type: p.type });
        this.urls.set(ph.pid, URL.createObjectURL(p.blob));
        f.photos.push(ph);
      } catch (e) {
        err.textContent = e.message;
        err.hidden = false;
      }
    }
    this.form.save();
    const list = this.form.el.querySelector(`#f-${f.uid}-thumbs`);
    if (list) list.innerHTML = this.form.html`${f.photos.map((ph) => this.item(ph))}`;
    this.sync().catch(() => {});
  }

  remove(pid) {
    for (const f of this.draft.findings) {
      const ph = f.photos.find((p) => p.pid === pid);
      if (!ph) continue;
      f.photos = f.photos.filter((p) => p.pid !== pid);
      this.discard([ph]);
      this.form.save();
      const li = this.form.el.querySelector(`li[data-pid="${CSS.escape(pid)}"]`);
      if (li) li.remove();
    }
  }

  // Photos no longer in the draft leave the page and the device.
  discard(list) {
    for (const ph of list) {
      const u = this.urls.get(ph.pid);
      if (u) URL.revokeObjectURL(u);
      this.urls.delete(ph.pid);
    }
    if (list.length) deletePhotos(list.map((ph) => ph.pid)).catch(() => {});
  }

  // Uploads every photo not yet stored for the chosen school, one at a time; a new school
  // means a new upload under a new key. Rejects with the first failure.
  sync() {
    const { live } = this;
    if (!live.syncing) live.syncing = this.uploadPending().finally(() => { live.syncing = null; });
    return live.syncing;
  }

  async uploadPending() {
    const { live } = this;
    for (;;) {
      const school = this.draft.school_id;
      if (!school) return;
      const ph = this.draft.findings.flatMap((f) => f.photos).find((p) => !p.bad && !this.uploaded(p));
      if (!ph) { live.view.photos.synced(); return; }
      if (ph.key_school !== school || !ph.key) {
        ph.key = newKey(); // saved before sending: a retry from a reloaded page reuses it
        ph.key_school = school;
        live.view.save();
      }
      const rec = await getPhoto(ph.pid);
      if (!this.draft.findings.some((f) => f.photos.includes(ph))) continue; // deleted meanwhile
      try {
        if (!rec) throw Object.assign(new Error('照片在本机已丢失，请删除后重新拍摄'), { status: 410 });
        const ev = await uploadEvidence(this.form.ctx, rec.blob, rec.name, { schoolId: school, key: ph.key });
        ph.evidence_id = ev.id;
        ph.school_id = ev.org_id;
        ph.error = '';
      } catch (e) {
        // a refused CSRF token is the session's, not the photo's: the photo stays to upload
        if (!isTransient(e) && e.field !== 'X-CSRF-Token') { ph.bad = true; ph.error = e.message; }
        live.view.save();
        live.view.photos.draw(ph);
        throw e;
      }
      live.view.save();
      live.view.photos.draw(ph);
    }
  }

  // Every photo is uploaded: a message saying a photo upload failed is out of date.
  synced() {
    const box = this.form.el.querySelector('#visit-error');
    const photos = this.draft.findings.flatMap((f) => f.photos);
    if (!box || box.dataset.kind !== 'photos' || !photos.every((p) => !p.bad && this.uploaded(p))) return;
    box.hidden = true;
    box.textContent = '';
    box.dataset.kind = '';
  }
}
