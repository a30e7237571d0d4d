// The incident journey through the real UI (issue 17): an ordinary user (the reader)
// reports a personal-data incident on Treserva through the form (first refused without a
// title), the IT-säkerhetssamordnare sees the clocks in plain words at the top, assesses
// the incident as not significant, records the IMY notification, opens the printable
// report draft, writes the lessons learned and closes it; axe runs on every new page in
// Swedish and English.
import assert from 'node:assert/strict';
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

const UUID = '[0-9a-f-]{36}';
const TITLE = 'Beslut skickat till fel mottagare (e2e)';

test('an incident: reported, assessed, notified to IMY and closed, axe in sv and en', async () => {
  const o = `/o/${server.org}`;

  // The reader finds Incidenter in the menu and reports.
  const reader = await signedInPage('reader');
  await reader.goto(o);
  await reader.getByRole('link', { name: t('sv', 'nav-incidents'), exact: true }).click();
  await reader.waitForURL(new RegExp(`${o}/incidents$`));
  await expectNoViolations(reader, 'incidents (sv)');
  await reader.getByRole('link', { name: t('sv', 'incident-report'), exact: true }).click();
  await reader.waitForURL(new RegExp(`${o}/incidents/new$`));
  await expectNoViolations(reader, 'the report form (sv)');
  assert.ok((await reader.getByLabel(new RegExp(t('sv', 'incident-aware-at'))).inputValue()).length >= 16,
    'aware at defaults to now');
  await reader.getByLabel(t('sv', 'incident-kind'), { exact: true }).selectOption('personal_data');
  await reader.getByRole('button', { name: t('sv', 'incident-report'), exact: true }).click();
  const summary = reader.locator('.error-summary');
  await summary.waitFor();
  await expectNoViolations(reader, 'the report form with errors (sv)');
  await reader.getByLabel(new RegExp(`^${t('sv', 'incident-title')}`)).fill(TITLE);
  await reader.getByLabel(t('sv', 'incident-systems-pick'), { exact: true }).selectOption({ label: 'Treserva' });
  await reader.getByLabel(t('sv', 'incident-pd-categories'), { exact: true }).fill('Brukare; personnummer');
  await reader.getByLabel(t('sv', 'incident-pd-subjects'), { exact: true }).fill('1');
  await reader.getByRole('button', { name: t('sv', 'incident-report'), exact: true }).click();
  await reader.waitForURL(new RegExp(`${o}/incidents/${UUID}$`));
  const incident = new URL(reader.url()).pathname;
  assert.match(await reader.locator('main').innerText(), /IMY/);
  await expectNoViolations(reader, 'an incident seen by its reporter (sv)');
  await finish(reader);

  // The coordinator: the clocks at the top, in plain words.
  const sara = await signedInPage('security_coordinator');
  await sara.goto(incident);
  const clocks = await sara.locator('section.clocks').innerText();
  assert.match(clocks, /senast .* kl\. \d\d\.\d\d/);
  assert.match(clocks, /kvar/);
  await expectNoViolations(sara, 'an incident to handle (sv)');

  // Assessed as not significant: the NIS2 clocks do not apply.
  await sara.getByRole('radio', { name: t('sv', 'incident-not-significant'), exact: true }).check();
  await sara.getByLabel(t('sv', 'incident-assess-reason'), { exact: true }).fill('Ett enda beslut, ingen påverkan på tjänsten');
  await sara.getByRole('button', { name: t('sv', 'incident-assess'), exact: true }).click();
  await sara.waitForURL(new RegExp(`${incident}$`));

  // The IMY notification recorded: the clock is met.
  const imy = sara.locator('form[action$="/clocks/gdpr-imy"]');
  await imy.getByLabel(t('sv', 'incident-clock-note'), { exact: true }).fill('IMY-2026-e2e');
  await imy.getByRole('button', { name: new RegExp(`^${t('sv', 'incident-clock-save')}`) }).click();
  await sara.waitForURL(new RegExp(`${incident}$`));
  assert.match(await sara.locator('section.clocks').innerText(), /gjord /);

  // The report draft for IMY prints the register's facts.
  await sara.locator('a[href$="/drafts/gdpr-imy"]').click();
  await sara.waitForURL(new RegExp(`${incident}/drafts/gdpr-imy$`));
  const draft = await sara.locator('main').innerText();
  assert.ok(draft.includes('Treserva') && draft.includes('Brukare; personnummer'), draft);
  await expectNoViolations(sara, 'a report draft (sv)');

  // Lessons learned, then closed.
  await sara.goto(`${incident}/edit`);
  await expectNoViolations(sara, 'the incident edit form (sv)');
  await sara.getByLabel(t('sv', 'incident-lessons'), { exact: true }).fill('Dubbelkolla mottagaren före utskick');
  await sara.getByRole('button', { name: t('sv', 'save'), exact: true }).click();
  await sara.waitForURL(new RegExp(`${incident}$`));
  await sara.getByLabel(t('sv', 'incident-status'), { exact: true }).selectOption('closed');
  await sara.getByRole('button', { name: t('sv', 'incident-status-change'), exact: true }).click();
  await sara.waitForURL(new RegExp(`${incident}$`));
  const closed = await sara.locator('main').innerText();
  assert.ok(closed.includes(t('sv', 'incident-status-closed')) && closed.includes('Dubbelkolla mottagaren'), closed);
  await expectNoViolations(sara, 'a closed incident (sv)');
  const treserva = await ownedSystem(sara);
  await sara.goto(`${o}/systems/${treserva.id}/incidents?show=all`);
  assert.match(await sara.locator('main').innerText(), /fel mottagare/);
  await expectNoViolations(sara, 'the incidents of a system (sv)');
  await sara.goto(`${o}/incidents`);
  await sara.getByRole('link', { name: t('sv', 'compilation-title'), exact: true }).click();
  await sara.waitForURL(new RegExp(`${o}/incidents/compilation$`));
  assert.equal(await sara.locator('main svg.chart[role=img]').first().count(), 1);
  await expectNoViolations(sara, 'the incident compilation (sv)');
  await finish(sara);

  // The same pages in English.
  const en = await signedInPage('security_coordinator', { lang: 'en' });
  for (const [path, label] of [
    [`${o}/incidents?show=all`, 'incidents'],
    [`${o}/incidents/new`, 'the report form'],
    [incident, 'a closed incident'],
    [`${incident}/edit`, 'the incident edit form'],
    [`${incident}/drafts/gdpr-imy`, 'a report draft'],
    [`${incident}/drafts/csirt-early-warning`, 'a NIS2 report draft'],
    [`${o}/systems/${treserva.id}/incidents?show=all`, 'the incidents of a system'],
    [`${o}/incidents/compilation`, 'the incident compilation'],
  ]) {
    await en.goto(path);
    assert.equal(await en.locator('html').getAttribute('lang'), 'en');
    await expectNoViolations(en, `${label} (en)`);
  }
  await en.goto(`${o}/incidents/new`);
  await en.getByRole('button', { name: t('en', 'incident-report'), exact: true }).click();
  await en.locator('.error-summary').waitFor();
  await expectNoViolations(en, 'the report form with errors (en)');
  await finish(en);

  // At 320 CSS px nothing scrolls sideways (WCAG 1.4.10).
  const narrow = await signedInPage('security_coordinator', { viewport: { width: 320, height: 800 } });
  for (const path of [`${o}/incidents?show=all`, `${o}/incidents/new`, incident, `${incident}/edit`, `${o}/incidents/compilation`]) {
    await narrow.goto(path);
    const { scroll, width } = await narrow.evaluate(() => ({
      scroll: document.documentElement.scrollWidth, width: document.documentElement.clientWidth,
    }));
    assert.ok(scroll <= width, `${path} scrolls sideways at 320 px: ${scroll} > ${width}`);
  }
  await finish(narrow);
});
