// Helpers shared by the browser tests that read the admin's settings (rect-settings.mjs,
// visit-settings.mjs) and walk list resources (rect-extra.mjs too).

// The server's today (GET /healthz), as the pages take it.
export async function serverToday(base) {
  return (await (await fetch(base + '/healthz')).json()).today;
}

// ymd + n days, as "YYYY-MM-DD".
export function addDays(ymd, n) {
  const d = new Date(ymd + 'T00:00:00Z');
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

// Every item of a list resource (API, as client); assertEq checks each page's status.
export async function allItems(client, url, assertEq) {
  const out = [];
  for (let p = 1; p <= 50; p++) {
    const r = await client.call('GET', `${url}${url.includes('?') ? '&' : '?'}per_page=500&page=${p}`);
    assertEq(r.status, 200, 'GET ' + url);
    out.push(...r.body.items);
    if (r.body.items.length < 500) break;
  }
  return out;
}

// Counts the page's GET /api/v1/settings requests.
export function countSettings(page) {
  const n = { gets: 0 };
  page.on('request', (r) => { if (new URL(r.url()).pathname === '/api/v1/settings') n.gets++; });
  return n;
}

// Makes the page's GET /api/v1/settings answer with `how`: a function changing the real
// answer, 403, 'offline' (no answer), or a promise the answer waits for (then unchanged).
// Returns a function that removes the rewrite.
export async function rewriteSettings(page, how) {
  const handler = async (route) => {
    if (how === 'offline') return route.abort('internetdisconnected');
    if (how === 403) return route.fulfill({ status: 403, json: { error: { code: 'forbidden', message: '无权查看系统设置' } } });
    if (how instanceof Promise) await how;
    const res = await route.fetch();
    const body = await res.json();
    if (typeof how === 'function') how(body);
    return route.fulfill({ response: res, json: body });
  };
  await page.route('**/api/v1/settings', handler);
  return () => page.unroute('**/api/v1/settings', handler);
}
