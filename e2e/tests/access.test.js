// Access management through the real UI in Debian's chromium against a fresh demo server:
// an access profile made on Treserva's "Behörigheter" tab, an order for a person placed by
// the editor, decided by the system owner from "Mina uppgifter", carried out by the
// IT-säkerhetssamordnare (who may act for any party), the holding on the tab; then a removal
// order for it, decided and carried out, and the holding gone. axe runs on every new page,
// in Swedish on the way and in English at the end.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expectNoViolations } from '../lib/axe.js';
import { t } from '../lib/i18n.js';
import { demoIds, ownedSystem } from '../lib/pages.js';
import { server, signedInPage, useServerAndBrowser } from '../lib/harness.js';

useServerAndBrowser();

const UUID = '[0-9a-f-]{36}';
const PROFILE = 'E2E-handläggare';

async function finish(page) {
  assert.deepEqual(page.problems, [], 'no script errors or failed requests');
  await page.context().close();
}

/** Click `button` and wait for the page that follows the post. */
async function submit(page, button) {
  const [res] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST'),
    button.click(),
  ]);
  await page.waitForLoadState();
  return res;
}

/** The field labelled with the message `key` (a required field's label goes on). */
const field = (page, key) => page.getByLabel(new RegExp(`^${t(page.lang, key).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));

const day = (offset) => new Date(Date.now() + offset * 86400000).toISOString().slice(0, 10);

/** Takes a step on the order at `path` as `who`, with a comment (and the executor's date). */
async function takeStep(who, path, step, { doneOn } = {}) {
  const p = await signedInPage(who);
  await p.goto(path);
  await expectNoViolations(p, `order page (${who})`);
  await p.getByLabel(t('sv', 'access-comment'), { exact: true }).fill(`${step} (e2e)`);
  if (doneOn) {
    await p.getByLabel(t('sv', 'access-done-on'), { exact: true }).fill(doneOn);
    await p.getByLabel(t('sv', 'access-ticket'), { exact: true }).fill('HD-e2e');
  }
  const res = await submit(p, p.getByRole('button', { name: t('sv', `access-step-${step.replace('_', '-')}`), exact: true }));
  assert.ok(res.status() < 400, `${step}: ${res.status()}`);
  await p.waitForURL(/\?saved=1$/);
  await finish(p);
}

/** Places an order of the profile for `person` on the form at the page's current URL. */
async function placeOrder(p, person) {
  await field(p, 'person').fill(`${person.name} <${person.email}>`);
  await p.getByLabel(t('sv', 'access-reason'), { exact: true }).fill('Ny i tjänsten (e2e)');
  await p.getByLabel(t('sv', 'access-ticket'), { exact: true }).fill('ÄR-e2e');
  const res = await submit(p, p.getByRole('button', { name: t('sv', 'access-order-send'), exact: true }));
  assert.ok(res.status() < 400, `ordering: ${res.status()}`);
  await p.waitForURL(new RegExp(`/access-orders/${UUID}\\?saved=1$`));
  return new URL(p.url()).pathname;
}

test('access: order → decide → carry out → holding → removal → gone, axe in sv and en', async () => {
  const o = `/o/${server.org}`;
  const editor = await signedInPage('editor');
  const treserva = await ownedSystem(editor);
  const { person } = await demoIds(editor);
  const tab = `${o}/systems/${treserva.id}/access`;

  // The tab, and a new profile with the policy's parties named.
  await editor.goto(tab);
  assert.equal(await editor.locator('h1').innerText(), `${t('sv', 'access-title')}: Treserva`);
  await expectNoViolations(editor, 'access tab');
  await editor.getByRole('link', { name: t('sv', 'access-profile-new'), exact: true }).click();
  await expectNoViolations(editor, 'profile form');
  await field(editor, 'access-profile-name').fill(PROFILE);
  await editor.getByLabel(t('sv', 'access-profile-personal-data'), { exact: true }).check();
  await editor.getByLabel(t('sv', 'access-decider'), { exact: true }).selectOption('system_owner');
  await submit(editor, editor.getByRole('button', { name: t('sv', 'save'), exact: true }));
  await editor.waitForURL(/\/access\?saved=1#profiles$/);
  assert.match(await editor.locator('main').innerText(), new RegExp(PROFILE));

  // The order form: without a person it says so; then the order is placed.
  await editor.getByRole('link', { name: t('sv', 'access-order-new'), exact: true }).click();
  await expectNoViolations(editor, 'order form');
  await editor.getByRole('checkbox', { name: PROFILE }).check();
  const refused = await submit(editor, editor.getByRole('button', { name: t('sv', 'access-order-send'), exact: true }));
  assert.equal(refused.status(), 422);
  await editor.locator('.error-summary').waitFor();
  await expectNoViolations(editor, 'order form with errors');
  const order = await placeOrder(editor, person);
  assert.match(await editor.locator('main').innerText(), new RegExp(t('sv', 'access-state-ordered')));
  await expectNoViolations(editor, 'order page');

  // The system owner finds it in "Mina uppgifter" and approves it.
  const owner = await signedInPage('system owner');
  await owner.goto(`${o}/tasks`);
  await expectNoViolations(owner, 'tasks with access orders');
  const task = owner.locator(`main a[href="${order}"]`);
  assert.equal(await task.count(), 1, 'the order is among the owner\'s tasks');
  await finish(owner);
  await takeStep('system owner', order, 'approve');
  // The IT-säkerhetssamordnare carries it out, today.
  await takeStep('security_coordinator', order, 'carry_out', { doneOn: day(0) });

  // The holding shows on the tab; its removal is ordered from its row.
  await editor.goto(tab);
  const row = editor.locator('#holdings ~ table tbody tr', { hasText: person.name }).filter({ hasText: PROFILE });
  assert.equal(await row.count(), 1, 'the holding shows');
  await row.getByRole('link', { name: new RegExp(t('sv', 'access-order-removal')) }).click();
  assert.equal(await editor.getByRole('radio', { name: t('sv', 'access-kind-remove'), exact: true }).isChecked(), true);
  assert.equal(await editor.getByRole('checkbox', { name: PROFILE }).isChecked(), true);
  const removal = await placeOrder(editor, person);
  assert.match(await editor.locator('main h1').innerText(), new RegExp(t('sv', 'access-kind-remove')));
  await takeStep('system owner', removal, 'approve');
  // Removed yesterday: the holding ends then and is no longer held today.
  await takeStep('security_coordinator', removal, 'carry_out', { doneOn: day(-1) });
  await editor.goto(tab);
  assert.equal(await row.count(), 0, 'the holding is gone');

  // The organisation's orders: none open, both among all.
  await editor.goto(`${o}/access-orders?orders=all`);
  await expectNoViolations(editor, 'access orders');
  assert.equal(await editor.locator(`main a[href="${order}"]`).count(), 1);
  await finish(editor);

  // Every new page again in English.
  const en = await signedInPage('editor', { lang: 'en' });
  const profileHref = await (async () => {
    await en.goto(tab);
    return en.locator(`main a[href^="${tab}/profiles/"]:not([href$="/new"])`).first().getAttribute('href');
  })();
  for (const [name, path] of [
    ['access tab', tab],
    ['profile form', `${tab}/profiles/new`],
    ['profile edit', profileHref],
    ['order form', `${tab}/order`],
    ['order page', order],
    ['removal order page', removal],
    ['access orders', `${o}/access-orders`],
    ['tasks', `${o}/tasks`],
  ]) {
    await en.goto(path);
    assert.equal(await en.locator('html').getAttribute('lang'), 'en', name);
    await expectNoViolations(en, `${name} (en)`);
  }
  await finish(en);
});
