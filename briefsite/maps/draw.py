"""A locator map as SVG: the basemap in a frame (drawn once per area and kept: `BaseLayer`),
then what one page puts on it (`draw_map`): its places, numbered when the page lists them,
the countries' names, a scale bar.

Colours are presentation attributes, which print uses as they are; the site's stylesheet
recolours the classes for its dark scheme (a rule beats an attribute). No style attribute or
element: the site's Content-Security-Policy refuses inline styles."""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from .basemap import Country, basemap
from .frame import Frame, box_outline, codes_outline, frame_around, nice_distance
from .labels import Box, Layout, Placed, Request, mark_box, place, text_width

VERSION = "1"
"""Part of every kept map's key: a change to how maps are drawn gives new keys."""
SIMPLIFY_PX = (0.8, 1.2, 1.8, 2.7)
"""Detail finer than this (in pixels) is left out of the shapes: the first that fits the budget."""
LAYER_BUDGET = 48_000
"""Bytes of SVG for the basemap, leaving room under the map's 60 KB for its places and labels."""
SMALLEST_PX2 = 2.0
"""Islands and lakes smaller than this (square pixels) are left out."""
MARK_RADIUS, DOT_RADIUS = 8.0, 3.5
PLACE_SIZE, COUNTRY_SIZE, AREA_SIZE, SMALL_SIZE = 12.0, 12.0, 14.0, 10.0
COLOURS = {"sea": "#d4e3ee", "land": "#f4f2ec", "area": "#e8dcc0", "water": "#d4e3ee", "border": "#6e6a64",
           "text": "#1f2328", "muted": "#4a5058", "mark": "#a8261b", "number": "#ffffff", "dot": "#1f2328"}


@dataclass(frozen=True)
class Anchor:
    """Where a country's name goes, in pixels: the middle of its largest visible part."""

    key: str
    code: str | None
    name: str
    x: float
    y: float
    in_area: bool
    room: float
    """The radius of the largest circle inside its visible part (a name wider than the
    country is still written, if nothing else is in its way)."""


@dataclass(frozen=True)
class BaseLayer:
    frame: Frame
    svg: str
    anchors: tuple[Anchor, ...]


@dataclass(frozen=True)
class MapPlace:
    """A place on a map, in the page's words."""

    key: str
    name: str
    lat: float
    lon: float
    number: int | None = None
    """Its number in the page's list (and on its mark), None for a place shown for orientation."""
    href: str | None = None
    """Where its mark links to (its first timeline entry)."""
    label: str = ""
    """What its mark says to assistive technology."""
    native: str | None = None
    native_lang: str | None = None


Area = tuple[str, ...] | tuple[float, float, float, float]
"""Country codes, or a box (south, west, north, east)."""


def codes_of(area: Area) -> list[str]:
    return [str(code) for code in area] if area and isinstance(area[0], str) else []


def frame_for(areas: Sequence[Area]) -> Frame | None:
    """The frame around one or more areas (None when the basemap knows none of their countries)."""
    outlines = []
    for area in areas:
        if codes_of(area):
            found = codes_outline(codes_of(area))
            if found is not None:
                outlines.append(found)
        else:
            south, west, north, east = (float(v) for v in area)
            outlines.append(box_outline(south, west, north, east))
    return frame_around(np.concatenate(outlines)) if outlines else None


def base_layer(areas: Sequence[Area]) -> BaseLayer | None:
    """The basemap around one or more areas (a briefing's, a region's briefings'), with where
    each country's name would go; the areas' countries stand out. Simplified more when the
    detail would not fit the map's budget (a frame over half a continent)."""
    frame = frame_for(areas)
    if frame is None:
        return None
    world = basemap(frame.scale)
    codes = {code for area in areas for code in codes_of(area)}
    query = shapely.union_all([shapely.box(*box) for box in frame.lonlat_boxes])
    found = world.countries_in(query)
    countries = list(zip(found, frame.geometries([c.shape for c in found]), strict=True))
    lakes = frame.geometries(world.lakes_in(query))
    lines = world.borders_in(query)
    borders = list(zip([b.disputed for b in lines], frame.geometries([b.shape for b in lines]), strict=True))
    for tolerance in SIMPLIFY_PX:
        svg, anchors = _layer_svg(frame, codes, countries, lakes, borders, tolerance)
        if len(svg) <= LAYER_BUDGET:
            break
    return BaseLayer(frame, svg, anchors)


def _layer_svg(frame: Frame, codes: set[str], countries: list[tuple[Country, BaseGeometry]],
               lakes: list[BaseGeometry], borders: list[tuple[bool, BaseGeometry]],
               tolerance: float) -> tuple[str, tuple[Anchor, ...]]:
    parts = [f'<rect class="map-sea" width="{frame.width}" height="{frame.height}" fill="{COLOURS["sea"]}"/>',
             '<g transform="scale(0.1)">']
    anchors = []
    for country, projected in countries:
        shape = _simplified(projected, tolerance)
        if shape.is_empty:
            continue
        kind = "area" if country.key in codes else "land"
        parts.append(f'<path class="map-{kind}" fill="{COLOURS[kind]}" d="{_path(shape)}"/>')
        anchor = _anchor(shape)
        if anchor is not None:
            x, y, room = anchor
            anchors.append(Anchor(country.key, country.code, country.name, x, y, kind == "area", room))
    water = [drawn for lake in lakes if not (drawn := _simplified(lake, tolerance)).is_empty]
    if water:
        parts.append(f'<path class="map-water" fill="{COLOURS["water"]}" d="' + " ".join(map(_path, water)) + '"/>')
    for dashed in (False, True):
        lines = [_simplified(line, tolerance, polygon=False) for disputed, line in borders if disputed == dashed]
        d = " ".join(_path(line) for line in lines if not line.is_empty)
        if d:
            dash = ' stroke-dasharray="40 30"' if dashed else ""
            kind = "map-border map-disputed" if dashed else "map-border"
            parts.append(f'<path class="{kind}" fill="none" stroke="{COLOURS["border"]}" stroke-width="8"'
                         f'{dash} d="{d}"/>')
    parts.append("</g>")
    return "".join(parts), tuple(anchors)


def _simplified(projected: BaseGeometry, tolerance: float, polygon: bool = True) -> BaseGeometry:
    found = shapely.simplify(projected, tolerance, preserve_topology=False)  # mended below when it must be
    if polygon:
        found = found if found.is_valid else shapely.make_valid(found)
        parts = [p for p in shapely.get_parts(found) if p.geom_type == "Polygon" and p.area >= SMALLEST_PX2]
        return shapely.MultiPolygon(parts) if parts else shapely.Polygon()
    parts = [p for p in shapely.get_parts(found) if p.geom_type == "LineString" and p.length > 0]
    return shapely.MultiLineString(parts) if parts else shapely.LineString()


def _anchor(shape: BaseGeometry) -> tuple[float, float, float] | None:
    largest = max(shapely.get_parts(shape), key=lambda p: p.area)
    if largest.area < 40:
        return None
    radius = shapely.maximum_inscribed_circle(largest, tolerance=1.0)  # from the middle to the nearest edge
    (x, y), _ = shapely.get_coordinates(radius)
    return round(float(x), 1), round(float(y), 1), float(shapely.length(radius))


def _path(shape: BaseGeometry) -> str:
    """SVG path data in tenths of a pixel (the layer is drawn at scale 0.1): whole numbers,
    relative moves."""
    out = []
    for part in shapely.get_parts(shape):
        rings = [part.exterior, *part.interiors] if part.geom_type == "Polygon" else [part]
        for ring in rings:
            coords = np.round(np.asarray(ring.coords)[:, :2] * 10).astype(np.int64)
            closed = ring.geom_type == "LinearRing"
            if closed:
                coords = coords[:-1]
            steps = np.diff(coords, axis=0)
            steps = steps[np.any(steps != 0, axis=1)]
            moves = "l" + " ".join(map(str, steps.ravel().tolist())) if len(steps) else ""
            out.append(f"M{coords[0][0]} {coords[0][1]}{moves}" + ("z" if closed else ""))
    return "".join(out)


@dataclass(frozen=True)
class CountryName:
    name: str
    native: str | None = None
    native_lang: str | None = None


@dataclass(frozen=True)
class DrawnMap:
    svg: str
    layout: Layout
    outside: tuple[MapPlace, ...]
    """Places of the page that fall outside the frame."""
    scale_km: float


def draw_map(layer: BaseLayer, places: Sequence[MapPlace], names: dict[str, CountryName], title: str,
             description: str, scale_label: str, attribution: str) -> DrawnMap:
    """The map of one page: the base layer, the places' marks, the labels that fit."""
    frame = layer.frame
    numbered: list[tuple[MapPlace, float, float]] = []
    others: list[tuple[MapPlace, float, float]] = []
    outside: list[MapPlace] = []
    xs, ys = frame.to_pixels(np.array([p.lon for p in places], dtype=float),
                             np.array([p.lat for p in places], dtype=float))  # all at once: one call to PROJ
    for p, x, y in zip(places, xs.tolist(), ys.tolist(), strict=True):
        if not frame.inside(x, y, margin=MARK_RADIUS):
            if p.number is not None:
                outside.append(p)
            continue
        (numbered if p.number is not None else others).append((p, x, y))
    obstacles = [mark_box(x, y, MARK_RADIUS) for _, x, y in numbered]
    dots = []
    for p, x, y in others:
        box = mark_box(x, y, DOT_RADIUS)
        if not any(box.overlaps(o) for o in obstacles):
            obstacles.append(box)
            dots.append((p, x, y))
    bar_km = nice_distance(frame.km_per_pixel() * frame.width * 0.2)
    bar_px = bar_km / frame.km_per_pixel()
    scale_text = scale_label
    bar_box = Box(8, frame.height - 30, 12 + max(bar_px, text_width(scale_text, SMALL_SIZE)), frame.height - 4)
    credit_w = text_width(attribution, SMALL_SIZE - 1)
    credit_box = Box(frame.width - credit_w - 8, frame.height - 18, frame.width - 2, frame.height - 2)
    obstacles += [bar_box, credit_box]
    requests = [_place_request(p, x, y, MARK_RADIUS) for p, x, y in numbered]
    requests += [_country_request(a, names, AREA_SIZE) for a in layer.anchors if a.in_area]
    requests += [_place_request(p, x, y, DOT_RADIUS) for p, x, y in dots]
    neighbours = sorted((a for a in layer.anchors if not a.in_area), key=lambda a: -a.room)
    requests += [_country_request(a, names, COUNTRY_SIZE) for a in neighbours]
    layout = place(requests, obstacles, frame.width, frame.height)
    parts = [layer.svg]
    parts += [_dot(x, y) for _, x, y in dots]
    parts += [_mark(p, x, y) for p, x, y in numbered]
    parts += [_label(placed) for placed in layout.placed]
    parts.append(_scale_bar(frame.height, bar_px, scale_text))
    parts.append(f'<text class="map-credit" x="{frame.width - 6}" y="{frame.height - 6}" text-anchor="end" '
                 f'font-size="{SMALL_SIZE - 1:g}" fill="{COLOURS["muted"]}">{html.escape(attribution)}</text>')
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" class="brief-map" viewBox="0 0 {frame.width} {frame.height}" '
            f'width="{frame.width}" height="{frame.height}" role="group" aria-label="{html.escape(title)}" '
            f'font-family="sans-serif"><title>{html.escape(title)}</title><desc>{html.escape(description)}</desc>')
    return DrawnMap(head + "".join(parts) + "</svg>", layout, tuple(outside), bar_km)


def _place_request(p: MapPlace, x: float, y: float, gap: float) -> Request:
    lines = (p.name,) if not p.native or p.native == p.name else (p.name, p.native)
    return Request(lines, x, y, PLACE_SIZE, gap, "place", p.key, (None, p.native_lang))


def _country_request(a: Anchor, names: dict[str, CountryName], size: float) -> Request:
    shown = names.get(a.key) or CountryName(a.name)
    lines = (shown.name,) if not shown.native or shown.native == shown.name else (shown.name, shown.native)
    return Request(lines, a.x, a.y, size, 0, "area" if size == AREA_SIZE else "country", a.key,
                   (None, shown.native_lang))


def _dot(x: float, y: float) -> str:
    return f'<circle class="map-dot" cx="{x:.1f}" cy="{y:.1f}" r="{DOT_RADIUS:g}" fill="{COLOURS["dot"]}"/>'


def _mark(p: MapPlace, x: float, y: float) -> str:
    mark = (f'<circle class="map-mark" cx="{x:.1f}" cy="{y:.1f}" r="{MARK_RADIUS:g}" fill="{COLOURS["mark"]}"/>'
            f'<text class="map-number" x="{x:.1f}" y="{y + 3.8:.1f}" text-anchor="middle" font-size="11" '
            f'font-weight="bold" fill="{COLOURS["number"]}" aria-hidden="true">{p.number}</text>')
    if not p.href:
        return mark
    return f'<a href="{html.escape(p.href)}" aria-label="{html.escape(p.label or p.name)}">{mark}</a>'


def _label(placed: Placed) -> str:
    r = placed.request
    kind = {"place": "map-label", "area": "map-label map-area-label", "country": "map-label map-country-label"}[r.kind]
    weight = ' font-weight="bold"' if r.kind == "area" else ""
    fill = COLOURS["text"] if r.kind != "country" else COLOURS["muted"]
    spans = []
    for n, line in enumerate(r.lines):
        lang = r.langs[n] if n < len(r.langs) else None
        attrs = f' lang="{html.escape(lang)}"' if lang else ""
        dy = "" if n == 0 else f' dy="{r.size * 1.2:g}"'
        spans.append(f'<tspan x="{placed.x:.1f}"{dy}{attrs}>{html.escape(line)}</tspan>')
    return (f'<text class="{kind}" x="{placed.x:.1f}" y="{placed.baseline:.1f}" text-anchor="{placed.anchor}" '
            f'font-size="{r.size:g}"{weight} fill="{fill}">{"".join(spans)}</text>')


def _scale_bar(height: int, length: float, label: str) -> str:
    y = height - 12
    return (f'<g class="map-scale"><path d="M10 {y - 4}v4h{length:.1f}v-4" fill="none" stroke="{COLOURS["text"]}" '
            f'stroke-width="1.2"/><text x="10" y="{y - 7}" font-size="{SMALL_SIZE:g}" fill="{COLOURS["text"]}">'
            f'{html.escape(label)}</text></g>')
