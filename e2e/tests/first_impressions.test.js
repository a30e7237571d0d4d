// First impressions (issue 23): the demo's system owner lands on "Mina uppgifter" and sees
// a handful of tasks, each an action in plain words under its system's heading with a
// button to the form that does it. One is done through its button (a missing role
// appointed in the system's role form, the role already chosen); back on the tasks it is
// gone. Axe on the tasks page, with a "Varför?" disclosure open, in Swedish and English.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expectNoViolations } from '../lib/axe.js';
import { t } from '../lib/i18n.js';
import { server, signedInPage, useServerAndBrowser } from '../lib/harness.js';

useServerAndBrowser();

async function finish(page) {
  assert.deepEqual(page.problems, [], 'no script errors or failed requests');
  await page.context().close();
}

test('system owner: a handful of tasks by system, one done through its button, then gone', async () => {
  const p = await signedInPage('system owner');
  const o = `/o/${server.org}`;
  await p.waitForURL(new RegExp(`${o}/tasks$`));

  // A handful of tasks, grouped under one heading per system.
  const tasks = p.locator('main li.task');
  const n = await tasks.count();
  assert.ok(n >= 1 && n <= 10, `a handful of tasks (${n})`);
  const groups = p.locator('main section.task-group');
  assert.ok(await groups.count() >= 1, 'grouped by system');
  for (const g of await groups.all()) {
    assert.equal(await g.locator('h3').count(), 1, 'each group has its heading');
  }
  // Each says what to do and offers the form; the policy's words wait under "Varför?".
  for (const task of await tasks.all()) {
    assert.ok((await task.locator('.task-action').innerText()).length > 10);
    assert.equal(await task.locator('a.button').count(), 1);
    assert.equal(await task.locator('details summary').count(), 1);
  }

  // Appoint a missing role through the task's button.
  const appoint = tasks.filter({ has: p.locator('a.button[href*="?role="]') }).first();
  assert.equal(await appoint.count(), 1, 'a role to appoint');
  const words = (await appoint.locator('.task-words').innerText()).trim();
  await appoint.locator('a.button').click();
  await p.waitForURL(/\/systems\/[0-9a-f-]{36}\?role=[a-z_]+#assign-heading$/);
  const chosen = await p.locator('#assign-role_type_id').inputValue();
  const code = new URL(p.url()).searchParams.get('role');
  assert.ok(chosen, `the role ${code} is chosen`);
  await p.locator('#assign-person').fill('sakerhet@exempelstad.se');
  await Promise.all([
    p.waitForURL(/\?saved=1#roller$/),
    p.getByRole('button', { name: t('sv', 'role-assign-button'), exact: true }).click(),
  ]);

  // Back on the tasks, it is gone; the count went down by one.
  await p.goto(`${o}/tasks`);
  const after = p.locator('main li.task');
  assert.equal(await after.count(), n - 1, 'one task fewer');
  const left = await p.locator('main').innerText();
  assert.ok(!left.includes(words), `"${words}" is done`);
  await finish(p);
});

/** The headings of main in document order: [level, text]. */
async function outline(page) {
  return page.locator('main').evaluate((main) => [...main.querySelectorAll('h1, h2, h3, h4, h5, h6')]
    .filter((h) => h.checkVisibility())
    .map((h) => [Number(h.tagName[1]), h.innerText.trim()]));
}

for (const who of ['system owner', 'security_coordinator']) {
  test(`tasks page outline (${who}): one h2 a kind of task, the systems h3 under the policy's, no captions for headings`, async () => {
    const p = await signedInPage(who);
    await p.goto(`/o/${server.org}/tasks`);
    const h = await outline(p);
    assert.deepEqual(h[0], [1, t('sv', 'tasks-title')], JSON.stringify(h));
    assert.deepEqual(h[1], [2, t('sv', 'tasks-policy')], JSON.stringify(h));
    // No level skipped (a screen reader's heading list reads as an outline).
    h.forEach(([level], i) => assert.ok(i === 0 || level <= h[i - 1][0] + 1, `no level skipped at ${JSON.stringify(h[i])}`));
    // The systems' groups are h3 under the policy's h2; every other section is an h2.
    const groups = await p.locator('main section.task-group h3').allInnerTexts();
    const policyEnd = h.findIndex(([level], i) => i > 1 && level <= 2);
    const under = h.slice(2, policyEnd === -1 ? h.length : policyEnd).map(([, text]) => text);
    assert.deepEqual(under, groups.map((g) => g.trim()), 'the h3s under the policy are its groups');
    const kinds = h.filter(([level]) => level === 2).map(([, text]) => text);
    assert.ok(kinds.includes(t('sv', 'access-tasks')), `the access orders' section: ${kinds}`);
    // Every table on the page sits in a section named by an h2, and no caption stands in for one.
    for (const table of await p.locator('main table').all()) {
      const heading = await table.evaluate((el) => el.closest('section')?.querySelector('h2')?.innerText.trim());
      assert.ok(heading && kinds.includes(heading), `a table under the h2 ${heading}`);
    }
    const captions = await p.locator('main caption').evaluateAll((cs) => cs.filter((c) => !c.classList.contains('visually-hidden')).length);
    assert.equal(captions, 0, 'no visible caption in place of a heading');
    await expectNoViolations(p, `tasks outline (${who})`);
    await finish(p);
  });
}

for (const lang of ['sv', 'en']) {
  test(`tasks page with "Varför?" open is accessible (${lang})`, async () => {
    const p = await signedInPage('system owner', { lang });
    await p.goto(`/o/${server.org}/tasks`);
    assert.equal(await p.locator('h1').innerText(), t(lang, 'tasks-title'));
    const why = p.locator('main li.task details').first();
    await why.locator('summary').click();
    assert.equal(await why.getAttribute('open'), '', 'the disclosure opened');
    assert.ok((await why.innerText()).includes(t(lang, 'tasks-source')));
    await expectNoViolations(p, `tasks with "Varför?" open (${lang})`);
    await finish(p);
  });
}
