// chiso report: sorting and filtering of the indicators table. Reads ?q=…&kind=…&sort=…&dir=…
// from the address so a view can be shared. Loads nothing; marks <html data-report="ready">.
(function () {
  'use strict';
  var root = document.documentElement;
  try {
    var fold = function (s) {
      return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/\u0111/g, 'd').replace(/\u0110/g, 'd').toLowerCase();
    };
    var table = document.getElementById('rows');
    var q = document.getElementById('q');
    var kind = document.getElementById('kind');
    var count = document.getElementById('count');
    var tbody = table.tBodies[0];
    var rows = Array.prototype.filter.call(tbody.rows, function (r) { return r.id; });
    var keys = rows.map(function (r, i) { return { row: r, text: fold(r.getAttribute('data-search') || ''), order: i }; });
    var headers = Array.prototype.slice.call(table.tHead.querySelectorAll('th'));
    var buttons = Array.prototype.slice.call(table.tHead.querySelectorAll('button[data-col]'));
    var collator = new Intl.Collator('vi', { numeric: true, sensitivity: 'base' });
    var current = { col: -1, dir: 'asc' };

    var filter = function () {
      var terms = fold(q.value).split(/\s+/).filter(Boolean);
      var k = kind.value;
      var shown = 0;
      keys.forEach(function (e) {
        var ok = (!k || e.row.getAttribute('data-kind') === k) && terms.every(function (t) { return e.text.indexOf(t) >= 0; });
        e.row.hidden = !ok;
        if (ok) { shown += 1; }
      });
      count.textContent = shown === keys.length ? keys.length + ' rows' : shown + ' of ' + keys.length + ' rows';
      root.setAttribute('data-shown', String(shown));
    };

    var sortBy = function (col, dir) {
      var num = buttons[col].getAttribute('data-type') === 'num';
      var value = function (e) {
        var v = e.row.cells[col].getAttribute('data-v') || '';
        return num ? (v === '' ? NaN : parseFloat(v)) : v;
      };
      var sorted = keys.map(function (e) { return { e: e, v: value(e) }; });
      sorted.sort(function (a, b) {
        var emptyA = num ? isNaN(a.v) : a.v === '';
        var emptyB = num ? isNaN(b.v) : b.v === '';
        if (emptyA !== emptyB) { return emptyA ? 1 : -1; }
        var c = emptyA ? 0 : (num ? a.v - b.v : collator.compare(a.v, b.v));
        if (dir === 'desc') { c = -c; }
        return c !== 0 ? c : a.e.order - b.e.order;
      });
      var frag = document.createDocumentFragment();
      sorted.forEach(function (s) { frag.appendChild(s.e.row); });
      tbody.appendChild(frag);
      headers.forEach(function (th) { if (th.hasAttribute('aria-sort')) { th.setAttribute('aria-sort', 'none'); } });
      buttons[col].parentNode.setAttribute('aria-sort', dir === 'desc' ? 'descending' : 'ascending');
      current = { col: col, dir: dir };
      root.setAttribute('data-sorted', buttons[col].textContent.toLowerCase() + ' ' + dir);
    };

    buttons.forEach(function (b, i) {
      b.addEventListener('click', function () {
        sortBy(i, current.col === i && current.dir === 'asc' ? 'desc' : 'asc');
      });
    });
    q.addEventListener('input', filter);
    kind.addEventListener('change', filter);

    var params = new URLSearchParams(window.location.search);
    if (params.has('q')) { q.value = params.get('q'); }
    if (params.has('kind')) { kind.value = params.get('kind'); }
    if (params.has('sort')) {
      var name = params.get('sort').toLowerCase();
      var col = buttons.findIndex(function (b) { return b.textContent.toLowerCase() === name; });
      if (col >= 0) { sortBy(col, params.get('dir') === 'desc' ? 'desc' : 'asc'); }
    }
    filter();

    // A number's explanation opens towards the middle of the page: to the left of a number in
    // the right half, so that it is never cut at the right edge.
    var towardsMiddle = function (e) {
      var hl = e.target && e.target.closest ? e.target.closest('.hl[aria-label]') : null;
      if (!hl) { return; }
      var r = hl.getBoundingClientRect();
      hl.classList.toggle('tip-end', r.left > window.innerWidth / 2);
    };
    document.addEventListener('mouseover', towardsMiddle);
    document.addEventListener('focusin', towardsMiddle);
    var target = window.location.hash && document.getElementById(window.location.hash.slice(1));
    if (target) { towardsMiddle({ target: target }); }

    // Closed <details> do not print: open them all first.
    window.addEventListener('beforeprint', function () {
      Array.prototype.forEach.call(document.querySelectorAll('details'), function (d) { d.open = true; });
    });
    root.setAttribute('data-report', 'ready');
  } catch (err) {
    root.setAttribute('data-report', 'error');
    root.setAttribute('data-report-error', String(err && err.message ? err.message : err));
  }
})();
