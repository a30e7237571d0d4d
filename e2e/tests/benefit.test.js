// The benefit journey through the real UI (issue 19, Stockholm 2.6): the demo's system owner
// opens Treserva's "Nytta" tab from the system's security page, sees last year's assessment
// (develop: the users are mixed), records a new one through the form (first with a mistake,
// which comes back naming the field), and finds it at the top of the list; axe runs on the tab
// before and after, and on the refused form, in Swedish and English.
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

async function axeOnTab(base, when) {
  for (const lang of ['sv', 'en']) {
    const page = await signedInPage('system owner', { lang });
    await page.goto(`${base}/benefit`);
    assert.equal(await page.locator('html').getAttribute('lang'), lang);
    await expectNoViolations(page, `the benefit tab ${when} (${lang})`);
    await finish(page);
  }
}

test('benefit: last year\'s assessment shown, a new one recorded through the form, axe in sv and en', async () => {
  const owner = await signedInPage('system owner');
  const org = owner.server.org;
  const found = await api(owner, `/api/v1/orgs/${org}/systems?q=Treserva`);
  const treserva = found.items.find((s) => s.name === 'Treserva');
  assert.ok(treserva, 'the demo has Treserva');
  const base = `/o/${org}/systems/${treserva.id}`;
  await axeOnTab(base, 'before');

  await owner.goto(base + '/security');
  await owner.getByRole('link', { name: t('sv', 'benefit-title'), exact: true }).click();
  await owner.waitForURL(new RegExp(`${base}/benefit$`));
  const rows = owner.locator('section[aria-labelledby=assessments] tbody tr');
  assert.equal(await rows.count(), 1, 'the demo assessed Treserva once');
  assert.ok((await rows.first().innerText()).includes(t('sv', 'benefit-recommend-develop')));

  // A mistake first: the assessor left out.
  await owner.fill('#benefit-assessed_by', '');
  await owner.getByLabel(t('sv', 'benefit-value-high'), { exact: true }).check();
  await owner.selectOption('#benefit-user_satisfaction', 'satisfied');
  await owner.fill('#benefit-users_asked', 'Workshop med användargruppen');
  await owner.fill('#benefit-respondents', '12');
  await owner.fill('#benefit-strengths', 'Mobilt stöd för hemtjänsten infört.');
  await owner.getByLabel(t('sv', 'benefit-recommend-keep'), { exact: true }).check();
  await owner.getByRole('button', { name: t('sv', 'benefit-save'), exact: true }).click();
  const summary = owner.locator('#error-summary');
  await summary.waitFor();
  assert.equal(await summary.locator('a[href="#benefit-assessed_by"]').count(), 1, 'the summary links to the field');
  assert.equal(await owner.getAttribute('#benefit-assessed_by', 'aria-invalid'), 'true');
  assert.ok((await owner.locator('#benefit-assessed_by-error').innerText()).length > 0, 'the field says what is wrong');
  assert.equal(await owner.inputValue('#benefit-users_asked'), 'Workshop med användargruppen', 'what was typed is kept');
  await expectNoViolations(owner, 'the refused benefit form (sv)');

  await owner.fill('#benefit-assessed_by', 'Systemägaren');
  await owner.getByRole('button', { name: t('sv', 'benefit-save'), exact: true }).click();
  await owner.waitForURL(new RegExp(`${base}/benefit\\?saved=1#assessments$`));
  assert.equal(await rows.count(), 2);
  const newest = await rows.first().innerText();
  assert.ok(newest.includes(t('sv', 'benefit-recommend-keep')), newest);
  assert.ok(newest.includes('Workshop med användargruppen'), newest);
  await finish(owner);
  await axeOnTab(base, 'after');
});
