"""Markdown fields to safe HTML fragments, with references resolved.

Our own render step turns every Markdown field into HTML, so the site and the PDF
show the same thing whichever engine builds the site. Raw HTML is never passed
through: it is shown as text. Links may only use http, https or mailto (or point
inside the site), and images from elsewhere become plain links, so a page never
loads anything from a third party.
"""

from __future__ import annotations

import html
import re
import threading
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple
from urllib.parse import quote, urlsplit

import markdown
from markdown import treeprocessors
from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

from ..core.refs import CITATION, WIKILINK, citation_ids

SAFE_SCHEMES = {"http", "https", "mailto"}


class Link(NamedTuple):
    """Where an [[id]] leads and what it shows."""

    href: str
    """Relative to the page; empty: the text without a link."""
    title: str
    """Shown at the start of a sentence (or a field, a list item, a table cell)."""
    title_inside: str
    """Shown inside a sentence."""


@dataclass
class PageContext:
    """What one page remembers while its fields are rendered in reading order."""

    link_to: Callable[[str], Link | None]
    """id -> where it leads and what it shows, or None if unknown."""
    source_href: Callable[[str], str]
    """source id -> href of its entry on the footnote list of this page."""
    source_hint: Callable[[str], str] = lambda source_id: ""
    """source id -> text shown on hover over a citation: title, publisher, grade."""
    glossary: dict[str, tuple[str, str]] = field(default_factory=dict)
    """lower-case term or alias -> (term id, plain-text definition), for first-use hovers."""
    cited: list[str] = field(default_factory=list)
    """Source ids in order of first citation: footnote n is cited[n-1]."""
    terms_seen: set[str] = field(default_factory=set)
    heading_offset: int = 2
    """User headings are pushed down this many levels, below the page's own."""
    _glossary_re: re.Pattern[str] | None = None

    def cite(self, source_id: str) -> int:
        """The footnote number of a source on this page (one number per source)."""
        if source_id not in self.cited:
            self.cited.append(source_id)
        return self.cited.index(source_id) + 1

    def glossary_pattern(self) -> re.Pattern[str] | None:
        if self._glossary_re is None and self.glossary:
            words = sorted(self.glossary, key=len, reverse=True)
            self._glossary_re = re.compile(r"(?<!\w)(" + "|".join(map(re.escape, words)) + r")(?!\w)", re.IGNORECASE)
        return self._glossary_re


class _OnCurrentPage:
    """A processor of the one reused converter: it works for the page being rendered now."""

    ext: _SafeExtension

    @property
    def page(self) -> PageContext:
        assert self.ext.page is not None, "used outside to_html"
        return self.ext.page


class _Citation(_OnCurrentPage, InlineProcessor):
    def __init__(self, md: markdown.Markdown, ext: _SafeExtension):
        super().__init__(CITATION.pattern, md)
        self.ext = ext

    def handleMatch(self, m: re.Match[str], data: str) -> tuple[ET.Element, int, int]:  # noqa: N802
        sup = ET.Element("sup", {"class": "cite"})
        for i, source_id in enumerate(citation_ids(m.group(1))):
            if i:
                sup.append(_text_element("span", ","))
            n = self.page.cite(source_id)
            a = ET.SubElement(sup, "a", {"href": self.page.source_href(source_id), "class": "cite-ref",
                                         "title": self.page.source_hint(source_id)})
            a.text = f"[{n}]"
        return sup, m.start(0), m.end(0)


class _WikiLink(_OnCurrentPage, InlineProcessor):
    def __init__(self, md: markdown.Markdown, ext: _SafeExtension):
        super().__init__(WIKILINK.pattern, md)
        self.ext = ext

    def handleMatch(self, m: re.Match[str], data: str) -> tuple[ET.Element, int, int]:  # noqa: N802
        target = self.page.link_to(m.group(1).strip())
        shown = (m.group(2) or "").strip()
        if target is None:  # only in a public build: the item is withheld, and so is its name
            return _text_element("span", shown or "(unpublished)"), m.start(0), m.end(0)
        href = target.href
        title = target.title_inside if _inside_sentence(data[:m.start(0)]) else target.title
        if not href:  # known, but not inside this document (a PDF of one briefing): text alone
            return _text_element("span", shown or title), m.start(0), m.end(0)
        a = ET.Element("a", {"href": href, "class": "xref"})
        a.text = shown or title
        return a, m.start(0), m.end(0)


def _inside_sentence(before: str) -> bool:
    """Whether text that follows `before` (in the same paragraph) is inside a sentence: some
    text comes first, and it does not end one. After another inline element (a placeholder
    of Python-Markdown's), it cannot be told: the title stays as written."""
    before = before.rstrip().rstrip("\"'“‘(*_")
    return bool(before) and before[-1] not in ".!?:\x03"


def _text_element(tag: str, text: str) -> ET.Element:
    el = ET.Element(tag)
    el.text = text
    return el


_HEADINGS = frozenset(f"h{n}" for n in range(1, 7))


class _Sanitise(_OnCurrentPage, Treeprocessor):
    """Unsafe link schemes lose their link; images from elsewhere become links; headings shift down."""

    def __init__(self, md: markdown.Markdown, ext: _SafeExtension):
        super().__init__(md)
        self.ext = ext

    def run(self, root: ET.Element) -> None:
        levels = self._heading_levels(root)
        for parent in root.iter():
            for i, child in enumerate(list(parent)):
                if child.tag == "img":
                    parent[i] = self._image_as_link(child)
                elif child.tag == "a" and not is_safe_url(child.get("href", "")):
                    child.attrib.pop("href", None)
                    child.set("class", "unsafe-link")
                elif child.tag == "a" and "href" in child.attrib:
                    child.set("href", valid_href(child.get("href", "")))
                elif child.tag in _HEADINGS:
                    child.tag = levels[child.tag]

    def _heading_levels(self, root: ET.Element) -> dict[str, str]:
        """The field's headings, below the page's own and without a level skipped: its
        highest heading one level under the page's (a '### Subheading' of a section body is an
        h3 under the section's h2, not an h5), the next level under that, and so on."""
        used = sorted({el.tag for el in root.iter() if el.tag in _HEADINGS})
        return {tag: f"h{min(6, 1 + self.page.heading_offset + rank)}" for rank, tag in enumerate(used)}

    @staticmethod
    def _image_as_link(img: ET.Element) -> ET.Element:
        src = img.get("src", "")
        if is_safe_url(src):
            a = ET.Element("a", {"href": valid_href(src), "class": "image-link"})
        else:
            a = ET.Element("span", {"class": "unsafe-link"})
        a.text = img.get("alt") or src
        a.tail = img.tail
        return a


class _GlossaryHover(_OnCurrentPage, Treeprocessor):
    """The first use of a glossary term on a page shows its definition on hover."""

    def __init__(self, md: markdown.Markdown, ext: _SafeExtension):
        super().__init__(md)
        self.ext = ext

    def run(self, root: ET.Element) -> None:
        pattern = self.page.glossary_pattern()
        if pattern is None:
            return
        self._walk(root, pattern)

    def _walk(self, el: ET.Element, pattern: re.Pattern[str]) -> None:
        if el.tag in ("a", "code", "abbr", "pre"):
            return
        if el.text:
            el.text = self._wrap(el, el.text, pattern, 0)
        for child in list(el):
            self._walk(child, pattern)
            if child.tail:
                child.tail = self._wrap(el, child.tail, pattern, list(el).index(child) + 1)

    def _wrap(self, parent: ET.Element, text: str, pattern: re.Pattern[str], index: int) -> str:
        """Wrap the first unseen term in `text`; return the text that stays before it."""
        for m in pattern.finditer(text):
            term_id, definition = self.page.glossary[m.group(1).lower()]
            if term_id in self.page.terms_seen:
                continue
            self.page.terms_seen.add(term_id)
            abbr = ET.Element("abbr", {"title": definition, "class": "term"})
            abbr.text = m.group(1)
            abbr.tail = text[m.end():]
            parent.insert(index, abbr)
            return text[: m.start()]
        return text


# What each inline pattern needs in a text before it can match anywhere in it.
_TRIGGERS: dict[str, tuple[str, ...]] = {
    "backtick": ("`",), "escape": ("\\",), "reference": ("[",), "link": ("[",), "image_link": ("![",),
    "image_reference": ("![",), "short_reference": ("[",), "short_image_ref": ("![",), "autolink": ("<",),
    "automail": ("<",), "linebreak": ("  ", "\t"), "entity": ("&",), "em_strong": ("*", "_"),
    "wikilink": ("[[",), "citation": ("[",),
}


class _FieldInline(_OnCurrentPage, treeprocessors.InlineProcessor):
    """Python-Markdown's inline pass, trying only the patterns that can match in this field.

    The stock pass tries every pattern at every step of every text, and most fields hold
    none of the characters most patterns need, so leaving those out changes nothing but
    the time. The title a [[link]] shows is inline text too, so it counts as part of the
    field. Patterns not named in _TRIGGERS are always kept.
    """

    def __init__(self, md: markdown.Markdown, ext: _SafeExtension):
        super().__init__(md)
        self.ext = ext
        self.registry = md.inlinePatterns
        self.ordered: list[InlineProcessor] = []
        self.triggers: dict[int, tuple[str, ...]] | None = None

    def run(self, tree: ET.Element, ancestors: list[str] | None = None) -> ET.Element:
        if self.triggers is None:  # the extensions are all registered by now
            self.ordered = list(self.registry)
            self.triggers = {id(self.registry[name]): needs for name, needs in _TRIGGERS.items()
                             if name in self.registry}
            delimiters = getattr(self.md, "delimiters", None)
            if delimiters is not None and id(delimiters) in self.triggers:
                self.triggers[id(delimiters)] = tuple(delimiters.tokens)
        text = self.ext.text
        if "[[" in text:
            text += "".join(target.title for m in WIKILINK.finditer(text)
                            if (target := self.page.link_to(m.group(1).strip())) is not None)
        triggers = self.triggers
        patterns = [p for p in self.ordered if id(p) not in triggers or any(t in text for t in triggers[id(p)])]
        self.inlinePatterns = patterns  # type: ignore[assignment]
        try:
            return super().run(tree, ancestors)
        finally:
            self.inlinePatterns = self.registry


class _SafeExtension(markdown.Extension):
    def __init__(self) -> None:
        super().__init__()
        self.page: PageContext | None = None
        """The page being rendered; None between conversions."""
        self.text = ""
        """The Markdown being converted."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802
        md.preprocessors.deregister("html_block")  # raw HTML is text, never markup
        md.inlinePatterns.deregister("html")
        md.inlinePatterns.register(_WikiLink(md, self), "wikilink", 176)
        md.inlinePatterns.register(_Citation(md, self), "citation", 175)
        md.treeprocessors.register(_Sanitise(md, self), "sanitise", 5)
        md.treeprocessors.register(_GlossaryHover(md, self), "glossary_hover", 4)
        md.treeprocessors.register(_FieldInline(md, self), "inline", 20)  # replaces the stock one, same place


def valid_href(url: str) -> str:
    """The address with the characters an address may not hold (spaces, quotes, <, >...)
    percent-encoded, so the attribute is a valid URL; where it leads does not change."""
    return quote(url, safe="!#$%&'()*+,-./:;=?@[]_~")


def is_safe_url(url: str) -> bool:
    """http, https and mailto, or a link inside the site (no scheme at all)."""
    # Judge the address the browser will follow: it decodes character references in
    # the attribute ('javascript&#58;' survives serialising), drops tabs and newlines
    # anywhere and control characters at the ends, and reads a backslash as a slash.
    url = re.sub(r"[\t\n\r]", "", html.unescape(url)).strip("".join(map(chr, range(33)))).replace("\\", "/")
    if not url:
        return False
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:  # e.g. 'http://[a': not an address a browser could follow either
        return False
    if scheme:
        return scheme in SAFE_SCHEMES
    # A colon before any slash would be a scheme to a browser even if urlsplit disagrees.
    head = url.split("/", 1)[0]
    return ":" not in head and not url.startswith("//")


_converters = threading.local()


def _new_converter() -> tuple[markdown.Markdown, _SafeExtension]:
    ext = _SafeExtension()
    return markdown.Markdown(extensions=["tables", "sane_lists", ext], output_format="html"), ext


def to_html(text: str, page: PageContext, inline: bool = False) -> Markup:
    """Render one Markdown field for a page. `inline` drops the surrounding paragraph.

    Building a converter costs more than converting a field, so each thread keeps one
    and resets it between fields (a nested call, should one ever happen, gets its own).
    """
    md, ext = getattr(_converters, "current", None) or _new_converter()
    if ext.page is not None:
        md, ext = _new_converter()
    else:
        _converters.current = (md, ext)
    ext.page, ext.text = page, text
    try:
        out = md.reset().convert(text)
    finally:
        ext.page, ext.text = None, ""
    if inline and out.startswith("<p>") and out.endswith("</p>") and out.count("<p>") == 1:
        out = out[3:-4]
    return Markup(out)  # noqa: S704 - every piece of it was escaped by Markdown itself


def plain_text(text: str) -> str:
    """A Markdown field as plain text (for hover titles and metadata)."""
    text = WIKILINK.sub(lambda m: (m.group(2) or m.group(1)).strip(), text)
    text = re.sub(r"\s*" + CITATION.pattern, "", text)
    text = re.sub(r"(?m)^[ \t]*(?:#{1,6}|>+)[ \t]*", "", text)  # heading and quote markers, not '>' in text
    text = re.sub(r"[*_`]+", "", text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return " ".join(text.split())


def escape(text: str) -> Markup:
    return Markup(html.escape(text))  # noqa: S704
