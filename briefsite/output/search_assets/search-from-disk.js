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
  var words = document.getElementById("brief-words");   // our words, in the site's language (main.html)
  words = words ? JSON.parse(words.textContent) : {};

  function explain() {
    meta.textContent = words["search.from_disk"] || "";
    meta.setAttribute("role", "status");
    toggle.checked = true;
  }

  function reveal() {
    search.hidden = false;
    if (words["search.needs_server"]) query.placeholder = words["search.needs_server"];
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
