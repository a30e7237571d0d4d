// Keyboard helpers: what has focus, how it looks, and a full Tab walk through a page.

const FOCUSABLE = 'a[href], button, input:not([type=hidden]), select, textarea, [tabindex], summary';

/**
 * Number every focusable element and record its look without focus, so that the
 * focused look can be compared with it later. Returns how many are tabbable (a group
 * of radio buttons counts once).
 */
export async function markFocusables(page) {
  return page.evaluate((sel) => {
    const styleOf = (el) => {
      const s = getComputedStyle(el);
      return { outline: `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}`, boxShadow: s.boxShadow };
    };
    // Tab stops once in a group of radio buttons: on the checked one, else on the first
    // (going forward); the others are reached with the arrow keys.
    const isTabStop = (el) => {
      if (el.type !== 'radio' || !el.name) return true;
      const group = [...(el.form ?? document).querySelectorAll('input[type=radio]')]
        .filter((r) => r.name === el.name && r.form === el.form && !r.disabled);
      const checked = group.find((r) => r.checked);
      return checked ? el === checked : el === group[0];
    };
    window.__kbd = { base: [] };
    let tabbable = 0;
    document.querySelectorAll(sel).forEach((el, i) => {
      el.dataset.kbd = String(i);
      window.__kbd.base[i] = styleOf(el);
      const visible = el.checkVisibility ? el.checkVisibility({ visibilityProperty: true }) : el.offsetParent !== null;
      if (el.tabIndex >= 0 && !el.disabled && visible && isTabStop(el)) tabbable++;
    });
    return tabbable;
  }, FOCUSABLE);
}

/** A description of document.activeElement, with its focused look and place on screen. */
export async function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body || el === document.documentElement) return { body: true };
    const s = getComputedStyle(el);
    const r = el.getBoundingClientRect();
    const idx = el.dataset.kbd === undefined ? -1 : Number(el.dataset.kbd);
    const base = window.__kbd?.base[idx];
    const outline = `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}`;
    const hasIndicator = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none';
    return {
      idx,
      tag: el.tagName.toLowerCase(),
      id: el.id,
      type: el.getAttribute('type'),
      cls: el.className,
      text: (el.innerText || el.value || el.getAttribute('aria-label') || '').trim().slice(0, 60),
      href: el.getAttribute('href'),
      inViewport: r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0
        && r.top < innerHeight && r.left < innerWidth,
      rect: { x: Math.round(r.x), y: Math.round(r.y), w: Math.round(r.width), h: Math.round(r.height) },
      hasIndicator,
      // Compared with the same element's look before anything was focused.
      indicatorDiffers: base ? (base.outline !== outline || base.boxShadow !== s.boxShadow) : null,
    };
  });
}

/** Whether the element numbered b comes after the one numbered a in document order. */
export async function follows(page, a, b) {
  return page.evaluate(([x, y]) => {
    const ea = document.querySelector(`[data-kbd="${x}"]`);
    const eb = document.querySelector(`[data-kbd="${y}"]`);
    return Boolean(ea && eb && (ea.compareDocumentPosition(eb) & Node.DOCUMENT_POSITION_FOLLOWING));
  }, [a, b]);
}

export function describe(f) {
  if (f.body) return '<body>';
  return `<${f.tag}${f.id ? `#${f.id}` : ''}${f.type ? ` type=${f.type}` : ''}${f.href ? ` href=${f.href}` : ''}> "${f.text}"`;
}

/** Press Tab until `match(focused)` holds; returns the focused element, or throws after `max` presses. */
export async function tabUntil(page, match, max, what) {
  const seen = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    seen.push(describe(f));
    if (match(f)) return { f, seen };
  }
  throw new Error(`${what} not reached within ${max} Tab presses; focus went through:\n  ${seen.join('\n  ')}`);
}

/**
 * Tab from the top of a freshly loaded page until focus leaves the document or comes back
 * round. Returns every focus stop in order. Throws when focus is stuck (a keyboard trap).
 */
export async function walk(page, tabbable) {
  const stops = [];
  const max = tabbable * 4 + 10; // a date input has several stops (day, month, year)
  let sameInARow = 0;
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    if (f.body) return stops;
    if (stops.length && f.idx === stops[0].idx) return stops; // wrapped round to the start
    const last = stops[stops.length - 1];
    if (last && last.idx === f.idx) {
      if (++sameInARow > 5) throw new Error(`keyboard trap at ${describe(f)}`);
      continue;
    }
    sameInARow = 0;
    stops.push(f);
  }
  throw new Error(`focus did not leave the page within ${max} Tab presses (a trap?); last: ${describe(stops.at(-1))}`);
}
