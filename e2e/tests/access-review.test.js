// The access review (behörighetskontroll) journey through the real UI: an administrator
// gives someone access to Treserva (profile, order, carried out; through the API from the
// page, as the demo has no holdings), the system owner starts a review from the system
// page, answers, is refused signing with an item "not sure", keeps it, signs and opens the
// printable report; axe runs on each new page in Swedish and English.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { call } from '../lib/api.js';
import { expectNoViolations } from '../lib/axe.js';
import { t } from '../lib/i18n.js';
import { ownedSystem } from '../lib/pages.js';
import { server, signedInPage, useServerAndBrowser } from '../lib/harness.js';

useServerAndBrowser();

/** A JSON request from the page itself (same origin, its session): the parsed answer. */
async function finish(page) {
  assert.deepEqual(page.problems, [], 'no script errors or failed requests');
  await page.context().close();
}

const UUID = '[0-9a-f-]{36}';

test('an access review of Treserva: started, answered, signed and printed, axe in sv and en', async () => {
  const o = `/o/${server.org}`;
  const admin = await signedInPage('administrator');
  await admin.goto(`${o}/systems`);
  const treserva = await ownedSystem(admin);
  const api = `/api/v1/orgs/${server.org}`;
  const owner = await signedInPage('system owner');
  const me = await call(owner, 'GET', '/api/v1/me');
  const people = await call(admin, 'GET', `${api}/people?per_page=500`);
  const holder = people.items.find((p) => p.active && p.email && p.email !== me.email);
  const profile = await call(admin, 'POST', `${api}/systems/${treserva.id}/access-profiles`, { name: `Granskning e2e ${Date.now()}` });
  const [order] = await call(admin, 'POST', `${api}/systems/${treserva.id}/access-orders`,
    { kind: 'grant', person_id: holder.id, profile_ids: [profile.id], start_date: '2025-01-01' });
  // The owner decides; the administrator stands in for the förvaltare who carries it out.
  await call(owner, 'POST', `${api}/access-orders/${order.id}/steps`, { step: 'approve', comment: 'Ok' });
  await call(admin, 'POST', `${api}/access-orders/${order.id}/steps`, { step: 'carry_out', ticket: 'HD-e2e' });
  await finish(admin);

  // From the system page to its access reviews, and a new one started.
  await owner.goto(`${o}/systems/${treserva.id}`);
  await owner.getByRole('link', { name: t('sv', 'system-access-reviews'), exact: true }).click();
  await owner.waitForURL(new RegExp(`${o}/systems/${treserva.id}/access-reviews$`));
  await expectNoViolations(owner, 'access reviews of a system (sv)');
  await owner.getByRole('button', { name: t('sv', 'access-review-start'), exact: true }).click();
  await owner.waitForURL(new RegExp(`${o}/access-reviews/${UUID}$`));
  const campaign = new URL(owner.url()).pathname;
  assert.equal(await owner.locator('h1').innerText(), `${t('sv', 'access-review-title')}: Treserva`);

  // The new holder is an item: "not sure" (with a comment) does not let it be signed.
  const item = owner.locator('main fieldset.review-item', { hasText: holder.name });
  assert.equal(await item.count(), 1, 'the holder is in the review');
  await item.getByRole('radio', { name: t('sv', 'access-review-answer-not-sure'), exact: true }).check();
  await item.getByLabel(t('sv', 'field-comment'), { exact: true }).fill('Fråga chefen (e2e)');
  await owner.getByRole('button', { name: t('sv', 'access-review-save'), exact: true }).click();
  await owner.waitForURL(/\?saved=1$/);
  await expectNoViolations(owner, 'an access review (sv)');
  await owner.getByRole('button', { name: t('sv', 'access-review-sign'), exact: true }).click();
  const summary = owner.locator('.error-summary');
  await summary.waitFor();
  assert.match(await summary.innerText(), new RegExp(t('sv', 'error-access-review-unresolved')));
  await expectNoViolations(owner, 'an access review signed too early (sv)');
  // Every other item (from other helpers' data, if any) is kept.
  const items = owner.locator('main fieldset.review-item');
  for (let i = 0; i < await items.count(); i++) {
    await items.nth(i).getByRole('radio', { name: t('sv', 'access-review-answer-keep'), exact: true }).check();
  }
  await owner.getByRole('button', { name: t('sv', 'access-review-save'), exact: true }).click();
  await owner.waitForURL(/\?saved=1$/);
  await owner.getByRole('button', { name: t('sv', 'access-review-sign'), exact: true }).click();
  await owner.waitForURL(new RegExp(`${campaign}$`));
  assert.match(await owner.locator('main').innerText(), new RegExp(t('sv', 'access-review-signed')));
  await expectNoViolations(owner, 'a signed access review (sv)');

  await owner.getByRole('link', { name: t('sv', 'access-review-print'), exact: true }).click();
  await owner.waitForURL(new RegExp(`${campaign}/print$`));
  const report = await owner.locator('main').innerText();
  assert.ok(report.includes(holder.name) && report.includes(t('sv', 'access-review-answer-keep')), report);
  await expectNoViolations(owner, 'an access review report (sv)');
  await owner.goto(`${o}/access-reviews`);
  await expectNoViolations(owner, 'the organisation\'s access reviews (sv)');
  await finish(owner);

  // The same pages in English.
  const en = await signedInPage('system owner', { lang: 'en' });
  for (const [path, label] of [
    [`${o}/access-reviews`, 'the organisation\'s access reviews'],
    [`${o}/systems/${treserva.id}/access-reviews`, 'access reviews of a system'],
    [campaign, 'a signed access review'],
    [`${campaign}/print`, 'an access review report'],
  ]) {
    await en.goto(path);
    assert.equal(await en.locator('html').getAttribute('lang'), 'en');
    await expectNoViolations(en, `${label} (en)`);
  }
  assert.match(await en.locator('main').innerText(), new RegExp(t('en', 'access-review-answer-keep')));
  await finish(en);
});
