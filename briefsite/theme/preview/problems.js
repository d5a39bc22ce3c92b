// Live preview only (never in a built site): when the data has errors, the engine keeps
// showing the last good pages; this says so at the top of every page, with each error
// and its file:line:column, until the data is fixed (the state file is then empty).
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !window.fetch) return;
  var state = new URL("../preview-problems.json", script.src);
  fetch(state, { cache: "no-store" })
    .then(function (response) { return response.ok ? response.json() : null; })
    .then(function (problems) {
      if (!problems || !problems.errors || !problems.errors.length) return;
      var box = document.createElement("section");
      box.className = "admonition failure preview-problems";
      box.setAttribute("role", "alert");
      var title = document.createElement("p");
      title.className = "admonition-title";
      title.textContent = problems.title;
      var list = document.createElement("pre");
      list.textContent = problems.errors.join("\n");  // text, never markup: it quotes the desk's YAML
      list.style.whiteSpace = "pre-wrap";  // long lines wrap, on a phone too
      list.style.overflowWrap = "anywhere";
      box.append(title, list);
      (document.querySelector(".md-content__inner") || document.body).prepend(box);
    })
    .catch(function () { /* no state file: nothing to say */ });
})();
