// Browser tests of the roster pages (issue 3): 名册导入 (dry run, confirm, row errors in
// place, a refused import), 本校名册与结对 (unpaired count, pairing with a new staff member,
// a home visit, ending a pairing), 结对覆盖 (totals, town table, drill-down, the chart), who
// sees which page, and the phone layout. run.mjs imports rosterTests(h) and adds each test.
// Every test makes its own students with names unique to the run and finds them by name, so
// the demo county growing (thousands of students) changes nothing here.

import path from 'node:path';
import { request } from 'playwright-core';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const SCHOOL = '城关镇中心小学'; // principal xiaozhang's school
const TOWN = '城关镇教管中心';
const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';
const NAME_CHARS = '安柏春德恩芳光海华佳建杰金俊凯兰雷丽林玲梅明楠宁平琴青荣瑞山涛婷伟文霞欣';

// The GB 11643 check character of 17 digits.
export function idCheck(first17) {
  const sum = [...first17].reduce((a, d, i) => a + Number(d) * ID_WEIGHTS[i], 0);
  return ID_CHECK[sum % 11];
}

// A valid 18-character ID number born on `birth` (YYYYMMDD, may be a date that does not
// exist) with a random area and serial, so runs do not collide with each other or the demo.
export function idNumber(birth, female = false) {
  const rnd = (n) => Math.floor(Math.random() * n);
  const area = '43' + String(90 + rnd(10)) + String(rnd(100)).padStart(2, '0');
  const serial = String(rnd(100)).padStart(2, '0') + String(female ? 2 * rnd(5) : 2 * rnd(5) + 1);
  const first17 = area + birth + serial;
  return first17 + idCheck(first17);
}

// ---- a minimal XLSX (one sheet of inline strings), zipped without compression ----

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

// A ZIP of {name: text} entries, "stored" (no compression).
function zip(files) {
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const [name, text] of Object.entries(files)) {
    const n = Buffer.from(name, 'utf8');
    const data = Buffer.from(text, 'utf8');
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(20, 4); local.writeUInt16LE(0x0800, 6);
    local.writeUInt32LE(crc, 14); local.writeUInt32LE(data.length, 18); local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(n.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0); central.writeUInt16LE(20, 4); central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8); central.writeUInt32LE(crc, 16); central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24); central.writeUInt16LE(n.length, 28); central.writeUInt32LE(offset, 42);
    locals.push(local, n, data);
    centrals.push(central, n);
    offset += 30 + n.length + data.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(centrals.length / 2, 8); end.writeUInt16LE(centrals.length / 2, 10);
  end.writeUInt32LE(cd.length, 12); end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

const xmlEsc = (v) => String(v).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);

// An .xlsx whose first sheet holds `rows` (arrays of strings) as inline strings.
export function xlsx(rows) {
  const col = (i) => String.fromCharCode(65 + i);
  const sheet = rows.map((r, ri) => `<row r="${ri + 1}">${r.map((v, ci) =>
    `<c r="${col(ci)}${ri + 1}" t="inlineStr"><is><t>${xmlEsc(v)}</t></is></c>`).join('')}</row>`).join('');
  const ns = 'http://schemas.openxmlformats.org';
  return zip({
    '[Content_Types].xml': `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="${ns}/package/2006/content-types">`
      + '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
      + '<Default Extension="xml" ContentType="application/xml"/>'
      + '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
      + '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
    '_rels/.rels': `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="${ns}/package/2006/relationships">`
      + `<Relationship Id="rId1" Type="${ns}/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    'xl/workbook.xml': `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="${ns}/spreadsheetml/2006/main" xmlns:r="${ns}/officeDocument/2006/relationships">`
      + '<sheets><sheet name="名册" sheetId="1" r:id="rId1"/></sheets></workbook>',
    'xl/_rels/workbook.xml.rels': `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="${ns}/package/2006/relationships">`
      + `<Relationship Id="rId1" Type="${ns}/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
    'xl/worksheets/sheet1.xml': `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="${ns}/spreadsheetml/2006/main"><sheetData>${sheet}</sheetData></worksheet>`,
  });
}

export function rosterTests(h) {
  const { BASE, OUT, RUN_ID, PASSWORD, login, assert, assertEq, noHorizontalScroll } = h;
  const tests = [];
  const test = (name, fn) => tests.push({ name, fn });
  let seq = 0;
  // A Chinese name unique to this run: a surname, the run id spelled in characters, a counter.
  const tag = [...RUN_ID].map((c) => NAME_CHARS[parseInt(c, 36) % NAME_CHARS.length]).join('');
  const uniqueName = (surname = '甄') => `${surname}${tag}${NAME_CHARS[++seq % NAME_CHARS.length]}${seq}`;
  const setupIds = new Map(); // name -> ID number of the students importStudents made
  const shot = (page, name, full = true) => page.screenshot({ path: path.join(OUT, `roster-${name}.png`), fullPage: full });

  // An API client signed in as `username`: call(method, url, json) and upload(url, csvText).
  async function apiAs(username) {
    const ctx = await request.newContext({ baseURL: BASE });
    const r = await ctx.post('/api/v1/session', { data: { username, password: PASSWORD } });
    assertEq(r.status(), 201, `API login as ${username}`);
    const { csrf_token: csrf } = await r.json();
    const answer = async (res) => {
      const text = await res.text();
      return { status: res.status(), body: text ? JSON.parse(text) : null };
    };
    return {
      call: async (method, url, data) => answer(await ctx.fetch(url, { method, data, headers: { 'X-CSRF-Token': csrf } })),
      upload: async (url, text) => answer(await ctx.post(url, { data: Buffer.from(text, 'utf8'),
        headers: { 'X-CSRF-Token': csrf, 'Content-Type': 'text/csv' } })),
      dispose: () => ctx.dispose(),
    };
  }

  async function schoolCode(client) {
    const r = await client.call('GET', '/api/v1/orgs?per_page=500');
    const s = r.body.items.find((o) => o.kind === 'school' && o.name === SCHOOL);
    assert(s && s.code, `school ${SCHOOL} (with a code) not in scope`);
    return s;
  }

  // Students of the school named exactly `name`, as `client` sees them.
  async function studentsNamed(client, name) {
    const r = await client.call('GET', `/api/v1/students?q=${encodeURIComponent(name)}&per_page=50`);
    assertEq(r.status, 200, 'GET /students?q=');
    return r.body.items.filter((s) => s.name === name);
  }

  // A roster CSV: header plus one line per student {name, id, code, grade, cats, start}.
  const rosterCsv = (rows, extraHeader = '') => [
    `姓名,性别,身份证号,学校标识码,年级,类别,户主,家庭住址,入学日期${extraHeader ? ',' + extraHeader : ''}`,
    ...rows.map((r) => [r.name, r.female ? '女' : '男', r.id, r.code, r.grade || '三年级', r.cats || '建档立卡',
      r.head || `${r.name.slice(0, 1)}大山`, r.address || '杨家湾村3组', r.start || '2026-09-01', ...(extraHeader ? [r.extra || ''] : [])].join(',')),
  ].join('\r\n') + '\r\n';

  // Imports students through the API as zizhu; returns their names.
  async function importStudents(n, { grade = '三年级', cats = '建档立卡' } = {}) {
    const zz = await apiAs('zizhu');
    try {
      const { code } = await schoolCode(zz);
      const rows = Array.from({ length: n }, (_, i) => ({ name: uniqueName(), id: idNumber(`2017031${i % 10}`, i % 2 === 1), code, grade, cats, female: i % 2 === 1 }));
      rows.forEach((r) => setupIds.set(r.name, r.id));
      const r = await zz.upload('/api/v1/imports/roster?file_name=setup.csv', rosterCsv(rows));
      assertEq(r.status, 200, 'setup import ' + JSON.stringify(r.body && (r.body.error || r.body.errors)));
      assertEq(r.body.added, n, 'setup import added');
      return rows.map((x) => x.name);
    } finally {
      await zz.dispose();
    }
  }

  // Opens 名册导入 and chooses a file; the page runs the dry run by itself.
  async function chooseFile(page, name, text, kind) {
    await page.goto(BASE + '/#/roster-import');
    await page.waitForSelector('#import-file');
    if (kind) await page.locator('label.seg-opt', { hasText: kind }).click();
    await page.setInputFiles('#import-file', { name, mimeType: 'text/csv', buffer: Buffer.from(text, 'utf8') });
    await page.waitForSelector('#import-ready, #import-refused', { timeout: 15_000 });
  }

  test('zizhu imports a roster CSV: the dry run shows 3 to add, confirm imports them', async ({ page }) => {
    const zz = await apiAs('zizhu');
    const school = await schoolCode(zz);
    const rows = ['女', '男', '女'].map((g, i) => ({ name: uniqueName(), id: idNumber(`201${5 + i}0${i + 4}1${i}`, g === '女'), female: g === '女',
      code: school.code, grade: ['二年级', '三年级', '五年级'][i], cats: ['建档立卡', '建档立卡、留守', '防返贫监测'][i], extra: '爱好唱歌' }));
    await login(page, 'zizhu');
    await chooseFile(page, `名册-${RUN_ID}.csv`, rosterCsv(rows, '特长'), '学生名册');
    assert(await page.locator('#import-ready').isVisible(), `dry run not ready: ${await page.locator('#import-result').innerText()}`);
    assertEq((await page.locator('#n-added').innerText()).trim(), '3', 'dry run: to add');
    assertEq((await page.locator('#n-changed').innerText()).trim(), '0', 'dry run: to change');
    assertEq(await page.locator('#import-preview tr.pv-row[data-action="add"]').count(), 3, 'preview rows to add');
    const unknown = await page.locator('#unknown-columns').innerText();
    assert(unknown.includes('特长'), `unknown columns: "${unknown}"`);
    for (const r of rows) assertEq(await page.locator('#import-preview tr.pv-row', { hasText: r.name }).count(), 1, `preview row of ${r.name}`);
    for (const r of rows) assertEq((await studentsNamed(zz, r.name)).length, 0, `${r.name} written by the dry run`);
    await shot(page, 'import-dry-run');
    await page.click('#import-confirm');
    await page.waitForSelector('#import-done', { timeout: 15_000 });
    assertEq((await page.locator('#import-done #n-added').innerText()).trim(), '3', 'import: added');
    assert((await page.locator('#flash').innerText()).includes('新增 3'), 'no confirmation message');
    assertEq(await page.locator('#import-confirm').count(), 0, 'confirm still offered after the import');
    for (const r of rows) {
      const found = await studentsNamed(zz, r.name);
      assertEq(found.length, 1, `students named ${r.name}`);
      assertEq([found[0].school_id, found[0].id_last4, found[0].gender], [school.id, r.id.slice(-4), r.female ? '女' : '男'], `${r.name}: school, id_last4, gender`);
    }
    assertEq((await studentsNamed(zz, rows[1].name))[0].categories, ['建档立卡', '留守'], 'categories of the second student');
    await shot(page, 'import-done');
    await zz.dispose();
  });

  test('re-importing as XLSX (sent with the xlsx Content-Type) shows what changes and updates, never duplicates', async ({ page }) => {
    const names = await importStudents(2, { grade: '三年级' });
    const zz = await apiAs('zizhu');
    const { code } = await schoolCode(zz);
    const before = await Promise.all(names.map((n) => studentsNamed(zz, n)));
    // The same two (matched by ID number, which the test reads back from the setup rows), one a grade up.
    const ids = names.map((n) => setupIds.get(n));
    assert(ids.every(Boolean), 'setup ID numbers not kept');
    const rows = [['学生名册（2026年秋季）'], ['姓名', '身份证号', '学校标识码', '年级', '类别'],
      [names[0], ids[0], code, '四年级', '建档立卡'], [names[1], ids[1], code, '三年级', '建档立卡']];
    const sent = [];
    page.on('request', (r) => { if (r.url().includes('/api/v1/imports/roster')) sent.push(r.headers()['content-type']); });
    await login(page, 'zizhu');
    await page.goto(BASE + '/#/roster-import');
    await page.waitForSelector('#import-file');
    await page.setInputFiles('#import-file', { name: `名册-${RUN_ID}.xlsx`, mimeType: '', buffer: xlsx(rows) });
    await page.waitForSelector('#import-ready, #import-refused', { timeout: 15_000 });
    assert(await page.locator('#import-ready').isVisible(), `dry run not ready: ${await page.locator('#import-result').innerText()}`);
    assert((await page.locator('.import-head').innerText()).includes('XLSX'), 'format not shown as XLSX');
    assertEq([await page.locator('[data-n="added"]').innerText(), await page.locator('[data-n="changed"]').innerText(),
      await page.locator('[data-n="unchanged"]').innerText()].map((x) => x.trim()), ['0', '1', '1'], 'added, changed, unchanged');
    const change = await page.locator('#import-preview tr.pv-row[data-action="change"] td[data-cell="changes"]').innerText();
    assert(change.includes('年级') && change.includes('三年级') && change.includes('四年级'), `change shown as "${change}"`);
    await shot(page, 'import-xlsx-change');
    await page.click('#import-confirm');
    await page.waitForSelector('#import-done', { timeout: 15_000 });
    assertEq(sent, [XLSX_TYPE, XLSX_TYPE], 'Content-Type of the dry run and the import');
    const after = await Promise.all(names.map((n) => studentsNamed(zz, n)));
    assertEq(after.map((a) => a.length), [1, 1], 'students per name after the re-import');
    assertEq(after.map((a) => a[0].id), before.map((b) => b[0].id), 'student ids kept');
    assertEq(after.map((a) => a[0].grade), ['四年级', '三年级'], 'grades after the re-import');
    await zz.dispose();
  });

  test('a CSV with bad rows shows each error in place (row, column) and imports nothing', async ({ page }) => {
    const zz = await apiAs('zizhu');
    const { code } = await schoolCode(zz);
    const good = { name: uniqueName(), id: idNumber('20160512'), code };
    const badDate = { name: uniqueName(), id: idNumber('20190230', true), code, female: true };
    const badSchool = { name: uniqueName(), id: idNumber('20160601'), code: '9999999999' };
    await login(page, 'zizhu');
    await chooseFile(page, `有误-${RUN_ID}.csv`, rosterCsv([good, badDate, badSchool]), '学生名册');
    assert(await page.locator('#import-refused').isVisible(), 'no refusal shown');
    assertEq(await page.locator('#import-confirm').count(), 0, 'confirm offered despite errors');
    assertEq((await page.locator('[data-n="rejected"]').innerText()).trim(), '2', 'rejected count');
    // Row 3 (the impossible birth date): its row, highlighted, with the error under it naming column C.
    const row3 = page.locator('#import-preview tr.pv-row[data-row="3"]');
    assertEq(await row3.getAttribute('data-action'), 'reject', 'row 3 action');
    assert(await row3.isVisible(), 'row 3 hidden');
    assertEq(await row3.locator('td.cell-bad[data-cell="id"]').count(), 1, 'row 3 ID cell highlighted');
    const err3 = page.locator('#import-preview tr.row-errors[data-row="3"] .row-error');
    const t3 = await err3.innerText();
    assert(t3.includes('C 列') && t3.includes('身份证号') && t3.includes('第 3 行') && t3.includes('出生日期'), `row 3 error: "${t3}"`);
    const t4 = await page.locator('#import-preview tr.row-errors[data-row="4"] .row-error').innerText();
    assert(t4.includes('D 列') && t4.includes('9999999999'), `row 4 error: "${t4}"`);
    assertEq(await page.locator('#import-preview tr.row-errors').count(), 2, 'rows with errors under them');
    await shot(page, 'import-errors');
    // Showing all rows brings back the good one, not highlighted.
    await page.selectOption('#row-filter', 'all');
    assert(await page.locator('#import-preview tr.pv-row[data-row="2"]').isVisible(), 'good row hidden under 全部行');
    for (const r of [good, badDate, badSchool]) assertEq((await studentsNamed(zz, r.name)).length, 0, `${r.name} imported`);
    // The real import of the same file is refused by the server too, and writes nothing.
    const real = await zz.upload('/api/v1/imports/roster', rosterCsv([good, badDate, badSchool]));
    assertEq(real.status, 422, 'real import of the bad file');
    assertEq((await studentsNamed(zz, good.name)).length, 0, 'good row written by a refused import');
    await zz.dispose();
  });

  test('an import refused at confirm (the data changed after the dry run) shows every error', async ({ page }) => {
    const [name] = await importStudents(1, { grade: '四年级' });
    const csv = `帮扶人,工作单位及职务,帮扶学生,学校,所在年级,贫困原因\r\n${uniqueName('柯')},${SCHOOL}四年级班主任,${name},${SCHOOL},四年级,因学\r\n`;
    await login(page, 'zizhu');
    await chooseFile(page, `结对-${RUN_ID}.csv`, csv, '结对帮扶登记表');
    assert(await page.locator('#import-ready').isVisible(), `dry run not ready: ${await page.locator('#import-result').innerText()}`);
    assertEq((await page.locator('#n-added').innerText()).trim(), '1', 'pairings to add');
    // Someone registers a second student of the same name, school and grade: the row is now ambiguous.
    const zz = await apiAs('zizhu');
    const { code } = await schoolCode(zz);
    const again = await zz.upload('/api/v1/imports/roster', rosterCsv([{ name, id: idNumber('20160707'), code, grade: '四年级' }]));
    assertEq(again.status, 200, 'second student import');
    await page.click('#import-confirm');
    await page.waitForSelector('#import-refused', { timeout: 15_000 });
    const head = await page.locator('#import-refused').innerText();
    assert(head.includes('导入被拒绝') && head.includes('未写入'), `refusal reads "${head}"`);
    const err = await page.locator('#import-preview tr.row-errors[data-row="2"] .row-error').innerText();
    assert(err.includes('第 2 行') && err.includes('身份证号'), `row 2 error: "${err}"`);
    const ids = (await studentsNamed(zz, name)).map((s) => s.id);
    assertEq(ids.length, 2, 'students of that name');
    for (const id of ids) {
      const p = await zz.call('GET', `/api/v1/pairings?student_id=${id}`);
      assertEq(p.body.total, 0, `pairings written for student ${id} by a refused import`);
    }
    await shot(page, 'import-refused');
    await zz.dispose();
  });

  test('xiaozhang pairs an unpaired student with a new staff member, logs a home visit, ends the pairing', async ({ page }) => {
    const [name, other] = await importStudents(2);
    await login(page, 'xiaozhang');
    await page.click('#nav a[data-page="roster"]');
    await page.waitForSelector('#roster-table');
    const before = Number(await page.locator('#unpaired-count').innerText());
    assert(before >= 2, `unpaired count ${before} lacks the two new students`);
    // Both new students are listed as unpaired (filter on the name, only unpaired).
    await page.fill('#roster-filter input[name=q]', name);
    await page.check('#roster-filter input[name=unpaired]');
    await page.click('#roster-filter button[type=submit]');
    await page.waitForFunction((n) => { const r = document.querySelectorAll('#roster-table tbody tr'); return r.length === 1 && r[0].innerText.includes(n); }, name);
    const row = page.locator('#roster-table tbody tr', { hasText: name });
    assert((await row.getAttribute('class')).includes('is-unpaired'), 'new student not highlighted');
    assert((await row.innerText()).includes('未结对'), 'new student not marked 未结对');
    await shot(page, 'roster-list');
    await row.locator('a.student-link').click();
    await page.waitForSelector('#pairings-card');
    assertEq((await page.locator('#student-name').innerText()).trim(), name, 'student page name');
    assertEq((await page.locator('#student-pair-state').innerText()).trim(), '今日未结对', 'state before pairing');
    assert((await page.locator('#enrolments').innerText()).includes('2026-09-01'), 'enrolment history lacks the start');
    // Pair with a new staff member, from the first of the month.
    const helper = uniqueName('滕');
    await page.click('#add-pairing-btn');
    await page.selectOption('#p-staff', 'new');
    await page.fill('#ns-name', helper);
    await page.fill('#ns-position', '三年级班主任');
    await page.locator('#new-staff label.check', { hasText: '班主任' }).click();
    await page.fill('#p-start', '2026-11-01');
    await page.click('#pairing-form button[type=submit]');
    await page.locator('#pairings .pair-row.on', { hasText: helper }).waitFor({ timeout: 10_000 });
    assertEq((await page.locator('#student-pair-state').innerText()).trim(), '已结对', 'state after pairing');
    assert((await page.locator('#flash').innerText()).includes(helper), 'no confirmation naming the helper');
    // A home visit by phone; the helper is preselected.
    await page.click('#add-visit-btn');
    assertEq(await page.locator('#v-staff option:checked').innerText().then((t) => t.includes(helper)), true, 'helper preselected for the visit');
    await page.locator('#v-kind label.seg-opt', { hasText: '电话' }).click();
    const note = `电话了解学习情况 ${RUN_ID}`;
    await page.fill('#v-note', note);
    // A visit dated tomorrow: the server's error appears next to the date, nothing is saved.
    await page.fill('#v-date', '2026-11-24');
    await page.click('#visit-form button[type=submit]');
    await page.locator('#err-v-date').waitFor({ state: 'visible' });
    assert(/[\u4e00-\u9fff]/.test(await page.locator('#err-v-date').innerText()), 'date error not in Chinese');
    assertEq(await page.getAttribute('#v-date', 'aria-invalid'), 'true', 'aria-invalid on the date');
    assertEq(await page.locator('#visits li').count(), 0, 'visits after the refused one');
    await page.fill('#v-date', '2026-11-23');
    await page.click('#visit-form button[type=submit]');
    await page.locator('#visits li', { hasText: note }).waitFor({ timeout: 10_000 });
    assert((await page.locator('#visits li', { hasText: note }).innerText()).includes('电话'), 'visit kind not shown');
    await shot(page, 'student');
    // The API agrees, and the count on top dropped by one.
    const xz = await apiAs('xiaozhang');
    const [st] = await studentsNamed(xz, name);
    const detail = (await xz.call('GET', `/api/v1/students/${st.id}`)).body;
    assertEq(detail.pairings.map((p) => [p.staff_name, p.start_date, p.end_date]), [[helper, '2026-11-01', null]], 'pairings (API)');
    assertEq(detail.home_visits.map((v) => [v.kind, v.note, v.staff_name]), [['电话', note, helper]], 'home visits (API)');
    await page.click('.back a');
    await page.waitForSelector('#unpaired-count');
    assertEq(Number(await page.locator('#unpaired-count').innerText()), before - 1, 'unpaired count after pairing');
    // The other new student is still unpaired.
    assertEq((await studentsNamed(xz, other)).length, 1, 'the other student');
    // End the pairing yesterday: the student is unpaired again today.
    await page.goto(BASE + `/#/roster/${st.id}`);
    await page.waitForSelector('#pairings .end-form');
    await page.fill('#pairings .end-form input[name=end_date]', '2026-11-22');
    await page.click('#pairings .end-form button[type=submit]');
    await page.locator('#pairings .pair-row.ended', { hasText: helper }).waitFor({ timeout: 10_000 });
    assertEq((await page.locator('#student-pair-state').innerText()).trim(), '今日未结对', 'state after ending');
    const ended = (await xz.call('GET', `/api/v1/students/${st.id}`)).body.pairings;
    assertEq(ended.map((p) => p.end_date), ['2026-11-22'], 'end date (API)');
    await page.goto(BASE + '/#/roster');
    await page.waitForSelector('#unpaired-count');
    assertEq(Number(await page.locator('#unpaired-count').innerText()), before, 'unpaired count after ending');
    await xz.dispose();
  });

  test('juzhang sees 结对覆盖: totals, the town table, the split, drill-down to a town, the chart', async ({ page }) => {
    await importStudents(1, { cats: '建档立卡、留守' });
    await login(page, 'juzhang');
    await page.click('#nav a[data-page="coverage"]');
    await page.waitForSelector('#cov-table');
    const api = await page.evaluate(async () => {
      const get = async (u) => (await fetch(u, { cache: 'no-store' })).json();
      return { cov: await get('/api/v1/metrics/pairing-coverage'), key: await get('/api/v1/metrics/key-students-unvisited?per_page=20') };
    });
    const towns = api.cov.rows.filter((r) => r.kind === 'town');
    assert(towns.length > 0, 'no towns in the coverage answer');
    assertEq(await page.locator('#cov-table tbody tr[data-kind="town"]').count(), towns.length, 'town rows');
    assertEq(await page.locator('#cov-table tbody tr').count(), api.cov.rows.length, 'all rows');
    const t = api.cov.totals;
    assertEq((await page.locator('[data-total="eligible"]').innerText()).trim(), String(t.eligible), 'eligible total');
    assertEq((await page.locator('[data-total="unpaired"]').innerText()).trim(), String(t.unpaired), 'unpaired total');
    assert(t.eligible > 0, 'nobody eligible in the county');
    const town = api.cov.rows.find((r) => r.name === TOWN);
    const townRow = page.locator(`#cov-table tr[data-org-id="${town.org_id}"]`);
    const cells = await townRow.locator('td').allInnerTexts();
    assertEq([cells[1], cells[2], cells[4]].map((c) => c.trim()), [String(town.eligible), String(town.paired), String(town.unpaired)], `${TOWN} row`);
    assertEq((await page.locator('[data-split="helpers"]').innerText()).trim(), String(api.cov.split.helpers), 'helpers');
    assertEq((await page.locator('[data-split="many_to_one"]').innerText()).trim(), String(api.cov.split.many_to_one), '多帮一');
    // Key students not visited this month: names as the API gives them (masked for the bureau).
    assertEq(Number(await page.locator('#key-unvisited').innerText()), api.key.total, 'key students unvisited');
    const shownNames = await page.locator('#key-table tbody tr td:first-child').allInnerTexts();
    assert(api.key.items.length > 0, 'no unvisited key student (the test imported one)');
    assert(shownNames[0].startsWith(api.key.items[0].name), `first key student "${shownNames[0]}" vs API "${api.key.items[0].name}"`);
    assert(api.key.items[0].name.includes('*'), 'the bureau head sees an unmasked name');
    // The chart loads.
    const chart = page.locator('#cov-chart');
    assert((await chart.getAttribute('src')).includes(`org_id=${api.cov.org.id}`), 'chart src lacks the org');
    await page.waitForFunction(() => { const i = document.querySelector('#cov-chart'); return i && i.complete && i.naturalWidth > 0; });
    await shot(page, 'coverage');
    // Drill down to the town: its schools.
    await townRow.locator('a.drill').click();
    await page.waitForFunction((id) => new URLSearchParams(location.hash.split('?')[1] || '').get('org') === String(id), town.org_id);
    await page.waitForSelector('#cov-table tbody tr[data-kind="school"]');
    assert(await page.locator('#cov-table tbody tr', { hasText: SCHOOL }).count() === 1, `${SCHOOL} not among the town's rows`);
    assertEq(await page.locator('#cov-table tbody tr[data-kind="town"]').count(), 0, 'town rows inside a town');
    assert((await page.locator('.crumbs').innerText()).includes(TOWN), 'breadcrumb lacks the town');
    assert((await chart.getAttribute('src')).includes(`org_id=${town.org_id}`), 'chart not redrawn for the town');
    await page.waitForFunction(() => { const i = document.querySelector('#cov-chart'); return i && i.complete && i.naturalWidth > 0; });
    const townTotal = (await page.locator('[data-total="eligible"]').innerText()).trim();
    assertEq(townTotal, String(town.eligible), 'town total after the drill-down');
    await shot(page, 'coverage-town');
  });

  test('names, households and notes with markup are shown as text on the roster pages', async ({ page }) => {
    const mark = `xss${RUN_ID}${++seq}`;
    const name = `<img src=x id=${mark}a>${uniqueName()}`;
    const zz = await apiAs('zizhu');
    const { code } = await schoolCode(zz);
    const csv = rosterCsv([{ name, id: idNumber('20160909'), code, head: `<b id=${mark}b>户</b>`, address: `<i id=${mark}c>村</i>` }]);
    // The import preview (dry run) shows the name and household literally.
    await login(page, 'zizhu');
    await chooseFile(page, 'x.csv', csv, '学生名册');
    assert((await page.locator('#import-preview').innerText()).includes(name), 'preview lacks the literal name');
    assertEq(await page.locator(`[id^="${mark}"]`).count(), 0, 'elements injected in the preview');
    await page.click('#import-confirm');
    await page.waitForSelector('#import-done');
    assertEq(await page.locator(`[id^="${mark}"]`).count(), 0, 'elements injected by the flash or result');
    await zz.dispose();
    // The principal's list and the student page, with a staff member and a visit note of markup.
    await page.context().clearCookies();
    await login(page, 'xiaozhang');
    await page.goto(BASE + `/#/roster?q=${encodeURIComponent(name.slice(-8))}`);
    await page.waitForSelector('#roster-table');
    assert((await page.locator('#roster-table').innerText()).includes(name), 'list lacks the literal name');
    await page.locator('#roster-table a.student-link').first().click();
    await page.waitForSelector('#pairings-card');
    assertEq((await page.locator('#student-name').innerText()).trim(), name, 'student heading');
    assert((await page.locator('.student-facts').innerText()).includes(`<b id=${mark}b>户</b>`), 'household head not literal');
    await page.click('#add-pairing-btn');
    await page.selectOption('#p-staff', 'new');
    const helper = `<s id=${mark}d>${uniqueName('滕')}</s>`;
    await page.fill('#ns-name', helper);
    await page.click('#pairing-form button[type=submit]');
    await page.locator('#pairings .pair-row', { hasText: helper }).waitFor({ timeout: 10_000 });
    await page.click('#add-visit-btn');
    const note = `<script id=${mark}e>alert(1)</script>入户`;
    await page.fill('#v-note', note);
    await page.click('#visit-form button[type=submit]');
    await page.locator('#visits li', { hasText: note }).waitFor({ timeout: 10_000 });
    assertEq(await page.locator(`[id^="${mark}"]`).count(), 0, 'elements injected on the student page');
    assert((await page.locator('#flash').innerText()).length > 0, 'no confirmation');
  });

  test('roster pages are offered only to the roles the API allows', async ({ page }) => {
    const expect = {
      admin: ['roster-import'], juzhang: ['coverage'], duxue: ['coverage'],
      zizhu: ['roster-import', 'coverage'], xiaozhang: ['roster', 'roster-import'],
    };
    const all = ['roster', 'roster-import', 'coverage'];
    for (const [user, ids] of Object.entries(expect)) {
      await page.context().clearCookies();
      await login(page, user);
      const shown = await page.locator('#nav a').evaluateAll((as) => as.map((a) => a.dataset.page));
      assertEq(all.filter((id) => shown.includes(id)), ids, `roster pages in ${user}'s nav`);
      for (const id of all.filter((x) => !ids.includes(x))) {
        await page.goto(BASE + `/#/${id}`);
        await page.waitForSelector('.page h1');
        assertEq((await page.locator('.page h1').innerText()).trim(), '无法打开该页面', `#/${id} for ${user}`);
      }
    }
    // A principal may import only the pairing register.
    await page.goto(BASE + '/#/roster-import');
    await page.waitForSelector('#import-file');
    assertEq((await page.locator('.page h1').innerText()).trim(), '导入结对帮扶登记表', 'principal import heading');
    assertEq(await page.locator('input[name=kind]').count(), 0, 'principal offered the roster import');
  });

  test('at 360×740 the roster pages have no horizontal scroll', async ({ page }) => {
    const [name] = await importStudents(1);
    await page.setViewportSize({ width: 360, height: 740 });
    await login(page, 'xiaozhang');
    await page.goto(BASE + '/#/roster');
    await page.waitForSelector('#roster-table');
    await noHorizontalScroll(page, '本校名册与结对');
    await shot(page, 'mobile-list');
    const xz = await apiAs('xiaozhang');
    const [st] = await studentsNamed(xz, name);
    await xz.dispose();
    await page.goto(BASE + `/#/roster/${st.id}`);
    await page.waitForSelector('#pairings-card');
    await page.click('#add-pairing-btn');
    await page.selectOption('#p-staff', 'new');
    await page.click('#add-visit-btn');
    await noHorizontalScroll(page, 'student page with both forms open');
    await shot(page, 'mobile-student');
    await page.context().clearCookies();
    await login(page, 'zizhu');
    const zz = await apiAs('zizhu');
    const { code } = await schoolCode(zz);
    await zz.dispose();
    await chooseFile(page, '名册.csv', rosterCsv([{ name: uniqueName(), id: idNumber('20190230'), code },
      { name: uniqueName(), id: idNumber('20150101'), code, cats: '贫困生' }]), '学生名册');
    await page.selectOption('#row-filter', 'all');
    await noHorizontalScroll(page, '名册导入 with row errors');
    await shot(page, 'mobile-import');
    await page.goto(BASE + '/#/coverage');
    await page.waitForSelector('#cov-table');
    await page.waitForFunction(() => { const i = document.querySelector('#cov-chart'); return i && i.complete && i.naturalWidth > 0; });
    await noHorizontalScroll(page, '结对覆盖');
    await shot(page, 'mobile-coverage');
  });

  return tests;
}
