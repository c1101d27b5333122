// photo-store.js - photos of the visit draft kept on the device (IndexedDB), so a photo
// taken at a school without network survives a reload until it is uploaded and the visit
// filed. Falls back to memory when IndexedDB is unavailable (private windows).

const DB = 'dudao-drafts';
const STORE = 'photos';
const memory = new Map();
let opening = null;

function open() {
  if (!opening) {
    opening = new Promise((resolve) => {
      let req;
      try { req = indexedDB.open(DB, 1); } catch { resolve(null); return; }
      req.onupgradeneeded = () => { req.result.createObjectStore(STORE, { keyPath: 'pid' }); };
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => resolve(null);
      req.onblocked = () => resolve(null);
    });
  }
  return opening;
}

function run(mode, fn) {
  return open().then((db) => new Promise((resolve, reject) => {
    if (!db) { resolve(undefined); return; }
    const tx = db.transaction(STORE, mode);
    const req = fn(tx.objectStore(STORE));
    tx.oncomplete = () => resolve(req && req.result);
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  }));
}

// Stores {pid, blob, name, type}; resolves when it is on disk (or in memory).
export async function putPhoto(rec) {
  memory.set(rec.pid, rec);
  try { await run('readwrite', (s) => s.put(rec)); } catch { /* memory copy remains */ }
}

// The stored record for pid, or null.
export async function getPhoto(pid) {
  if (memory.has(pid)) return memory.get(pid);
  try {
    const rec = await run('readonly', (s) => s.get(pid));
    if (rec) memory.set(pid, rec);
    return rec || null;
  } catch {
    return null;
  }
}

// Forgets the given photos.
export async function deletePhotos(pids) {
  for (const pid of pids) memory.delete(pid);
  try { await run('readwrite', (s) => { pids.forEach((pid) => s.delete(pid)); return null; }); } catch { /* gone with the tab */ }
}
