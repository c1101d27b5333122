// Browser tests of 检查表模板 (web/page-templates.js): the admin lists the current checklist
// templates, creates one, and edits one, every save making a new version (PUT) while the old
// one stays as it was. run.mjs imports templatesPageTests(h) and adds each test; h carries
// its helpers.
//
// Other tests rely on template 1 (责任督学挂牌督导及教育资助检查表) staying current with its
// items, so these tests never write to its lineage: each makes its own template, named with
// the run's id, through the page or the API.

import path from 'node:path';

const TITLES = ['项目一', '项目二', '项目三', '项目四'];
const SAVED = (n) => `已保存为第 ${n} 版，新的督导记录将使用新版本；已有督导记录仍按原版本`;

export function templatesPageTests(h) {
  const { BASE, OUT, RUN_ID, login, apiAs, assert, assertEq, noHorizontalScroll } = h;
  const tests = [];
  const test = (name, fn) => tests.push({ name, fn });
  const shot = (page, name, full = true) => page.screenshot({ path: path.join(OUT, `templates-${name}.png`), fullPage: full });

  // A template of the codes given (titles 项目一…), made through the API.
  async function makeTemplate(ad, tag, codes, extra = {}) {
    const r = await ad.call('POST', '/api/v1/templates', {
      name: `浏览器测试检查表${RUN_ID}${tag}`, description: '浏览器测试用',
      items: codes.map((code, i) => ({ code, category: '测试类', title: TITLES[i], hint: `要点${i + 1}` })), ...extra,
    });
    assertEq(r.status, 201, 'POST /api/v1/templates ' + JSON.stringify(r.body));
    return r.body;
  }

  async function getTemplate(ad, id) {
    const r = await ad.call('GET', `/api/v1/templates/${id}`);
    assertEq(r.status, 200, `GET /api/v1/templates/${id}`);
    return r.body;
  }

  // Every version of lineage (API), newest first.
  async function versions(ad, lineage) {
    const r = await ad.call('GET', '/api/v1/templates?all=1');
    assertEq(r.status, 200, 'GET /api/v1/templates?all=1');
    return r.body.items.filter((t) => t.lineage_id === lineage);
  }

  // Opens the editor of template id, drawn afresh.
  async function openEditor(page, id) {
    await page.goto(BASE + '/#/home');
    await page.waitForSelector('#home-role');
    await page.goto(BASE + `/#/templates/${id}`);
    await page.waitForSelector('#tpl-form');
  }

  // The items as the editor shows them: [code, category, title, hint] each.
  const shownItems = (page) => page.$$eval('.tpl-item', (lis) => lis.map((li) =>
    ['code', 'category', 'title', 'hint'].map((k) => li.querySelector(`[name="${k}"]`).value)));
  const flashSays = (page, text) => page.waitForFunction((s) => document.querySelector('#flash:not([hidden])')?.textContent.includes(s), text)
    .catch(async () => { throw new Error(`flash reads "${await page.locator('#flash').innerText()}", expected "${text}"`); });
  const hashId = (page) => Number((/^#\/templates\/(\d+)$/.exec(new URL(page.url()).hash) || [])[1]);
  const apiItems = (t) => t.items.map((it) => [it.code, it.category, it.title, it.hint]);

  test('检查表模板: the admin sees the current templates and creates one with 新建模板 (a blank name refused)', async ({ page }) => {
    const ad = await apiAs('admin');
    try {
      const current = (await ad.call('GET', '/api/v1/templates')).body.items;
      const stored = async () => (await ad.call('GET', '/api/v1/templates?all=1')).body.items.length;
      const before = await stored();
      await login(page, 'admin');
      await page.click('#nav a[data-page="templates"]');
      await page.waitForSelector('#tpl-table');
      assertEq(await page.locator('#tpl-table tbody tr').count(), current.length, 'rows of the list');
      for (const t of current) {
        const text = await page.locator(`#tpl-table tr[data-id="${t.id}"]`).innerText();
        assert(text.includes(t.name) && text.includes(`第 ${t.version} 版`) && text.includes(`${t.item_count} 项`), `row of template ${t.id}: "${text}"`);
      }
      await shot(page, 'list');
      await page.click('#tpl-new');
      await page.waitForSelector('#tpl-form');
      assertEq(await page.locator('.tpl-item').count(), 1, 'items of a new template');
      assert(await page.locator('.tpl-item [data-remove]').isDisabled(), 'the only item can be removed');
      await page.fill('#ti-0-category', '安全管理');
      await page.fill('#ti-0-title', '校园安全制度落实情况');
      await page.click('#tpl-save');
      const err = page.locator('#err-tpl-name');
      await err.waitFor();
      assertEq((await err.innerText()).trim(), '“名称”不能为空', 'the message under 名称');
      assertEq(await page.getAttribute('#tpl-name', 'aria-invalid'), 'true', 'aria-invalid on 名称');
      assertEq(await stored(), before, 'templates after the refusal (API)');

      const name = `浏览器测试检查表${RUN_ID}新建`;
      await page.fill('#tpl-name', name);
      await page.fill('#tpl-description', '新建模板测试');
      await page.fill('#ti-0-hint', '查看制度文本和落实记录');
      await page.click('#tpl-add');
      assertEq([await page.inputValue('#ti-1-code'), await page.inputValue('#ti-1-category')], ['I2', '安全管理'], 'code and category of an added item');
      assertEq(await page.evaluate(() => document.activeElement.id), 'ti-1-title', 'focus after adding');
      assert(await page.locator('[data-index="0"] [data-remove]').isEnabled(), 'remove disabled with two items');
      await page.fill('#ti-1-title', '食堂食品安全');
      await page.click('#tpl-add');
      await page.fill('#ti-2-code', 'FIRE-1');
      await page.fill('#ti-2-category', '消防');
      await page.fill('#ti-2-title', '消防设施完好');
      await page.click('#tpl-save');
      await flashSays(page, `已创建检查表模板“${name}”，共 3 项`);
      const id = hashId(page);
      assert(id > 0, `address after creating: ${page.url()}`);
      const made = await getTemplate(ad, id);
      assertEq([made.name, made.description, made.version, made.is_current], [name, '新建模板测试', 1, true], 'the template made (API)');
      assertEq(apiItems(made), [['I1', '安全管理', '校园安全制度落实情况', '查看制度文本和落实记录'],
        ['I2', '安全管理', '食堂食品安全', ''], ['FIRE-1', '消防', '消防设施完好', '']], 'its items (API)');
      assertEq((await page.locator('.page-head h1').innerText()).trim(), name, 'heading after creating');
      assert((await page.locator('#tpl-version').innerText()).includes('第 1 版'), 'version after creating');
      await page.click('.back a');
      const row = page.locator(`#tpl-table tr[data-id="${id}"]`);
      await row.waitFor();
      const text = await row.innerText();
      assert(text.includes(name) && text.includes('第 1 版') && text.includes('3 项'), `row of the new template: "${text}"`);
    } finally {
      await ad.dispose();
    }
  });

  test('检查表模板: renaming, adding, removing and reordering items saves a new version; the old one is unchanged', async ({ page }) => {
    const ad = await apiAs('admin');
    try {
      const old = await makeTemplate(ad, '改版', ['A1', 'A2', 'A3', 'A4']);
      await login(page, 'admin');
      await openEditor(page, old.id);
      assertEq(await shownItems(page), apiItems(old), 'items shown');
      const name = `${old.name}（修订）`;
      await page.fill('#tpl-name', name);
      await page.click('[data-index="1"] [data-remove]');
      await page.click('#tpl-add');
      assertEq(await page.inputValue('#ti-3-code'), 'I4', 'code of the added item');
      await page.fill('#ti-3-title', '新增项目');
      await page.click('[data-index="3"] [data-move="-1"]'); // A1 A3 I4 A4
      await page.click('[data-index="2"] [data-move="-1"]'); // A1 I4 A3 A4
      await page.click('[data-index="3"] [data-move="-1"]'); // A1 I4 A4 A3
      const want = [['A1', '测试类', '项目一', '要点1'], ['I4', '测试类', '新增项目', ''],
        ['A4', '测试类', '项目四', '要点4'], ['A3', '测试类', '项目三', '要点3']];
      assertEq(await shownItems(page), want, 'items after the moves');
      assertEq(await page.evaluate(() => document.activeElement.getAttribute('aria-label')), '上移第 3 项', 'focus after moving');
      assert(await page.locator('[data-index="0"] [data-move="-1"]').isDisabled(), 'the first item can move up');
      assert(await page.locator('[data-index="3"] [data-move="1"]').isDisabled(), 'the last item can move down');
      await shot(page, 'editor');
      await page.click('#tpl-save');
      await flashSays(page, SAVED(2));
      const id = hashId(page);
      assert(id > 0 && id !== old.id, `address after saving: ${page.url()}`);
      const made = await getTemplate(ad, id);
      assertEq([made.lineage_id, made.version, made.is_current, made.name], [old.lineage_id, 2, true, name], 'the new version (API)');
      assertEq(apiItems(made), want, 'its items in order (API)');
      assertEq(made.items.map((it) => it.position), [1, 2, 3, 4], 'positions (API)');
      const before = await getTemplate(ad, old.id);
      assertEq([before.version, before.is_current, before.name], [1, false, old.name], 'the old version (API)');
      assertEq(before.items, old.items, 'the old version\'s items (API)');
      const current = (await ad.call('GET', '/api/v1/templates')).body.items.map((t) => t.id);
      assert(current.includes(id) && !current.includes(old.id), `current templates: ${current}`);
      assertEq((await page.locator('.page-head h1').innerText()).trim(), name, 'heading after saving');
      assert((await page.locator('#tpl-version').innerText()).includes('第 2 版'), 'version shown after saving');

      // Saving again unchanged makes no version.
      await page.click('#tpl-save');
      await flashSays(page, '检查表没有改动');
      assertEq((await versions(ad, old.lineage_id)).length, 2, 'versions after an unchanged save (API)');

      // The old version opens read-only, pointing at the current one.
      await openEditor(page, old.id);
      const note = page.locator('#tpl-superseded');
      await note.waitFor();
      assert((await note.innerText()).includes('第 2 版'), `superseded note: ${await note.innerText()}`);
      assertEq(await note.locator('a').getAttribute('href'), `#/templates/${id}`, 'link to the current version');
      assert(await page.locator('#tpl-save').isDisabled(), 'an old version can be saved');
      assertEq(await shownItems(page), apiItems(old), 'items of the old version shown');
    } finally {
      await ad.dispose();
    }
  });

  test('检查表模板: a blank item title is shown under that item\'s 标题, a repeated code under its 编号; nothing is saved', async ({ page }) => {
    const ad = await apiAs('admin');
    try {
      const old = await makeTemplate(ad, '校验', ['C1', 'C2', 'C3']);
      await login(page, 'admin');
      await openEditor(page, old.id);
      await page.fill('#ti-1-title', '\u3000 ');
      await page.click('#tpl-save');
      const err = page.locator('#err-ti-1-title');
      await err.waitFor();
      assertEq((await err.innerText()).trim(), '“标题”不能为空', 'the message under the second item\'s 标题');
      assertEq(await page.getAttribute('#ti-1-title', 'aria-invalid'), 'true', 'aria-invalid on the title');
      assertEq(await page.evaluate(() => document.activeElement.id), 'ti-1-title', 'focus after the refusal');
      assertEq(await page.locator('.field-error:visible').count(), 1, 'visible field errors');
      assert(await page.locator('#tpl-error').isHidden(), 'a form-level error instead of the field error');
      assert(await page.locator('#flash').isHidden(), 'a message appeared');
      await shot(page, 'blank-title', false);
      assertEq((await versions(ad, old.lineage_id)).length, 1, 'versions after the refusal (API)');

      await page.fill('#ti-1-title', '项目二');
      await page.fill('#ti-2-code', 'c1');
      await page.click('#tpl-save');
      const dup = page.locator('#err-ti-2-code');
      await dup.waitFor();
      assert((await dup.innerText()).includes('重复'), `the message under the third item's 编号: ${await dup.innerText()}`);
      assert(await page.locator('#err-ti-1-title').isHidden(), 'the earlier error still shown');
      assertEq((await versions(ad, old.lineage_id)).length, 1, 'versions after the second refusal (API)');
      assertEq(await getTemplate(ad, old.id), old, 'the template (API)');
    } finally {
      await ad.dispose();
    }
  });

  test('检查表模板: a save after someone else saved (409) says so and shows the current version', async ({ page }) => {
    const ad = await apiAs('admin');
    try {
      const old = await makeTemplate(ad, '并发', ['D1', 'D2']);
      await login(page, 'admin');
      await openEditor(page, old.id);
      const other = await ad.call('PUT', `/api/v1/templates/${old.id}`, { version: 1, name: `${old.name}（他人）` });
      assertEq(other.status, 201, 'a version saved meanwhile (API)');
      await page.fill('#ti-0-title', '我的修改');
      await page.click('#tpl-save');
      const err = page.locator('#tpl-error');
      await err.waitFor();
      const text = await err.innerText();
      assert(text.includes('已被他人修改') && text.includes('第 2 版'), `the 409 message: ${text}`);
      assertEq((await page.locator('.page-head h1').innerText()).trim(), other.body.name, 'heading after the 409');
      assertEq(hashId(page), other.body.id, 'address after the 409');
      assertEq(await page.inputValue('#ti-0-title'), '项目一', 'title shown after the 409');
      assertEq((await versions(ad, old.lineage_id)).map((t) => t.version), [2, 1], 'versions after the 409 (API)');
      await shot(page, 'conflict', false);
      // Saved again from the current version, it goes through.
      await page.fill('#ti-0-title', '我的修改');
      await page.click('#tpl-save');
      await flashSays(page, SAVED(3));
      assertEq((await getTemplate(ad, hashId(page))).items[0].title, '我的修改', 'title of version 3 (API)');
    } finally {
      await ad.dispose();
    }
  });

  test('检查表模板: at 360 px the list and the editor have no horizontal scroll; names are shown as text', async ({ page }) => {
    const ad = await apiAs('admin');
    const name = `<img src=x id=xss${RUN_ID}>浏览器测试${RUN_ID}`;
    let t;
    try {
      t = await makeTemplate(ad, '', ['LONGCODE-ABCDEF1', 'B2'], {
        name, items: [{ code: 'LONGCODE-ABCDEF1', category: '类'.repeat(50), title: 'W'.repeat(100), hint: '要'.repeat(500) },
          { category: '测试类', title: '项目二' }],
      });
    } finally {
      await ad.dispose();
    }
    await page.setViewportSize({ width: 360, height: 740 });
    await login(page, 'admin');
    await page.goto(BASE + '/#/templates');
    const row = page.locator(`#tpl-table tr[data-id="${t.id}"]`);
    await row.waitFor();
    assert((await row.innerText()).includes(name), 'the name is not shown literally');
    assertEq(await page.locator(`#xss${RUN_ID}`).count(), 0, 'injected elements');
    await noHorizontalScroll(page, '检查表模板 list');
    await shot(page, 'phone-list');
    await openEditor(page, t.id);
    assertEq((await page.locator('.page-head h1').innerText()).trim(), name, 'heading');
    await noHorizontalScroll(page, '检查表模板 editor');
    const [code, title] = [await page.locator('#ti-0-code').boundingBox(), await page.locator('#ti-0-title').boundingBox()];
    assert(title.y > code.y, 'the fields of an item are not stacked on a phone');
    await page.click('#tpl-add');
    await noHorizontalScroll(page, '检查表模板 editor with an added item');
    await shot(page, 'phone-editor');
    await page.goto(BASE + '/#/templates/new');
    await page.waitForSelector('#tpl-form');
    await noHorizontalScroll(page, '新建模板');
    await page.setViewportSize({ width: 1280, height: 800 });
    await openEditor(page, t.id);
    await noHorizontalScroll(page, '检查表模板 editor at 1280 px');
    const [c2, t2] = [await page.locator('#ti-0-code').boundingBox(), await page.locator('#ti-0-title').boundingBox()];
    assertEq(Math.round(t2.y), Math.round(c2.y), 'code and title on one line at 1280 px');
  });

  return tests;
}
