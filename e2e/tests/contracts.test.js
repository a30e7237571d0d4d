// The contract pages (issue 19): a supplier and a contract recorded through the API (the
// demo has none), then a reader finds Avtal in the menu, sorts the list, opens the
// contract and sees its last day to give notice with the arithmetic in words, follows the
// supplier link; axe runs on every page in Swedish and English.
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
