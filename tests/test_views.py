"""Analyst views: the timeline across briefings, the indexes by tag, region and status,
the reading aids and the Atom feed."""

from __future__ import annotations

import dataclasses
import html
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from briefsite.core import model as m
from briefsite.core.project import Project
from briefsite.output.engine import configured_site_url
from briefsite.read.library import load_library
from briefsite.render.feed import atom_feed
from briefsite.render.pages import render_pages
from briefsite.render.views import (
    ACTOR_GRAPH_MAX_POINTING,
    EventDate,
    anchor_for,
    by_region,
    by_tag,
    plain_with_titles,
    timeline,
)
from tests.conftest import REPO, copy_project

ATOM = "{http://www.w3.org/2005/Atom}"
EXAMPLE = "russia-options-nagorno-karabakh"

SECOND = """\
title: Draft on the ceasefire
date: 2020-11-12
status: draft
authors: [Second analyst, Third analyst]
tags: ["Russia", "peace {: onclick=x} <b>", "мир"]
summary: "The ceasefire of [[putin]] holds [@mt-options]."
timeline:
  - date: 2020-11-10
    event: Ceasefire signed.
    actors: [putin, aliyev]
  - date: "2020-11"
    event: Sometime in November.
  - date: 2020
    event: Sometime in 2020.
  - date: 2019-12-31
    event: The year before.
  - date: 2020-10-01
    event: The first of October.
updates:
  - date: 2020-11-20
    note: Second pass
  - date: 2020-11-14
    note: First pass
"""


@pytest.fixture(scope="module")
def two_briefings(tmp_path_factory: pytest.TempPathFactory) -> Project:
    project = copy_project(tmp_path_factory.mktemp("views"))
    (project.data / "briefings" / "ceasefire.yaml").write_text(SECOND, encoding="utf-8")
    return project


@pytest.fixture(scope="module")
def library(two_briefings: Project) -> m.Library:
    library, report = load_library(two_briefings.data)
    assert library is not None, [p.format() for p in report.errors]
    return library


@pytest.fixture(scope="module")
def pages(library: m.Library) -> dict[str, str]:
    return render_pages(library, REPO / "templates")


# --- dates and the timeline ------------------------------------------------------------

def test_partial_dates_sort_before_the_days_of_their_month_and_year() -> None:
    dates = ["2020-10-14", "2020-10", "2020", "2019-12-31", "2020-10-01", "2020-11", "2021"]
    assert sorted(dates, key=EventDate.parse) == ["2019-12-31", "2020", "2020-10", "2020-10-01", "2020-10-14",
                                                  "2020-11", "2021"]
    assert EventDate.parse("2020-10").label() == "Oct 2020" and EventDate.parse("2020-10").iso == "2020-10"
    assert EventDate.parse("2020-10-04").label() == "4 Oct 2020" and EventDate.parse("2020").label() == "2020"
    assert [EventDate.parse(d).precision for d in ("2020", "2020-01", "2020-01-02")] == ["year", "month", "day"]


def test_timeline_groups_every_briefing_by_year_and_month(library: m.Library) -> None:
    years = timeline(library)
    assert [y.year for y in years] == [2019, 2020]
    months = [(mg.label, [it.date.iso for it in mg.items]) for mg in years[1].months]
    assert months[0] == ("2020, month not known", ["2020"])
    assert months[1][0] == "October 2020"
    assert months[1][1][:2] == ["2020-10", "2020-10"] and months[1][1][2] == "2020-10-01"
    assert months[2] == ("November 2020", ["2020-11", "2020-11-10"])
    assert sum(y.count for y in years) == 6 + 5


def test_timeline_page_links_events_to_briefings_and_actors(pages: dict[str, str]) -> None:
    page = pages["timeline.md"]
    assert "## 2019 {#y2019}" in page and "### October 2020 {#y2020-10}" in page
    assert page.index("The year before") < page.index("Sometime in 2020") < page.index("Days before the Erdogan") \
        < page.index("The first of October") < page.index("Sometime in November") < page.index("Ceasefire signed")
    item = page[page.index("Ceasefire signed"):].split("</li>")[0]
    assert 'href="briefings/ceasefire.html"' in item
    assert 'href="actors/putin.html"' in item and 'href="actors/aliyev.html"' in item
    assert '<time class="vt-date" datetime="2020-11">Nov 2020</time>' in page
    assert 'id="source-mt-options"' in page  # the events' sources are footnotes of the page


def test_briefing_timeline_is_a_vertical_timeline(pages: dict[str, str]) -> None:
    page = pages[f"briefings/{EXAMPLE}.md"]
    section = page[page.index("## Timeline"):page.index("## Scenarios")]
    assert '<ol class="vtimeline">' in section and "<table" not in section
    assert section.count('<li class="vt-item') == 6
    # each entry with its position's id, which the map's numbers link to
    assert '<li class="vt-item vt-month" id="event-1">' in section
    assert '<li class="vt-item vt-day" id="event-3">' in section
    assert 'href="../timeline.html"' in section


# --- indexes ---------------------------------------------------------------------------

def test_slugs_keep_letters_of_any_script() -> None:
    assert anchor_for("Nagorno Karabakh!", "tag") == "tag-nagorno-karabakh"
    assert anchor_for("мир", "tag") == "tag-мир"
    assert anchor_for("{}<>", "tag") == "tag"


def test_tags_are_listed_with_unique_anchors(library: m.Library) -> None:
    groups = by_tag(library)
    names = [g.name for g in groups]
    assert names == sorted(names, key=str.casefold)
    assert len({g.anchor for g in groups}) == len(groups)
    russia = [g for g in groups if g.name.casefold() == "russia"]
    assert len(russia) == 2 and {g.anchor for g in russia} == {"tag-russia", "tag-russia-2"}


def test_briefing_tags_link_to_their_anchor_on_the_tags_page(pages: dict[str, str]) -> None:
    tags_page = pages["tags/index.md"]
    page = pages["briefings/ceasefire.md"]
    links = re.findall(r'<a class="tag" href="../tags/index.html#([^"]+)">', page)
    assert len(links) == 3
    for anchor in links:
        assert f"{{#{anchor}}}" in tags_page
    # a tag's text is never markup or an attribute list on the heading
    assert r"## peace \{: onclick=x\} &lt;b&gt; {#tag-peace-onclick-x-b}" in tags_page


def test_regions_and_status_pages(pages: dict[str, str]) -> None:
    regions = pages["regions.md"]
    assert "## South Caucasus {#region-south-caucasus}" in regions
    assert regions.index("South Caucasus") < regions.index("## No region given")
    assert "briefings/ceasefire.html" in regions.split("## No region given")[1]
    status = pages["status.md"]
    drafts, final = status.split("## Final")
    assert "briefings/ceasefire.html" in drafts and EXAMPLE not in drafts
    assert f"briefings/{EXAMPLE}.html" in final


def test_actor_index_counts_briefings(pages: dict[str, str]) -> None:
    rows = {m.group(1): int(m.group(2)) for m in re.finditer(
        r'<a href="([a-z-]+)\.html">[^<]*</a>.*?<td class="count">(\d+)</td>', pages["actors/index.md"])}
    assert rows["putin"] == 2 and rows["aliyev"] == 2 and rows["kadyrov"] == 1


def test_graphs_on_briefing_and_actor_pages(pages: dict[str, str]) -> None:
    briefing = pages[f"briefings/{EXAMPLE}.md"]
    assert briefing.count('<figure class="relation-graph">') == 1
    start = briefing.index('<figure class="relation-graph">')
    figure = briefing[start:briefing.index("</figure>", start)]
    assert "\n\n" not in figure  # one HTML block for Markdown
    assert 'xlink:href="../actors/putin.html"' in figure and '<ul class="graph-key">' in figure
    chechnya = pages["actors/chechnya.md"]  # no relations of its own; Kadyrov leads it
    assert "## Relations" in chechnya and 'xlink:href="kadyrov.html"' in chechnya
    ceasefire = pages["briefings/ceasefire.md"]  # no actors section: no graph
    assert "relation-graph" not in ceasefire


def test_an_actor_many_others_relate_to_draws_some_and_lists_the_rest(tmp_path: Path) -> None:
    """A great power half the library relates to: its graph stays readable (and its layout
    fast), and every relation to it is still on its page."""
    project = copy_project(tmp_path / "project")
    others = [f"rival-{n:02}" for n in range(ACTOR_GRAPH_MAX_POINTING + 6)]
    for aid in others:
        (project.data / "actors" / f"{aid}.yaml").write_text(
            f"name: Rival {aid[-2:]}\nkind: person\nrelations:\n  - actor: putin\n    type: rival\n", encoding="utf-8")
    library, report = load_library(project.data)
    assert library is not None, [p.format() for p in report.errors]
    page = render_pages(library, REPO / "templates")["actors/putin.md"]
    figure = page[page.index('<figure class="relation-graph">'):page.index("</figure>")]
    drawn = [aid for aid in others if f'xlink:href="{aid}.html"' in figure]
    pointing = len(re.findall(r"^  - actor: putin$", "".join(
        f.read_text(encoding="utf-8") for f in (project.data / "actors").glob("*.yaml")), re.M))
    assert f"the first {ACTOR_GRAPH_MAX_POINTING} of {pointing} others pointing at it" in figure
    listed = page[page.index('<p class="graph-more">'):]
    listed = listed[:listed.index("</p>")]
    assert listed.startswith('<p class="graph-more">Also pointing at Vladimir Putin, not drawn: ')
    assert listed.count("<a href=") == pointing - ACTOR_GRAPH_MAX_POINTING
    assert sorted(drawn + re.findall(r'href="(rival-\d+)\.html"', listed)) == others, "each drawn or listed"
    assert "(rival)" in listed


def test_badges_link_to_the_reading_aids(pages: dict[str, str]) -> None:
    page = pages[f"briefings/{EXAMPLE}.md"]
    assert '<a class="badge-link" href="../legend.html#likelihood"><span class="badge likelihood' in page
    assert '<a class="badge-link" href="../legend.html#confidence"><span class="badge confidence' in page
    legend = pages["legend.md"]
    for anchor in ("likelihood", "confidence", "source-grading"):
        assert f"{{#{anchor}}}" in legend
    for term, rng in m.LIKELIHOOD_RANGES.items():
        assert f'<tr id="likelihood-{term}">' in legend and rng in legend
    assert "ICD 203" in legend and "Admiralty" in legend
    assert "Usually reliable" in legend and "Possibly true" in legend


# --- the Atom feed ---------------------------------------------------------------------

RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


def check_atom(xml: str) -> ET.Element:
    """Well-formed, and every element RFC 4287 requires is there (section 4.1)."""
    feed = ET.fromstring(xml.encode("utf-8"))
    assert feed.tag == f"{ATOM}feed"
    for tag in ("id", "title", "updated"):
        assert len(feed.findall(f"{ATOM}{tag}")) == 1, tag
    assert RFC3339.match(feed.findtext(f"{ATOM}updated", ""))
    feed_author = feed.find(f"{ATOM}author/{ATOM}name")
    entries = feed.findall(f"{ATOM}entry")
    for entry in entries:
        for tag in ("id", "title", "updated"):
            assert len(entry.findall(f"{ATOM}{tag}")) == 1, tag
        assert RFC3339.match(entry.findtext(f"{ATOM}updated", ""))
        assert feed_author is not None or entry.find(f"{ATOM}author/{ATOM}name") is not None
        alternates = [link for link in entry.findall(f"{ATOM}link") if link.get("rel", "alternate") == "alternate"]
        assert len(alternates) == 1 and alternates[0].get("href")
        assert entry.find(f"{ATOM}content") is not None or entry.find(f"{ATOM}summary") is not None
    ids = [feed.findtext(f"{ATOM}id")] + [e.findtext(f"{ATOM}id") for e in entries]
    assert len(set(ids)) == len(ids)
    return feed


def test_feed_is_valid_atom_with_relative_links(library: m.Library, pages: dict[str, str]) -> None:
    feed = check_atom(pages["feed.xml"])
    assert pages["feed.xml"] == atom_feed(library)
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == [
        "[Draft] Draft on the ceasefire", "Russia's options in Nagorno-Karabakh range from bad to worse"]
    first = entries[0]
    assert first.findtext(f"{ATOM}updated") == "2020-11-20T00:00:00Z"  # the latest change-log date
    assert first.findtext(f"{ATOM}published") == "2020-11-12T00:00:00Z"
    assert feed.findtext(f"{ATOM}updated") == "2020-11-20T00:00:00Z"
    assert first.find(f"{ATOM}link").get("href") == "briefings/ceasefire.html"
    assert [a.findtext(f"{ATOM}name") for a in first.findall(f"{ATOM}author")] == ["Second analyst",
                                                                                   "Third analyst"]
    summary = first.find(f"{ATOM}summary")
    assert summary.get("type") == "text"
    assert summary.text == "The ceasefire of Vladimir Putin holds."  # links by title, no citation marks
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == "feed.xml"


def test_feed_links_are_absolute_with_a_site_url(library: m.Library) -> None:
    feed = check_atom(atom_feed(library, "https://briefs.example.org/watch/"))
    hrefs = [link.get("href") for link in feed.iter(f"{ATOM}link")]
    assert hrefs and all(h.startswith("https://briefs.example.org/watch/") for h in hrefs)
    assert "https://briefs.example.org/watch/briefings/ceasefire.html" in hrefs
    # ids do not depend on where the site is served
    relative = ET.fromstring(atom_feed(library))
    assert [e.text for e in feed.iter(f"{ATOM}id")] == [e.text for e in relative.iter(f"{ATOM}id")]


def test_feed_of_an_empty_library_is_still_valid(library: m.Library) -> None:
    from dataclasses import replace

    feed = check_atom(atom_feed(replace(library, briefings={})))
    assert feed.find(f"{ATOM}author/{ATOM}name") is not None and not feed.findall(f"{ATOM}entry")


def test_feed_escapes_hostile_text(library: m.Library) -> None:
    from dataclasses import replace

    hostile = 'Title <script>alert(1)</script> & "quotes" \x01 ]]>'
    b = library.briefings["ceasefire"].model_copy(update={"title": hostile, "tags": ["<x>&"]})
    xml = atom_feed(replace(library, briefings={"ceasefire": b}))
    feed = check_atom(xml)
    assert feed.find(f"{ATOM}entry/{ATOM}title").text == "[Draft] " + hostile.replace("\x01", "")
    assert "<script>" not in xml


@pytest.mark.parametrize(("settings", "url"), [
    ("site_name: x\n", None),
    ("site_name: x\nsite_url: https://example.org/briefs\n", "https://example.org/briefs/"),
    ("site_url: !ENV [SITE_URL, 'https://a.example/']\nsite_name: x\n", "https://a.example/"),
    ("site_url: !ENV [SITE_URL]\nsite_name: x\n", None),
    ("site_url: javascript:alert(1)\n", None),
    ("site_url: [unclosed\n", None),
    ("markdown_extensions:\n  - pymdownx.emoji:\n      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
     "site_url: http://example.org/\n", "http://example.org/"),
])
def test_site_url_comes_from_the_settings(tmp_path: Path, settings: str, url: str | None,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SITE_URL", raising=False)
    config = tmp_path / "mkdocs.yml"
    config.write_text(settings, encoding="utf-8")
    assert configured_site_url(Project.at(config)) == url


# --- the built site --------------------------------------------------------------------

@pytest.mark.slow
def test_built_site_has_the_views_and_the_feed(built_example: Project) -> None:
    site = built_example.site
    for page in ("timeline.html", "tags/index.html", "regions.html", "status.html", "legend.html"):
        assert (site / page).is_file(), page
    check_atom((site / "feed.xml").read_text(encoding="utf-8"))
    home = (site / "index.html").read_text(encoding="utf-8")
    assert 'href="feed.xml"' in home
    assert "Browse" in home
    nav = (site / "timeline.html").read_text(encoding="utf-8")  # the section's pages show in its nav
    for label, page in (("Tags", "tags/index.html"), ("Regions", "regions.html"), ("By status", "status.html"),
                        ("How to read a briefing", "legend.html")):
        assert re.search(rf'href="{re.escape(page)}"[^>]*>\s*(<[^>]+>\s*)*{label}', nav), label
    briefing = (site / "briefings" / f"{EXAMPLE}.html").read_text(encoding="utf-8")
    assert "stylesheets/views.css" in briefing
    svg = briefing[briefing.index('<svg role="group"'):]
    svg = svg[:svg.index("</svg>") + 6]
    assert "style=" not in svg and "<script" not in svg
    for href in re.findall(r'xlink:href="([^"]+)"', svg):
        assert (site / "briefings" / href).resolve().is_file(), href


def test_a_bottom_line_shows_the_names_of_what_it_links(library: m.Library) -> None:
    """Lists and the PDF's cover show a briefing's first sentence with its links as names (never
    raw ids), and "(unpublished)" for what the site does not hold."""
    from briefsite.render.print_html import PrintRenderer

    bid, b = next(iter(library.briefings.items()))
    linked = b.model_copy(update={
        "summary": "[[putin]] weighs the [[kazan-formula]] with [[turkey|Ankara]] and [[nowhere]]. Then more."})
    lib = dataclasses.replace(library, briefings={**library.briefings, bid: linked})
    said = "Vladimir Putin weighs the Kazan formula with Ankara and (unpublished)."
    pages = render_pages(lib, REPO / "templates")
    for page in ("index.md", "status.md", "tags/index.md", "regions.md"):
        assert said in html.unescape(pages[page]), page
        assert "putin weighs" not in pages[page]
    job = PrintRenderer(lib, REPO / "templates").briefing(bid)
    assert f'<p class="cover-lede">{html.escape(said)}</p>' in job.html
    assert "kazan-formula" not in job.html.split('class="cover-lede"')[1].split("</p>")[0]


def test_a_region_named_none_keeps_an_anchor_of_its_own(library: m.Library) -> None:
    (bid, b), (other, o) = list(library.briefings.items())[:2]
    lib = dataclasses.replace(library, briefings={bid: b.model_copy(update={"region": "None"}),
                                                  other: o.model_copy(update={"region": None})})
    anchors = {g.name: g.anchor for g in by_region(lib)}
    assert anchors == {"None": "region-none-2", "No region given": "region-none"}


def test_the_feed_says_unpublished_never_an_id_and_publishes_at_the_first_issue(library: m.Library) -> None:
    bid, b = next(iter(library.briefings.items()))
    update = m.Update(date=b.date, note="Withheld: see [[secret-briefing]].")
    first = m.Update(date=b.date.replace(year=b.date.year - 1), note="First issue.")
    lib = dataclasses.replace(library, briefings={bid: b.model_copy(update={"updates": [update, first]})})
    feed = ET.fromstring(atom_feed(lib))
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entry = next(e for e in feed.findall("a:entry", ns) if e.find("a:link", ns).get("href") == f"briefings/{bid}.html")
    assert entry.findtext("a:published", "", ns).startswith(first.date.isoformat())
    assert plain_with_titles(lib, update.note) == "Withheld: see (unpublished)."
