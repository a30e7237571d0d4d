// Processor agreements (issue 19, GDPR art. 28): the demo has a system holding personal data
// whose supplier has no agreement. An editor sees it in the gap list naming the supplier,
// follows "record an agreement" (supplier and system filled in), records one through the
// form, sees it valid and the gap gone; the system's tab lists it. Axe runs on the list, an
// agreement and the form in Swedish and English.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { call } from '../lib/api.js';
import { expectNoViolations } from '../lib/axe.js';
import { t } from '../lib/i18n.js';
import { server, signedInPage, useServerAndBrowser } from '../lib/harness.js';

useServerAndBrowser();

async function finish(page) {
  assert.deepEqual(page.problems, [], 'no script errors or failed requests');
  await page.context().close();
}

test('processor agreements: a gap closed by recording an agreement through the form, axe in sv and en', async () => {
  const o = `/o/${server.org}`;
  const api = `/api/v1/orgs/${server.org}`;
  const editor = await signedInPage('editor');
  await editor.goto(o);
  const gaps = await call(editor, 'GET', `${api}/processor-gaps`);
  assert.ok(gaps.total >= 1, 'the demo has a system without an agreement');
  const gap = gaps.items.find((g) => g.supplier_name === 'Atea') ?? gaps.items[0];

  await editor.goto(`${o}/contracts`);
  await editor.getByRole('link', { name: t('sv', 'processors-title'), exact: true }).click();
  await editor.waitForURL(new RegExp(`${o}/processors$`));
  const before = await editor.locator('main').innerText();
  assert.match(before, new RegExp(`${gap.system_name}: ${t('sv', 'processors-gap-supplier')} ${gap.supplier_name}`));
  await expectNoViolations(editor, 'processor agreements (sv)');

  await editor.getByRole('link', { name: `${t('sv', 'processors-record-for')} ${gap.system_name}`, exact: true }).click();
  await editor.waitForURL(new RegExp(`${o}/processors/new\\?`));
  assert.equal(await editor.getByLabel(t('sv', 'processor-supplier')).inputValue(), gap.supplier_name);
  assert.equal(await editor.getByLabel(`${t('sv', 'processor-system')} 1`, { exact: true }).inputValue(), gap.system_name);
  await expectNoViolations(editor, 'the agreement form (sv)');

  // A transfer to the US without a mechanism first: saved, but not valid, said in words.
  await editor.getByLabel(t('sv', 'processor-signed-on')).fill('2025-02-01');
  await editor.getByLabel(t('sv', 'processor-last-review')).fill(new Date().toISOString().slice(0, 10));
  await editor.locator('#sub_name-1').fill('Moln Inc');
  await editor.locator('#sub_country-1').fill('US');
  await editor.locator('#transfer_country-1').fill('US');
  await editor.locator('#transfer_mechanism-1').selectOption('none');
  await editor.getByRole('button', { name: t('sv', 'save') }).click();
  await editor.waitForURL(new RegExp(`${o}/processors/[0-9a-f-]{36}$`));
  let main = await editor.locator('main').innerText();
  assert.match(main, new RegExp(t('sv', 'processor-status-not-valid')));
  assert.match(main, /Tredjelandsöverföringen till US saknar överföringsmekanism/);
  await expectNoViolations(editor, 'an agreement (sv)');
  const url = editor.url();
  await editor.goto(`${o}/processors`);
  assert.match(await editor.locator('main').innerText(), new RegExp(`${gap.system_name}: ${t('sv', 'processors-gap-supplier')}`));

  // With standard contractual clauses it is valid, and the gap is gone.
  await editor.goto(`${url}/edit`);
  await expectNoViolations(editor, 'the agreement form, editing (sv)');
  await editor.locator('#transfer_mechanism-1').selectOption('standard_contractual_clauses');
  await editor.getByRole('button', { name: t('sv', 'save') }).click();
  await editor.waitForURL(url);
  main = await editor.locator('main').innerText();
  assert.match(main, new RegExp(`${t('sv', 'processor-status')}: ${t('sv', 'processor-status-valid')}`));
  await editor.goto(`${o}/processors`);
  assert.doesNotMatch(await editor.locator('main').innerText(), new RegExp(`${gap.system_name}: ${t('sv', 'processors-gap-supplier')}`));
  const after = await call(editor, 'GET', `${api}/processor-gaps`);
  assert.equal(after.total, gaps.total - 1);
  await editor.goto(`${o}/systems/${gap.system_id}/processors`);
  assert.match(await editor.locator('main').innerText(), new RegExp(gap.supplier_name));
  await expectNoViolations(editor, 'a system\'s processor agreements (sv)');
  await finish(editor);

  const en = await signedInPage('editor', { lang: 'en' });
  await en.goto(`${o}/processors`);
  await expectNoViolations(en, 'processor agreements (en)');
  await en.goto(url);
  assert.match(await en.locator('main').innerText(), /Valid/);
  await expectNoViolations(en, 'an agreement (en)');
  await en.goto(`${url}/edit`);
  await expectNoViolations(en, 'the agreement form (en)');
  await en.goto(`${o}/processors/new`);
  await expectNoViolations(en, 'a new agreement form (en)');
  await finish(en);
});
