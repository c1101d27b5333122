// offline.js - what lets the app open with no network, as on a phone at a school without signal
// (on HTTPS or localhost only: browsers give service workers to secure origins alone):
// - the static files: sw.js answers them from its cache when the network fails; keepStatic()
//   puts in that cache every file this page has loaded, so one visit online is enough;
// - the signed-in user and a few reference reads (schools, checklist templates), kept in
//   localStorage per user by keptRead() each time they are read online and used only when the
//   network fails. Nothing about students is kept. forgetKept() clears it all: 退出, a 401, an
//   expired session, another user signing in.

const CACHE = 'dudao-static-v1'; // the same name as in sw.js
const USER_KEY = 'dudao.kept.user';
const readKey = (userId, name) => `dudao.kept.${userId}.${name}`;

// No answer from the service: no HTTP status, or a proxy's in front of a service that is down.
export const unreachable = (e) => e && (!e.status || [502, 503, 504].includes(e.status));

// Registers sw.js and keeps this page's static files in its cache; never fails the page.
export async function keepStatic() {
  if (!('serviceWorker' in navigator) || !window.caches) return;
  try {
    await navigator.serviceWorker.register('/sw.js');
    await controlled();
    const files = [location.pathname, ...performance.getEntriesByType('resource').map((r) => r.name)]
      .map((u) => new URL(u, location.href))
      .filter((u) => u.origin === location.origin && !u.pathname.startsWith('/api/') && u.pathname !== '/healthz')
      .map((u) => u.pathname);
    const cache = await caches.open(CACHE);
    // Loaded again through sw.js, which keeps what it may (its keepable()), one at a time.
    for (const f of new Set(files)) if (!(await cache.match(f))) await fetch(f).catch(() => null);
  } catch { /* the app works online without it */ }
}

// Resolves once sw.js controls this page (at once when it already does).
function controlled() {
  if (navigator.serviceWorker.controller) return Promise.resolve();
  return new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }));
}

// The signed-in user as last seen online, or null: none kept, or the session it came with has
// expired by the device's clock (then everything kept goes).
export function keptUser() {
  let kept = null;
  try { kept = JSON.parse(localStorage.getItem(USER_KEY)); } catch { /* unreadable: none */ }
  if (!kept || !kept.user) return null;
  if (kept.expires_at && Date.parse(kept.expires_at) <= Date.now()) {
    forgetKept();
    return null;
  }
  return kept.user;
}

// Keeps user, signed in until expiresAt (ISO 8601, or null when the server does not say).
export function keepUser(user, expiresAt) {
  try {
    localStorage.setItem(USER_KEY, JSON.stringify({ user, expires_at: expiresAt || null }));
  } catch { /* storage full: not kept */ }
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
    const kept = unreachable(e) ? localStorage.getItem(readKey(userId, name)) : null;
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

// Set once 退出 has gone through and the drafts are being deleted: the draft forms still on the
// page save nothing more (an upload finishing then would write a draft back).
export const signingOut = { now: false };

// Forgets the texts typed in this tab's action forms (rect-item.js keepTyped): on 退出 only,
// since after a session that ended (a 401) the same user signs in again to send them.
export function forgetTyped() {
  try {
    for (let i = sessionStorage.length - 1; i >= 0; i--) {
      const k = sessionStorage.key(i);
      if (k && k.startsWith('dudao.typed.')) sessionStorage.removeItem(k);
    }
  } catch { /* unavailable */ }
}
