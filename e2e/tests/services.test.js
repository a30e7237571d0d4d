// IT services (issue 19 item 5, R-SVC-1): the demo has "Verksamhetssystem drift" with a year of
// monthly follow-ups, missing its target in some months. An editor opens it from IT-tjänster,
// sees the chart (an image with a title) and the same numbers in the table, records a quarter's
// follow-up through the form, imports a file with a bad row (refused, naming the row and the
// column) and then a good one; defines a new service through the form. Axe runs on the list,
// a service page with its chart and the forms in Swedish and English.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expectNoViolations } from '../lib/axe.js';
import { t } from '../lib/i18n.js';
import { server, signedInPage, useServerAndBrowser } from '../lib/harness.js';

useServerAndBrowser();

async function finish(page) {
  assert.deepEqual(page.problems, [], 'no script errors or failed requests');
  await page.context().close();
}

function file(text) {
  return { name: 'uppfoljning.csv', mimeType: 'text/csv', buffer: Buffer.from(text, 'utf8') };
}

test('IT services: a service charted, followed up by form and file, a new one defined, axe in sv and en', async () => {
  const o = `/o/${server.org}`;
  const editor = await signedInPage('editor');
  await editor.goto(o);
  await editor.getByRole('link', { name: t('sv', 'nav-services'), exact: true }).click();
  await editor.waitForURL(new RegExp(`${o}/services$`));
  await expectNoViolations(editor, 'IT services (sv)');
  await editor.getByRole('link', { name: 'Verksamhetssystem drift', exact: true }).click();
  await editor.waitForURL(new RegExp(`${o}/services/[0-9a-f-]{36}$`));
  const url = editor.url();
  const chart = editor.getByRole('img', { name: t('sv', 'service-chart-title') });
  await chart.waitFor();
  const table = await editor.getByRole('table', { name: t('sv', 'service-follow-up-table') }).innerText();
  assert.match(table, new RegExp(t('sv', 'service-outcome-missed')), 'a missed month in the table');
  assert.match(table, /98,9 %/);
  await expectNoViolations(editor, 'a service with its chart (sv)');

  // A quarter through the form; a bad period first, named on its field.
  await editor.getByLabel(t('sv', 'service-period'), { exact: true }).fill('mars');
  await editor.getByRole('button', { name: t('sv', 'service-follow-up-save') }).click();
  assert.match(await editor.locator('.error-summary').innerText(), new RegExp(t('sv', 'error-service-period').slice(0, 20)));
  await expectNoViolations(editor, 'a refused follow-up (sv)');
  await editor.getByLabel(t('sv', 'service-period'), { exact: true }).fill('2024-Q4');
  await editor.getByLabel(t('sv', 'service-measured-availability'), { exact: true }).fill('99,1');
  await editor.getByRole('button', { name: t('sv', 'service-follow-up-save') }).click();
  await editor.waitForURL(new RegExp(`${url}#follow-ups$`));

  // A file with a bad row changes nothing; a good one is imported.
  const upload = editor.getByLabel(t('sv', 'service-import-file'), { exact: true });
  await upload.setInputFiles(file('Period;Tillgänglighet\r\n2024-01;99,9\r\n2024-02;hundra\r\n'));
  await editor.getByRole('button', { name: t('sv', 'service-import-button') }).click();
  const refused = await editor.locator('#import-errors').innerText();
  assert.match(refused, /Rad 3, kolumnen Tillgänglighet/);
  await expectNoViolations(editor, 'a refused import (sv)');
  await editor.getByLabel(t('sv', 'service-import-file'), { exact: true })
    .setInputFiles(file('Period;Tillgänglighet;Kommentar\r\n2024-01;99,9;\r\n2024-02;97,5;Strömavbrott\r\n'));
  await editor.getByRole('button', { name: t('sv', 'service-import-button') }).click();
  await editor.waitForURL(new RegExp(`${url}#follow-ups$`));

  // A new service through the form.
  await editor.goto(`${o}/services/new`);
  await expectNoViolations(editor, 'the service form (sv)');
  await editor.getByLabel(t('sv', 'service-name'), { exact: true }).fill('E-tjänsteplattform');
  await editor.getByLabel(t('sv', 'service-unit'), { exact: true }).selectOption({ index: 1 });
  await editor.getByLabel(t('sv', 'service-availability-target-pct'), { exact: true }).fill('99,7');
  await editor.getByRole('button', { name: t('sv', 'save') }).click();
  await editor.waitForURL(new RegExp(`${o}/services/[0-9a-f-]{36}$`));
  assert.match(await editor.locator('main').innerText(), /99,7 %/);
  await editor.goto(`${editor.url()}/edit`);
  await expectNoViolations(editor, 'the service form, editing (sv)');
  await finish(editor);

  const en = await signedInPage('editor', { lang: 'en' });
  await en.goto(`${o}/services`);
  await expectNoViolations(en, 'IT services (en)');
  await en.goto(url);
  await en.getByRole('img', { name: t('en', 'service-chart-title') }).waitFor();
  await expectNoViolations(en, 'a service with its chart (en)');
  await en.goto(`${o}/services/new`);
  await expectNoViolations(en, 'the service form (en)');
  await finish(en);
});
