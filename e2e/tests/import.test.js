// Importing a spreadsheet in the browser: upload, look at the dry run, confirm.
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { t } from '../lib/i18n.js';
import { server, signedInPage, useServerAndBrowser } from '../lib/harness.js';

const FILE = fileURLToPath(new URL('../../crates/io/testdata/asr-messy.xlsx', import.meta.url));

useServerAndBrowser();

test('import a messy ASR spreadsheet: the dry run lists every row, then the import keeps them', async () => {
  const page = await signedInPage('editor');
  await page.goto(`/o/${server.org}/systems`);
  await page.getByRole('link', { name: t('sv', 'import-title') }).click();
  await page.waitForURL(/\/import$/);
  await page.getByLabel(t('sv', 'import-file'), { exact: true }).setInputFiles(FILE);
  await page.getByRole('button', { name: t('sv', 'import-check') }).click();
  const dry = await page.locator('main').innerText();
  assert.match(dry, new RegExp(t('sv', 'import-dry-run-heading')));
  assert.match(dry, new RegExp(t('sv', 'import-duplicate-row')));
  assert.match(dry, new RegExp(t('sv', 'import-missing-name')));
  // Each column's mapping is a labelled select; read "Beskrivning" as notes instead.
  const description = page.getByLabel(/^Kolumn [A-Z]+ \(Beskriv/);
  assert.equal(await description.inputValue(), 'description');
  await description.focus();
  await description.selectOption('notes');
  await page.getByRole('button', { name: t('sv', 'import-mapping-apply') }).press('Enter');
  await page.waitForURL(/\/mapping$/);
  assert.match(await page.locator('main').innerText(), new RegExp(t('sv', 'import-dry-run-heading')));
  assert.equal(await page.getByLabel(/^Kolumn [A-Z]+ \(Beskriv/).inputValue(), 'notes', 'the choice stays');
  await page.getByRole('button', { name: t('sv', 'import-confirm'), exact: true }).click();
  // The import runs as a job: its page shows it finish.
  await page.waitForURL(/\/jobs\/[0-9a-f-]+$/);
  await page.getByRole('heading', { name: new RegExp(t('sv', 'import-done-heading')) }).waitFor({ timeout: 30000 });
  // The appendix's example system is in the register now.
  await page.goto(`/o/${server.org}/systems?q=Exchange`);
  assert.match(await page.locator("main table").innerText(), /Microsoft Exchange 2003/);
  assert.deepEqual(page.problems, [], 'no script errors or failed requests');
  await page.context().close();
});
