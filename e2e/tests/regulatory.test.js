// Regulatory facts through the real UI (issue 20 item 4): the administrator follows the
// organisation page's line on the Cybersecurity Act to the entity class the demo set
// (essential), is refused a registration day in the future (the summary links to the
// field, what was typed is kept), and saves the class as important; the auditor (reader)
// sees the facts without a form. On Procapita's AI tab the editor sees the demo's
// visible gap, high-risk AI without a FRIA, is refused a FRIA on a system said to hold
// no AI, then records the FRIA and the finding is gone. Axe on the organisation page,
// both new pages and the refused forms, in Swedish and English.
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

async function axeOn(who, path, what) {
  for (const lang of ['sv', 'en']) {
    const page = await signedInPage(who, { lang });
    await page.goto(path);
    assert.equal(await page.locator('html').getAttribute('lang'), lang);
    await expectNoViolations(page, `${what} (${lang})`);
    await finish(page);
  }
}

test('regulatory: the entity class read and set, a FRIA recorded on the AI tab, axe in sv and en', async () => {
  const admin = await signedInPage('administrator');
  const org = admin.server.org;
  const nis = `/o/${org}/settings/nis`;
  await axeOn('administrator', `/o/${org}`, 'the organisation page');
  await axeOn('administrator', nis, 'the entity class page');
  await axeOn('reader', nis, 'the entity class page read-only');

  await admin.goto(`/o/${org}`);
  await admin.getByRole('link', { name: t('sv', 'nis-class-essential'), exact: true }).click();
  await admin.waitForURL(new RegExp(`${nis}$`));
  await admin.getByLabel(t('sv', 'nis-class-important'), { exact: true }).check();
  await admin.fill('#nis-registered_on', '2099-01-01');
  await admin.fill('#nis-registration_reference', 'MCF 2026-77');
  await admin.getByRole('button', { name: t('sv', 'save'), exact: true }).click();
  const summary = admin.locator('#error-summary');
  await summary.waitFor();
  assert.equal(await summary.locator('a[href="#nis-registered_on"]').count(), 1, 'the summary links to the field');
  assert.equal(await admin.getAttribute('#nis-registered_on', 'aria-invalid'), 'true');
  assert.equal(await admin.inputValue('#nis-registration_reference'), 'MCF 2026-77', 'what was typed is kept');
  await expectNoViolations(admin, 'the refused entity class form (sv)');
  await admin.fill('#nis-registered_on', '2026-02-01');
  await admin.getByRole('button', { name: t('sv', 'save'), exact: true }).click();
  await admin.waitForURL(new RegExp(`${nis}\\?saved=1$`));
  assert.ok((await admin.locator('dl.facts').innerText()).includes(t('sv', 'nis-class-important')));
  await finish(admin);

  const reader = await signedInPage('reader');
  await reader.goto(nis);
  assert.ok((await reader.locator('dl.facts').innerText()).includes('MCF 2026-77'), 'the auditor reads the facts');
  assert.equal(await reader.locator('form.system-form').count(), 0, 'and has no form');
  await finish(reader);

  const editor = await signedInPage('editor');
  const found = await api(editor, `/api/v1/orgs/${org}/systems?q=Procapita`);
  const procapita = found.items.find((s) => s.name === 'Procapita');
  assert.ok(procapita, 'the demo has Procapita');
  const base = `/o/${org}/systems/${procapita.id}`;
  await axeOn('editor', `${base}/ai`, 'the AI tab with its finding');

  await editor.goto(base + '/security');
  await editor.getByRole('link', { name: t('sv', 'ai-title'), exact: true }).click();
  await editor.waitForURL(new RegExp(`${base}/ai$`));
  const findings = editor.locator('section[aria-labelledby=ai-findings-title]');
  assert.ok((await findings.innerText()).includes(t('sv', 'ai-finding-high-risk-without-fria')), 'the demo gap shows');

  // A mistake first: no AI, yet a risk class.
  await editor.getByLabel(t('sv', 'ai-contains-no'), { exact: true }).check();
  await editor.fill('#ai-fria_on', '2026-03-01');
  await editor.getByRole('button', { name: t('sv', 'save'), exact: true }).click();
  const refused = editor.locator('#error-summary');
  await refused.waitFor();
  assert.equal(await refused.locator('a[href="#ai-risk_class"]').count(), 1, 'the summary links to the risk class');
  assert.equal(await editor.getAttribute('#ai-risk_class', 'aria-invalid'), 'true');
  await expectNoViolations(editor, 'the refused AI form (sv)');

  await editor.getByLabel(t('sv', 'ai-contains-yes'), { exact: true }).check();
  await editor.fill('#ai-fria_reference', 'KS 2026/112');
  await editor.getByRole('button', { name: t('sv', 'save'), exact: true }).click();
  await editor.waitForURL(new RegExp(`${base}/ai\\?saved=1$`));
  assert.equal(await findings.count(), 0, 'the finding is gone');
  assert.ok((await editor.locator('dl.facts').innerText()).includes('KS 2026/112'));
  await finish(editor);
  await axeOn('editor', `${base}/ai`, 'the AI tab after the FRIA');
});
