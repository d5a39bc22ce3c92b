// Opened from disk (file://), a browser lets no page start a worker or fetch the search
// index, and the theme then hides its search box. Show the box anyway, and say in it
// how to read the site with search, rather than leave a reader without a word.
"use strict";

(function () {
  if (location.protocol !== "file:") return;
  var search = document.querySelector(".md-search");
  var query = document.querySelector("[data-md-component=search-query]");
  var meta = document.querySelector(".md-search-result__meta");
  var toggle = document.getElementById("__search");
  if (!search || !query || !meta || !toggle) return;

  function explain() {
    meta.textContent = "Search works when the site is served, not opened as a file. "
      + "To read it with search, run “python build_brief.py view” in the project, "
      + "or serve this folder with any web server (“python3 -m http.server”), "
      + "and open the address it prints.";
    meta.setAttribute("role", "status");
    toggle.checked = true;
  }

  function reveal() {
    search.hidden = false;
    query.placeholder = "Search (needs the site served)";
    query.addEventListener("focus", explain);
    query.addEventListener("input", explain);
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { toggle.checked = false; query.blur(); }
      if ((event.key === "/" || event.key === "s") && document.activeElement !== query
          && !/^(input|textarea|select)$/i.test(document.activeElement.tagName)) {
        event.preventDefault();
        query.focus();
      }
    });
  }

  // the theme hides the box once its search fails to start, after this script has run
  window.addEventListener("load", reveal);
})();
