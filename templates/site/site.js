// pm site: sorting and filtering of the incidents table, and the search.
// Progressive: without this script every page is complete; the controls it
// needs are hidden until it runs. No network: the search's data comes from
// search-index.js, a script beside the pages (file:// forbids fetch).
(function () {
  "use strict";
  var table = document.getElementById("incidents");
  var filters = document.getElementById("filters");
  if (table) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var headers = table.tHead.rows[0].cells;
    var cellValue = function (row, index, kind) {
      var cell = row.cells[index];
      var value = cell.getAttribute("data-value");
      if (value === null) value = cell.textContent.trim();
      if (kind === "number") return parseFloat(value);
      return value.toLowerCase();
    };
    Array.prototype.forEach.call(headers, function (th, index) {
      var kind = th.getAttribute("data-sort");
      if (!kind) return;
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = th.textContent;
      th.textContent = "";
      th.appendChild(button);
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(headers, function (other) { other.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var sorted = rows.slice().sort(function (a, b) {
          var x = cellValue(a, index, kind), y = cellValue(b, index, kind);
          var order = x < y ? -1 : x > y ? 1 : 0;
          return ascending ? order : -order;
        });
        sorted.forEach(function (row) { body.appendChild(row); });
        var caption = table.caption;
        if (caption) caption.textContent = "Incidents, sorted by " + button.textContent.toLowerCase() + (ascending ? ", ascending" : ", descending");
      });
    });
    if (filters) {
      filters.hidden = false;
      var selects = filters.querySelectorAll("select");
      var status = document.getElementById("filter-status");
      var apply = function () {
        var shown = 0;
        rows.forEach(function (row) {
          var keep = Array.prototype.every.call(selects, function (select) {
            var want = select.value;
            if (want === "") return true;
            var have = row.getAttribute("data-" + select.getAttribute("data-filter")) || "";
            return have.split("\n").indexOf(want) >= 0;
          });
          row.hidden = !keep;
          if (keep) shown += 1;
        });
        status.textContent = shown === rows.length ? "" : shown + " of " + rows.length + " incidents shown.";
      };
      Array.prototype.forEach.call(selects, function (select) { select.addEventListener("change", apply); });
      filters.addEventListener("submit", function (event) { event.preventDefault(); });
    }
  }

  var search = document.getElementById("search");
  var index = window.pmSearchIndex;
  if (search && index) {
    search.hidden = false;
    var box = document.getElementById("search-box");
    var results = document.getElementById("search-results");
    var said = document.getElementById("search-status");
    var snippet = function (text, word) {
      var at = text.toLowerCase().indexOf(word);
      if (at < 0) return null;
      var from = Math.max(0, at - 60), to = Math.min(text.length, at + word.length + 60);
      return { before: (from > 0 ? "…" : "") + text.slice(from, at), hit: text.slice(at, at + word.length), after: text.slice(at + word.length, to) + (to < text.length ? "…" : "") };
    };
    var run = function () {
      var words = box.value.toLowerCase().split(/\s+/).filter(function (w) { return w.length > 0; });
      while (results.firstChild) results.removeChild(results.firstChild);
      if (words.length === 0) { said.textContent = ""; return; }
      var found = index.filter(function (item) {
        var hay = (item.title + " " + item.text).toLowerCase();
        return words.every(function (w) { return hay.indexOf(w) >= 0; });
      });
      found.forEach(function (item) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = item.href;
        a.textContent = item.title;
        li.appendChild(a);
        if (item.date) li.appendChild(document.createTextNode(" · " + item.date));
        var part = snippet(item.text, words[0]);
        if (part) {
          var span = document.createElement("span");
          span.className = "snippet";
          var mark = document.createElement("mark");
          mark.textContent = part.hit;
          span.appendChild(document.createTextNode(part.before));
          span.appendChild(mark);
          span.appendChild(document.createTextNode(part.after));
          li.appendChild(span);
        }
        results.appendChild(li);
      });
      said.textContent = found.length === 1 ? "1 incident found." : found.length + " incidents found.";
    };
    box.addEventListener("input", run);
  }
})();
