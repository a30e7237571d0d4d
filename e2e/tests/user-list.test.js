// Importing a system's user list in the browser, in both languages: from the system's
// page to the upload form, the dry run's report of differences, and the confirmation;
// axe on each step.
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { t } from '../lib/i18n.js';
import { expectNoViolations } from '../lib/axe.js';
import { ownedSystem } from '../lib/pages.js';
import { server, signedInPage, useServerAndBrowser } from '../lib/harness.js';

const FILE = fileURLToPath(new URL('../../tests/fixtures/treserva-users.csv', import.meta.url));

useServerAndBrowser();

for (const lang of ['sv', 'en']) {
  test(`user list (${lang}): upload, see the differences, confirm`, async () => {
    const page = await signedInPage('editor', { lang });
    const system = await ownedSystem(page);
    await page.goto(`/o/${server.org}/systems/${system.id}`);
    await page.getByRole('link', { name: t(lang, 'roster-title') }).click();
    await page.waitForURL(/\/user-list$/);
    await expectNoViolations(page, `user list form (${lang})`);
    await page.getByLabel(t(lang, 'roster-file'), { exact: true }).setInputFiles(FILE);
    await page.getByRole('button', { name: t(lang, 'roster-dry-run') }).click();
    await page.getByRole('heading', { name: t(lang, 'roster-differences') }).waitFor();
    const report = await page.locator('main').innerText();
    assert.match(report, new RegExp(t(lang, 'roster-changes')));
    assert.match(report, new RegExp(t(lang, 'roster-issues')), 'the row without an account is named');
    await expectNoViolations(page, `user list dry run (${lang})`);
    const confirm = page.getByRole('button', { name: t(lang, 'roster-confirm'), exact: true });
    if (await confirm.count()) {
      await confirm.click();
      await page.getByText(t(lang, 'roster-done')).waitFor();
      await expectNoViolations(page, `user list imported (${lang})`);
    }
    assert.deepEqual(page.problems, [], 'no script errors or failed requests');
    await page.context().close();
  });
}
