"""The site's search index: Pagefind, run over the built HTML whatever the site engine.

Pagefind splits the index into small pieces that the browser fetches as a query needs
them, so a query costs the reader the same at fifty briefings and at five thousand.

Two things Pagefind does not do on our English pages are done here, in the text it
indexes (the pages served are not changed). What is added follows the word it belongs to,
between U+E000 and U+E001 (private-use characters), so that the search box can show the
excerpt as the page has it:

- names in Chinese, Japanese or Korean script are one "word" to it, found whole or by
  their first characters only; each such run is also indexed as overlapping character
  pairs, as Lucene's CJK bigram filter does, and the browser splits a query the same way;
- Pagefind finds "Erdoğan" by "Erdogan" (it drops combining marks), but letters that are
  not a base letter with a mark (ı, ə, ł, ø, ß...) stay apart; a word holding one is also
  indexed as English spells it, so "Ahmadli" finds "Əhmədli".
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from briefsite.core.errors import SiteError
from briefsite.core.forked import CAN_FORK, side_by_side

INDEX_DIR = "pagefind"
# The browser's side of search, put beside the index: the worker that answers the theme's
# search box, the box for themes that cannot be fed, and the word from a site opened from disk.
ASSETS = Path(__file__).resolve().parent / "search_assets"
TIMEOUT_SECONDS = 600
SPLIT_COPY_FROM = 400
"""Pages from which their searchable copy is written by two processes."""
ADDED_START, ADDED_END = "\ue000", "\ue001"
# Every engine's theme puts a page's content in this element; menus, headers and the
# footer stay out of the index, so a name in the navigation is not a hit on every page.
ROOT_SELECTOR = "article.md-content__inner"
# Permalink marks, drawings (their labels repeat names the page says in words) and the
# Download PDF link are not what a reader searches for.
EXCLUDE_SELECTORS = [".headerlink", ".graphviz", ".pdf-download", ".md-source-file", ".marking-banner"]

# Scripts written without spaces between words: Han, Hiragana, Katakana, Hangul.
_CJK_RUN = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af\u1100-\u11ff]{2,}")
# Letters that do not decompose into a base letter and a mark, as English spells them.
_OWN_LETTERS = str.maketrans({"ı": "i", "ə": "a", "Ə": "A", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O",
                              "đ": "d", "Đ": "D", "ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE",
                              "þ": "th", "Þ": "Th", "ð": "d"})
_WORD_WITH_OWN_LETTER = re.compile(r"[^\W\d_]*[" + "".join(map(chr, _OWN_LETTERS)) + r"][^\W\d_]*")
# What a page is about, besides its title: an actor's name in its own script, a term where
# the glossary defines it. A reader searching for one wants that page before passing mentions.
_NAMES_THE_PAGE = re.compile(r'<(?:p class="native-name"|dt id="[^"]*")>$')
_CELL_END = re.compile(r"</(?:dt|dd|td|th|li)\s*>", re.IGNORECASE)
_MARKUP = re.compile(r"(<script\b.*?</script\s*>|<style\b.*?</style\s*>|<[^>]*>)", re.IGNORECASE | re.DOTALL)


def character_pairs(run: str) -> list[str]:
    """'日本郵船' -> ['日本', '本郵', '郵船']."""
    return [run[i:i + 2] for i in range(len(run) - 1)]


def without_marks(word: str) -> str:
    """'Erdoğan' -> 'Erdogan', 'Əhmədli' -> 'Ahmadli'; a word in another script stays as it is."""
    decomposed = unicodedata.normalize("NFKD", word.translate(_OWN_LETTERS))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def searchable_text(text: str) -> str:
    """The text with what else it should be found by written after each word that needs it."""
    if text.isascii():  # neither a CJK run nor a letter to spell otherwise: most of every page
        return text
    def pairs(match: re.Match[str]) -> str:
        run = match.group(0)
        return f"{run} {ADDED_START}{' '.join(character_pairs(run))}{ADDED_END}" if len(run) > 2 else run

    def folded(match: re.Match[str]) -> str:
        word = match.group(0)
        plain = without_marks(word)
        return f"{word} {ADDED_START}{plain}{ADDED_END}" if plain.isascii() else word

    return _WORD_WITH_OWN_LETTER.sub(folded, _CJK_RUN.sub(pairs, text))


# A page that lists what other pages hold (the timeline, the sources, tags, the home
# page) says so in a <meta> the theme overrides write from its front matter. It stays out
# of the index: the pages it lists are found instead, and its many words would make the
# piece of the index a query fetches several times larger (measured: the largest piece at
# 1,000 briefings went from 85 KB to 43 KB without them).
_LISTING = re.compile(r'<meta name="search-listing" content="true">')
_WITHOUT_LANG = re.compile(r"<html(?![^>]*\blang=)", re.IGNORECASE)


def searchable_html(html: str) -> str:
    """The page with `searchable_text` applied to its text, never to tags or scripts.

    A space follows each cell of a table or a list: Pagefind would otherwise read
    `<dt>Also known as</dt><dd>Putin</dd>` as the one word "asPutin"; what names the page's
    subject weighs as its title does."""
    parts = _MARKUP.split(html)
    return "".join(_searchable_tag(part) if i % 2 else searchable_text(part) for i, part in enumerate(parts))


def _searchable_tag(tag: str) -> str:
    if _CELL_END.match(tag):
        return tag + " "
    if _NAMES_THE_PAGE.match(tag):  # weighs as a page title does (Pagefind gives <h1> 7)
        return tag[:-1] + ' data-pagefind-weight="7">'
    return tag


@dataclass(frozen=True)
class IndexResult:
    pages: int
    bytes: int


# What the browser needs of Pagefind's bundle: its script, the WebAssembly and the index.
# Its ready-made interfaces are left out (the theme's own search box is used).
_UNUSED = re.compile(r"^pagefind-(?:component-ui|modular-ui|ui|highlight)\.(?:js|css)$")


def write_search_index(site: Path, language: str = "en") -> IndexResult:
    """Index every page of the built site into site/pagefind/: an index per language of the
    pages' `<html lang>` (a translated briefing's page is in its own), `language` for a page
    that says none.

    Pagefind reads a copy of the pages made searchable (see the module's docstring) from
    a folder beside the site; the served pages stay as the engine wrote them."""
    site = site.resolve()
    target = site / INDEX_DIR
    if target.exists():
        shutil.rmtree(target)
    with tempfile.TemporaryDirectory(prefix=".search-", dir=site.parent) as tmp:
        copy = Path(tmp) / "pages"
        pages = _write_searchable_copy(site, copy, language)
        _run_pagefind(copy, target)
    for asset in ASSETS.iterdir():
        if asset.suffix in (".js", ".css"):
            shutil.copyfile(asset, target / asset.name)
    _write_disk_copy_of_theme_index(site)
    for unused in target.iterdir():
        if _UNUSED.match(unused.name):
            unused.unlink()
    size = sum(f.stat().st_size for f in target.rglob("*") if f.is_file())
    return IndexResult(pages, size)


_one_at_a_time = threading.Lock()


def index_in_background(site: Path, language: str) -> None:
    """For the live preview: index the site, one run at a time; a failure is printed, as
    the preview goes on without search."""
    with _one_at_a_time:
        try:
            write_search_index(site, language)
        except SiteError as exc:
            print(f"search index: {exc}", file=sys.stderr)


def _write_disk_copy_of_theme_index(site: Path) -> None:
    """Material reads its own index from search/search_index.js when the site is opened
    from disk. That index is empty (the hook leaves every page out of it), and search
    cannot run from disk anyway; the copy spares the reader's console an error."""
    index = site / "search" / "search_index.json"
    if index.is_file():
        index.with_suffix(".js").write_text(f"var __index = {index.read_text(encoding='utf-8')};\n",
                                            encoding="utf-8")


def _write_searchable_copy(site: Path, copy: Path, language: str) -> int:
    """The searchable copy of every page (but listings): at thousands of pages, every other
    one in a forked copy of this process (core.forked), at the same time (the build owns
    both cores)."""
    pages = [p for p in sorted(site.rglob("*.html")) if p.relative_to(site).parts[0] != INDEX_DIR]
    if len(pages) < SPLIT_COPY_FROM or not CAN_FORK:
        return _copy_searchable(site, copy, pages, language)
    ours, theirs = side_by_side(lambda: _copy_searchable(site, copy, pages[0::2], language),
                                lambda: _copy_searchable(site, copy, pages[1::2], language),
                                "preparing the pages for the search index", timeout=TIMEOUT_SECONDS)
    return ours + theirs


def _copy_searchable(site: Path, copy: Path, pages: list[Path], language: str) -> int:
    try:
        return _copy_each_searchable(site, copy, pages, language)
    except OSError as exc:  # a full disk, a page unreadable: said plainly, from either process
        raise SiteError(f"could not prepare the pages for the search index: {exc}") from None


def _copy_each_searchable(site: Path, copy: Path, pages: list[Path], language: str) -> int:
    count = 0
    for page in pages:
        html = page.read_text(encoding="utf-8")
        if _LISTING.search(html):
            continue
        html = _WITHOUT_LANG.sub(f'<html lang="{language}"', html, count=1)
        out = copy / page.relative_to(site)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(searchable_html(html), encoding="utf-8")
        count += 1
    return count


def pagefind_command() -> list[str]:
    try:
        from pagefind_bin_extended import get_executable
    except ImportError:
        raise SiteError("cannot build the search index: the Python package pagefind[extended] is "
                        "not installed; run `pip install .` in the tool's folder") from None
    return [str(get_executable())]


def _run_pagefind(pages: Path, target: Path) -> None:
    settings = {"site": str(pages), "output_path": str(target), "root_selector": ROOT_SELECTOR,
                "exclude_selectors": EXCLUDE_SELECTORS,
                "keep_index_url": True, "quiet": True}
    (pages.parent / "pagefind.json").write_text(json.dumps(settings), encoding="utf-8")
    try:
        result = subprocess.run(pagefind_command(), cwd=pages.parent, capture_output=True, text=True,
                                timeout=TIMEOUT_SECONDS, check=False)
    except subprocess.TimeoutExpired:
        raise SiteError(f"the search index took longer than {TIMEOUT_SECONDS} s to build") from None
    if result.returncode != 0:
        detail = "\n".join((result.stderr + result.stdout).strip().splitlines()[-10:])
        raise SiteError(f"could not build the search index (Pagefind exit {result.returncode}):\n{detail}")
