// Webhooks through the real UI (issue 21): the administrator follows the organisation
// page's link to the webhook settings, is refused an empty address (the summary links to
// the field), subscribes an https address to systems, sees the secret once (gone after a
// reload), opens the subscription's page with its delivery log and removes it. Axe on the
// list, the refused form and the subscription's page, in Swedish and English.
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

test('webhooks: subscribe, the secret shown once, the delivery log, axe in sv and en', async () => {
  const admin = await signedInPage('administrator');
  const org = admin.server.org;
  const list = `/o/${org}/settings/webhooks`;
  await admin.goto(`/o/${org}`);
  await admin.getByRole('link', { name: t('sv', 'webhooks-title'), exact: true }).click();
  await admin.waitForURL(new RegExp(`${list}$`));
  await expectNoViolations(admin, 'the webhook settings (sv)');

  await admin.getByRole('button', { name: t('sv', 'webhooks-subscribe'), exact: true }).click();
  const summary = admin.locator('#error-summary');
  await summary.waitFor();
  assert.equal(await summary.locator('a[href="#url"]').count(), 1, 'the summary links to the address');
  assert.equal(await admin.getAttribute('#url', 'aria-invalid'), 'true');
  await expectNoViolations(admin, 'the refused subscription (sv)');

  await admin.fill('#url', 'https://helpdesk.example.org/insyn');
  await admin.fill('#description', 'Helpdesk');
  await admin.fill('#object_types', 'system, person');
  await admin.getByRole('button', { name: t('sv', 'webhooks-subscribe'), exact: true }).click();
  const secret = await admin.locator('#webhook-secret').innerText();
  assert.match(secret, /^whsec_/);
  await admin.goto(list);
  assert.equal(await admin.locator('#webhook-secret').count(), 0, 'the secret is shown once');
  assert.ok(!(await admin.content()).includes(secret));
  await admin.getByRole('link', { name: 'https://helpdesk.example.org/insyn' }).click();
  await admin.waitForURL(new RegExp(`${list}/[0-9a-f-]+$`));
  const one = new URL(admin.url()).pathname;
  assert.ok((await admin.locator('dl').innerText()).includes('person, system'));
  await finish(admin);

  for (const lang of ['sv', 'en']) {
    const page = await signedInPage('administrator', { lang });
    await page.goto(list);
    await expectNoViolations(page, `the webhook list (${lang})`);
    await page.goto(one);
    await expectNoViolations(page, `a subscription's page (${lang})`);
    await finish(page);
  }

  const last = await signedInPage('administrator');
  await last.goto(one);
  await last.getByRole('button', { name: t('sv', 'webhook-delete'), exact: true }).click();
  await last.waitForURL(new RegExp(`${list}$`));
  assert.ok((await last.locator('main').innerText()).includes(t('sv', 'webhooks-none')));
  await finish(last);
});
