// The theme's search box, answered from the site's Pagefind index (pagefind/ at the
// site's root). The theme talks to its search worker in four messages: SETUP (0) with
// its own index, which this worker does not need; READY (1); QUERY (2) with the typed
// text; RESULT (3) with the results, grouped by page, as the theme draws them.
"use strict";

const SETUP = 0, READY = 1, QUERY = 2, RESULT = 3;
const SHOWN = 20;        // results loaded per query: each is one small file to fetch
const SECTIONS = 2;      // sections of a page shown before "more"
const PAUSE_MS = 0;      // a turn of the event loop: keys already queued make one query
const SITE = new URL("../", self.location.href);   // this file is pagefind/search-worker.js

// Runs of Chinese, Japanese or Korean script: the index holds them whole and as
// overlapping character pairs, so a word inside a longer run is looked up by its pairs.
const CJK_RUN = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af\u1100-\u11ff]{3,}/gu;

// The language of the page whose search box this is (the theme override puts it in this
// file's address): Pagefind keeps an index per language, and results in this one come first.
const PAGE_LANGUAGE = (new URL(self.location.href).searchParams.get("lang") || "").toLowerCase();
const FIRST = 1e6;       // the weight of its index: any result in it scores above any other's
const OPTIONS = { baseUrl: "/", excerptLength: 24 };

let pagefind = null;

function load() {
  if (!pagefind) {
    pagefind = import(new URL("pagefind/pagefind.js", SITE).href).then(async module => {
      await module.options(OPTIONS);
      await module.init();
      await addOtherLanguages(module);
      await module.search("");   // compiles the WebAssembly and reads the index's list of pieces now,
      return module;             // not at the first query (about 75 ms at 5,000 briefings)
    });
  }
  return pagefind;
}

// In a worker Pagefind cannot read the page's language, and opens the index of the language
// with the most pages; the others are merged into it, each weighted so that the page's own
// language ranks first. The bundle is merged by its path, not by the address it was loaded
// from, which Pagefind would take for itself and skip.
async function addOtherLanguages(module) {
  const entry = await fetch(new URL("pagefind/pagefind-entry.json", SITE)).then(response => response.json());
  const languages = Object.entries(entry.languages).sort((a, b) => b[1].page_count - a[1].page_count)
    .map(([language]) => language);
  if (languages.length < 2) return;
  const weight = language => (language.toLowerCase() === PAGE_LANGUAGE ? FIRST : 1);
  await module.options({ indexWeight: weight(languages[0]) });
  const bundle = new URL("pagefind/", SITE).pathname;
  for (const language of languages.slice(1)) {
    await module.mergeIndex(bundle, { ...OPTIONS, language, indexWeight: weight(language) });
  }
}

function searchableQuery(text) {
  return text
    .replace(/(^|\s)[+\-~^:*]+/g, "$1")       // the theme's own query syntax
    .replace(/[*~^]+(?=\s|$)/g, "")
    .replace(CJK_RUN, run => {
      const pairs = [];
      for (let i = 0; i < run.length - 1; i++) pairs.push(run.slice(i, i + 2));
      return pairs.join(" ");
    })
    .trim();
}

// What the index adds to a word for searching (character pairs, a spelling without
// special letters) sits between U+E000 and U+E001; the reader sees the word as written,
// marked when the match was in what was added.
function readableExcerpt(excerpt) {
  return (excerpt || "")
    .replace(/^[^\uE000]*?\uE001/, "")                   // cut off after an addition began
    .replace(/\uE000[^\uE001]*$/, "")                    // cut off before one ended
    .replace(/(\S+)\s*\uE000([^\uE001]*)\uE001/g, (_, word, added) =>
      added.includes("<mark>") && !word.includes("<mark>") ? `<mark>${word}</mark>` : word);
}

function readableTitle(title) {
  return escapeHtml(String(title).replace(/\s*\uE000[^\uE001]*\uE001/g, ""));
}

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, c => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" })[c]);
}

function sitePath(url) {
  return url.replace(/^\//, "");
}

function terms(query) {
  const found = {};
  for (const word of query.split(/\s+/).filter(Boolean)) found[word] = true;
  return found;
}

// How strongly a part of a page matched: the sum of its matches' scores.
function strength(sub) {
  return (sub.weighted_locations || []).reduce((sum, l) => sum + (l.balanced_score || l.weight || 0), 0);
}

// The element with an id nearest before a part's first match, when it is not a heading:
// a glossary term (<dt id>) or a source entry (<li id>), so the result leads right to it.
function preciseAnchor(data, sub) {
  const first = Math.min(...(sub.weighted_locations || []).map(l => l.location));
  let best = null;
  for (const anchor of data.anchors || []) {
    if (anchor.location <= first && (best === null || anchor.location >= best.location)) best = anchor;
  }
  return best && best.id && !/^h[1-6]$/i.test(best.element) ? best : null;
}

function shortTitle(text) {
  const title = readableTitle(text);
  return title.length > 90 ? `${title.slice(0, 88)}…` : title;
}

// The theme draws a page, then its best sections (those with the page's score), then the
// others under "more". When the page's own opening (before any section heading) matched
// best, the page shows its excerpt and every section goes under "more".
function group(data, score, queryTerms) {
  const title = readableTitle(data.meta.title || data.url);
  const path = sitePath(data.url).split("#")[0];
  const page = { location: path, title, text: readableExcerpt(data.excerpt), score, terms: queryTerms };
  const parts = [...(data.sub_results || [])].sort((a, b) => strength(b) - strength(a));
  const isOpening = sub => !sub.url.includes("#") || readableTitle(sub.title) === title;
  const sections = [];
  for (const sub of parts) {
    const anchor = preciseAnchor(data, sub);
    const section = anchor
      ? { location: `${path}#${anchor.id}`, title: shortTitle(anchor.text) }
      : isOpening(sub) ? null : { location: sitePath(sub.url), title: readableTitle(sub.title) };
    if (section && !sections.some(s => s.location === section.location)) {
      sections.push({ ...section, text: readableExcerpt(sub.excerpt), terms: queryTerms });
    }
  }
  const openingBest = parts.length > 0 && isOpening(parts[0]) && !preciseAnchor(data, parts[0]);
  sections.forEach((section, i) => { section.score = !openingBest && i < SECTIONS ? score : score / 2; });
  return [page, ...sections];
}

// One letter of a Latin, Cyrillic... word finds a part of every page, at a cost that
// grows with the site; a character of Chinese, Japanese or Korean can be a word.
const CJK_CHARACTER = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af\u1100-\u11ff]/u;

function tooShort(query) {
  return query.length < 2 && !CJK_CHARACTER.test(query);
}

async function answer(text) {
  const query = searchableQuery(text);
  if (!query || tooShort(query)) return { items: [], total: 0 };
  const module = await load();
  const search = await module.search(query);
  if (latest !== text) return null;   // a later keystroke replaced this query
  const queryTerms = terms(text);
  const shown = search.results.slice(0, SHOWN);
  const data = await Promise.all(shown.map(result => result.data()));
  if (latest !== text) return null;
  return {
    items: data.map((d, i) => group(d, shown[i].score, queryTerms)),
    total: search.results.length,
  };
}

// Queries come one per keystroke. A search on a large site takes a few hundred
// milliseconds, so they are not queued: while one runs, only the latest query waits, and
// a result is sent only if no newer query came in meanwhile.
let latest = null;
let running = false;

async function ask(text) {
  latest = text;
  if (running) return;
  running = true;
  try {
    while (latest !== null) {
      const query = latest;
      await new Promise(resolve => setTimeout(resolve, PAUSE_MS));   // let a burst of keys end
      if (latest !== query) continue;
      const data = failure ? unavailable(failure, query) : await answer(query).catch(e => unavailable(e, query));
      if (latest === query) {
        latest = null;
        if (data !== null) self.postMessage({ type: RESULT, data });
      }
    }
  } finally {
    running = false;
  }
}

// A search that cannot start (no index beside the pages, a server that refuses the
// WebAssembly) answers every query with one result that says so, never with silence.
function unavailable(error, text) {
  const reason = escapeHtml(error && error.message ? error.message : String(error));
  return {
    items: [[{
      location: "", title: "Search is not available on this copy of the site",
      text: `The search index (pagefind/) could not be loaded: ${reason}. Rebuild the site with `
        + "<code>python build_brief.py build</code> and serve the whole <code>site/</code> folder.",
      score: 1, terms: terms(text || ""),
    }]],
    total: 0,
  };
}

let failure = null;

self.addEventListener("message", async event => {
  const message = event.data;
  if (message.type === SETUP) {
    try {
      await load();
    } catch (error) {
      failure = error;
    }
    self.postMessage({ type: READY });
  } else if (message.type === QUERY) {
    ask(message.data);
  }
});
