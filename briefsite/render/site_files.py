"""The files of the site that are not pages: the feeds, the STIX bundles and the data for
other tools, each made from what the library holds, read through the render's `Reading`
(so that what a file read is noted for it, as a page's is) with the site's address."""

from __future__ import annotations

import functools
from collections.abc import Container
from typing import Any

from ..core import model as m
from ..core.translations import Languages
from . import cite, data, paging, views
from .context import Reading
from .feed import Subset, atom_feed
from .stix import briefing_bundle, site_bundle_json, to_json


def main_feed(reading: Reading, site_url: str | None) -> str:
    return atom_feed(reading.lib, site_url, feed_versions(reading), in_languages=languages(reading))


def stix_bundle(bid: str | None, reading: Reading, site_url: str | None) -> str | bytes:
    """A briefing's STIX bundle, or the whole site's (bid None)."""
    def spans(aid: str) -> Any:
        return reading.view("actor_span", aid)
    lib = reading.lib
    return site_bundle_json(lib, spans) if bid is None else to_json(briefing_bundle(lib, bid, spans))


def sources_csv(reading: Reading, site_url: str | None) -> str:
    return cite.sources_csv(reading.lib.sources.values())


def sources_bib(reading: Reading, site_url: str | None) -> str:
    return cite.sources_bib(reading.lib.sources.values())


def subset_feed(kind: str, key: str, path: str, reading: Reading, site_url: str | None) -> str:
    """The feed of a tag's, a region's briefings, or of those naming an actor."""
    subset = feed_subset(reading, kind, key, path)
    return atom_feed(reading.lib, site_url, feed_versions(reading, set(subset.briefings)), subset,
                     languages(reading))


def feed_subset(reading: Reading, kind: str, key: str, path: str) -> Subset:
    if kind == "actor":
        title = views.feed_title(kind, reading.lib.actors[key].name, reading.words)
        return Subset(path, kind, key, title, f"actors/{key}.md", reading.view("naming", key))
    index = kind + "s"  # the index of the groups: 'tags', 'regions'
    group = next(g for g in reading.view(index) if g.name == key)
    own = next((gp.page for gp in reading.view("group_pages", index) if gp.anchor == group.anchor), None)
    page = own or f"{paging.INDEXES[index][0]}#{group.anchor}"
    title = views.feed_title(kind, key, reading.words)
    return Subset(path, kind, key, title, page, [bid for bid, _ in group.briefings])


def data_list(page: int, reading: Reading, site_url: str | None) -> str:
    return data.briefings_list(reading.lib, page, site_url, reading.pdf_links, languages(reading))


def data_briefing(bid: str, reading: Reading, site_url: str | None) -> str:
    return data.briefing_record(reading.lib, bid, site_url, reading.pdf_links, languages(reading))


def languages(reading: Reading) -> Languages:
    """Each briefing's versions in other languages, from the library's index (a view, noted as read)."""
    return functools.partial(reading.view, "languages")


def data_schema(name: str, reading: Reading, site_url: str | None) -> str:
    return data.schema_text(name, site_url)


def feed_versions(reading: Reading, ids: Container[str] | None = None) -> dict[str, tuple[m.Version, ...]]:
    """The versions of the briefings that have several (of `ids` only, if given), each noted as
    read by the feed."""
    return {bid: reading.view("history", bid) for bid, vs in reading.index.lib.versions.items()
            if len(vs) > 1 and (ids is None or bid in ids)}
