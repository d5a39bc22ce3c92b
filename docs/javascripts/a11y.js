// What the theme leaves out for assistive technology and keyboards (WCAG 2.2 AA, checked
// by axe in the tests); each fix names the theme's element it completes. The theme
// builds some of them after this script runs (the table wrappers), so the fixes run again
// whenever it adds to the page.
"use strict";

(function () {
  function complete() {
    // The search dialog has no name.
    var dialog = document.querySelector(".md-search[role=dialog]");
    if (dialog && !dialog.hasAttribute("aria-label")) dialog.setAttribute("aria-label", "Search");

    // The search results' box is a tab stop even while it is empty and has no size: the
    // focus would vanish into it. Its result links are tab stops of their own.
    document.querySelectorAll(".md-search__scrollwrap[tabindex='0']").forEach(function (wrap) {
      wrap.setAttribute("tabindex", "-1");
    });

    // A wide table scrolls sideways inside its wrapper; a keyboard must reach it to scroll.
    document.querySelectorAll(".md-typeset__scrollwrap:not([tabindex])").forEach(function (wrap) {
      wrap.setAttribute("tabindex", "0");
      wrap.setAttribute("role", "region");
      wrap.setAttribute("aria-label", "Table, scrolls sideways");
    });
  }

  var pending = false;
  new MutationObserver(function () {
    if (pending) return;
    pending = true;
    requestAnimationFrame(function () { pending = false; complete(); });
  }).observe(document.body, { childList: true, subtree: true });
  complete();
})();
