// A mover's roles in the browser, in both languages: the demo's mover (moved from a
// unit without a manager) waits in the IT-säkerhetssamordnare's "Mina uppgifter";
// the handover form names a successor; once handed over that role is no longer a task. Axe on
// each page.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { t } from '../lib/i18n.js';
import { expectNoViolations } from '../lib/axe.js';
import { server, signedInPage, useServerAndBrowser } from '../lib/harness.js';

useServerAndBrowser();

for (const lang of ['sv', 'en']) {
  test(`mover's handover (${lang}): in Mina uppgifter, the form, handed over`, async () => {
    const page = await signedInPage('security_coordinator', { lang });
    await page.goto(`/o/${server.org}/tasks`);
    // The section is named by its h2 (the count in it); its table is under it.
    const movers = () => page.locator('main section', { has: page.locator('h2', { hasText: t(lang, 'tasks-movers-roles') }) }).locator('table');
    const table = movers();
    await table.waitFor();
    const waiting = await table.locator('tbody tr').count();
    await expectNoViolations(page, `tasks with a mover's roles (${lang})`);
    await table.getByRole('link', { name: new RegExp(`^${t(lang, 'handover-hand-over')}`) }).first().click();
    await page.waitForURL(/\/role-handovers\/[0-9a-f-]+$/);
    await page.getByRole('heading', { name: new RegExp(t(lang, 'handover-title')) }).waitFor();
    await expectNoViolations(page, `handover form (${lang})`);
    if (lang === 'en') {
      // Sending without a successor names the field; then hand it over.
      const select = page.getByLabel(t(lang, 'transfer-successor'));
      const options = await select.locator('option').evaluateAll((os) => os.map((o) => o.value).filter(Boolean));
      assert.ok(options.length > 0, 'someone to hand over to');
      await select.selectOption(options[0]);
      await page.locator('main form button[type=submit]').first().click();
      await page.waitForURL(/\/tasks$/);
      const left = movers();
      assert.equal(await left.locator('tbody tr').count(), waiting - 1, 'the handed-over role is no longer a task');
      await expectNoViolations(page, `tasks after the handover (${lang})`);
    }
    assert.deepEqual(page.problems, [], 'no script errors or failed requests');
    await page.context().close();
  });
}
