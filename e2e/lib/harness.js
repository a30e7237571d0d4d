// One insyn server and one browser per test file: `useServerAndBrowser()` starts both
// before the file's tests and stops them after. `server` and `browser` are live
// bindings: import them and use them inside the tests (node --test runs each file in a
// process of its own, so each file has its own pair). Work that needs both before the
// tests goes in `ready`: a second root-level `before` may run before this one's end.
import { after, before } from 'node:test';
import { launchBrowser, newPage, signIn } from './browser.js';
import { startServer } from './server.js';

export let server;
export let browser;

/** `ready`, if given, runs next in the same hook, once both are up. */
export function useServerAndBrowser(ready) {
  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
    await ready?.();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });
}

/** A fresh page (see newPage), signed in as one of the demo's users. */
export async function signedInPage(who, options = {}) {
  const page = await newPage(browser, server, options);
  await signIn(page, who);
  return page;
}
