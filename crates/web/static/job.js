// The progress page's live update (issue 23). Without this script the page
// refreshes itself (a meta refresh inside <noscript>); with it, the job's
// JSON is read each second and the bar and the status (role="status", read
// out politely) are updated in place. When the job ends, the finished page
// is fetched and its result put in place of the progress.
(function () {
  'use strict';
  var box = document.querySelector('.job-progress[data-url]');
  if (!box || !window.fetch) { return; }
  var bar = document.getElementById('job-bar');
  var status = document.getElementById('job-status');
  var last = '';
  // 1500 → "1 500" (a no-break space), as the page writes numbers in both languages.
  function num(n) { return String(Math.trunc(Number(n))).replace(/\B(?=(\d{3})+(?!\d))/g, '\u00a0'); }
  function words(j) {
    if (j.phase === 'checking') {
      return box.dataset.checking.replace('{done}', num(j.done)).replace('{total}', num(j.total));
    }
    if (j.phase === 'writing') {
      return box.dataset.writing.replace('{done}', num(j.done)).replace('{total}', num(j.total));
    }
    if (j.phase === 'saving') { return box.dataset.saving.replace('{total}', num(j.total)); }
    return box.dataset.reading;
  }
  function show(j) {
    if (j.total > 0) { bar.max = j.total; }
    if ((j.phase === 'checking' || j.phase === 'writing') && j.total > 0) {
      bar.value = Math.min(j.done, j.total);
    } else {
      bar.removeAttribute('value');
    }
    var text = words(j);
    // Only a change is written, so that a screen reader is not told the same again.
    if (text !== last) { status.textContent = text; last = text; }
  }
  function finish() {
    fetch(window.location.href, { credentials: 'same-origin', headers: { Accept: 'text/html' } })
      .then(function (r) { return r.text(); })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, 'text/html');
        var fresh = doc.getElementById('job');
        var here = document.getElementById('job');
        if (!fresh || !here) { window.location.reload(); return; }
        here.replaceWith(document.importNode(fresh, true));
        var focus = document.getElementById('error-summary') || document.querySelector('#job h2');
        if (focus) {
          if (!focus.hasAttribute('tabindex')) { focus.setAttribute('tabindex', '-1'); }
          focus.focus();
        }
      })
      .catch(function () { window.location.reload(); });
  }
  function poll() {
    fetch(box.dataset.url, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (r) { if (!r.ok) { throw new Error(String(r.status)); } return r.json(); })
      .then(function (j) {
        if (j.state === 'done' || j.state === 'failed' || j.state === 'interrupted') {
          finish();
        } else {
          show(j);
          window.setTimeout(poll, 1000);
        }
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 1000);
})();
