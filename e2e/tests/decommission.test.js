// The decommissioning journey through the real UI (issue 20): the demo's system owner opens
// the Avveckling tab of the system half-way through its decommissioning (Axiell Quria, which
// the demo lets Treserva's owner own until the planned date),
// sees the one failing gate named in words with the backup tape that is not erased, records
// that tape's erasure through the form (the same type and serial fill in the listed medium),
// sees every gate pass, closes the case and finds the system decommissioned; axe runs on the
// tab before and after and on the printable report, in Swedish and English.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expectNoViolations } from '../lib/axe.js';
import { t } from '../lib/i18n.js';
import { api } from '../lib/server.js';
import { signedInPage, useServerAndBrowser } from '../lib/harness.js';

useServerAndBrowser();

async function finish(page) {
  assert.deepEqual(page.problems, [], 'no script errors or failed requests');
  await page.context().close();
}

async function gates(page) {
  return page.locator('ul.gates').innerText();
}

async function axeEverywhere(base, when, extra = []) {
  for (const lang of ['sv', 'en']) {
    const page = await signedInPage('system owner', { lang });
    for (const [path, label] of [[`${base}/decommissioning`, 'the decommissioning tab'], [`${base}/decommissioning/print`, 'the decommissioning report'], ...extra]) {
      await page.goto(path);
      assert.equal(await page.locator('html').getAttribute('lang'), lang);
      await expectNoViolations(page, `${label} ${when} (${lang})`);
    }
    await finish(page);
  }
}

test('decommissioning: the missing erasure named, recorded through the form, the case closed, axe in sv and en', async () => {
  const owner = await signedInPage('system owner');
  const org = owner.server.org;
  const found = await api(owner, `/api/v1/orgs/${org}/systems?q=${encodeURIComponent('Axiell Quria')}`);
  const quria = found.items.find((s) => s.name === 'Axiell Quria');
  assert.ok(quria, 'the demo has Axiell Quria');
  const base = `/o/${org}/systems/${quria.id}`;
  const types = await api(owner, `/api/v1/orgs/${org}/systems/${quria.id}/record-types`);
  assert.ok(types.items.length > 0, 'the demo system has record types');
  const editType = `${base}/decommissioning?edit=${types.items[0].id}`;
  await axeEverywhere(base, 'before', [[editType, 'a record type being changed']]);

  // "Ändra" on a record type fills the form with it; saving changes that row.
  await owner.goto(`${base}/decommissioning`);
  await owner.locator('section[aria-labelledby=record-type] tbody tr').first().getByRole('link', { name: new RegExp(`^${t('sv', 'edit')}`) }).click();
  await owner.waitForURL(new RegExp(`edit=${types.items[0].id}#record-type-form$`));
  assert.equal(await owner.locator('#record-type-name').inputValue(), types.items[0].name);
  assert.ok((await owner.locator('#record-type-form h3').innerText()).includes(t('sv', 'record-type-change')));
  await owner.getByRole('button', { name: t('sv', 'save'), exact: true }).click();
  await owner.waitForURL(new RegExp(`${base}/decommissioning\\?saved=1#record-type$`));
  const again = await api(owner, `/api/v1/orgs/${org}/systems/${quria.id}/record-types`);
  assert.equal(again.total, types.total, 'changed in place, not added');

  // From the system's security page to the tab.
  await owner.goto(base + '/security');
  await owner.getByRole('link', { name: t('sv', 'decommission-title'), exact: true }).click();
  await owner.waitForURL(new RegExp(`${base}/decommissioning$`));
  const before = await gates(owner);
  const failed = before.split('\n').filter((l) => l.startsWith(t('sv', 'decommission-gate-failed')));
  assert.equal(failed.length, 1, before);
  assert.ok(failed[0].includes(t('sv', 'decommission-gate-media-erased')), before);
  assert.ok(failed[0].includes('Backupband (LTO-0815)'), before);
  assert.equal(await owner.getByRole('button', { name: t('sv', 'decommission-close'), exact: true }).count(), 0);

  // The tape's erasure, through the form.
  const today = new Date().toISOString().slice(0, 10);
  await owner.fill('#erasure-medium_type', 'Backupband');
  await owner.fill('#erasure-serial', 'LTO-0815');
  await owner.selectOption('#erasure-method', 'destroy');
  await owner.fill('#erasure-tool', 'Kross');
  await owner.fill('#erasure-operator', 'Destruktionsfirman AB');
  await owner.fill('#erasure-erased_on', today);
  await owner.fill('#erasure-verified_by', 'IT-säkerhetssamordnaren');
  await owner.selectOption('#erasure-verification_result', 'passed');
  await owner.fill('#erasure-certificate_reference', 'DEST-2026-17');
  await owner.getByRole('button', { name: t('sv', 'erasure-add'), exact: true }).click();
  await owner.waitForURL(new RegExp(`${base}/decommissioning\\?saved=1#erasure$`));
  const after = await gates(owner);
  assert.ok(!after.includes(t('sv', 'decommission-gate-failed')), after);
  const tapes = await owner.locator('section[aria-labelledby=erasure] tbody tr', { hasText: 'LTO-0815' }).count();
  assert.equal(tapes, 1, 'the listed tape got its erasure, not a second row');

  // Close the case: the system is decommissioned.
  await owner.getByRole('button', { name: t('sv', 'decommission-close'), exact: true }).click();
  await owner.waitForURL(new RegExp(`${base}/decommissioning\\?saved=1#close$`));
  assert.ok((await owner.locator('main').innerText()).includes(t('sv', 'decommission-status-closed')));
  await owner.goto(base);
  assert.ok((await owner.locator('main').innerText()).includes(t('sv', 'lifecycle-decommissioned')));
  await finish(owner);
  await axeEverywhere(base, 'after closing');
});
