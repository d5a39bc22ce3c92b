// The search box for themes whose own box cannot be fed from the Pagefind index
// (Zensical): a dialog that asks the same worker as Material's box (search-worker.js)
// and shows its results in the same shape: page, sections, excerpt with the match marked.
// Opened by the header's search button, or by Ctrl+K, / or s; arrows move, Enter follows,
// Escape closes.
"use strict";

(function () {
  var dialog = document.querySelector("dialog.brief-search");
  var toggle = document.getElementById("__search");
  if (!dialog) return;
  var input = dialog.querySelector(".brief-search__input");
  var meta = dialog.querySelector(".brief-search__meta");
  var list = dialog.querySelector(".brief-search__results");
  var config = JSON.parse(document.getElementById("__config").textContent);
  var words = document.getElementById("brief-words");   // our words, in the site's language (main.html)
  words = words ? JSON.parse(words.textContent) : {};
  var base = new URL(config.base, location.href);
  var worker = null;
  var pending = "";

  function say(text) { meta.textContent = text; }

  function start() {
    if (worker) return;
    if (location.protocol === "file:") {
      say(words["search.from_disk"] || "");
      return;
    }
    worker = new Worker(new URL(config.search, base));
    worker.addEventListener("message", function (event) {
      if (event.data.type === 1 && pending) ask(pending);
      if (event.data.type === 3) show(event.data.data);
    });
    worker.postMessage({ type: 0, data: {} });
  }

  function ask(text) {
    pending = text;
    if (worker) worker.postMessage({ type: 2, data: text });
  }

  function link(doc, className) {
    var a = document.createElement("a");
    var url = new URL(doc.location, base);
    url.searchParams.set("h", Object.keys(doc.terms || {}).join(" "));   // the page marks the words, as in Material
    a.href = url.href;
    a.className = className;
    var title = document.createElement(className === "brief-search__page" ? "h2" : "h3");
    title.innerHTML = doc.title;            // escaped by the worker
    a.appendChild(title);
    if (doc.text) {
      var excerpt = document.createElement("p");
      excerpt.innerHTML = doc.text;         // Pagefind's excerpt: escaped text and <mark>
      a.appendChild(excerpt);
    }
    return a;
  }

  function show(result) {
    list.textContent = "";
    if (!input.value.trim()) { say(config.translations["search.result.placeholder"]); return; }
    var count = result.items.length;
    say(count === 0 ? config.translations["search.result.none"]
      : count === 1 ? config.translations["search.result.one"]
      : config.translations["search.result.other"].replace("#", count));
    result.items.forEach(function (group) {
      var item = document.createElement("li");
      item.appendChild(link(group[0], "brief-search__page"));
      group.slice(1, 3).forEach(function (section) { item.appendChild(link(section, "brief-search__section")); });
      list.appendChild(item);
    });
  }

  function open() {
    if (dialog.open) return;
    dialog.showModal();
    start();
    input.focus();
    input.select();
  }

  function links() { return Array.prototype.slice.call(list.querySelectorAll("a")); }

  var button = document.querySelector(".brief-search-open button");
  if (button) button.addEventListener("click", open);
  if (toggle) toggle.addEventListener("change", function () { if (toggle.checked) open(); });
  dialog.addEventListener("close", function () { if (toggle) toggle.checked = false; });
  dialog.addEventListener("click", function (event) { if (event.target === dialog) dialog.close(); });
  input.addEventListener("input", function () { ask(input.value); });

  dialog.addEventListener("keydown", function (event) {
    var all = [input].concat(links());
    var at = all.indexOf(document.activeElement);
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      var next = (Math.max(at, 0) + (event.key === "ArrowDown" ? 1 : all.length - 1)) % all.length;
      all[next].focus();
    } else if (event.key === "Enter" && document.activeElement === input) {
      event.preventDefault();
      if (links().length) links()[0].click();
    }
  });

  document.addEventListener("keydown", function (event) {
    var typing = /^(input|textarea|select)$/i.test(document.activeElement.tagName)
      || document.activeElement.isContentEditable;
    var plain = !event.ctrlKey && !event.metaKey && !event.altKey;
    var shortcut = (event.ctrlKey || event.metaKey) && event.key === "k";
    if (!dialog.open && (shortcut || (plain && !typing && (event.key === "/" || event.key === "s")))) {
      event.preventDefault();
      open();
    }
  });
})();
