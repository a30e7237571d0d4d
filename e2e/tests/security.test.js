// The security journey in the browser: classify Treserva's information, write and
// approve its system security plan, approve it for operation, and read the public register.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newPage } from '../lib/browser.js';
import { t } from '../lib/i18n.js';
import { api } from '../lib/server.js';
import { browser, server, signedInPage, useServerAndBrowser } from '../lib/harness.js';

useServerAndBrowser();

const as = signedInPage;

test('classify, approve the plan as the owner, sign the approval, and the public register', async () => {
  const coordinator = await as('security_coordinator');
  const treserva = (await api(coordinator, `/api/v1/orgs/${server.org}/systems?q=Treserva`)).items[0];
  assert.ok(treserva, 'the demo has Treserva');
  const base = `/o/${server.org}/systems/${treserva.id}`;

  // Information security: a new set, classified 3/3/3, and the decision.
  await coordinator.goto(base);
  await coordinator.getByRole('link', { name: t('sv', 'security-open') }).click();
  await coordinator.waitForURL(/\/security$/);
  await coordinator.getByLabel(t('sv', 'person-name'), { exact: true }).fill('Vårddokumentation');
  await coordinator.getByLabel(t('sv', 'info-sensitive-personal-data')).check();
  await coordinator.getByRole('button', { name: t('sv', 'save'), exact: true }).click();
  await coordinator.waitForURL(/saved=1#sets$/);
  // The demo's integrations already gave Treserva a set; this one is classified.
  const set = coordinator.locator('details').filter({ hasText: 'Vårddokumentation' });
  await set.locator('summary').first().click();
  for (const aspect of ['confidentiality', 'integrity', 'availability']) {
    await set.getByLabel(t('sv', `aspect-${aspect}`), { exact: true }).selectOption('3');
  }
  await set.getByLabel(t('sv', 'classify-justification')).fill('Uppgifter om enskildas hälsa; vården stannar utan systemet.');
  await set.getByRole('button', { name: t('sv', 'classify'), exact: true }).click();
  await coordinator.waitForURL(/saved=1#sets$/);
  assert.match(await coordinator.locator('main').innerText(), /3 – Allvarlig/);

  // The plan: started, written, submitted.
  await coordinator.getByRole('link', { name: t('sv', 'plan-title'), exact: true }).click();
  await coordinator.getByRole('button', { name: t('sv', 'plan-start') }).click();
  for (const box of await coordinator.locator('form.system-form textarea').all()) {
    await box.fill('Beskrivet i förvaltningsplanen, version 2026.');
  }
  await coordinator.getByRole('button', { name: t('sv', 'plan-save') }).click();
  await coordinator.getByRole('button', { name: t('sv', 'plan-submit') }).click();
  assert.match(await coordinator.locator('main').innerText(), new RegExp(t('sv', 'plan-status-submitted')));
  assert.equal(await coordinator.getByRole('button', { name: t('sv', 'plan-approve') }).count(), 0, 'only the owner approves');

  // The system owner approves it.
  const owner = await as('system owner');
  await owner.goto(`${base}/plan`);
  await owner.getByRole('button', { name: t('sv', 'plan-approve') }).click();
  assert.match(await owner.locator('main').innerText(), new RegExp(t('sv', 'plan-status-approved')));

  // The approval: written by the coordinator, signed by the owner and by IT.
  await coordinator.goto(`${base}/approval`);
  await coordinator.getByLabel(t('sv', 'approval-baseline')).fill('Grundskyddet enligt KLASSA nivå 3 är infört.');
  await coordinator.getByRole('button', { name: t('sv', 'save'), exact: true }).click();
  await owner.goto(`${base}/approval`);
  await owner.getByRole('button', { name: t('sv', 'approval-sign-owner') }).click();
  await coordinator.goto(`${base}/approval`);
  await coordinator.getByRole('button', { name: t('sv', 'approval-sign-it') }).click();
  assert.match(await coordinator.locator('main').innerText(), new RegExp(t('sv', 'approval-status-approved')));
  await coordinator.goto(base);
  assert.match(await coordinator.locator('main').innerText(), new RegExp(t('sv', 'approval-status-approved')));

  // The public register, signed out: Treserva is there, its version is not.
  const anonymous = await newPage(browser, server);
  await anonymous.goto(`/public/${server.org}`);
  await anonymous.locator('#q').fill('Treserva');
  await anonymous.getByRole('button', { name: t('sv', 'filter-apply') }).click();
  const text = await anonymous.locator('main').innerText();
  assert.match(text, /Treserva/);
  const headers = (await anonymous.locator('main table thead th').allInnerTexts()).map((h) => h.trim());
  assert.ok(headers.includes(t('sv', 'field-name')), `${headers}`);
  assert.ok(!headers.includes(t('sv', 'field-version')), `versions are secret: ${headers}`);
  assert.ok(!headers.includes(t('sv', 'field-hosting')), `hosting is secret: ${headers}`);
  for (const p of [coordinator, owner, anonymous]) {
    assert.deepEqual(p.problems, [], 'no script errors or failed requests');
    await p.context().close();
  }
});
