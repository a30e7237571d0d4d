// Calling insyn's JSON API from inside a signed-in page (its session cookie), for tests
// that set up data the UI does not offer yet or that a journey needs first.
import assert from 'node:assert/strict';

/** `method path` with a JSON body; fails the test on a 4xx/5xx, else the JSON answer. */
export async function call(page, method, path, body) {
  const { status, json } = await page.evaluate(async ([m, p, b]) => {
    const r = await fetch(p, { method: m, headers: { 'content-type': 'application/json' }, body: b && JSON.stringify(b) });
    return { status: r.status, json: await r.json().catch(() => null) };
  }, [method, path, body]);
  assert.ok(status < 400, `${method} ${path}: ${status} ${JSON.stringify(json)}`);
  return json;
}
