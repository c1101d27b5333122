// login.js - the sign-in form: POST /api/v1/session, show the server's message in place.
// Signing in forgets what the device kept about the user before (offline.js).

import { forgetKept } from './offline.js';

const form = document.getElementById('login-form');
const errBox = document.getElementById('login-error');
const button = form.querySelector('button[type=submit]');

// Where to go after signing in: "/" plus the "#/page", "#/page/12" or "#/page?filters" the
// shell sent us from. Only a hash route of this site is taken (it is appended to "/", so
// it can never lead to another origin or run a "javascript:" URL); anything else gives "/".
const NEXT = /^#\/[a-z][a-z0-9-]*(?:[/?][^\s\\\u0000-\u001f\u007f]*)?$/;
function target() {
  const next = new URLSearchParams(location.search).get('next') || '';
  return '/' + (next.length <= 1000 && NEXT.test(next) ? next : '');
}

function showError(message) {
  errBox.textContent = message;
  errBox.hidden = !message;
}

// Already signed in: skip the form.
fetch('/api/v1/session', { credentials: 'same-origin', cache: 'no-store' })
  .then((r) => { if (r.ok) location.replace(target()); })
  .catch(() => {});

form.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const username = form.username.value.trim();
  const password = form.password.value;
  if (!username || !password) {
    showError(!username ? '请输入用户名' : '请输入密码');
    (!username ? form.username : form.password).focus();
    return;
  }
  showError('');
  button.disabled = true;
  button.textContent = '正在登录…';
  try {
    const res = await fetch('/api/v1/session', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    if (res.ok) {
      forgetKept();
      location.href = target();
      return;
    }
    let data = null;
    try { data = await res.json(); } catch { /* not JSON */ }
    // 401 wrong user or password, 429 throttled: the server's message says it all.
    showError((data && data.error && data.error.message) || `登录失败（${res.status}）`);
    form.password.value = '';
    form.password.focus();
  } catch {
    showError('无法连接服务器，请检查网络后重试');
  } finally {
    button.disabled = false;
    button.textContent = '登录';
  }
});
