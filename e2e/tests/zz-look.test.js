// Temporary (not committed): full-page screenshots of the first pages each user sees.
import { test } from 'node:test';
import { useServerAndBrowser, server, browser, signedInPage } from '../lib/harness.js';
import { newPage } from '../lib/browser.js';
useServerAndBrowser();
test('look', async () => {
  const o = `/o/${server.org}`;
  const shots = async (who, list) => {
    const p = who ? await signedInPage(who) : await newPage(browser, server, {});
    for (const [name, path] of list) {
      await p.goto(path);
      const h = await p.evaluate(() => document.documentElement.scrollHeight);
      await p.screenshot({ path: `/tmp/look/${(who || 'citizen').replace(/ /g, '_')}-${name}.png`, fullPage: h < 6000 });
      console.log(who, name, path, 'height', h);
    }
    return p;
  };
  const c = await shots('security_coordinator', [['tasks', `${o}/tasks`], ['compliance', `${o}/compliance`], ['cycle', `${o}/cycle`], ['audit', `${o}/audit`]]);
  const link = await c.evaluate(() => [...document.querySelectorAll('a[href*="/systems/"]')].map(a => a.getAttribute('href')).find(h => /systems\/[0-9a-f-]{36}$/.test(h)));
  await shots('security_coordinator', [['system', link]]);
  const ow = await shots('system owner', [['tasks', `${o}/tasks`]]);
  await shots('reader', [['start', '/']]);
  await shots(null, [['public', `/public/${server.org}`]]);
});
