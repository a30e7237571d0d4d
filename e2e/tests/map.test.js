// The dependency map of a unit and of the whole organisation (issue 18): from the
// organisation's integrations the editor opens the choice as a map (SVG with its totals
// in words and every flow in a paged table), narrows it to a unit, and opens the same
// map from the unit's page; axe runs on each in Swedish and English, and nothing
// scrolls sideways at 320 px (the picture scrolls inside its region).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expectNoViolations } from '../lib/axe.js';
import { t } from '../lib/i18n.js';
import { expectNoSidewaysScroll } from '../lib/narrow.js';
import { server, signedInPage, useServerAndBrowser } from '../lib/harness.js';

useServerAndBrowser();

async function finish(page) {
  assert.deepEqual(page.problems, [], 'no script errors or failed requests');
  await page.context().close();
}

test('the map of a unit and of the organisation: drawn, counted, narrowed, axe in sv and en', async () => {
  const o = `/o/${server.org}`;
  const editor = await signedInPage('editor');

  await editor.goto(`${o}/integrations`);
  await editor.locator('main').getByRole('link', { name: t('sv', 'scope-map-link'), exact: true }).click();
  await editor.waitForURL(new RegExp(`${o}/map$`));
  assert.match(await editor.locator('h1').innerText(), new RegExp(t('sv', 'scope-map-whole')));
  assert.equal(await editor.locator('main svg.map[role=img] title#map-svg-title').count(), 1);
  const status = await editor.locator('main p[role=status]').innerText();
  assert.match(status, new RegExp(`${t('sv', 'scope-map-in-scope')}: \\d+ system`), status);
  assert.ok((await editor.locator('#flows-caption').count()) === 1, 'the flows as a table');
  await expectNoViolations(editor, 'the organisation\'s dependency map (sv)');

  // Narrowed to the unit of the first flow's sending system that has one.
  const units = editor.locator('#q-unit option');
  assert.ok((await units.count()) > 1, 'the demo has units');
  let unitId = null;
  for (let i = 1; i < (await units.count()) && !unitId; i += 1) {
    const id = await units.nth(i).getAttribute('value');
    await editor.goto(`${o}/map?unit=${id}`);
    if ((await editor.locator('main svg.map .flow').count()) > 0) unitId = id;
  }
  assert.ok(unitId, 'some unit has flows to draw');
  const unitName = (await editor.locator(`#q-unit option[value="${unitId}"]`).innerText()).trim();
  assert.equal(await editor.locator('h1').innerText(), `${t('sv', 'integration-map-title')}: ${unitName}`);
  await expectNoViolations(editor, 'a unit\'s dependency map (sv)');

  // The same map from the unit's page.
  await editor.goto(`${o}/units/${unitId}`);
  await editor.locator('main').getByRole('link', { name: t('sv', 'scope-map-unit-link'), exact: true }).click();
  await editor.waitForURL(new RegExp(`${o}/map\\?unit=${unitId}$`));
  await finish(editor);

  const pages = [
    [`${o}/map`, 'the organisation\'s dependency map'],
    [`${o}/map?unit=${unitId}`, 'a unit\'s dependency map'],
    [`${o}/map?unit=${unitId}&criticality=critical`, 'a unit\'s critical flows'],
  ];
  const en = await signedInPage('editor', { lang: 'en' });
  for (const [path, label] of pages) {
    await en.goto(path);
    assert.equal(await en.locator('html').getAttribute('lang'), 'en');
    assert.match(await en.locator('main p[role=status]').innerText(), new RegExp(t('en', 'scope-map-in-scope')));
    await expectNoViolations(en, `${label} (en)`);
  }
  await finish(en);

  await expectNoSidewaysScroll('editor', pages.map(([path]) => path));
});
