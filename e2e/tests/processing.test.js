// The record of processing (registerförteckning, GDPR art. 30) through the real UI (issue 20):
// the demo's editor opens the list, finds the Barn- och utbildningsnämnd's incomplete record
// with its missing items named, opens it, fills in the retention through the form and sees that
// item gone while the DPIA decision is still named; axe runs on the list, a record, the form and
// the printable record, in Swedish and English.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expectNoViolations } from '../lib/axe.js';
import { t } from '../lib/i18n.js';
import { signedInPage, useServerAndBrowser } from '../lib/harness.js';

useServerAndBrowser();

async function finish(page) {
  assert.deepEqual(page.problems, [], 'no script errors or failed requests');
  await page.context().close();
}

test('records of processing: the incomplete record named, an item filled in, axe in sv and en', async () => {
  const editor = await signedInPage('editor');
  const org = editor.server.org;
  const list = `/o/${org}/processing-records`;
  await editor.goto(`/o/${org}/systems`);
  await editor.getByRole('link', { name: t('sv', 'nav-processing'), exact: true }).click();
  await editor.waitForURL(new RegExp(`${list}$`));

  const row = editor.locator('tr', { hasText: 'Elevadministration' });
  const cells = await row.innerText();
  assert.ok(cells.includes(t('sv', 'processing-incomplete')), cells);
  assert.ok(cells.includes(t('sv', 'processing-missing-retention')), cells);
  assert.ok(cells.includes(t('sv', 'processing-missing-dpia-decision')), cells);
  const complete = await editor.locator('tr', { hasText: 'Personaladministration och lön' }).innerText();
  assert.ok(complete.includes(t('sv', 'processing-complete')), complete);

  await row.getByRole('link', { name: 'Elevadministration', exact: true }).click();
  await editor.waitForURL(new RegExp(`${list}/[0-9a-f-]+$`));
  const record = editor.url().replace(/^https?:\/\/[^/]+/, '');
  const print = await editor.getByRole('link', { name: t('sv', 'processing-print'), exact: true }).getAttribute('href');
  await editor.getByRole('link', { name: t('sv', 'processing-edit'), exact: true }).click();
  await editor.waitForURL(new RegExp(`${record}/edit$`));
  await editor.fill('#p-retention', 'Gallras ett år efter avslutad skolgång');
  await editor.getByRole('button', { name: t('sv', 'save'), exact: true }).click();
  await editor.waitForURL(new RegExp(`${record}\\?saved=1$`));
  const missing = await editor.locator('section[aria-labelledby=missing]').innerText();
  assert.ok(!missing.includes(t('sv', 'processing-missing-retention')), missing);
  assert.ok(missing.includes(t('sv', 'processing-missing-dpia-decision')), missing);
  assert.ok((await editor.locator('main').innerText()).includes('Gallras ett år efter avslutad skolgång'));
  await finish(editor);

  for (const lang of ['sv', 'en']) {
    const page = await signedInPage('editor', { lang });
    for (const [path, label] of [
      [list, 'the list'],
      [record, 'a record'],
      [`${record}/edit`, 'the form'],
      [`${list}/new`, 'the new form'],
      [print, 'the printable record'],
    ]) {
      await page.goto(path);
      assert.equal(await page.locator('html').getAttribute('lang'), lang);
      await expectNoViolations(page, `${label} (${lang})`);
    }
    await finish(page);
  }
});
