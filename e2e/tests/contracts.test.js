// The contract pages (issue 19): a supplier and a contract recorded through the API (beside
// the demo's own), then a reader finds Avtal in the menu, sorts the list, opens the
// contract and sees its last day to give notice with the arithmetic in words, follows the
// supplier link; the coordinator's tasks list the demo's contracts whose last day to give
// notice is near; axe runs on every page in Swedish and English.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { call } from '../lib/api.js';
import { expectNoViolations } from '../lib/axe.js';
import { t } from '../lib/i18n.js';
import { server, signedInPage, useServerAndBrowser } from '../lib/harness.js';

useServerAndBrowser();

async function finish(page) {
  assert.deepEqual(page.problems, [], 'no script errors or failed requests');
  await page.context().close();
}

const NAME = 'Ekonomisystem SaaS (e2e)';

test('contracts: the list and a contract page with its notice day explained, axe in sv and en', async () => {
  const o = `/o/${server.org}`;
  const api = `/api/v1/orgs/${server.org}`;
  const admin = await signedInPage('administrator');
  await admin.goto(o);
  const systems = await call(admin, 'GET', `${api}/systems?per_page=1`);
  const supplier = await call(admin, 'POST', `${api}/suppliers`, { name: `Leverantör e2e ${Date.now()}` });
  const contract = await call(admin, 'POST', `${api}/contracts`, {
    name: NAME, supplier_id: supplier.id, kind: 'subscription', signed_on: '2023-12-01',
    start_date: '2024-01-01', initial_months: 36, renewal: 'tacit', renewal_months: 12,
    customer_notice_months: 3, customer_notice_end_of: 'quarter', system_ids: [systems.items[0].id],
  });
  await finish(admin);
  const day = contract.dates.last_notice_day;

  const reader = await signedInPage('reader');
  await reader.goto(o);
  await reader.getByRole('link', { name: t('sv', 'nav-contracts'), exact: true }).click();
  await reader.waitForURL(new RegExp(`${o}/contracts$`));
  assert.match(await reader.locator('main').innerText(), new RegExp(day));
  await expectNoViolations(reader, 'contracts (sv)');
  await reader.getByRole('link', { name: `${t('sv', 'contract-supplier')} (${t('sv', 'contracts-sort')})`, exact: true }).click();
  await reader.waitForURL(new RegExp(`${o}/contracts\\?sort=supplier$`));
  await reader.getByRole('link', { name: NAME, exact: true }).click();
  await reader.waitForURL(new RegExp(`${o}/contracts/${contract.id}$`));
  const main = await reader.locator('main').innerText();
  assert.match(main, new RegExp(`${t('sv', 'contract-last-notice-day')}\\s+${day}`));
  assert.match(main, /Avtalet började gälla 2024-01-01/);
  await expectNoViolations(reader, 'a contract (sv)');
  await reader.getByRole('link', { name: supplier.name, exact: true }).first().click();
  await reader.waitForURL(new RegExp(`${o}/suppliers/${supplier.id}$`));
  await expectNoViolations(reader, 'a supplier (sv)');
  await reader.goto(`${o}/suppliers`);
  await expectNoViolations(reader, 'suppliers (sv)');
  await finish(reader);

  const en = await signedInPage('reader', { lang: 'en' });
  await en.goto(`${o}/contracts`);
  await expectNoViolations(en, 'contracts (en)');
  await en.goto(`${o}/contracts/${contract.id}`);
  assert.match(await en.locator('main').innerText(), /The contract started on 2024-01-01/);
  await expectNoViolations(en, 'a contract (en)');
  await en.goto(`${o}/suppliers/${supplier.id}`);
  await expectNoViolations(en, 'a supplier (en)');
  await en.goto(`${o}/suppliers`);
  await expectNoViolations(en, 'suppliers (en)');
  await finish(en);
});

// The forms (issue 19): an editor records a supplier and then a contract with it through
// the pages, typing the supplier's and a system's names, sees a refused form with its
// errors, and after saving sees the last day to give notice; axe runs on every form in
// Swedish and English, with and without errors, and on the administrator's lead time page.
// Fields are found by their ids: several labels begin alike (Avtal, Avtalstyp, Avtalsvärde).

test('contracts: a supplier and a contract recorded through the forms, axe in sv and en', async () => {
  const o = `/o/${server.org}`;
  const editor = await signedInPage('editor');
  await editor.goto(o);
  const systems = await call(editor, 'GET', `/api/v1/orgs/${server.org}/systems?per_page=1`);
  const system = systems.items[0].name;
  const supplierName = `Formulärleverantör ${Date.now()}`;

  await editor.goto(`${o}/suppliers`);
  await editor.getByRole('link', { name: t('sv', 'supplier-new'), exact: true }).click();
  await editor.waitForURL(new RegExp(`${o}/suppliers/new$`));
  await expectNoViolations(editor, 'new supplier (sv)');
  await editor.locator('#name').fill(supplierName);
  await editor.locator('#org_number').fill('212000-0143');
  await editor.getByRole('button', { name: t('sv', 'save'), exact: true }).click();
  assert.match(await editor.locator('.error-summary').innerText(), new RegExp(t('sv', 'supplier-org-number')));
  await expectNoViolations(editor, 'new supplier with errors (sv)');
  await editor.locator('#org_number').fill('');
  await editor.locator('#support_hours').fill('Vardagar 8–17');
  await editor.getByRole('button', { name: t('sv', 'save'), exact: true }).click();
  await editor.waitForURL(new RegExp(`${o}/suppliers/[0-9a-f-]{36}$`));
  const supplierUrl = editor.url();

  await editor.getByRole('link', { name: t('sv', 'supplier-new-contract'), exact: true }).click();
  await editor.waitForURL(new RegExp(`${o}/contracts/new\\?supplier=`));
  assert.equal(await editor.locator('#supplier_id').inputValue(), supplierName);
  await expectNoViolations(editor, 'new contract (sv)');
  await editor.locator('#initial_months').fill('36');
  await editor.getByRole('button', { name: t('sv', 'save'), exact: true }).click();
  assert.match(await editor.locator('.error-summary').innerText(), new RegExp(t('sv', 'contract-name')));
  await expectNoViolations(editor, 'new contract with errors (sv)');

  await editor.locator('#name').fill('Avtal från formuläret (e2e)');
  await editor.locator('#kind').selectOption('subscription');
  await editor.locator('#signed_on').fill('2023-12-01');
  await editor.locator('#start_date').fill('2024-01-01');
  await editor.locator('#renewal').selectOption('tacit');
  await editor.locator('#renewal_months').fill('12');
  await editor.locator('#customer_notice_months').fill('3');
  await editor.locator('#customer_notice_end_of').selectOption('quarter');
  await editor.locator('#system_ids').fill(system);
  await editor.getByRole('button', { name: t('sv', 'save'), exact: true }).click();
  await editor.waitForURL(new RegExp(`${o}/contracts/[0-9a-f-]{36}$`));
  const contractUrl = editor.url();
  const main = await editor.locator('main').innerText();
  assert.match(main, new RegExp(`${t('sv', 'contract-last-notice-day')}\\s+\\d{4}-\\d{2}-\\d{2}`));
  assert.match(main, /36 månader till och med 2026-12-31/);
  assert.ok(main.includes(system), 'the system covered is listed');
  await editor.goto(supplierUrl);
  assert.ok((await editor.locator('main').innerText()).includes('Avtal från formuläret (e2e)'));
  await finish(editor);

  const en = await signedInPage('editor', { lang: 'en' });
  for (const [path, what] of [
    [`${o}/suppliers/new`, 'new supplier (en)'],
    [`${o}/contracts/new`, 'new contract (en)'],
    [`${new URL(contractUrl).pathname}/edit`, 'edit contract (en)'],
    [`${new URL(supplierUrl).pathname}/edit`, 'edit supplier (en)'],
  ]) {
    await en.goto(path);
    await expectNoViolations(en, what);
  }
  await en.getByRole('button', { name: t('en', 'save'), exact: true }).click();
  await expectNoViolations(en, 'edit supplier saved (en)');
  await en.goto(`${o}/contracts/new`);
  await en.getByRole('button', { name: t('en', 'save'), exact: true }).click();
  assert.match(await en.locator('.error-summary').innerText(), new RegExp(t('en', 'contract-name')));
  await expectNoViolations(en, 'new contract with errors (en)');
  await finish(en);

  for (const lang of ['sv', 'en']) {
    const admin = await signedInPage('administrator', { lang });
    await admin.goto(`${o}/contracts`);
    await admin.getByRole('link', { name: t(lang, 'contract-settings-link'), exact: true }).click();
    await admin.waitForURL(new RegExp(`${o}/settings/contracts$`));
    await expectNoViolations(admin, `contract settings (${lang})`);
    await admin.locator('#lead_days').fill('0');
    await admin.getByRole('button', { name: t(lang, 'save'), exact: true }).click();
    await expectNoViolations(admin, `contract settings with errors (${lang})`);
    await admin.locator('#lead_days').fill('90');
    await admin.getByRole('button', { name: t(lang, 'save'), exact: true }).click();
    await admin.waitForURL(new RegExp(`${o}/settings/contracts\\?saved=1$`));
    await finish(admin);
  }
});

test('coordinator: the contracts near their last day to give notice in the tasks, axe in sv and en', async () => {
  const o = `/o/${server.org}`;
  for (const lang of ['sv', 'en']) {
    const p = await signedInPage('security_coordinator', { lang });
    await p.goto(`${o}/tasks`);
    const table = p.locator('section', {
      has: p.locator('h2#h-contracts', { hasText: t(lang, 'tasks-contracts') }),
    }).locator('table.tasks');
    const rows = await table.locator('tbody tr').count();
    assert.ok(rows >= 1 && rows <= 10, `contracts near their notice day (${rows})`);
    await expectNoViolations(p, `tasks with contracts near their notice day (${lang})`);
    await table.locator('tbody a').first().click();
    await p.waitForURL(new RegExp(`${o}/contracts/[0-9a-f-]+$`));
    assert.match(await p.locator('main').innerText(), new RegExp(t(lang, 'contract-last-notice-day')));
    await finish(p);
  }
});
