// Live preview only, while it starts (briefsite/interim.py serves this with the last build's
// pages): say at the top of the page that it is the last build, and reload the page once the
// preview's engine answers in its place (the "starting" address then no longer answers so).
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !window.fetch) return;
  var built = BUILT_AT;
  var starting = new URL("starting", script.src);

  if (built) {
    var box = document.createElement("section");
    box.className = "admonition info preview-starting";
    box.setAttribute("role", "status");
    var title = document.createElement("p");
    title.className = "admonition-title";
    title.textContent = "The preview is starting";
    var text = document.createElement("p");
    text.textContent = "You are reading the last build (" + built + "), not your latest edits. " +
      "This page reloads by itself when the preview is ready.";
    box.append(title, text);
    var place = document.querySelector(".md-content__inner") || document.body;
    if (place) place.prepend(box);
  }

  function poll() {
    fetch(starting, { cache: "no-store" })
      .then(function (response) {
        return response.text().then(function (body) {
          if (response.ok && body === "starting") setTimeout(poll, 500);
          else location.reload();
        });
      })
      .catch(function () { setTimeout(poll, 250); });  // the address changing hands: ask again
  }
  setTimeout(poll, 500);
})();
