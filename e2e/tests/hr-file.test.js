// Importing an HR file (personalfil) in the browser, in both languages: from the
// people list to the upload form, the dry run's report (new, changed, leaving, rows
// that cannot be used), and the confirmation; axe on each step.
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { t } from '../lib/i18n.js';
import { expectNoViolations } from '../lib/axe.js';
import { server, signedInPage, useServerAndBrowser } from '../lib/harness.js';

const FILE = fileURLToPath(new URL('../../tests/fixtures/personalfil.xlsx', import.meta.url));

useServerAndBrowser();

for (const lang of ['sv', 'en']) {
  test(`HR file (${lang}): upload, see the changes, confirm`, async () => {
    const page = await signedInPage('editor', { lang });
    await page.goto(`/o/${server.org}/people`);
    await page.getByRole('link', { name: t(lang, 'hr-title') }).click();
    await page.waitForURL(/\/people\/hr-file$/);
    await expectNoViolations(page, `HR file form (${lang})`);
    await page.getByLabel(t(lang, 'hr-file'), { exact: true }).setInputFiles(FILE);
    await page.getByRole('button', { name: t(lang, 'hr-dry-run') }).click();
    await page.getByRole('heading', { name: new RegExp(t(lang, 'roster-issues')) }).waitFor();
    const report = await page.locator('main').innerText();
    assert.match(report, /personalfil\.xlsx/);
    await expectNoViolations(page, `HR file dry run (${lang})`);
    const confirm = page.getByRole('button', { name: t(lang, 'hr-confirm'), exact: true });
    if (await confirm.count()) {
      await confirm.click();
      await page.getByText(t(lang, 'hr-done')).waitFor();
      await expectNoViolations(page, `HR file imported (${lang})`);
    }
    assert.deepEqual(page.problems, [], 'no script errors or failed requests');
    await page.context().close();
  });
}
