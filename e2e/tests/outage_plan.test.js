// The outage plan (avbrottsplan) journey (issue 18): the editor opens Treserva's
// Avbrottsplan tab, starts a version (or a new one after the demo's), is refused
// submitting with an empty section, writes every section and submits; only the system
// owner may approve, and does; the printable A4 view shows the sections; axe runs on
// each page in Swedish and English.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expectNoViolations } from '../lib/axe.js';
import { t } from '../lib/i18n.js';
import { api } from '../lib/server.js';
import { server, signedInPage, useServerAndBrowser } from '../lib/harness.js';

useServerAndBrowser();

async function finish(page) {
  assert.deepEqual(page.problems, [], 'no script errors or failed requests');
  await page.context().close();
}

test('an outage plan: written, submitted, approved by the owner and printed, axe in sv and en', async () => {
  const editor = await signedInPage('editor');
  const treserva = (await api(editor, `/api/v1/orgs/${server.org}/systems?q=Treserva`)).items[0];
  assert.ok(treserva, 'the demo has Treserva');
  const base = `/o/${server.org}/systems/${treserva.id}`;

  // From the system's tabs to the outage plan.
  await editor.goto(`${base}/plan`);
  await editor.getByRole('link', { name: t('sv', 'outage-plan-title'), exact: true }).click();
  await editor.waitForURL(new RegExp(`${base}/outage-plan$`));
  await expectNoViolations(editor, 'the outage plan (sv)');
  const start = editor.getByRole('button', { name: t('sv', 'outage-plan-start'), exact: true });
  if (await start.count()) await start.click();
  else await editor.getByRole('button', { name: t('sv', 'plan-new-version'), exact: true }).click();
  await editor.waitForURL(/\/outage-plan\/\d+\?saved=1#outage-plan$/);
  const version = new URL(editor.url()).pathname;

  // An empty section: submitting is refused, and the summary names the section.
  const scope = editor.getByLabel(t('sv', 'outage-plan-section-scope'), { exact: true });
  await scope.fill('');
  await editor.getByRole('button', { name: t('sv', 'plan-save'), exact: true }).click();
  await editor.waitForURL(new RegExp(`${version}\\?saved=1`));
  await editor.getByRole('button', { name: t('sv', 'plan-submit'), exact: true }).click();
  const summary = editor.locator('.error-summary');
  await summary.waitFor();
  assert.match(await summary.innerText(), new RegExp(t('sv', 'outage-plan-section-scope')));
  await expectNoViolations(editor, 'the outage plan refused (sv)');

  // Every section written, then submitted.
  await editor.goto(version);
  for (const box of await editor.locator('form.system-form textarea').all()) {
    if (!(await box.inputValue()).trim()) await box.fill('Beskrivet i förvaltningsplanen, version 2026 (e2e).');
  }
  await editor.getByRole('button', { name: t('sv', 'plan-save'), exact: true }).click();
  await editor.waitForURL(new RegExp(`${version}\\?saved=1`));
  await editor.getByRole('button', { name: t('sv', 'plan-submit'), exact: true }).click();
  await editor.waitForURL(new RegExp(`${version}\\?saved=1`));
  assert.match(await editor.locator('main').innerText(), new RegExp(t('sv', 'plan-status-submitted')));
  assert.equal(await editor.getByRole('button', { name: t('sv', 'plan-approve') }).count(), 0, 'only the owner approves');
  await finish(editor);

  // The system owner approves it, in English.
  const owner = await signedInPage('system owner', { lang: 'en' });
  await owner.goto(version);
  assert.equal(await owner.locator('html').getAttribute('lang'), 'en');
  await expectNoViolations(owner, 'a submitted outage plan (en)');
  await owner.getByRole('button', { name: t('en', 'plan-approve'), exact: true }).click();
  await owner.waitForURL(new RegExp(`${version}\\?saved=1`));
  assert.match(await owner.locator('main').innerText(), new RegExp(t('en', 'plan-status-approved')));
  await expectNoViolations(owner, 'an approved outage plan (en)');

  // The print view, in both languages.
  await owner.getByRole('link', { name: t('en', 'outage-plan-print'), exact: true }).click();
  await owner.waitForURL(new RegExp(`${version}/print$`));
  const printed = await owner.locator('main').innerText();
  assert.ok(printed.includes(t('en', 'outage-plan-section-restart-order')) && printed.includes('Treserva'), printed);
  await expectNoViolations(owner, 'the outage plan print view (en)');
  await finish(owner);
  const sv = await signedInPage('editor');
  await sv.goto(`${version}/print`);
  assert.match(await sv.locator('main').innerText(), new RegExp(t('sv', 'outage-plan-section-fallback-routine')));
  await expectNoViolations(sv, 'the outage plan print view (sv)');
  await finish(sv);
});
