"""What search costs a reader, measured in headless Chromium on sites served by nginx as
hosting/nginx.conf serves them (gzip): the site's Pagefind search, and beside it the
theme's own lunr search on a plain `mkdocs build` of the same pages.

For each site and query, on a freshly opened page (as a reader arriving from a link):
the bytes the browser fetched for search when the page loaded, the bytes the query
fetched, and the time from the last keystroke to the first result of the whole query on
screen, with the query pasted (one keystroke) and typed at a quick typist's pace (each key
starts a search the last one must not wait behind).

    python -m bench.search --site P/site --lunr-site P/build/bench-bare-site --data P/data
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.nginx import nginx_serving  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
RESULT = ".md-search-result__item"
BOX = "input[data-md-component=search-query]"
TIMEOUT_MS = 20_000
TYPING_MS = 120   # a quick typist's pace

# The targets, at 1,000 briefings and more.
FIRST_RESULT_SECONDS = 0.5
QUERY_BYTES = 300 * 1024


def queries_for(data: Path) -> list[str]:
    """A name whole, a name in its own script, a common word, two words."""
    actors = sorted((data / "actors").glob("*.yaml"))
    actor = yaml.safe_load(actors[len(actors) // 2].read_text(encoding="utf-8"))
    native = next((yaml.safe_load(a.read_text(encoding="utf-8")).get("native_name") for a in actors[::-1]
                   if "native_name" in a.read_text(encoding="utf-8")), None)
    return [q for q in (actor["name"], native, "ceasefire", "pipeline sanctions") if q]


def index_bytes(site: Path) -> int:
    pagefind = site / "pagefind"
    if pagefind.is_dir():
        return sum(f.stat().st_size for f in pagefind.rglob("*") if f.is_file())
    return (site / "search" / "search_index.json").stat().st_size


def _is_search(url: str) -> bool:
    return "/pagefind/" in url or "/search/" in url or "/workers/" in url


def _open(browser: Any) -> tuple[Any, Any, list[tuple[str, int]]]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    fetched: list[tuple[str, int]] = []

    def record(response: Any) -> None:
        try:
            size = response.request.sizes()["responseBodySize"]
        except Exception:  # a response without a body (a redirect) or already gone
            size = 0
        fetched.append((response.url, size))

    page.on("response", record)
    return context, page, fetched


# Timed inside the page, as the reader sees it: from the last keyup to the moment the
# first result of the whole query is put on screen (the theme marks each result with the
# words it matched, ?h=...). Polling from outside would add its own delay.
_WATCH = """([box, list, word]) => {
  window.__lastKey = 0; window.__shown = 0;
  const input = document.querySelector(box);
  let value = input.value;
  input.addEventListener('keyup', () => {   // the last key that changed the query
    if (input.value === value) return;
    value = input.value; window.__lastKey = performance.now(); window.__shown = 0;
  });
  const matches = () => [...document.querySelectorAll(list + ' > :first-child a')].some(
    a => (new URL(a.href).searchParams.get('h') || '').toLowerCase().split(' ').includes(word));
  new MutationObserver(() => { if (!window.__shown && matches()) window.__shown = performance.now(); })
    .observe(document.querySelector(list).parentElement, {childList: true, subtree: true});
}"""


def _time_query(page: Any, query: str, typed: bool) -> float:
    last_word = query.lower().split()[-1]
    page.evaluate(_WATCH, [BOX, ".md-search-result__list", last_word])
    box = page.locator(BOX)
    box.click()
    if typed:
        box.press_sequentially(query, delay=TYPING_MS)
    else:
        box.fill(query)  # the whole query at once
    box.press("End")  # the last keystroke: the theme runs the query on keyup
    deadline = time.perf_counter() + TIMEOUT_MS / 1000
    # polled from here (the page's policy allows no code from strings); the time is the page's own
    while not page.evaluate("window.__shown > 0 && window.__lastKey > 0"):
        if time.perf_counter() > deadline:
            raise TimeoutError(f"no result for {query!r} within {TIMEOUT_MS / 1000:.0f} s")
        time.sleep(0.02)
    return float(page.evaluate("(window.__shown - window.__lastKey) / 1000"))


def _timed_or_nan(page: Any, query: str, typed: bool) -> float:
    """A query whose result never showed counts as not measured (and is reported), not as
    the end of the whole measurement."""
    try:
        return _time_query(page, query, typed)
    except TimeoutError as exc:
        print(f"search benchmark: {exc}", file=sys.stderr)
        return math.nan


def measure_query(browser: Any, base: str, query: str) -> dict[str, float]:
    """One query, twice on a freshly opened page (as a reader arriving from a link): given
    whole (pasted), and typed one key every TYPING_MS. Bytes when the page loaded and of the
    pasted query; seconds from the last keystroke to the first result of the whole query."""
    context, page, fetched = _open(browser)
    page.goto(base + "index.html")
    page.wait_for_load_state("networkidle")
    at_load = sum(size for url, size in fetched if _is_search(url))
    loaded = len(fetched)
    pasted = _timed_or_nan(page, query, typed=False)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)
    query_bytes = sum(size for url, size in fetched[loaded:] if _is_search(url))
    context.close()

    context, page, _ = _open(browser)
    page.goto(base + "index.html")
    page.wait_for_load_state("networkidle")
    typed = _timed_or_nan(page, query, typed=True)
    context.close()
    return {"at_load": at_load, "query": query_bytes, "seconds": pasted, "typed": typed}


def measure_site(site: Path, queries: list[str], name: str) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="bench-nginx-") as prefix, \
            nginx_serving({name: site}, Path(prefix)) as urls, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        runs = [measure_query(browser, urls[name], q) for q in queries]
        browser.close()
    return {
        "index_bytes": index_bytes(site),
        "at_load": statistics.median(r["at_load"] for r in runs),
        "query": max(r["query"] for r in runs),
        "first_query": max(r["at_load"] + r["query"] for r in runs),
        "seconds": _median(r["seconds"] for r in runs),
        "worst_seconds": _worst(r["seconds"] for r in runs),
        "typed": _median(r["typed"] for r in runs),
        "worst_typed": _worst(r["typed"] for r in runs),
        "not_shown": sum(math.isnan(r[k]) for r in runs for k in ("seconds", "typed")),
        "queries": len(runs),
    }


def _median(values: Iterable[float]) -> float:
    shown = [v for v in values if not math.isnan(v)]
    return statistics.median(shown) if shown else math.nan


def _worst(values: Iterable[float]) -> float:
    values = list(values)
    return math.inf if any(math.isnan(v) for v in values) else max(values)


def measure(site: Path, lunr_site: Path | None, data: Path) -> dict[str, Any]:
    queries = queries_for(data)
    result = {"queries": queries, "pagefind": measure_site(site, queries, "pagefind")}
    if lunr_site is not None:
        result["lunr"] = measure_site(lunr_site, queries, "lunr")
    return result


def _kb(n: float) -> str:
    return f"{n / 1024:,.0f} KB" if n < 10 * 2**20 else f"{n / 2**20:,.1f} MB"


def search_line(result: dict[str, Any]) -> str:
    if "error" in result:
        return f"not measured: {result['error']}"
    parts = []
    for name in ("pagefind", "lunr"):
        r = result.get(name)
        if r:
            parts.append(f"{name} first result {r['seconds']:.2f} s after the query (worst {r['worst_seconds']:.2f} s; "
                         f"typed {r['typed']:.2f} s, worst {r['worst_typed']:.2f} s), "
                         f"{_kb(r['first_query'])} fetched for the first query")
    return "; ".join(parts)


def report_lines(rows: dict[int, dict[str, Any]]) -> list[str]:
    """The table of docs/performance.md: one line per size and search."""
    lines = ["briefings | search | index on disk | fetched when a page opens | fetched by a query | "
             "first query in all | first result, query pasted (median, worst) | query typed (median, worst)",
             "--- | --- | ---: | ---: | ---: | ---: | ---: | ---:"]
    for n, row in rows.items():
        result = row.get("search", {})
        for name in ("pagefind", "lunr"):
            r = result.get(name)
            if r:
                lines.append(f"{n} | {name} | {_kb(r['index_bytes'])} | {_kb(r['at_load'])} | {_kb(r['query'])} | "
                             f"{_kb(r['first_query'])} | {r['seconds']:.2f} s, {r['worst_seconds']:.2f} s | "
                             f"{r['typed']:.2f} s, {r['worst_typed']:.2f} s")
    return lines


def checks(rows: dict[int, dict[str, Any]]) -> list[tuple[str, bool | None, str]]:
    found: list[tuple[str, bool | None, str]] = []
    for n, row in rows.items():
        r = row.get("search", {}).get("pagefind")
        if n < 1000 or r is None:
            continue
        worst = max(r["worst_seconds"], r["worst_typed"])
        found.append((f"search at {n:,}: first result within {FIRST_RESULT_SECONDS} s of the last keystroke",
                      worst <= FIRST_RESULT_SECONDS,
                      f"pasted: median {r['seconds']:.2f} s, worst {r['worst_seconds']:.2f} s; typed: median "
                      f"{r['typed']:.2f} s, worst {r['worst_typed']:.2f} s"))
        found.append((f"search at {n:,}: a query fetches at most 300 KB (the first, with what the page loads)",
                      r["first_query"] <= QUERY_BYTES, _kb(r["first_query"])))
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.search", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--site", type=Path, required=True, help="a site built by build_brief.py")
    parser.add_argument("--lunr-site", type=Path, help="a plain mkdocs build of the same pages")
    parser.add_argument("--data", type=Path, required=True, help="the content the site was built from")
    args = parser.parse_args(argv)
    print(json.dumps(measure(args.site, args.lunr_site, args.data), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
