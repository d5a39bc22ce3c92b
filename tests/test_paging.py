"""Pages that stay small at any size (render/paging.py): the home page and the archive by
year, the timeline, the sources and the actors in pages, the index groups, the feed; each
split page reachable and linking to its neighbours, and a small library kept as it was."""

from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from bench.corpus import generate
from briefsite.app import BuildOptions, build
from briefsite.core.project import Project
from briefsite.read.library import load_library
from briefsite.render import environment as environment_module
from briefsite.render import feed as feed_module
from briefsite.render import paging
from tests.conftest import copy_project

ATOM = "{http://www.w3.org/2005/Atom}"


def site_links(site: Path, page: Path) -> list[Path]:
    """The pages of the site one page links to (its own anchors and other sites left out)."""
    html = page.read_text(encoding="utf-8")
    found = []
    for href in re.findall(r'href="([^"#?]+\.html)(?:#[^"]*)?"', html):
        if "://" not in href:
            found.append((page.parent / href).resolve())
    return found


def test_a_large_library_lists_its_latest_on_the_home_page_and_the_rest_by_year(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(paging, "ARCHIVE_PAGE", 7)  # years split into pages, as at thousands
    monkeypatch.setattr(paging, "TIMELINE_WHOLE", 50)
    monkeypatch.setattr(paging, "TIMELINE_PAGE", 12)
    monkeypatch.setattr(paging, "SOURCES_WHOLE", 20)
    monkeypatch.setattr(paging, "SOURCES_PAGE", 10)
    monkeypatch.setattr(paging, "GROUPS_WHOLE", 30)
    monkeypatch.setattr(paging, "GROUP_PAGE", 8)
    monkeypatch.setattr(paging, "ACTORS_WHOLE", 10)
    monkeypatch.setattr(paging, "ACTORS_PAGE", 6)
    monkeypatch.setattr(environment_module, "BACKLINKS_SHOWN", 2)
    monkeypatch.setattr(feed_module, "FEED_ENTRIES", 10)
    project = copy_project(tmp_path / "project")
    shutil.rmtree(project.data)
    generate(project.data, 60, seed=3)
    build(project, BuildOptions(quiet=True, pdf=False))
    site = project.site.resolve()
    briefings = {p.resolve() for p in (site / "briefings").glob("*.html")}
    home = site / "index.html"
    on_home = {p for p in site_links(site, home) if p in briefings}
    assert len(on_home) == paging.HOME_LATEST
    archive = site / "archive" / "index.html"
    assert archive.resolve() in site_links(site, home)
    # every briefing within three clicks of home: home, all years, a year's page, the briefing
    year_pages = [p for p in site_links(site, archive) if p.parent == archive.parent.resolve()]
    assert year_pages and all(p.is_file() for p in year_pages)
    listed: list[Path] = []
    for page in sorted(set(year_pages)):
        links = site_links(site, page)
        assert all(p.is_file() for p in links), f"a dangling link on {page.name}"
        mine = [p for p in links if p in briefings]
        assert 0 < len(mine) <= 7
        listed += mine
    assert sorted(listed) == sorted(briefings), "each briefing on one page of the archive, once"
    # a split year's pages lead to each other
    split = sorted(p.name for p in archive.parent.glob("*-2.html"))
    assert split, "some year is long enough to be split"
    second = archive.parent / split[0]
    first = archive.parent / split[0].replace("-2.html", ".html")
    assert first.resolve() in site_links(site, second) and second.resolve() in site_links(site, first)
    # the timeline: a page per year or month, each event on one of them, each page linked
    library, _ = load_library(project.data)
    assert library is not None
    events = sum(len(b.timeline) for b in library.briefings.values())
    timeline = site / "timeline.html"
    parts = [p for p in site_links(site, timeline) if p.parent == (site / "timeline").resolve()]
    assert len(parts) > 2 and any(re.search(r"\d{4}-\d\d\.html$", p.name) for p in parts), "years and months"
    shown = 0
    for n, page in enumerate(parts):
        html = page.read_text(encoding="utf-8")
        shown += html.count('<li class="vt-item')
        links = site_links(site, page)
        assert all(p.is_file() for p in links), f"a dangling link on {page.name}"
        assert timeline.resolve() in links
        if n + 1 < len(parts):
            assert parts[n + 1] in links, f"{page.name} leads to the next page"
    assert shown == events
    # the sources: a page per initial (in parts), each source on one; footnotes lead to its entry
    sources = site / "sources.html"
    parts = [p for p in site_links(site, sources) if p.parent == (site / "sources").resolve()]
    entries: list[str] = []
    for page in parts:
        html = page.read_text(encoding="utf-8")
        entries += re.findall(r'<section class="source" id="source-([^"]+)"', html)
        assert all(p.is_file() for p in site_links(site, page)), f"a dangling link on {page.name}"
    assert sorted(entries) == sorted(library.sources)
    checked = 0
    for briefing in sorted(briefings)[:10]:
        for href in re.findall(r'href="([^"]+)" class="source-entry"', briefing.read_text(encoding="utf-8")):
            target, anchor = href.split("#")
            assert target.startswith("../sources/")
            assert f'id="{anchor}"' in (briefing.parent / target).read_text(encoding="utf-8"), href
            checked += 1
    assert checked
    # tags, regions and status: a page per group (in parts), reached from the index
    for index, folder in (("tags/index.html", "tags"), ("regions.html", "regions"), ("status.html", "status")):
        groups = [p for p in site_links(site, site / index) if p.parent == (site / folder).resolve()]
        assert groups, index
        reached = set()
        for page in groups:
            links = site_links(site, page)
            assert all(p.is_file() for p in links), f"a dangling link on {page.name}"
            reached |= {p for p in links if p in briefings}
        if folder == "status":
            assert reached == briefings, "every briefing is a draft or final"
    # a briefing's tags lead to pages that list it
    briefing = sorted(briefings)[0]
    tag_pages = re.findall(r'<a class="tag" href="([^"]+)"', briefing.read_text(encoding="utf-8"))
    assert tag_pages and all(page.startswith("../tags/tag-") for page in tag_pages)
    for href in tag_pages:
        pages = [(briefing.parent / href).resolve()]
        while pages[-1].name and briefing not in site_links(site, pages[-1]):
            after = re.search(r'href="([^"]+)" rel="next"', pages[-1].read_text(encoding="utf-8"))
            assert after, f"{briefing.name} on no page of {href}"
            pages.append((pages[-1].parent / after.group(1)).resolve())


    # the actors: a page per initial (in parts), every actor on one of them
    actor_pages = [p for p in site_links(site, site / "actors" / "index.html")
                   if p.parent == (site / "actors" / "by-name").resolve()]
    on_pages = set()
    for page in actor_pages:
        links = site_links(site, page)
        assert all(p.is_file() for p in links), f"a dangling link on {page.name}"
        on_pages |= {p for p in links if p.parent == (site / "actors").resolve() and p.name != "index.html"}
    assert on_pages == {(site / "actors" / f"{aid}.html").resolve() for aid in library.actors}
    # an actor named in many briefings lists the newest and says how many there are
    named = max(library.actors, key=lambda aid: sum(aid in b.named_actors() for b in library.briefings.values()))
    page = (site / "actors" / f"{named}.html").read_text(encoding="utf-8")
    listed = page[page.index('<ul class="backlinks">'):]
    assert listed[:listed.index("</ul>")].count("<li>") == 2
    assert re.search(r"The newest 2 of \d+: search for", page)
    # the feed: the newest entries only
    feed = ET.parse(site / "feed.xml").getroot()
    updated = [e.findtext(f"{ATOM}updated") or "" for e in feed.findall(f"{ATOM}entry")]
    assert len(updated) == 10 and updated == sorted(updated, reverse=True)


def test_a_small_library_has_no_archive(built_example: Project) -> None:
    for split in ("archive", "timeline", "sources", "regions", "status", "actors/by-name"):
        assert not (built_example.site / split).exists(), split
    assert "All briefings" not in (built_example.site / "index.html").read_text(encoding="utf-8")
