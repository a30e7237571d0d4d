// Progress on long work and search as you type (issue 23). An editor uploads a
// spreadsheet of 10,000 systems made here, confirms it, lands on the job's progress page
// (a <progress> bar and a status read out politely, updated by /static/job.js without a
// reload) and sees it finish with its counts, all without leaving the page; axe on the
// running and the finished page, in Swedish and English. Then, in the register, typing
// in the search field shows the matching systems without submitting the form (the page
// is not reloaded, the address follows), and with scripts off the plain form still
// searches.
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { expectNoViolations } from '../lib/axe.js';
import { newPage, signIn } from '../lib/browser.js';
import { t } from '../lib/i18n.js';
import { browser, server, signedInPage, useServerAndBrowser } from '../lib/harness.js';
import { startHeldAt1500 } from '../lib/jobs.js';

useServerAndBrowser();

const ROWS = 10000;

async function finish(page) {
  assert.deepEqual(page.problems, [], 'no script errors or failed requests');
  await page.context().close();
}

async function bigFile(prefix) {
  const dir = await mkdtemp(path.join(tmpdir(), 'insyn-progress-'));
  const file = path.join(dir, 'tiotusen.csv');
  const lines = ['Systemnamn,Beskrivning'];
  for (let i = 1; i <= ROWS; i++) {
    lines.push(`${prefix} ${String(i).padStart(5, '0')},Rad ${i} i en stor import`);
  }
  await writeFile(file, lines.join('\n') + '\n');
  return file;
}

test('search as you type: the results follow the typing without a submit; the plain form without scripts', async () => {
  const page = await signedInPage('editor');
  const org = page.server.org;
  await page.goto(`/o/${org}/systems`);
  const first = (await page.locator('table.register tbody th a').first().innerText()).trim();
  const word = first.split(/\s+/)[0];
  const countBefore = await page.locator('#register-count').innerText();
  await page.evaluate(() => { window.stillHere = true; });
  await page.locator('#q').pressSequentially(word, { delay: 40 });
  await page.waitForURL((u) => u.searchParams.get('q') === word);
  await page.waitForFunction((before) => document.getElementById('register-count').textContent !== before, countBefore);
  assert.equal(await page.evaluate(() => window.stillHere), true, 'the page was not reloaded');
  const names = await page.locator('table.register tbody th a').allInnerTexts();
  assert.ok(names.length > 0, 'some systems match');
  assert.ok(names.includes(first), `${first} is among the results`);
  assert.equal(await page.getAttribute('#register-count', 'role'), 'status');
  await expectNoViolations(page, 'the register after typing (sv)');
  await finish(page);

  // No scripts: the form as it always was.
  const plain = await newPage(browser, server, { javaScriptEnabled: false });
  await signIn(plain, 'editor');
  await plain.goto(`/o/${org}/systems`);
  await plain.fill('#q', word);
  await plain.getByRole('button', { name: t('sv', 'filter-apply'), exact: true }).click();
  await plain.waitForURL((u) => u.searchParams.get('q') === word);
  assert.ok((await plain.locator('table.register tbody th a').allInnerTexts()).includes(first));
  await finish(plain);
});

// Imports `file` as the editor in `lang` and follows the job to its end, held at
// "1 500 of 10 000 rows checked" until released (lib/jobs.js).
async function importAndFollow(lang, file) {
  const page = await signedInPage('editor', { lang });
  const org = page.server.org;
  await page.goto(`/o/${org}/import`);
  await page.getByLabel(t(lang, 'import-file'), { exact: true }).setInputFiles(file);
  await page.getByRole('button', { name: t(lang, 'import-check') }).click();
  await page.getByRole('heading', { name: new RegExp(t(lang, 'import-dry-run-heading')) }).waitFor({ timeout: 60000 });
  // Running: the bar, and the status the script updates in place.
  const confirm = page.getByRole('button', { name: t(lang, 'import-confirm'), exact: true });
  const { bar, release } = await startHeldAt1500(page, confirm, 'checking');
  await expectNoViolations(page, `the running job (${lang})`);

  // Done: the script puts the result in place without a reload.
  await release();
  await page.getByRole('heading', { name: new RegExp(t(lang, 'import-done-heading')) }).waitFor({ timeout: 60000 });
  assert.equal(await page.evaluate(() => window.stillHere), true, 'no reload');
  assert.equal(await bar.count(), 0);
  assert.match(await page.locator('main').innerText(), new RegExp(`${t(lang, 'import-action-create')}: 10\\s000`));
  await expectNoViolations(page, `the finished job (${lang})`);
  await page.getByRole('link', { name: t(lang, 'register-title'), exact: true }).last().click();
  await page.waitForURL(new RegExp(`/o/${org}/systems$`));
  await finish(page);
}

test('an import of 10,000 rows shows its progress and finishes; axe on each state in sv and en', async () => {
  await importAndFollow('sv', await bigFile('Massimport'));
  await importAndFollow('en', await bigFile('Bulk import'));
});
