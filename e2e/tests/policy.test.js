// The policy journeys, through the real UI in Debian's chromium against a fresh demo server:
// the system owner's annual review from "Mina uppgifter" to the signature, and the
// administrator choosing, downloading and editing the organisation's policy profile.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { expectNoViolations } from '../lib/axe.js';
import { t } from '../lib/i18n.js';
import { ownedSystem } from '../lib/pages.js';
import { server, signedInPage, useServerAndBrowser } from '../lib/harness.js';

useServerAndBrowser();

async function finish(page) {
  assert.deepEqual(page.problems, [], 'no script errors or failed requests');
  await page.context().close();
}

/** Click `button` and wait for the POST it sends (to a path ending in `suffix`): its response. */
async function post(page, button, suffix) {
  const [res] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname.endsWith(suffix)),
    button.click(),
  ]);
  await page.waitForLoadState();
  return res;
}

const UUID = '[0-9a-f-]{36}';

test('system owner: from "Mina uppgifter" to a signed annual review of Treserva', async () => {
  const p = await signedInPage('system owner');
  const o = `/o/${server.org}`;

  // Holding roles, the owner starts on their tasks: a handful, under the heading of each
  // system that needs something (Treserva, which the demo keeps, may have none).
  await p.waitForURL(new RegExp(`${o}/tasks$`));
  assert.equal(await p.locator('h1').innerText(), t('sv', 'tasks-title'));
  const nav = p.getByRole('navigation', { name: t('sv', 'nav-main') });
  assert.equal(await nav.getByRole('link', { name: t('sv', 'nav-tasks') }).getAttribute('aria-current'), 'page');
  const treserva = await ownedSystem(p);
  const group = p.locator('main section.task-group').first();
  assert.ok(await group.locator('li.task').count() >= 1, 'a task');

  // A heading leads to its system; Treserva's compliance page holds the annual review.
  const heading = group.locator('h3 a');
  const href = await heading.getAttribute('href');
  assert.match(href, new RegExp(`^${o}/systems/${UUID}$`));
  await heading.click();
  await p.waitForURL(new RegExp(`${href}$`));
  await p.goto(`${o}/systems/${treserva.id}/compliance`);
  assert.equal(await p.locator('h1').innerText(), `${t('sv', 'system-compliance-title')}: Treserva`);

  // Start this year's annual review.
  const year = String(new Date().getFullYear());
  assert.equal(await p.getByLabel(t('sv', 'field-period'), { exact: true }).inputValue(), year);
  await p.getByRole('button', { name: t('sv', 'review-start'), exact: true }).click();
  await p.waitForURL(new RegExp(`${o}/systems/${treserva.id}/reviews/${UUID}$`));
  const reviewUrl = p.url();
  assert.equal(await p.locator('h1').innerText(), `${t('sv', 'checklist-title')} ${year}: Treserva`);

  // Answer every item with the radio buttons: all "Ja" but the last, "Ej aktuellt" with a comment.
  const items = p.locator('main fieldset.review-item');
  const n = await items.count();
  assert.ok(n >= 3, `the checklist has items (${n})`);
  for (let i = 0; i < n; i++) {
    const item = items.nth(i);
    const last = i === n - 1;
    const radio = item.getByRole('radio', { name: t('sv', last ? 'answer-na' : 'answer-yes'), exact: true });
    await radio.check();
    assert.ok(await radio.isChecked());
    if (last) await item.getByLabel(t('sv', 'field-comment'), { exact: true }).fill('Gäller inte Treserva (e2e)');
  }
  const saved = await post(p, p.getByRole('button', { name: t('sv', 'review-save'), exact: true }), '');
  assert.ok(saved.status() < 400, `saving the answers: ${saved.status()}`);
  await p.waitForURL(/\?saved=1$/);
  assert.equal(await p.locator('.error-summary').count(), 0, 'no errors');
  assert.match(await p.locator('main').innerText(), new RegExp(`${t('sv', 'review-unanswered')}: 0\\b`));
  // The answers came back from the server.
  assert.equal(await items.nth(0).getByRole('radio', { name: t('sv', 'answer-yes'), exact: true }).isChecked(), true);
  const lastItem = items.nth(n - 1);
  assert.equal(await lastItem.getByRole('radio', { name: t('sv', 'answer-na'), exact: true }).isChecked(), true);
  assert.equal(await lastItem.getByLabel(t('sv', 'field-comment'), { exact: true }).inputValue(), 'Gäller inte Treserva (e2e)');

  // Sign: back on the compliance page, the review is listed as signed.
  await p.getByRole('button', { name: t('sv', 'review-sign'), exact: true }).click();
  await p.waitForURL(new RegExp(`${o}/systems/${treserva.id}/compliance\\?saved=1#reviews$`));
  const listed = p.locator('section[aria-labelledby=reviews] li', { hasText: `${t('sv', 'checklist-title')} ${year}` });
  assert.equal(await listed.count(), 1);
  assert.match(await listed.innerText(), new RegExp(t('sv', 'review-signed')));

  // The review itself says so, and can no longer be changed or signed again.
  await listed.getByRole('link').click();
  await p.waitForURL(reviewUrl);
  assert.match(await p.locator('main').innerText(), new RegExp(`^${t('sv', 'review-signed')}`, 'm'));
  assert.equal(await p.getByRole('button', { name: t('sv', 'review-sign'), exact: true }).count(), 0, 'no sign button');
  assert.equal(await p.getByRole('button', { name: t('sv', 'review-save'), exact: true }).count(), 0, 'no save button');
  assert.equal(await items.nth(0).getByRole('radio', { name: t('sv', 'answer-yes'), exact: true }).isDisabled(), true);
  await expectNoViolations(p, 'a signed annual review');
  await finish(p);
});

test('administrator: choose another profile, see the dashboard follow, download it, edit it with a syntax error and fix it', async () => {
  const p = await signedInPage('administrator');
  const o = `/o/${server.org}`;
  const nav = p.getByRole('navigation', { name: t('sv', 'nav-main') });
  const profileOnDashboard = p.locator('main p.lead a[href$="/policy"]');

  // The demo follows Söderköping's profile.
  await p.goto(`${o}/compliance`);
  assert.equal(await p.locator('h1').innerText(), t('sv', 'compliance-title'));
  const before = await profileOnDashboard.innerText();
  assert.match(before, /Söderköping/);

  // Policy: choose Mjölby's shipped profile.
  await nav.getByRole('link', { name: t('sv', 'nav-policy'), exact: true }).click();
  await p.waitForURL(new RegExp(`${o}/policy$`));
  assert.equal(await p.locator('h1').innerText(), `${t('sv', 'policy-title')}: ${before}`);
  const select = p.getByLabel(t('sv', 'profile-shipped'), { exact: true });
  const mjolby = (await select.locator('option').allInnerTexts()).find((x) => x.includes('Mjölby'));
  assert.ok(mjolby, 'Mjölby is among the shipped profiles');
  await select.selectOption({ label: mjolby });
  await p.getByRole('button', { name: t('sv', 'profile-adopt'), exact: true }).click();
  await p.waitForURL(new RegExp(`${o}/policy\\?saved=1$`));
  assert.equal(await p.locator('h1').innerText(), `${t('sv', 'policy-title')}: ${mjolby}`);

  // The dashboard now measures against Mjölby's profile, with its charts and their data tables.
  await nav.getByRole('link', { name: t('sv', 'nav-compliance'), exact: true }).click();
  await p.waitForURL(new RegExp(`${o}/compliance$`));
  assert.equal(await profileOnDashboard.innerText(), mjolby);
  const charts = p.locator('main figure.chart');
  const count = await charts.count();
  assert.ok(count >= 1, 'at least one chart');
  for (let i = 0; i < count; i++) {
    const chart = charts.nth(i);
    assert.equal(await chart.locator('svg[role=img]').count(), 1, `chart ${i}: one drawing`);
    assert.ok(await chart.locator('svg rect.chart-bar').count() >= 1, `chart ${i}: bars`);
    const rows = await chart.locator('table.chart-data tbody tr').count();
    assert.equal(rows, await chart.locator('svg rect.chart-bar').count(), `chart ${i}: one table row per bar`);
  }

  // Download the profile: a .toml file that is the Mjölby profile.
  await nav.getByRole('link', { name: t('sv', 'nav-policy'), exact: true }).click();
  const [download] = await Promise.all([
    p.waitForEvent('download'),
    p.getByRole('link', { name: t('sv', 'profile-export'), exact: true }).click(),
  ]);
  assert.match(download.suggestedFilename(), /\.toml$/, `file name ${download.suggestedFilename()}`);
  const body = await readFile(await download.path(), 'utf8');
  assert.match(body, /^code = "mjolby[^"]*"$/m, 'the downloaded file is the chosen profile');

  // Edit it with a syntax error on line 4: 422, nothing saved, the error summary links to the text.
  await p.getByRole('link', { name: t('sv', 'profile-edit'), exact: true }).click();
  await p.waitForURL(new RegExp(`${o}/policy/edit$`));
  const text = p.getByLabel(t('sv', 'profile-text'), { exact: true });
  const original = await text.inputValue();
  const lines = original.split('\n');
  lines.splice(3, 0, 'name_sv = = "trasig"');
  await text.fill(lines.join('\n'));
  await p.getByLabel(t('sv', 'field-note'), { exact: true }).fill('e2e: rättad');
  const res = await post(p, p.getByRole('button', { name: t('sv', 'profile-save'), exact: true }), '/policy/edit');
  assert.equal(res.status(), 422);
  const summary = p.locator('.error-summary');
  await summary.waitFor();
  assert.equal(await summary.getAttribute('role'), 'alert');
  assert.equal(await summary.getByRole('heading').innerText(), t('sv', 'error-summary'));
  assert.match(await summary.innerText(), new RegExp(t('sv', 'profile-nothing-saved')));
  const link = summary.getByRole('link');
  assert.equal(await link.count(), 1);
  assert.equal(await link.getAttribute('href'), '#profile');
  assert.match(await link.innerText(), new RegExp(`^${t('sv', 'profile-line')} 4\\b`), 'names the line');
  assert.equal(await text.getAttribute('aria-invalid'), 'true');
  assert.ok(((await text.getAttribute('aria-describedby')) ?? '').split(/\s+/).includes('profile-error'), 'the error is tied to the field');
  assert.equal(await text.inputValue(), lines.join('\n'), 'the text is kept');
  assert.equal(await p.getByLabel(t('sv', 'field-note'), { exact: true }).inputValue(), 'e2e: rättad', 'the note is kept');
  // The link moves focus to the text.
  await link.click();
  await p.waitForFunction(() => location.hash === '#profile');
  assert.equal(await p.evaluate(() => document.activeElement.id), 'profile');

  // Fix it: saved as a new version of the same profile.
  await text.fill(original);
  const fixed = await post(p, p.getByRole('button', { name: t('sv', 'profile-save'), exact: true }), '/policy/edit');
  assert.equal(fixed.status(), 303);
  await p.waitForURL(new RegExp(`${o}/policy\\?saved=1$`));
  assert.equal(await p.locator('h1').innerText(), `${t('sv', 'policy-title')}: ${mjolby}`);
  const versions = p.locator('section[aria-labelledby=h-versions] tbody tr', { hasText: 'e2e: rättad' });
  assert.equal(await versions.count(), 1, 'the new version is listed with its note');
  await finish(p);
});
