"""The briefings as an Atom feed (RFC 4287)."""

from __future__ import annotations

import datetime as dt
import re
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass

from ..core import history, yardsticks
from ..core import model as m
from ..core.translations import Languages, languages, originals
from .index import page_url, version_page
from .views import plain_with_titles
from .words import Words, words_for

ATOM_NS = "http://www.w3.org/2005/Atom"
FEED_PAGE = "feed.xml"
EPOCH = dt.date(1970, 1, 1)
FEED_ENTRIES = 200
"""Entries the feed holds, the newest: a reader's feed reader wants what changed lately, and a
feed of every briefing and version was 4.6 MB at 5,000 briefings."""


@dataclass(frozen=True)
class Subset:
    """A feed of part of the library: the briefings of a tag or a region, or those naming an actor."""

    path: str
    """'feeds/tags/russia.xml', beside the site's feed.xml at the site root."""
    kind: str
    """'tag', 'region' or 'actor'."""
    key: str
    """The tag, the region or the actor id: with the site's title, what the feed's id is made from."""
    title: str
    """The feed's title, after the site's: 'Briefings tagged russia' (views.feed_title)."""
    page: str
    """The page the feed is the feed of ('tags/index.md#tag-russia', 'actors/putin.md')."""
    briefings: Sequence[str]
    """Their ids, newest first."""


def entry_updated(b: m.Briefing) -> dt.date:
    """The latest change-log date, or the briefing's own date."""
    return max([b.date, *(u.date for u in b.updates)])


def _timestamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def _urn(*parts: str) -> str:
    return uuid.uuid5(uuid.NAMESPACE_URL, "briefsite:" + ":".join(parts)).urn


def atom_feed(lib: m.Library, site_url: str | None = None,
              versions: dict[str, tuple[m.Version, ...]] | None = None, subset: Subset | None = None,
              in_languages: Languages | None = None) -> str:
    """The briefings as an Atom feed (RFC 4287), newest change first: one entry per briefing,
    and one per earlier issued version of a briefing that has several (`versions`), each
    saying what changed since the version before; the newest FEED_ENTRIES of them.
    `subset`: the feed of those briefings only, with its own path, id and title.
    `in_languages`: each briefing's versions in other languages (translations.languages).

    Ids are URNs made from the site's title and the briefing id (and a version's date), so
    they do not change when the site moves. Links are absolute when mkdocs.yml sets
    site_url, otherwise relative to the feed.
    """
    ET.register_namespace("", ATOM_NS)

    def el(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        child = ET.SubElement(parent, f"{{{ATOM_NS}}}{tag}", attrs)
        if text is not None:
            child.text = _xml_text(text)
        return child

    path = subset.path if subset else FEED_PAGE

    def link(target: str) -> str:
        """A page of the site ('briefings/x.html') as this feed links it."""
        return site_url + target if site_url else page_url(path, target)

    site = lib.site
    words = words_for(site.language)
    chosen_ids = [bid for bid, _ in originals(lib.briefings)] if subset is None else subset.briefings
    entries = sorted(((bid, lib.briefings[bid]) for bid in chosen_ids),
                     key=lambda kv: (entry_updated(kv[1]), kv[1].date), reverse=True)
    lang = {"{http://www.w3.org/XML/1998/namespace}lang": site.language} if site.language else {}
    feed = ET.Element(f"{{{ATOM_NS}}}feed", lang)
    el(feed, "id", _urn("feed", site.title, *((subset.kind, subset.key) if subset else ())))
    el(feed, "title", f"{site.title}: {subset.title}" if subset else site.title)
    if site.description:
        el(feed, "subtitle", site.description)
    el(feed, "updated", _timestamp(max((entry_updated(b) for _, b in entries), default=EPOCH)))
    el(el(feed, "author"), "name", site.title)
    page, _, anchor = (subset.page if subset else "index.md").partition("#")
    el(feed, "link", rel="alternate", type="text/html", href=link(page_url("", page, anchor)))
    el(feed, "link", rel="self", type="application/atom+xml", href=link(path))
    if site.marking:
        el(feed, "rights", site.marking)
    el(feed, "generator", "briefsite")
    ids = {bid for bid, _ in entries}
    in_languages = in_languages or languages(lib.briefings, site)
    # The newest FEED_ENTRIES entries, a briefing's and its earlier versions' by date of issue:
    # (date, briefing first, id, the index of the version or None for the briefing itself)
    chosen = sorted([(entry_updated(b), 1, bid, None) for bid, b in entries]
                    + [(v.date, 0, bid, n) for bid, issued in (versions or {}).items() if bid in ids
                       for n, v in enumerate(issued[:-1])], reverse=True)[:FEED_ENTRIES]
    for _, _, bid, n in chosen:
        b = lib.briefings[bid]
        issued = (versions or {}).get(bid, ())
        if n is not None:
            v = issued[n]
            dated = el(feed, "entry")
            el(dated, "id", _urn("version", site.title, bid, v.date.isoformat()))
            el(dated, "title", words._("%(title)s (version of %(day)s, superseded)", title=b.title,
                                       day=words.day(v.date)))
            el(dated, "updated", _timestamp(v.date))
            el(dated, "link", rel="alternate", type="text/html", href=link(version_page(bid, v.date)))
            trend_said = _trend_said(v.trend, words)
            el(dated, "summary", trend_said + plain_with_titles(lib, v.note) + _changed(lib, issued[:n + 1], words),
               type="text")
            continue
        entry = el(feed, "entry")
        el(entry, "id", _urn("briefing", site.title, bid))
        el(entry, "title", words._("[Draft] %(title)s", title=b.title) if b.status == "draft" else b.title)
        el(entry, "updated", _timestamp(entry_updated(b)))
        el(entry, "published", _timestamp(min([b.date, *(u.date for u in b.updates)])))  # its first issue
        el(entry, "link", rel="alternate", type="text/html", href=link(f"briefings/{bid}.html"))
        for tid, tag in in_languages(bid)[1:]:  # the same entry in other languages (RFC 4287 4.2.7.4)
            el(entry, "link", rel="alternate", type="text/html", hreflang=tag, href=link(f"briefings/{tid}.html"))
        for name in b.authors:
            el(el(entry, "author"), "name", name)
        for tag in b.tags:
            el(entry, "category", term=_xml_text(tag))
        if b.marking or site.marking:
            el(entry, "rights", b.marking or site.marking)
        trend = b.updates[0].trend if b.updates else None
        if trend:  # where the situation went at the latest update, as the site shows it
            el(entry, "category", term=f"trend:{trend}", label=words.shown("trend", trend))
        said = _trend_said(trend, words)
        el(entry, "summary", said + plain_with_titles(lib, b.summary) + _changed(lib, issued, words), type="text")
    ET.indent(feed)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"


def _trend_said(trend: str | None, words: Words) -> str:
    """'↘ Deteriorated. ': the trend's sign and words, before a summary."""
    return f"{m.TREND_LABELS[trend][0]} {words.shown('trend', trend)}. " if trend else ""


def _changed(lib: m.Library, versions: tuple[m.Version, ...], words: Words) -> str:
    """' What changed since <date>: ...' of the newest of `versions` (nothing for the first)."""
    found = history.changes(versions, yardsticks.of(lib.site.yardstick))
    if found is None:
        return ""
    said = [line.rstrip(". ") for line in history.in_words(found, lambda text: plain_with_titles(lib, text), words)]
    return " " + words._("What changed since %(day)s: %(changes)s.", day=words.day(found.since),
                         changes="; ".join(said or [words._("no judgment changed")]))


def _xml_text(text: str) -> str:
    """Text XML 1.0 can carry: control characters other than tab and newline dropped."""
    return re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]", "", text)
