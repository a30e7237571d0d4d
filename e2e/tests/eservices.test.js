// The e-services journey through the real UI (issue 19 item 7, R-SVC-3): an editor opens
// E-tjänster from the menu, filters by step, opens "Ansökan om bygglov" (step 3, its system a
// link, its accessibility statement), records a new e-service through the form (first with a
// mistake, which comes back naming the field), then removes it after the confirmation; the
// public page, signed out, shows the published e-services without their secret fields. Axe
// runs on the list, an e-service, the form and the public page, in Swedish and English.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expectNoViolations } from '../lib/axe.js';
import { newPage } from '../lib/browser.js';
import { t } from '../lib/i18n.js';
import { api } from '../lib/server.js';
import { browser, server, signedInPage, useServerAndBrowser } from '../lib/harness.js';

useServerAndBrowser();

async function finish(page) {
  assert.deepEqual(page.problems, [], 'no script errors or failed requests');
  await page.context().close();
}

test('e-services: list by step, a page with its systems and statement, the form, removal', async () => {
  const editor = await signedInPage('editor');
  const org = editor.server.org;
  await editor.goto(`/o/${org}/systems`);
  await editor.getByRole('link', { name: t('sv', 'nav-eservices'), exact: true }).click();
  await editor.waitForURL(new RegExp(`/o/${org}/e-services$`));
  await editor.selectOption('#step', 'interaction');
  await editor.getByRole('button', { name: t('sv', 'filter-apply') }).click();
  const rows = editor.locator('main tbody tr');
  const listed = await rows.allInnerTexts();
  assert.ok(listed.some((r) => r.includes('Felanmälan gata och park')), `${listed}`);
  assert.ok(!listed.some((r) => r.includes('Ansökan om bygglov')), 'only step 2');
  assert.ok(listed.join(' ').includes(t('sv', 'eservice-finding-statement-old')), 'the old statement is named');

  await editor.goto(`/o/${org}/e-services?step=transaction`);
  await editor.getByRole('link', { name: 'Ansökan om bygglov', exact: true }).click();
  const main = await editor.locator('main').innerText();
  assert.ok(main.includes(t('sv', 'eservice-step-transaction')), main);
  assert.ok(main.includes(t('sv', 'eservice-accessibility')), main);
  await editor.getByRole('link', { name: 'ByggR', exact: true }).waitFor();

  // A new e-service: the name left out first.
  await editor.goto(`/o/${org}/e-services/new`);
  await editor.fill('#e-name', ' ');
  await editor.getByLabel(t('sv', 'eservice-step-transaction'), { exact: true }).check();
  await editor.fill('#e-url', 'https://www.exempelstad.se/parkering');
  await editor.getByLabel(t('sv', 'eservice-target-citizens'), { exact: true }).check();
  await editor.fill('#e-system-1', 'ByggR');
  await editor.getByRole('button', { name: t('sv', 'save'), exact: true }).click();
  const summary = editor.locator('#error-summary');
  await summary.waitFor();
  assert.equal(await summary.locator('a[href="#e-name"]').count(), 1, 'the summary links to the field');
  assert.equal(await editor.getAttribute('#e-name', 'aria-invalid'), 'true');
  assert.equal(await editor.inputValue('#e-url'), 'https://www.exempelstad.se/parkering', 'what was typed is kept');
  await expectNoViolations(editor, 'the refused e-service form (sv)');
  await editor.fill('#e-name', 'Ansökan om parkeringstillstånd');
  await editor.getByRole('button', { name: t('sv', 'save'), exact: true }).click();
  await editor.waitForURL(/\/e-services\/[0-9a-f-]+\?saved=1$/);
  assert.ok((await editor.locator('main').innerText()).includes(t('sv', 'eservice-finding-no-statement')));

  // Removal after the confirmation.
  await editor.locator('#remove summary').click();
  await editor.getByRole('button', { name: t('sv', 'eservice-delete'), exact: true }).click();
  await editor.waitForURL(new RegExp(`/o/${org}/e-services$`));
  const left = await api(editor, `/api/v1/orgs/${org}/e-services?per_page=500`);
  assert.ok(!left.items.some((e) => e.name === 'Ansökan om parkeringstillstånd'), 'removed');
  await finish(editor);
});

test('e-services: axe on the list, an e-service, the form and the public page, in sv and en', async () => {
  const first = await signedInPage('editor');
  const org = first.server.org;
  const all = await api(first, `/api/v1/orgs/${org}/e-services`);
  const bygglov = all.items.find((e) => e.name === 'Ansökan om bygglov');
  assert.ok(bygglov, 'the demo has Ansökan om bygglov');
  await finish(first);
  for (const lang of ['sv', 'en']) {
    const page = await signedInPage('editor', { lang });
    for (const path of [
      `/o/${org}/e-services`,
      `/o/${org}/e-services/${bygglov.id}`,
      `/o/${org}/e-services/new`,
      `/o/${org}/e-services/${bygglov.id}/edit`,
    ]) {
      await page.goto(path);
      assert.equal(await page.locator('html').getAttribute('lang'), lang);
      await expectNoViolations(page, `${path} (${lang})`);
    }
    await finish(page);
    const anonymous = await newPage(browser, server, { lang });
    await anonymous.goto(`/public/${org}/e-services`);
    const text = await anonymous.locator('main').innerText();
    assert.ok(text.includes('Ansökan om bygglov'), text);
    assert.ok(!text.includes('Ansökan om förskoleplats'), 'not published');
    assert.ok(!text.includes('Tjänsteägare'), 'the owner is secret by default');
    await expectNoViolations(anonymous, `the public e-services (${lang})`);
    await finish(anonymous);
  }
});
