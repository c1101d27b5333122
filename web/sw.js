// sw.js - the service worker: the app's static files when there is no network (offline.js
// fills its cache). Network first: online, every file comes from the server as before and the
// kept copy is renewed (a file of the type its name says, not a redirect); only when no answer
// comes (or a proxy's 502/503/504: the service behind it is down) does the kept copy answer,
// marked with the header X-Dudao-Kept: 1. API requests,
// /healthz and other methods are left to the network.

const CACHE = 'dudao-static-v1'; // the same name as in offline.js

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (ev) => ev.waitUntil(self.clients.claim()));

self.addEventListener('fetch', (ev) => {
  const req = ev.request;
  const url = new URL(req.url);
  if (req.method !== 'GET' || url.origin !== self.location.origin || url.pathname.startsWith('/api/')
    || url.pathname === '/healthz') return;
  ev.respondWith(networkFirst(ev, req, url.pathname));
});

// The Content-Type a static file of this path must come with to be kept: a captive portal's
// page answered for /app.js is not kept as the app.
function keepable(path, res) {
  const ext = path === '/' ? '.html' : (path.match(/\.[a-z0-9]+$/) || [''])[0];
  const want = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.png': 'image/',
    '.svg': 'image/svg', '.ico': 'image/', '.woff2': 'font/' }[ext];
  const type = res.headers.get('Content-Type') || '';
  return Boolean(want) && res.ok && !res.redirected && type.startsWith(want);
}

async function keptCopy(path) {
  const kept = await caches.open(CACHE).then((c) => c.match(path)).catch(() => null);
  if (!kept) return null;
  const headers = new Headers(kept.headers);
  headers.set('X-Dudao-Kept', '1');
  return new Response(kept.body, { status: kept.status, statusText: kept.statusText, headers });
}

async function networkFirst(ev, req, path) {
  let res;
  try {
    res = await fetch(req);
  } catch (err) { // no answer: the kept copy, if any
    const kept = await keptCopy(path);
    if (!kept) throw err;
    return kept;
  }
  if ([502, 503, 504].includes(res.status)) return (await keptCopy(path)) || res; // a proxy, the service down
  // The answer goes at once; keeping it (which may fail, storage being full) does not hold it.
  if (keepable(path, res)) {
    const copy = res.clone();
    ev.waitUntil(caches.open(CACHE).then((c) => c.put(path, copy)).catch(() => {}));
  }
  return res;
}
