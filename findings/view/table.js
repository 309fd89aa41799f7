// Sorts and filters the findings table in place: click a header to sort,
// type in the filter box or pick a severity to narrow the rows. It reads
// the rendered cells only. Only the first rows that match are shown, more
// on request: a browser lays out a page of 10,000 rows slowly, so the
// page comes with all but the first 200 hidden.
(function () {
  var table = document.getElementById("findings");
  if (!table) return;
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var heads = table.tHead.rows[0].cells;
  var text = document.getElementById("filter-text");
  var sev = document.getElementById("filter-severity");
  var shown = document.getElementById("shown");
  var paged = document.getElementById("paged");
  var more = document.getElementById("more");
  var page = 200;
  function value(row, i, numeric) {
    var c = row.cells[i];
    var v = c.getAttribute("data-v");
    if (v === null) v = c.textContent;
    return numeric ? parseFloat(v) || 0 : v.toLowerCase();
  }
  Array.prototype.forEach.call(heads, function (th, i) {
    th.addEventListener("click", function () {
      var numeric = th.getAttribute("data-type") === "num";
      var asc = th.getAttribute("aria-sort") !== "ascending";
      Array.prototype.forEach.call(heads, function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", asc ? "ascending" : "descending");
      rows.sort(function (a, b) {
        var x = value(a, i, numeric), y = value(b, i, numeric);
        return (x < y ? -1 : x > y ? 1 : 0) * (asc ? 1 : -1);
      });
      rows.forEach(function (r) { body.appendChild(r); });
      filter();
    });
  });
  function filter() {
    var q = text ? text.value.toLowerCase() : "";
    var s = sev ? sev.value : "";
    var n = 0;
    rows.forEach(function (r) {
      var ok = (!q || r.textContent.toLowerCase().indexOf(q) >= 0) &&
        (!s || r.getAttribute("data-severity") === s);
      if (ok) n++;
      r.hidden = !ok || n > page;
    });
    if (shown) shown.textContent = String(n);
    if (paged) paged.textContent = n > page ? ", the first " + page + " shown" : "";
    if (more) more.hidden = n <= page;
  }
  if (more) more.addEventListener("click", function () { page += 1000; filter(); });
  filter();
  if (text) text.addEventListener("input", filter);
  if (sev) sev.addEventListener("change", filter);
})();
