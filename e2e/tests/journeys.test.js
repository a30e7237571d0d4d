// The main journeys, through the real UI in Debian's chromium against a fresh demo server.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newPage, signIn } from '../lib/browser.js';
import { t } from '../lib/i18n.js';
import { demoIds } from '../lib/pages.js';
import { api } from '../lib/server.js';
import { browser, server, useServerAndBrowser } from '../lib/harness.js';

let page;

useServerAndBrowser();

// Each journey gets its own context: cookies (session, language) never leak between them.
async function start() {
  page = await newPage(browser, server);
  await signIn(page);
  return page;
}
async function finish() {
  assert.deepEqual(page.problems, [], 'no script errors or failed requests');
  await page.context().close();
}

const SYSTEM_PATH = /\/o\/exempelstad\/systems\/[0-9a-f-]{36}(\?.*)?$/;

test('sign in: a wrong password is refused, the right one opens the page asked for', async () => {
  page = await newPage(browser, server);
  const p = page;
  const { email, password } = server.logins.editor;
  await p.goto(`/o/${server.org}/people`);
  await p.waitForURL(/\/login\?next=/);
  assert.equal(await p.locator('h1').innerText(), t('sv', 'login-title'));

  await p.getByLabel(t('sv', 'person-email'), { exact: true }).fill(email);
  await p.getByLabel(t('sv', 'login-password'), { exact: true }).fill(`${password}-wrong`);
  await p.getByRole('button', { name: t('sv', 'login-button') }).click();
  assert.equal(await p.getByRole('alert').innerText(), t('sv', 'login-failed'));
  assert.equal(await p.getByLabel(t('sv', 'person-email'), { exact: true }).inputValue(), email, 'e-mail kept');

  await p.getByLabel(t('sv', 'login-password'), { exact: true }).fill(password);
  await p.getByRole('button', { name: t('sv', 'login-button') }).click();
  await p.waitForURL(/\/o\/exempelstad\/people$/);
  assert.equal(await p.locator('h1').innerText(), t('sv', 'people-title'));
  await finish();
});

test('find a system by search', async () => {
  const p = await start();
  const expected = (await api(p, `/api/v1/orgs/${server.org}/systems?q=ekonomi`)).items;
  assert.ok(expected.length > 0, 'the demo data has systems matching "ekonomi"');

  const org = await api(p, `/api/v1/orgs/${server.org}`);
  // The start page lists the organisations; with only one, it goes straight to its register.
  await p.goto('/');
  if (!/\/o\/exempelstad\/systems$/.test(p.url())) {
    await p.getByRole('link', { name: org.name, exact: true }).click();
  }
  await p.waitForURL(/\/o\/exempelstad\/systems$/);
  assert.equal(await p.locator('h1').innerText(), t('sv', 'register-title'));
  const nav = p.getByRole('navigation', { name: t('sv', 'nav-main') });
  assert.equal(await nav.getByRole('link', { name: t('sv', 'nav-systems') }).getAttribute('aria-current'), 'page');

  await p.getByLabel(t('sv', 'register-search'), { exact: true }).fill('ekonomi');
  await p.getByRole('button', { name: t('sv', 'filter-apply') }).click();
  await p.waitForURL(/[?&]q=ekonomi/);

  const names = await p.locator('table.register tbody th[scope=row] > a').allInnerTexts();
  assert.equal(names.length, Math.min(expected.length, 50), 'one row per match');
  const wanted = expected[0].name;
  assert.ok(names.includes(wanted), `results include ${wanted}`);
  assert.match(await p.getByRole('status').first().innerText(), /\d/, 'the count is announced');

  await p.getByRole('link', { name: wanted, exact: true }).click();
  await p.waitForURL(SYSTEM_PATH);
  assert.equal(await p.locator('h1').innerText(), wanted);
  await finish();
});

test('create a system: an empty name is refused, then fixed', async () => {
  const p = await start();
  await p.goto(`/o/${server.org}/systems`);
  await p.getByRole('link', { name: t('sv', 'system-new') }).click();
  await p.waitForURL(/\/systems\/new$/);

  // Leave the name empty, fill something else: it must survive the round trip.
  await p.getByLabel(t('sv', 'field-vendor'), { exact: true }).fill('E2E Leverantör AB');
  await p.getByRole('button', { name: t('sv', 'save') }).click();
  const summary = p.locator('.error-summary');
  await summary.waitFor();
  assert.equal(await summary.getByRole('heading').innerText(), t('sv', 'error-summary'));
  assert.equal(await summary.getAttribute('role'), 'alert');
  const name = p.locator('#name');
  assert.equal(await name.getAttribute('aria-invalid'), 'true');
  const describedBy = (await name.getAttribute('aria-describedby')) ?? '';
  assert.ok(describedBy.split(/\s+/).includes('name-error'), 'the error is tied to the field');
  assert.equal(await p.getByLabel(t('sv', 'field-vendor'), { exact: true }).inputValue(), 'E2E Leverantör AB');

  const systemName = `E2E-testsystem ${Date.now()}`;
  await name.fill(systemName);
  await p.getByRole('button', { name: t('sv', 'save') }).click();
  await p.waitForURL(SYSTEM_PATH);
  assert.equal(await p.locator('h1').innerText(), systemName);
  assert.equal(await p.locator('.error-summary').count(), 0);

  const found = await api(p, `/api/v1/orgs/${server.org}/systems?q=${encodeURIComponent(systemName)}`);
  assert.ok(found.items.some((s) => s.name === systemName && s.vendor === 'E2E Leverantör AB'), 'stored');
  await finish();
});

test('edit a system and assign a system owner by e-mail', async () => {
  const p = await start();
  const { system, person } = await demoIds(p);
  await p.goto(`/o/${server.org}/systems/${system.id}`);

  await p.getByRole('link', { name: t('sv', 'edit'), exact: true }).click();
  await p.waitForURL(/\/edit$/);
  await p.getByLabel(t('sv', 'field-version')).fill('9.9-e2e');
  await p.getByRole('button', { name: t('sv', 'save') }).click();
  await p.waitForURL(SYSTEM_PATH);
  assert.equal(await p.getByRole('status').filter({ hasText: t('sv', 'flash-saved') }).count(), 1, 'saved message');
  const version = p.locator('dl.details dt', { hasText: t('sv', 'field-version') }).locator('xpath=following-sibling::dd[1]');
  assert.equal(await version.innerText(), '9.9-e2e');

  const form = p.getByRole('form', { name: t('sv', 'role-assign') });
  await form.getByLabel(t('sv', 'role'), { exact: true }).selectOption({ label: t('sv', 'role-system-owner') });
  await form.getByLabel(t('sv', 'person'), { exact: true }).fill(person.email);
  await form.getByRole('button', { name: t('sv', 'role-assign-button') }).click();
  await p.waitForURL(SYSTEM_PATH);
  assert.equal(await p.locator('.error-summary').count(), 0, 'no error');

  const row = p.locator('section[aria-labelledby=roller] table tbody tr', { hasText: person.name });
  assert.equal(await row.count(), 1, `${person.name} has a role`);
  assert.equal(await row.locator('td').first().innerText(), t('sv', 'role-system-owner'));

  // The register now names the owner on the system's row.
  await p.goto(`/o/${server.org}/systems?q=${encodeURIComponent(system.name)}`);
  const regRow = p.locator('table.register tbody tr', { has: p.getByRole('link', { name: system.name, exact: true }) });
  assert.ok((await regRow.innerText()).includes(person.name), 'owner shown in the register');
  await finish();
});

test('switch the language and back', async () => {
  const p = await start();
  await p.goto(`/o/${server.org}/systems?q=ekonomi`);
  assert.equal(await p.getAttribute('html', 'lang'), 'sv');
  assert.equal(await p.locator('h1').innerText(), t('sv', 'register-title'));

  const toEnglish = p.getByRole('link', { name: t('sv', 'switch-language') });
  assert.equal(await toEnglish.getAttribute('lang'), 'en', 'the link names its language');
  await toEnglish.click();
  await p.waitForURL(/\/o\/exempelstad\/systems\?q=ekonomi$/);
  assert.equal(await p.getAttribute('html', 'lang'), 'en');
  assert.equal(await p.locator('h1').innerText(), t('en', 'register-title'));
  assert.equal(await p.getByLabel(t('en', 'register-search'), { exact: true }).inputValue(), 'ekonomi', 'search kept');
  assert.equal(await p.title(), `${t('en', 'register-title')} – insyn`);

  // The choice sticks on the next page.
  await p.getByRole('link', { name: t('en', 'nav-people') }).click();
  assert.equal(await p.getAttribute('html', 'lang'), 'en');
  assert.equal(await p.locator('h1').innerText(), t('en', 'people-title'));

  await p.getByRole('link', { name: t('en', 'switch-language') }).click();
  await p.waitForURL(/\/people$/);
  assert.equal(await p.getAttribute('html', 'lang'), 'sv');
  assert.equal(await p.locator('h1').innerText(), t('sv', 'people-title'));
  await finish();
});
