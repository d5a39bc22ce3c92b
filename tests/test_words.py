"""The site's words in other languages: the catalogue of messages is what the templates and
the code mark (tests/words_catalogue.py), every shipped catalogue translates all of it, and
a site in Russian shows none of the English the templates are written in."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po
from pypdf import PdfReader

from briefsite.app import BuildOptions, build
from briefsite.read.library import load_library
from briefsite.render.pages import render_pages
from tests.conftest import EXAMPLE_DATA, REPO, copy_project
from tests.words_catalogue import LOCALE, POT, extracted, po_text

RUSSIAN_DATE = re.compile(r"\b\d{1,2}\s(?:янв|февр|мар|апр|мая|июн|июл|авг|сент|окт|нояб|дек)\.?\s\d{4}\sг\.")
"""A day as Babel writes it in Russian (medium format): 15 окт. 2020 г."""
BRIEFING = "russia-options-nagorno-karabakh"


def in_language(data: Path, language: str) -> None:
    """The site of `data` set to speak `language` (its site.yaml's `language:` line)."""
    site = data / "site.yaml"
    text = re.sub(r"(?m)^language:.*$", f"language: {language}", site.read_text(encoding="utf-8"))
    site.write_text(text, encoding="utf-8")


def read_catalogue(path: Path) -> Catalog:
    with path.open("rb") as f:
        return read_po(f, locale=path.stem if path.suffix == ".po" else None)


def catalogue_gaps(path: Path) -> list[str]:
    """What a language's catalogue lacks: messages of messages.pot it does not have or leaves
    untranslated or fuzzy, and translations whose placeholders differ from the message's."""
    template, catalog = read_catalogue(POT), read_catalogue(path)
    gaps = []
    for message in template:
        if not message.id:
            continue
        found = catalog.get(message.id, message.context)
        strings = found.string if found is not None and isinstance(found.string, tuple) else \
            (found.string,) if found is not None else ()
        if found is None or not all(strings):
            gaps.append(f"untranslated: {message.context or ''}|{message.id!r}")
        elif found.fuzzy:
            gaps.append(f"fuzzy: {message.context or ''}|{message.id!r}")
    gaps += [f"{message.id!r}: {error}" for message, errors in catalog.check() for error in errors]
    return gaps


def test_messages_pot_is_what_the_tool_extracts() -> None:
    """A string marked in a template or in the code and missing from messages.pot fails here:
    run `python -m tests.words_catalogue` and commit messages.pot."""
    assert po_text(extracted()) == POT.read_text(encoding="utf-8"), \
        "messages.pot is stale: run `python -m tests.words_catalogue` and review its diff"


@pytest.mark.parametrize("po", sorted(LOCALE.glob("*.po")), ids=lambda p: p.stem)
def test_every_catalogue_translates_every_message(po: Path) -> None:
    assert catalogue_gaps(po) == []


def test_a_catalogue_missing_one_message_fails(tmp_path: Path) -> None:
    shipped = LOCALE / "ru.po"
    text = shipped.read_text(encoding="utf-8")
    entry = re.search(r'\n\n(#[^\n]*\n)*msgid "Bottom line"\nmsgstr "[^"]*"\n', text)
    assert entry is not None
    broken = tmp_path / "ru.po"
    broken.write_text(text.replace(entry.group(0), "\n", 1), encoding="utf-8")
    assert catalogue_gaps(broken) == ["untranslated: |'Bottom line'"]
    (tmp_path / "emptied").mkdir()
    shipped_check = tmp_path / "emptied" / "ru.po"
    shipped_check.write_text(text.replace('msgstr "Главный вывод"', 'msgstr ""'), encoding="utf-8")
    assert catalogue_gaps(shipped_check) == ["untranslated: |'Bottom line'"]


# --- A site in Russian ------------------------------------------------------------------

class _Shown(HTMLParser):
    """The text of a page as people see it: its text nodes, and the attributes shown or read aloud."""

    SHOWN_ATTRIBUTES = ("title", "aria-label", "alt", "placeholder")

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.texts.extend(line for line in data.splitlines())

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.texts.extend(v for k, v in attrs if k in self.SHOWN_ATTRIBUTES and v)


def shown_texts(page: str) -> Iterator[str]:
    parser = _Shown()
    parser.feed(page)
    for text in parser.texts:
        # a Markdown heading's marks, front matter's keys and end punctuation are not words
        text = re.sub(r"^\s*(#+|title:)\s*|[\s.:;,]+$", "", text).strip().strip('"')
        if text:
            yield text


def english_messages(language: str = "ru") -> tuple[set[str], list[re.Pattern[str]]]:
    """The English of the messages the language's catalogue translates differently: whole texts,
    and patterns for those with placeholders (only those whose own words make a text of theirs
    recognisable: 'Likelihood: %(range)s', not '%(term)s on %(day)s')."""
    catalogue = read_catalogue(LOCALE / f"{language}.po")
    whole: set[str] = set()
    patterns = []
    for message in catalogue:
        if not message.id:
            continue
        english = message.id if isinstance(message.id, tuple) else (message.id,)
        translated = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in english:
            if text in translated:
                continue
            text = text.replace("%%", "%")
            fixed = re.split(r"%\(\w+\)[sd]|\{[ab]\}", text)
            if len(fixed) == 1:
                whole.add(re.sub(r"[\s.:;,]+$", "", text))
            elif sum(len(f.strip()) for f in fixed) >= 12:
                patterns.append(re.compile("^" + ".+?".join(re.escape(f) for f in fixed).rstrip(".") + "$"))
    # a word both languages write alike is not English left over: French translates 'Grade' as
    # 'Note', and 'Sources' as 'Sources'
    own = {re.sub(r"[\s.:;,]+$", "", t) for m in catalogue if m.id
           for t in (m.string if isinstance(m.string, tuple) else (m.string,))}
    return whole - own, patterns


def pages_in(language: str, folder: Path) -> dict[str, str]:
    """The example's pages rendered with its site in `language`."""
    data = folder / "data"
    shutil.copytree(EXAMPLE_DATA, data)
    in_language(data, language)
    library, report = load_library(data)
    assert library is not None, [p.format() for p in report.errors]
    return render_pages(library, REPO / "templates")


@pytest.fixture(scope="module")
def russian_pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    return pages_in("ru", tmp_path_factory.mktemp("ru"))


def english_left(pages: dict[str, str], language: str) -> list[tuple[str, str]]:
    whole, patterns = english_messages(language)
    return sorted({(page, text) for page, html in pages.items() if page.endswith(".md")
                   for text in shown_texts(html) if text in whole or any(p.match(text) for p in patterns)})


def test_the_russian_site_shows_none_of_our_english_words(russian_pages: dict[str, str]) -> None:
    assert english_left(russian_pages, "ru") == []


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_the_french_and_arabic_sites_show_none_of_our_english_words(language: str, tmp_path: Path) -> None:
    assert english_left(pages_in(language, tmp_path), language) == []


def test_the_russian_briefing_page_has_russian_words_dates_and_ranges(russian_pages: dict[str, str]) -> None:
    page = russian_pages[f"briefings/{BRIEFING}.md"]
    assert "## Главный вывод" in page and "## Ключевые оценки" in page
    assert RUSSIAN_DATE.search(page), "no date in Russian format"
    # a likelihood range as Russian writes it: an en dash, a no-break space before the sign
    assert re.search(r'<span class="range">\d+–\d+\u00a0%</span>', page), "no range in Russian format"
    assert "Вероятно" in page or "Весьма вероятно" in page or "Маловероятно" in page


def test_a_language_without_a_catalogue_shows_english_and_says_how_to_add_one(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(EXAMPLE_DATA, data)
    in_language(data, "de")
    library, report = load_library(data)
    assert library is not None, [p.format() for p in report.errors]
    said = [p.format() for p in report.warnings]
    assert any("site.yaml:" in line and "language" in line and "messages.pot" in line and "de.po" in line
               for line in said), said
    page = render_pages(library, REPO / "templates")[f"briefings/{BRIEFING}.md"]
    assert "## Bottom line" in page


@pytest.mark.first
def test_a_russian_build_has_russian_words_in_its_pages_and_pdf(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    in_language(project.data, "ru")
    build(project, BuildOptions(quiet=True))
    html = (project.site / "briefings" / f"{BRIEFING}.html").read_text(encoding="utf-8")
    assert "Главный вывод" in html and 'lang="ru"' in html
    assert ">Главная<" in html.replace("\n", "").replace("  ", ""), "the navigation is not in Russian"
    assert RUSSIAN_DATE.search(html)
    pdf = " ".join((page.extract_text() or "") for page in PdfReader(project.site / "pdf" /
                                                                    f"{BRIEFING}.pdf").pages)
    pdf = re.sub(r"\s+", " ", pdf)
    assert "Главный вывод" in pdf and "Ключевые оценки" in pdf
    assert RUSSIAN_DATE.search(pdf), "no Russian date in the PDF"
    assert re.search(r"Стр\. \d+ из \d+", pdf), "no page numbers in Russian"


def test_english_rendered_after_russian_is_unchanged(russian_pages: dict[str, str]) -> None:
    """Compiled templates are shared by every language's environment: nothing of one language
    may be compiled into them (Jinja applies a filter to a constant when it compiles)."""
    assert russian_pages
    library, _ = load_library(EXAMPLE_DATA)
    assert library is not None
    english = render_pages(library, REPO / "templates")
    golden = REPO / "tests" / "golden"
    for page in ("track-record.md", "legend.md", f"briefings/{BRIEFING}.md"):
        assert english[page] == (golden / page).read_text(encoding="utf-8"), page


MARKERS = {"_", "gettext", "ngettext", "pgettext", "N_", "NP_"}


def test_no_message_is_marked_inside_an_f_string() -> None:
    """Babel's extractor does not look inside f-strings: a message marked there would never
    reach the catalogues and stay English in every language (it happened to an axis label)."""
    import ast

    hidden = []
    for path in sorted((REPO / "briefsite").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.JoinedStr):
                continue
            for call in ast.walk(node):
                name = getattr(call, "func", None)
                called = getattr(name, "attr", None) or getattr(name, "id", None)
                if isinstance(call, ast.Call) and called in MARKERS:
                    hidden.append(f"{path.relative_to(REPO)}:{call.lineno}")
    assert hidden == []


def test_a_new_language_starts_from_every_message_with_its_plural_forms(tmp_path: Path) -> None:
    from tests.words_catalogue import new_catalogue, update_catalogue

    po_file = tmp_path / "pl.po"
    new_catalogue(po_file)
    update_catalogue(po_file, extracted())
    catalog = read_catalogue(po_file)
    assert catalog.num_plurals == 3 and "nplurals=3" in po_file.read_text(encoding="utf-8")
    translated = [m.id for m in catalog if m.id and (any(m.string) if isinstance(m.string, tuple) else m.string)]
    assert len(catalog) == len(read_catalogue(POT)) and translated == []
