// offline.js - what lets the app open with no network, as on a phone at a school without signal:
// - the static files: sw.js answers them from its cache when the network fails; keepStatic()
//   puts in that cache every file this page has loaded, so one visit online is enough;
// - the signed-in user and a few reference reads (schools, checklist templates), kept in
//   localStorage per user by keptRead() each time they are read online and used only when the
//   network fails. Nothing about students is kept. forgetKept() clears it all (退出).

const CACHE = 'dudao-static-v1'; // the same name as in sw.js
const USER_KEY = 'dudao.kept.user';
const readKey = (userId, name) => `dudao.kept.${userId}.${name}`;

// A failure without an HTTP status is the network's: no answer came.
const networkFailure = (e) => e && !e.status;

// Registers sw.js and keeps this page's static files in its cache; never fails the page.
export async function keepStatic() {
  if (!('serviceWorker' in navigator) || !window.caches) return;
  try {
    await navigator.serviceWorker.register('/sw.js');
    const files = [location.pathname, ...performance.getEntriesByType('resource').map((r) => r.name)]
      .map((u) => new URL(u, location.href))
      .filter((u) => u.origin === location.origin && !u.pathname.startsWith('/api/') && u.pathname !== '/healthz')
      .map((u) => u.pathname);
    const cache = await caches.open(CACHE);
    const missing = [];
    for (const f of new Set(files)) if (!(await cache.match(f))) missing.push(f);
    await cache.addAll(missing); // the kept ones sw.js renews as they are loaded

  } catch { /* the app works online without it */ }
}

// The signed-in user as last seen online, or null.
export function keptUser() {
  try { return JSON.parse(localStorage.getItem(USER_KEY)); } catch { return null; }
}

export function keepUser(user) {
  try { localStorage.setItem(USER_KEY, JSON.stringify(user)); } catch { /* storage full: not kept */ }
}

// read() online, keeping its answer for userId under name; with no network, the answer kept
// last time (or read()'s error when there is none). An answer of the server, errors included,
// is never replaced by a kept one.
export async function keptRead(userId, name, read) {
  try {
    const value = await read();
    try { localStorage.setItem(readKey(userId, name), JSON.stringify(value)); } catch { /* not kept */ }
    return value;
  } catch (e) {
    const kept = networkFailure(e) ? localStorage.getItem(readKey(userId, name)) : null;
    if (kept === null) throw e;
    return JSON.parse(kept);
  }
}

// Signing out: the kept user and reads go; the static files stay (they hold no data).
export function forgetKept() {
  for (let i = localStorage.length - 1; i >= 0; i--) {
    const k = localStorage.key(i);
    if (k && k.startsWith('dudao.kept.')) localStorage.removeItem(k);
  }
}
