// The licences journey through the real UI (issue 19 item 3): the demo's system owner opens
// Treserva's "Licenser" tab from the system's security page, sees its named-user licence
// overused (more access holdings than seats bought), records a new licence through the form
// (first with a mistake, which comes back naming the field), changes it on its own page and
// removes it after the confirmation; the organisation's list shows the overused first and
// filters the idle. Axe runs on the tab, the refused form, a licence's page and the list, in
// Swedish and English.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expectNoViolations } from '../lib/axe.js';
import { t } from '../lib/i18n.js';
import { api } from '../lib/server.js';
import { signedInPage, useServerAndBrowser } from '../lib/harness.js';

useServerAndBrowser();

async function finish(page) {
  assert.deepEqual(page.problems, [], 'no script errors or failed requests');
  await page.context().close();
}

async function axeOn(path, what) {
  for (const lang of ['sv', 'en']) {
    const page = await signedInPage('system owner', { lang });
    await page.goto(path);
    assert.equal(await page.locator('html').getAttribute('lang'), lang);
    await expectNoViolations(page, `${what} (${lang})`);
    await finish(page);
  }
}

test('licences: the overused shown, one recorded, changed and removed, the list; axe in sv and en', async () => {
  const owner = await signedInPage('system owner');
  const org = owner.server.org;
  const found = await api(owner, `/api/v1/orgs/${org}/systems?q=Treserva`);
  const treserva = found.items.find((s) => s.name === 'Treserva');
  assert.ok(treserva, 'the demo has Treserva');
  const base = `/o/${org}/systems/${treserva.id}`;
  await axeOn(`${base}/licences`, 'the licences tab');

  await owner.goto(base + '/security');
  await owner.getByRole('link', { name: t('sv', 'licences-title'), exact: true }).click();
  await owner.waitForURL(new RegExp(`${base}/licences$`));
  const rows = owner.locator('section[aria-labelledby=licences] tbody tr');
  assert.equal(await rows.count(), 2, 'the demo gave Treserva two licences');
  assert.ok((await rows.first().innerText()).includes('Överanvänd'), await rows.first().innerText());

  // A mistake first: a licence for the whole organisation with a quantity.
  await owner.fill('#licence-name', 'Rapportverktyg');
  await owner.getByLabel(t('sv', 'licence-metric-site'), { exact: true }).check();
  await owner.fill('#licence-quantity', '25');
  await owner.fill('#licence-yearly_cost', '12 000');
  await owner.getByLabel(t('sv', 'licence-source-entered'), { exact: true }).check();
  await owner.fill('#licence-in_use_entered', '30');
  await owner.getByRole('button', { name: t('sv', 'licence-save'), exact: true }).click();
  const summary = owner.locator('#error-summary');
  await summary.waitFor();
  assert.equal(await summary.locator('a[href="#licence-quantity"]').count(), 1, 'the summary links to the field');
  assert.equal(await owner.getAttribute('#licence-quantity', 'aria-invalid'), 'true');
  assert.equal(await owner.inputValue('#licence-name'), 'Rapportverktyg', 'what was typed is kept');
  await expectNoViolations(owner, 'the refused licence form (sv)');

  await owner.fill('#licence-quantity', '');
  await owner.getByRole('button', { name: t('sv', 'licence-save'), exact: true }).click();
  await owner.waitForURL(new RegExp(`${base}/licences\\?saved=1#licences$`));
  assert.equal(await rows.count(), 3);

  // Its own page: changed, then removed after the confirmation.
  await owner.getByRole('link', { name: 'Rapportverktyg', exact: true }).click();
  await owner.waitForURL(new RegExp(`${base}/licences/[0-9a-f-]+$`));
  const own = new URL(owner.url()).pathname;
  await axeOn(own, 'a licence\'s page');
  await owner.fill('#licence-edit-notes', 'Förlängs inte efter 2027.');
  await owner.getByRole('button', { name: t('sv', 'licence-save'), exact: true }).click();
  await owner.waitForURL(new RegExp(`${base}/licences\\?saved=1#licences$`));
  await owner.goto(own);
  assert.equal(await owner.inputValue('#licence-edit-notes'), 'Förlängs inte efter 2027.');
  await owner.locator('#remove summary').click();
  await owner.getByRole('button', { name: t('sv', 'licence-remove-yes'), exact: true }).click();
  await owner.waitForURL(new RegExp(`${base}/licences\\?saved=1#licences$`));
  assert.equal(await rows.count(), 2);

  // The organisation's list: overused first; the idle filter.
  await owner.getByRole('link', { name: t('sv', 'licences-org-title'), exact: true }).click();
  await owner.waitForURL(new RegExp(`/o/${org}/licences$`));
  const listed = owner.locator('table tbody tr');
  assert.ok((await listed.first().innerText()).includes('Överanvänd'), await listed.first().innerText());
  await owner.getByRole('link', { name: new RegExp(`^${t('sv', 'licences-filter-idle')} \\(`) }).click();
  await owner.waitForURL(new RegExp(`/o/${org}/licences\\?finding=idle$`));
  assert.ok((await listed.first().innerText()).includes('Outnyttjad'), await listed.first().innerText());
  await finish(owner);
  await axeOn(`/o/${org}/licences`, 'the organisation\'s licences');
});
