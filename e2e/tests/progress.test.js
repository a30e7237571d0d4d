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

useServerAndBrowser();

const ROWS = 10000;

async function finish(page) {
  assert.deepEqual(page.problems, [], 'no script errors or failed requests');
  await page.context().close();
}

async function bigFile() {
  const dir = await mkdtemp(path.join(tmpdir(), 'insyn-progress-'));
  const file = path.join(dir, 'tiotusen.csv');
  const lines = ['Systemnamn,Beskrivning'];
  for (let i = 1; i <= ROWS; i++) {
    lines.push(`Massimport ${String(i).padStart(5, '0')},Rad ${i} i en stor import`);
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

test('an import of 10,000 rows shows its progress and finishes; axe on each state in sv and en', async () => {
  const file = await bigFile();
  const page = await signedInPage('editor');
  const org = page.server.org;
  await page.goto(`/o/${org}/import`);
  await page.getByLabel(t('sv', 'import-file'), { exact: true }).setInputFiles(file);
  await page.getByRole('button', { name: t('sv', 'import-check') }).click();
  await page.getByRole('heading', { name: new RegExp(t('sv', 'import-dry-run-heading')) }).waitFor({ timeout: 60000 });
  await page.getByRole('button', { name: t('sv', 'import-confirm'), exact: true }).click();
  await page.waitForURL(/\/jobs\/[0-9a-f-]+$/);
  const job = new URL(page.url()).pathname;

  // Running: the bar, and the status the script keeps up to date.
  const bar = page.locator('progress#job-bar');
  await bar.waitFor();
  assert.equal(await page.getAttribute('#job-status', 'role'), 'status');
  const en = await signedInPage('editor', { lang: 'en' });
  await en.goto(job);
  const running = [];
  if (await bar.count()) {
    await expectNoViolations(page, 'the running job (sv)');
    running.push('sv');
  }
  if (await en.locator('progress#job-bar').count()) {
    await expectNoViolations(en, 'the running job (en)');
    running.push('en');
  }
  assert.ok(running.length > 0, 'the running state was seen and checked');

  // Done: the script puts the result in place without a reload.
  await page.evaluate(() => { window.stillHere = true; });
  const done = page.getByRole('heading', { name: new RegExp(t('sv', 'import-done-heading')) });
  await done.waitFor({ timeout: 60000 });
  assert.equal(await page.evaluate(() => window.stillHere), true, 'no reload');
  assert.equal(await bar.count(), 0);
  const text = await page.locator('main').innerText();
  assert.match(text, new RegExp(`${t('sv', 'import-action-create')}: 10\\s000`));
  await expectNoViolations(page, 'the finished job (sv)');
  await en.getByRole('heading', { name: new RegExp(t('en', 'import-done-heading')) }).waitFor({ timeout: 60000 });
  await expectNoViolations(en, 'the finished job (en)');

  await page.getByRole('link', { name: t('sv', 'register-title'), exact: true }).last().click();
  await page.waitForURL(new RegExp(`/o/${org}/systems$`));
  await finish(page);
  await finish(en);
});
