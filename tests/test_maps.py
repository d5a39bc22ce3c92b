"""Locator maps (briefsite/maps, render/maps.py): the shipped basemap, frames anywhere on the
globe, labels that never overlap, sizes, the example's map on its page and in its PDF, maps
kept by the build's store, and what a browser makes of them."""

from __future__ import annotations

import gzip
import itertools
import random
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from bench.corpus import generate
from briefsite.app import BuildOptions, build
from briefsite.core.project import Project
from briefsite.maps import NOT_DRAWN_ALONE, draw
from briefsite.maps.basemap import FOLDER, basemap, read_packed
from briefsite.maps.draw import MARK_RADIUS, DrawnMap, MapPlace, base_layer, draw_map
from briefsite.maps.labels import Box
from briefsite.read.library import load_library
from briefsite.read.places import known_codes
from briefsite.render import maps
from briefsite.render.words import words_for
from tests import make_basemap
from tests.conftest import copy_project
from tests.test_accessibility import violations
from tests.test_browser import BRIEFING, DESKTOP, PHONE, visit_site

GOLDEN = Path(__file__).parent / "golden_maps"
"""Beside tests/golden (the rendered pages, which `make golden` rewrites whole)."""
SVG = "{http://www.w3.org/2000/svg}"
MAX_SVG, MAX_GZIP = 60_000, 20_000
"""A map's budget: bytes of SVG, and gzipped (as the site is served)."""

CAUCASUS = [
    MapPlace("vardenis", "Vardenis", 40.18, 45.72, 1, "#event-3", "1: Vardenis", "Վարդենիս", "hy"),
    MapPlace("idlib", "Idlib", 35.93, 36.63, 2, "#event-4", "2: Idlib"),
    MapPlace("stepanakert", "Stepanakert", 39.816, 46.752, native="Xankəndi", native_lang="az"),
    MapPlace("shusha", "Shusha", 39.758, 46.748),
    MapPlace("ganja", "Ganja", 40.683, 46.361, native="Gəncə", native_lang="az"),
    MapPlace("baku", "Baku", 40.409, 49.867),
    MapPlace("yerevan", "Yerevan", 40.181, 44.514, native="Երևան", native_lang="hy"),
]


def drawn(areas: list[maps.Area], places: list[MapPlace], language: str = "en") -> DrawnMap:
    layer = base_layer(areas)
    assert layer is not None
    names = maps.country_names(layer, language, native=True)
    return draw_map(layer, places, names, "A map", "Its description.", "100 km", "Natural Earth")


def label_boxes(found: DrawnMap) -> list[Box]:
    return [placed.box for placed in found.layout.placed]


def assert_labels_apart(found: DrawnMap, places: list[MapPlace]) -> None:
    """No two labels overlap, none leaves the drawing, none covers a numbered mark."""
    frame_box = found.svg  # the drawing's size from its root
    root = ET.fromstring(frame_box)
    width, height = float(root.get("width", 0)), float(root.get("height", 0))
    boxes = label_boxes(found)
    for a, b in itertools.combinations(boxes, 2):
        assert not a.overlaps(b), (a, b)
    for box in boxes:
        assert box.within(width, height, margin=0), box
    marks = [circle for circle in root.iter(f"{SVG}circle") if circle.get("class") == "map-mark"]
    for circle in marks:
        x, y = float(circle.get("cx", 0)), float(circle.get("cy", 0))
        mark = Box(x - MARK_RADIUS, y - MARK_RADIUS, x + MARK_RADIUS, y + MARK_RADIUS)
        assert not any(mark.overlaps(box) for box in boxes), (x, y)


# --- the basemap -----------------------------------------------------------------------------

def test_the_shipped_basemap_is_what_the_pinned_natural_earth_packages_give(tmp_path: Path,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(make_basemap, "OUT", tmp_path)
    for name, data in make_basemap.made().items():
        shipped = FOLDER / f"{name}.npz"
        assert make_basemap.write(name, data).read_bytes() == shipped.read_bytes(), name
        found = read_packed(shipped)  # and it reads back as the packages have it
        assert found["points"].tolist() == [point for arc in data["arcs"] for point in arc]
        assert {k: v for k, v in found.items() if k not in ("points", "offsets")} == \
            {k: v for k, v in data.items() if k != "arcs"}


def test_the_codes_the_basemap_cannot_draw_alone_are_the_ones_the_warning_names() -> None:
    assert set(known_codes()) - set(basemap("50m").by_key) == NOT_DRAWN_ALONE


def test_borders_know_their_sides_and_disputed_ones_are_dashed() -> None:
    world = basemap("50m")
    assert any(set(line.sides) == {"AM", "AZ"} and not line.disputed for line in world.borders)
    assert any("XK" in line.sides and line.disputed for line in world.borders)  # Kosovo
    svg = drawn([("RS",)], []).svg
    assert 'class="map-border map-disputed"' in svg and 'stroke-dasharray="40 30"' in svg


# --- frames anywhere -------------------------------------------------------------------------

def test_a_box_across_the_antimeridian_is_centred_on_it_and_shows_both_sides() -> None:
    layer = base_layer([(60.0, 170.0, 70.0, -170.0)])
    assert layer is not None
    assert abs(abs(layer.frame.lon0) - 180) < 1
    keys = {a.key for a in layer.anchors}
    assert "RU" in keys and "US" in keys  # Chukotka and Alaska, on one map
    assert layer.frame.to_pixels  # and it draws:
    assert drawn([(60.0, 170.0, 70.0, -170.0)], []).svg.count('class="map-land"') >= 2


def test_a_box_at_the_pole_and_a_small_box_draw() -> None:
    polar = base_layer([(80.0, -60.0, 89.0, 60.0)])
    assert polar is not None and "map-land" in polar.svg  # Svalbard, Greenland
    town = base_layer([(40.3, 49.7, 40.5, 50.0)])  # around Baku: widened, on the detailed basemap
    assert town is not None and town.frame.scale == "10m" and town.frame.km_per_pixel() < 0.2


def test_a_briefing_on_a_large_country_is_framed_without_its_far_islands() -> None:
    layer = base_layer([("FR",)])
    assert layer is not None
    assert layer.frame.width * layer.frame.km_per_pixel() < 2500  # metropolitan France, not Guiana or Réunion


# --- the drawing -----------------------------------------------------------------------------

def test_the_caucasus_map_is_as_reviewed(request: pytest.FixtureRequest) -> None:
    """The golden SVG of a fixed area and places: a change to how maps are drawn shows here."""
    svg = drawn([("AZ", "AM")], CAUCASUS).svg
    path = GOLDEN / "caucasus.svg"
    if request.config.getoption("--update-golden"):
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(svg + "\n", encoding="utf-8")
    assert svg + "\n" == path.read_text(encoding="utf-8")


def test_the_caucasus_map_names_what_it_shows_and_links_its_numbered_places() -> None:
    found = drawn([("AZ", "AM")], CAUCASUS)
    root = ET.fromstring(found.svg)
    assert root.get("role") == "group" and root.get("aria-label") == "A map"
    assert root.find(f"{SVG}title") is not None and root.find(f"{SVG}desc") is not None
    texts = ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]
    for name in ("Vardenis", "Stepanakert", "Ganja", "Baku", "Yerevan", "Azerbaijan", "Armenia", "Georgia", "Iran"):
        assert any(name in t for t in texts), name
    links = {a.get("href"): a.get("aria-label") for a in root.iter(f"{SVG}a")}
    assert links == {"#event-3": "1: Vardenis"}  # Idlib is outside: listed, not drawn
    assert [p.key for p in found.outside] == ["idlib"]
    native = [t for t in root.iter(f"{SVG}tspan") if t.get("lang") == "az"]
    assert "Xankəndi" in [t.text for t in native]
    assert_labels_apart(found, CAUCASUS)
    assert len(found.svg) < MAX_SVG and len(gzip.compress(found.svg.encode())) < MAX_GZIP


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("corpus") / "data"
    generate(data, 400, seed=5)
    return data


def test_labels_never_overlap_on_100_areas_of_the_synthetic_corpus(corpus: Path) -> None:
    """The corpus's areas (countries, and boxes), each with its gazetteer's places and a
    briefing's numbered places: no label overlaps another or a mark, each map within budget."""
    lib, report = load_library(corpus)
    assert lib is not None, report
    words = words_for("en")
    by_area: dict[maps.Area, list[MapPlace]] = {}
    for b in lib.briefings.values():
        area = maps.area_of(b.area)
        if area is not None and area not in by_area:
            numbered = [n.place for n in maps.timeline_places(lib, b.timeline, words, native=True)]
            by_area[area] = numbered + maps.reference_places(lib, (p.key for p in numbered), "en", native=True)
    areas = random.Random(1).sample(sorted(by_area, key=repr), 100)
    sizes = []
    for area in areas:
        found = drawn([area], by_area[area])
        assert_labels_apart(found, by_area[area])
        assert found.layout.placed, area  # something is named on every map
        sizes.append((len(found.svg), len(gzip.compress(found.svg.encode())), area))
    assert max(sizes)[0] < MAX_SVG, max(sizes)
    assert max(s[1] for s in sizes) < MAX_GZIP


# --- on the site and on paper ----------------------------------------------------------------

def test_the_example_briefing_page_has_its_map_and_its_list_of_places(built_example: Project) -> None:
    html = (built_example.site / BRIEFING).read_text(encoding="utf-8")
    svg = html[html.index('<svg xmlns="http://www.w3.org/2000/svg" class="brief-map"'):]
    svg = svg[:svg.index("</svg>") + 6]
    for name in ("Vardenis", "Stepanakert", "Xankəndi", "Ganja", "Azerbaijan", "Armenia"):
        assert name in svg, name
    assert 'href="#event-3"' in svg and 'id="event-3"' in html  # the mark leads to the 14 October strike
    caption = html[html.index('<ol class="brief-map-places">'):]
    assert "Vardenis" in caption[:caption.index("</ol>")] and "Idlib" in caption[:caption.index("</ol>")]
    assert "(outside the map)" in caption[:caption.index("</ol>")]
    regions = (built_example.site / "regions.html").read_text(encoding="utf-8")
    assert "Map of the region South Caucasus" in regions and 'class="brief-map"' in regions


def test_the_example_pdf_has_the_map_with_its_place_names(built_example: Project) -> None:
    pdf = built_example.site / "pdf" / "russia-options-nagorno-karabakh.pdf"
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    # the drawing's own labels (WeasyPrint writes an SVG's text as text), then its list of places
    for name in ("Vardenis", "Stepanakert", "Xankəndi", "Ganja", "Azerbaijan", "Natural Earth"):
        assert name in text, name
    assert "Map of Azerbaijan and Armenia and their neighbours" in text
    assert "1. Vardenis (Վարդենիս)" in text


def test_a_map_drawn_once_is_kept_by_the_store_for_the_next_build(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    project = copy_project(tmp_path)
    build(project, BuildOptions(quiet=True, pdf=False))
    briefing = project.data / "briefings" / "russia-options-nagorno-karabakh.yaml"
    briefing.write_text(briefing.read_text(encoding="utf-8").replace("Whichever way", "Whichever way, again,"),
                        encoding="utf-8")
    maps._drawn_here.cache_clear()  # not this process's memory: what the store kept in build/

    def not_again(areas: object) -> None:
        raise AssertionError(f"drawn again: {areas}")

    monkeypatch.setattr(draw, "base_layer", not_again)
    build(project, BuildOptions(quiet=True, pdf=False))
    html = (project.site / BRIEFING).read_text(encoding="utf-8")
    assert "Whichever way, again," in html and 'class="brief-map"' in html


# --- in a browser ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def served_example(built_example: Project, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from bench.nginx import nginx_serving

    with nginx_serving({"example": built_example.site}, tmp_path_factory.mktemp("nginx-maps")) as urls:
        yield urls["example"]


# The other two squares (desktop in light, phone in dark) are test_accessibility's, whose
# pages include the briefing and regions pages of the example: axe runs there on both maps.
@pytest.mark.parametrize(("viewport", "scheme"), [(DESKTOP, "dark"), (PHONE, "light")],
                         ids=["desktop-dark", "phone-light"])
def test_the_map_pages_pass_axe_fit_the_screen_and_fetch_nothing_elsewhere(
        browser: Browser, served_example: str, viewport: dict[str, int], scheme: str) -> None:
    for visit in visit_site(browser, served_example, viewport):
        visit.page.emulate_media(color_scheme=scheme)
        for path in (BRIEFING, "regions.html"):
            page = visit.open(path)
            assert violations(page) == [], path
            width = page.evaluate("document.querySelector('svg.brief-map').getBoundingClientRect().width")
            assert 0 < width <= viewport["width"], width
            assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        visit.screenshot(f"map-{viewport['width']}-{scheme}.png")


def test_the_labels_do_not_overlap_in_the_browsers_own_font(browser: Browser, served_example: str) -> None:
    """The widths the labels were placed with are upper bounds of the text the browser draws."""
    for visit in visit_site(browser, served_example, DESKTOP):
        page = visit.open(BRIEFING)
        boxes = page.evaluate("""() => [...document.querySelectorAll('svg.brief-map text.map-label')].map(t => {
            const b = t.getBBox(); return [t.textContent, b.x, b.y, b.x + b.width, b.y + b.height]; })""")
        assert len(boxes) >= 8
        for (a, *ra), (b, *rb) in itertools.combinations(boxes, 2):
            apart = ra[2] <= rb[0] or rb[2] <= ra[0] or ra[3] <= rb[1] or rb[3] <= ra[1]
            assert apart, (a, b)
