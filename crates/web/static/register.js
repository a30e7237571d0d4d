// Search as you type in the register (issue 23). Without this script the
// search is the plain form it always was. With it, typing in the search
// field fetches the register's results for the form as it stands (the same
// URL, with the header x-insyn-fragment: results for the results alone)
// 300 ms after the last key, cancels a request still under way when another
// starts, puts the new count (read out: role="status") and rows in place,
// and keeps the address in step (history.replaceState).
(function () {
  'use strict';
  var input = document.getElementById('q');
  var results = document.getElementById('register-results');
  if (!input || !results || !input.form || !window.fetch || !window.AbortController) { return; }
  var form = input.form;
  var timer = null;
  var running = null;
  function address() {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, key) {
      if (typeof value === 'string' && value !== '') { params.append(key, value); }
    });
    var query = params.toString();
    return form.getAttribute('action') + (query ? '?' + query : '');
  }
  function keepLanguageSwitch(url) {
    var link = document.querySelector('a.lang-switch');
    if (!link) { return; }
    var href = link.getAttribute('href');
    var at = href.indexOf('?next=');
    if (at >= 0) { link.setAttribute('href', href.slice(0, at) + '?next=' + encodeURIComponent(url)); }
  }
  function search() {
    var url = address();
    if (running) { running.abort(); }
    var mine = new AbortController();
    running = mine;
    fetch(url, {
      credentials: 'same-origin',
      headers: { 'x-insyn-fragment': 'results', Accept: 'text/html' },
      signal: mine.signal
    })
      .then(function (r) { if (!r.ok) { throw new Error(String(r.status)); } return r.text(); })
      .then(function (html) {
        if (running !== mine) { return; }
        running = null;
        var doc = new DOMParser().parseFromString('<div>' + html + '</div>', 'text/html');
        var count = doc.getElementById('register-count');
        var rows = doc.getElementById('register-rows');
        var oldCount = document.getElementById('register-count');
        var oldRows = document.getElementById('register-rows');
        if (!count || !rows || !oldCount || !oldRows) { return; }
        // The count stays the same element, so the change is read out.
        if (oldCount.textContent !== count.textContent) { oldCount.textContent = count.textContent; }
        oldRows.replaceWith(document.importNode(rows, true));
        window.history.replaceState(null, '', url);
        keepLanguageSwitch(url);
      })
      .catch(function (e) {
        // A cancelled request is replaced by a newer one; on any other
        // failure the form still works when submitted.
        if (e && e.name === 'AbortError') { return; }
        if (running === mine) { running = null; }
      });
  }
  input.addEventListener('input', function () {
    if (timer) { window.clearTimeout(timer); }
    timer = window.setTimeout(search, 300);
  });
})();
