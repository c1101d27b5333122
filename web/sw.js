// sw.js - the service worker: the app's static files when there is no network (offline.js
// fills its cache). Network first: online, every file comes from the server as before and the
// kept copy is renewed; only when the network fails does the kept copy answer, marked with the
// header X-Dudao-Kept: 1. API requests, /healthz and other methods are left to the network.

const CACHE = 'dudao-static-v1'; // the same name as in offline.js

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (ev) => ev.waitUntil(self.clients.claim()));

self.addEventListener('fetch', (ev) => {
  const req = ev.request;
  const url = new URL(req.url);
  if (req.method !== 'GET' || url.origin !== self.location.origin || url.pathname.startsWith('/api/')
    || url.pathname === '/healthz') return;
  ev.respondWith(networkFirst(req, url));
});

async function networkFirst(req, url) {
  const cache = await caches.open(CACHE);
  try {
    const res = await fetch(req);
    if (res.ok) await cache.put(url.pathname, res.clone());
    return res;
  } catch (err) {
    const kept = await cache.match(url.pathname);
    if (!kept) throw err;
    const headers = new Headers(kept.headers);
    headers.set('X-Dudao-Kept', '1');
    return new Response(kept.body, { status: kept.status, statusText: kept.statusText, headers });
  }
}
