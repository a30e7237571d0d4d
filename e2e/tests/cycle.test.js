// The årshjul with real dates through the real UI (issue 23): the security coordinator opens
// the årshjul, sees controls done in past months (from the demo's records) and due ahead,
// opens a month's list of done controls and reaches a system from it, narrows the list to
// one control, and opens last year's wheel; axe runs on the wheel and the month list in
// Swedish and English.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expectNoViolations } from '../lib/axe.js';
import { t } from '../lib/i18n.js';
import { signedInPage, useServerAndBrowser } from '../lib/harness.js';

useServerAndBrowser();

async function finish(page) {
  assert.deepEqual(page.problems, [], 'no script errors or failed requests');
  await page.context().close();
}

test('cycle: done and due per month, a month opens its systems, axe in sv and en', async () => {
  const page = await signedInPage('security_coordinator');
  const org = page.server.org;
  const year = new Date().getFullYear();
  await page.goto(`/o/${org}/cycle`);
  await page.getByRole('heading', { level: 1, name: `${t('sv', 'cycle-title')} ${year}` }).waitFor();
  const done = page.locator('table.cycle a.count.ok');
  assert.ok(await done.count() >= 3, 'controls done in several months');
  const due = page.locator('table.cycle a.count.soon');
  assert.ok(await due.count() >= 1, 'controls due ahead');

  // A month's done controls: its list of systems.
  const first = done.first();
  const href = await first.getAttribute('href');
  assert.match(href, /\/cycle\/month\?year=\d{4}&month=\d{1,2}&state=done/);
  await first.click();
  await page.waitForURL((u) => u.pathname === `/o/${org}/cycle/month`);
  const rows = page.locator('table tbody tr');
  assert.ok(await rows.count() >= 1, 'the month lists its systems');
  await expectNoViolations(page, 'the month list (sv)');
  const systemLink = rows.first().locator('th a');
  const name = (await systemLink.innerText()).trim();
  // Narrow to every control and back through the filter form.
  await page.selectOption('#cm-control', '');
  await page.getByRole('button', { name: t('sv', 'cycle-month-show'), exact: true }).click();
  await page.waitForURL((u) => u.searchParams.get('control') === '');
  assert.ok(await rows.count() >= 1);
  await rows.first().locator('th a').click();
  await page.waitForURL((u) => /\/systems\/[0-9a-f-]{36}$/.test(u.pathname));
  assert.ok(name.length > 0);

  // Last year's wheel, from the year navigation.
  await page.goto(`/o/${org}/cycle`);
  await page.getByRole('link', { name: `← ${year - 1}` }).click();
  await page.getByRole('heading', { level: 1, name: `${t('sv', 'cycle-title')} ${year - 1}` }).waitFor();
  assert.ok(await page.locator('table.cycle a.count.ok').count() >= 1, 'last year shows controls done');
  await finish(page);

  for (const lang of ['sv', 'en']) {
    const p = await signedInPage('security_coordinator', { lang });
    await p.goto(`/o/${org}/cycle`);
    assert.equal(await p.locator('html').getAttribute('lang'), lang);
    await expectNoViolations(p, `the årshjul (${lang})`);
    await p.goto(href);
    await p.getByRole('heading', { level: 1 }).waitFor();
    await expectNoViolations(p, `a month of the årshjul (${lang})`);
    await finish(p);
  }
});
