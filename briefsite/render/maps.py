"""A briefing's locator map and a region's map, in the page's words: the places its timeline
names, numbered in the order the timeline first names them, the gazetteer's other places in
the frame for orientation, the countries named; and beside the map, the same facts as a list
(for a screen reader, and for a reader who wants the names written out).

The basemap around an area is drawn once and kept (`KeptMaps`, saved by the build's store);
what one page puts on it is cheap and drawn with the page."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from babel.core import get_global
from babel.lists import format_list
from markupsafe import Markup, escape

from ..core.catalogues import primary_language
from ..incremental.maps import KeptMaps
from .views import EventDate
from .words import Words, babel_locale

if TYPE_CHECKING:  # the drawing's modules load numpy, shapely and PROJ: only when a page has a map
    from ..maps.draw import Area, BaseLayer, CountryName, DrawnMap, MapPlace


@dataclass
class Numbered:
    """A place of the timeline and the entries (1-based positions) that name it."""

    place: MapPlace
    events: list[tuple[int, str]] = field(default_factory=list)
    """(position in the timeline, its date as shown)."""


def area_of(value: Any) -> Area | None:
    """A briefing's `area` as a key: its codes, or its box's edges."""
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        return tuple(str(code) for code in value) or None
    return (float(value.south), float(value.west), float(value.north), float(value.east))


def layer_key(areas: tuple[Area, ...]) -> str:
    from ..maps.basemap import basemap_digest
    from ..maps.draw import VERSION

    return f"{VERSION}:{basemap_digest()}:{areas!r}"


def layer_for(areas: tuple[Area, ...], kept: KeptMaps) -> BaseLayer | None:
    """The basemap around these areas, drawn once and kept."""
    key = layer_key(areas)
    found = kept.get(key)
    if found is None:
        found = _drawn_here(areas)
        kept.put(key, found)
    return found  # type: ignore[no-any-return]


@functools.lru_cache(maxsize=512)
def _drawn_here(areas: tuple[Area, ...]) -> BaseLayer | None:
    """A basemap drawn in this process: the same areas give the same drawing (its key holds
    all it depends on), so a render with a fresh memory in the same process (a test, the
    version pages) need not draw it again."""
    from ..maps.draw import base_layer

    return base_layer(areas)


def basemaps_released() -> None:
    """Let the basemaps this process loaded go (a map drawn later loads them again)."""
    from ..maps.basemap import basemap

    basemap.cache_clear()


def drawn_layers_forgotten() -> None:
    """Forget the basemaps this process drew (for a measure of drawing them)."""
    _drawn_here.cache_clear()


def drawn_layers(wanted: Sequence[tuple[Area, ...]]) -> dict[str, BaseLayer | None]:
    """Basemaps drawn for these areas, by their keys (in a process of their own, perhaps)."""
    return {layer_key(areas): _drawn_here(areas) for areas in wanted}


def region_areas(lib: Any, bids: Iterable[str]) -> tuple[Area, ...]:
    """The distinct areas of a region's briefings, in a fixed order (one map's key)."""
    return tuple(sorted({a for bid in bids if (a := area_of(lib.briefings[bid].area)) is not None}, key=repr))


@functools.cache
def native_language(country: str | None) -> str | None:
    """The official language of a country most of its people speak (CLDR), if any."""
    if not country:
        return None
    spoken = get_global("territory_languages").get(country, {})
    official = [(info.get("population_percent", 0), lang) for lang, info in spoken.items()
                if info.get("official_status") in ("official", "de_facto_official")]
    return max(official)[1] if official else None


def country_name(code: str, language: str) -> str | None:
    locale = babel_locale(language)
    return locale.territories.get(code) if locale else None


def _name_in(names: dict[str, str], default: str, language: str) -> str:
    return names.get(language) or names.get(primary_language(language)) or default


def place_of(record: Any, key: str, language: str, native: bool, number: int | None = None) -> MapPlace:
    """A gazetteer place in the page's language (and its country's, when the site asks)."""
    from ..maps.draw import MapPlace

    names = dict(record.names)
    name = _name_in(names, record.name, language)
    own = native_language(record.country) if native else None
    own_name = _name_in(names, "", own) if own else ""
    lat, lon = record.point
    return MapPlace(key, name, lat, lon, number, native=own_name if own_name and own_name != name else None,
                    native_lang=own if own_name and own_name != name else None)


def timeline_places(lib: Any, events: Sequence[Any], words: Words, native: bool) -> list[Numbered]:
    """The timeline's places, numbered in the order the timeline first names them."""
    from ..maps.draw import MapPlace

    found: dict[str, Numbered] = {}
    for position, event in enumerate(events, start=1):
        day = EventDate.parse(str(event.date)).label(words)
        named = bool(event.place) and event.place in lib.places
        if not named and event.location is None:
            continue
        key = event.place if named else f"{event.location[0]:.4f},{event.location[1]:.4f}"
        if key not in found:
            n = len(found) + 1  # a point has no name: its first entry's date stands for one
            found[key] = Numbered(place_of(lib.places[key], key, words.language, native, n) if named else
                                  MapPlace(f"point-{n}", day, event.location[0], event.location[1], n))
        found[key].events.append((position, day))
    return list(found.values())


def _linked(entry: Numbered, href: Callable[[int], str], words: Words) -> MapPlace:
    """The place's mark as a link to its first entry in the timeline."""
    p = entry.place
    label = words._("%(number)s: %(place)s, in the timeline", number=p.number, place=p.name)
    return replace(p, href=href(entry.events[0][0]), label=label)


def reference_places(lib: Any, shown: Iterable[str], language: str, native: bool,
                     boxes: Sequence[tuple[float, float, float, float]] = ((-180, -90, 180, 90),)) -> list[MapPlace]:
    """The gazetteer's other places in these boxes of longitude/latitude (a map's frame and a
    margin), for orientation."""
    taken = set(shown)
    return [place_of(record, pid, language, native) for pid, record in lib.places.items()
            if pid not in taken and _in_boxes(record.point, boxes)]


def _in_boxes(point: tuple[float, float], boxes: Sequence[tuple[float, float, float, float]]) -> bool:
    lat, lon = point
    return any(west <= lon <= east and south <= lat <= north for west, south, east, north in boxes)


def country_names(layer: BaseLayer, language: str, native: bool) -> dict[str, CountryName]:
    from ..maps.draw import CountryName

    found = {}
    for anchor in layer.anchors:
        name = (country_name(anchor.code, language) if anchor.code else None) or anchor.name
        own = native_language(anchor.code) if native and anchor.code else None
        own_name = country_name(anchor.code, own) if own and anchor.code else None
        found[anchor.key] = CountryName(name, own_name if own_name != name else None, own if own_name != name else None)
    return found


def briefing_map(lib: Any, b: Any, kept: KeptMaps, words: Words, href: Callable[[int], str],
                 right_to_left_labels: bool = True) -> Markup:
    """The locator map of a briefing that gives an `area`, and its list of places.
    `right_to_left_labels`: False for print, whose typesetter does not join Arabic letters
    inside a drawing: names in right-to-left scripts are then left to the list beside it."""
    area = area_of(b.area)
    layer = layer_for((area,), kept) if area else None
    if layer is None or area is None:
        return Markup("")
    native = bool(lib.site.map_native_names)
    numbered = timeline_places(lib, b.timeline, words, native)
    linked = [_linked(n, href, words) for n in numbered]
    others = reference_places(lib, (n.place.key for n in numbered), words.language, native,
                              layer.frame.lonlat_boxes)
    names = country_names(layer, words.language, native)
    title = _title(area, names, words)
    drawn = _draw(layer, [*linked, *others], names, title, words, right_to_left_labels)
    return _figure(drawn, title, numbered, others, href, words)


def _title(area: Area, names: dict[str, CountryName], words: Words) -> str:
    if area and isinstance(area[0], str):
        shown = [names[c].name if c in names else (country_name(str(c), words.language) or str(c)) for c in area]
        return words._("Map of %(places)s and their neighbours", places=_list(shown, words)) if len(shown) > 1 else \
            words._("Map of %(place)s and its neighbours", place=shown[0])
    return words._("Map of the briefing's area")


@functools.cache
def _right_to_left(language: str | None) -> bool:
    locale = babel_locale(language) if language else None
    return bool(locale and locale.text_direction == "rtl")


def _list(items: list[str], words: Words) -> str:
    locale = babel_locale(words.language)
    return format_list(items, locale=locale or "en")


def _draw(layer: BaseLayer, places: list[MapPlace], names: dict[str, CountryName], title: str,
          words: Words, right_to_left_labels: bool) -> DrawnMap:
    from ..maps.draw import CountryName, draw_map
    from ..maps.frame import nice_distance

    if not right_to_left_labels:
        places = [p if not _right_to_left(p.native_lang) else replace(p, native=None, native_lang=None)
                  for p in places]
        names = {k: n if not _right_to_left(n.native_lang) else CountryName(n.name) for k, n in names.items()}
    neighbours = sorted({names[a.key].name for a in layer.anchors if not a.in_area and a.key in names})
    description = words._("Neighbours shown: %(countries)s.", countries=_list(neighbours, words)) if neighbours else ""
    frame = layer.frame
    km = nice_distance(frame.km_per_pixel() * frame.width * 0.2)
    scale = words._("%(distance)s km", distance=words.number(km))
    return draw_map(layer, places, names, title, description, scale, "Natural Earth")


def _figure(drawn: DrawnMap, title: str, numbered: list[Numbered], others: list[MapPlace],
            href: Callable[[int], str], words: Words) -> Markup:
    outside = {p.key for p in drawn.outside}
    shown = {placed.request.key for placed in drawn.layout.placed}
    items = []
    for entry in numbered:
        dates = ", ".join(f'<a href="{escape(href(pos))}">{escape(day)}</a>' for pos, day in entry.events)
        items.append(f"<li>{_name_html(entry.place)}: {dates}{_outside_note(entry.place, outside, words)}</li>")
    marked = [p for p in others if p.key in shown]
    also_marked = words._("Also marked:")
    also = f"{escape(also_marked)} " + ", ".join(_name_html(p) for p in marked) if marked else ""
    intro = words._("Numbered on the map, with their entries in the timeline:")
    return _figure_html(drawn, title, intro, items, also, words)


def _outside_note(p: MapPlace, outside: set[str], words: Words) -> str:
    if p.key not in outside:
        return ""
    note = words._("outside the map")
    return f' <span class="brief-map-note">({escape(note)})</span>'


def _figure_html(drawn: DrawnMap, title: str, intro: str, items: list[str], also: str, words: Words) -> Markup:
    """The drawing, then its caption: the title, the numbered places, the others marked, the credit."""
    credit = words._("Basemap: Natural Earth (public domain).")
    # the drawing's words are not searched: the list below holds them
    parts = ['<figure class="brief-map-figure">',
             f'<div class="brief-map-drawing" data-pagefind-ignore>{drawn.svg}</div>',
             f'<figcaption><p class="brief-map-title">{escape(title)}</p>']
    if items:
        parts.append(f"<p>{escape(intro)}</p>")
        parts.append('<ol class="brief-map-places">' + "".join(items) + "</ol>")
    if also:
        parts.append(f"<p>{also}</p>")
    parts.append(f'<p class="brief-map-credit">{escape(credit)}</p>')
    parts.append("</figcaption></figure>")
    return Markup("".join(parts))  # noqa: S704 - our SVG, every text escaped


def _name_html(p: MapPlace) -> str:
    native = f' (<bdi lang="{escape(p.native_lang or "")}">{escape(p.native)}</bdi>)' if p.native else ""
    return f"{escape(p.name)}{native}"


REGION_PLACES = 20
"""The places a region's map numbers at most: those its briefings' timelines name most."""
REGION_BRIEFINGS_LISTED = 3
"""Briefings listed for a place under a region's map (then how many more)."""


@dataclass
class Named:
    """A gazetteer place and the timeline entries of a region's briefings that name it."""

    record: Any
    entries: list[tuple[str, int]] = field(default_factory=list)
    """(briefing id, position in its timeline)."""


def region_map(lib: Any, region: str, bids: Sequence[str], kept: KeptMaps, words: Words,
               entry_href: Callable[[str, int], str], right_to_left_labels: bool = True) -> Markup:
    """The map of a region: the areas of its briefings, and the places their timelines name
    most, numbered; beside it, for each place, the briefings that name it."""
    areas = region_areas(lib, bids)
    layer = layer_for(areas, kept) if areas else None
    if layer is None:
        return Markup("")
    native = bool(lib.site.map_native_names)
    named: dict[str, Named] = {}
    for bid in bids:
        for position, event in enumerate(lib.briefings[bid].timeline, start=1):
            if event.place and event.place in lib.places:
                named.setdefault(event.place, Named(lib.places[event.place])).entries.append((bid, position))
    most = sorted(named.items(), key=lambda item: -len({bid for bid, _ in item[1].entries}))[:REGION_PLACES]
    places = []
    for n, (pid, found) in enumerate(most, start=1):
        p = place_of(found.record, pid, words.language, native, n)
        bid, position = found.entries[0]
        label = words._("%(number)s: %(place)s, in a briefing's timeline", number=n, place=p.name)
        places.append(replace(p, href=entry_href(bid, position), label=label))
    names = country_names(layer, words.language, native)
    title = words._("Map of the region %(region)s", region=region)
    drawn = _draw(layer, places, names, title, words, right_to_left_labels)
    items = []
    outside = {p.key for p in drawn.outside}
    for p, (_, found) in zip(places, most, strict=True):
        first: dict[str, int] = {}  # each briefing's first entry naming the place
        for bid, position in found.entries:
            first.setdefault(bid, position)
        links = [f'<a href="{escape(entry_href(bid, pos))}">{escape(lib.briefings[bid].title)}</a>'
                 for bid, pos in list(first.items())[:REGION_BRIEFINGS_LISTED]]
        more = len(first) - REGION_BRIEFINGS_LISTED
        tail = " " + escape(words.ngettext("and %(num)d more", "and %(num)d more", more)) if more > 0 else ""
        items.append(f"<li>{_name_html(p)}: {', '.join(links)}{tail}{_outside_note(p, outside, words)}</li>")
    intro = words._("Numbered on the map, with the briefings whose timelines name them:")
    return _figure_html(drawn, title, intro, items, "", words)
