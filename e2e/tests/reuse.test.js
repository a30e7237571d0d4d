// "Finns det redan?" through the real UI (issue 19 item 8, Stockholm 2.4): from the register a
// reader opens the page, describes a need, and sees the systems that already serve it with
// their contracts' dates; axe runs on the empty page and on the answer, in Swedish and English.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expectNoViolations } from '../lib/axe.js';
import { t } from '../lib/i18n.js';
import { signedInPage, useServerAndBrowser } from '../lib/harness.js';

useServerAndBrowser();

test('reuse: a need described, the systems that serve it listed, axe in sv and en', async () => {
  for (const lang of ['sv', 'en']) {
    const page = await signedInPage('reader', { lang });
    const org = page.server.org;
    await page.goto(`/o/${org}/systems`);
    await page.getByRole('link', { name: t(lang, 'reuse-title'), exact: true }).click();
    await page.waitForURL(new RegExp(`/o/${org}/reuse$`));
    await expectNoViolations(page, `the reuse page (${lang})`);
    await page.fill('#reuse-need', 'Treserva');
    await page.getByRole('button', { name: t(lang, 'reuse-find'), exact: true }).click();
    await page.waitForURL(/need=Treserva/);
    const rows = page.locator('section[aria-labelledby=reuse-found] tbody tr');
    assert.ok(await rows.count() >= 1, 'Treserva is found');
    assert.ok((await rows.first().innerText()).includes('Treserva'));
    await expectNoViolations(page, `the reuse answer (${lang})`);
    assert.deepEqual(page.problems, [], 'no script errors or failed requests');
    await page.context().close();
  }
});
