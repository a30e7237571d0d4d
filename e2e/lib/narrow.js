// At 320 CSS px a page does not scroll sideways (a wide picture or table scrolls
// inside its own region): checked for each path in one signed-in page.
import assert from 'node:assert/strict';
import { signedInPage } from './harness.js';

export async function expectNoSidewaysScroll(who, paths) {
  const narrow = await signedInPage(who, { viewport: { width: 320, height: 800 } });
  for (const path of paths) {
    await narrow.goto(path);
    const { scroll, width } = await narrow.evaluate(() => ({
      scroll: document.documentElement.scrollWidth, width: document.documentElement.clientWidth,
    }));
    assert.ok(scroll <= width, `${path} scrolls sideways at 320 px: ${scroll} > ${width}`);
  }
  assert.deepEqual(narrow.problems, [], 'no script errors or failed requests');
  await narrow.context().close();
}
