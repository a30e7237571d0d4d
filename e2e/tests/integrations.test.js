// The integrations journey (issue 18): the editor opens Treserva's Integrationer tab,
// is refused an integration without the other system, adds one (Treserva receives from
// another system, critical), opens the dependency map (SVG with its table) at depth 2
// and "if Treserva is down"; the organisation's list filters by criticality; axe runs on
// every new page in Swedish and English, and nothing scrolls sideways at 320 px.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expectNoViolations } from '../lib/axe.js';
import { t } from '../lib/i18n.js';
import { expectNoSidewaysScroll } from '../lib/narrow.js';
import { ownedSystem } from '../lib/pages.js';
import { server, signedInPage, useServerAndBrowser } from '../lib/harness.js';

useServerAndBrowser();

async function finish(page) {
  assert.deepEqual(page.problems, [], 'no script errors or failed requests');
  await page.context().close();
}

test('an integration: added on the tab, drawn on the map, weighed in the impact, axe in sv and en', async () => {
  const o = `/o/${server.org}`;
  const editor = await signedInPage('editor');
  const treserva = await ownedSystem(editor);
  const base = `${o}/systems/${treserva.id}`;

  await editor.goto(base);
  await editor.locator('main').getByRole('link', { name: t('sv', 'integrations-title'), exact: true }).click();
  await editor.waitForURL(new RegExp(`${base}/integrations$`));
  await expectNoViolations(editor, 'a system\'s integrations (sv)');

  // Without the other system: refused, the summary links to the field.
  const form = editor.locator(`main form[action$="/integrations"]`);
  await form.locator('input[name=other_system_id]').evaluate((s) => s.removeAttribute('required'));
  await form.getByRole('button', { name: t('sv', 'save'), exact: true }).click();
  await editor.locator('.error-summary').waitFor();
  assert.equal(await editor.locator('.error-summary a[href="#i-other_system_id"]').count(), 1);
  await expectNoViolations(editor, 'the integration form with errors (sv)');

  // Treserva receives from another system, critically.
  await editor.getByRole('radio', { name: t('sv', 'integration-side-to'), exact: true }).check();
  const other = editor.getByLabel(t('sv', 'integration-other'), { exact: true });
  // Typed by name; the suggestions are a bounded list of the register.
  const name = (await editor.locator('#i-other-systems option').nth(1).getAttribute('value')).trim();
  await other.fill(name);
  await editor.getByLabel(t('sv', 'integration-interface'), { exact: true }).fill('SFTP (e2e)');
  await editor.getByLabel(t('sv', 'integration-criticality'), { exact: true }).selectOption('critical');
  await editor.getByRole('button', { name: t('sv', 'save'), exact: true }).click();
  await editor.waitForURL(new RegExp(`${base}/integrations$`));
  const tab = await editor.locator('main table').first().innerText();
  assert.ok(tab.includes(name) && tab.includes('SFTP (e2e)'), tab);

  // The map: SVG with a title, and the same flows as a table.
  await editor.locator('main').getByRole('link', { name: t('sv', 'integration-map-title'), exact: true }).click();
  await editor.waitForURL(new RegExp(`${base}/map$`));
  assert.equal(await editor.locator('main svg.map[role=img] title#map-svg-title').count(), 1);
  assert.ok((await editor.locator('#map-caption').count()) === 1);
  await expectNoViolations(editor, 'the dependency map (sv)');
  await editor.getByLabel(t('sv', 'integration-map-depth'), { exact: true }).selectOption('2');
  await editor.getByRole('button', { name: t('sv', 'integrations-show'), exact: true }).click();
  await editor.waitForURL(new RegExp(`${base}/map\\?depth=2$`));
  await expectNoViolations(editor, 'the dependency map at depth 2 (sv)');

  // If Treserva is down.
  await editor.locator('main').getByRole('link', { name: t('sv', 'impact-title'), exact: true }).click();
  await editor.waitForURL(new RegExp(`${base}/impact$`));
  assert.match(await editor.locator('h1').innerText(), /Treserva/);
  await expectNoViolations(editor, 'if the system is down (sv)');

  // The organisation's list, filtered.
  await editor.getByRole('navigation', { name: t('sv', 'nav-main') })
    .getByRole('link', { name: t('sv', 'nav-integrations'), exact: true }).click();
  await editor.waitForURL(new RegExp(`${o}/integrations$`));
  await editor.getByLabel(t('sv', 'integration-criticality'), { exact: true }).selectOption('critical');
  await editor.getByRole('button', { name: t('sv', 'integrations-show'), exact: true }).click();
  assert.match(await editor.locator('main').innerText(), /SFTP \(e2e\)/);
  await expectNoViolations(editor, 'the organisation\'s integrations (sv)');
  await finish(editor);

  const pages = [
    [`${base}/integrations`, 'a system\'s integrations'],
    [`${base}/map?depth=2`, 'the dependency map'],
    [`${base}/impact`, 'if the system is down'],
    [`${o}/integrations?criticality=critical`, 'the organisation\'s integrations'],
  ];
  const en = await signedInPage('editor', { lang: 'en' });
  for (const [path, label] of pages) {
    await en.goto(path);
    assert.equal(await en.locator('html').getAttribute('lang'), 'en');
    await expectNoViolations(en, `${label} (en)`);
  }
  await finish(en);

  // At 320 CSS px the page does not scroll sideways (the map scrolls inside its region).
  await expectNoSidewaysScroll('editor', pages.map(([path]) => path));
});
