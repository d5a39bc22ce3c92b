"""The basemap shipped with the package: Natural Earth's countries at 1:110m, 1:50m and 1:10m and its
lakes at 1:50m (public domain), as TopoJSON arcs (made by tests/make_basemap.py).

Read once per process and scale. A country is a shapely geometry in longitude/latitude; a
border is an arc two countries share (drawn once), with the codes on either side."""

from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from shapely import STRtree
from shapely.geometry.base import BaseGeometry

FOLDER = Path(__file__).resolve().parent / "basemap"
SCALES = ("110m", "50m", "10m")

DISPUTED = frozenset({"XK", "EH", "N. Cyprus", "Somaliland", "Siachen Glacier"})
"""Areas whose status Natural Earth's default view marks as disputed or breakaway (by code,
or by Natural Earth's name where it gives none): their boundaries are drawn dashed."""


@dataclass(frozen=True)
class Country:
    key: str
    """Its ISO 3166-1 alpha-2 code, or Natural Earth's name when it has none."""
    code: str | None
    name: str
    """Natural Earth's short English name (shown only when CLDR has no name for the code)."""
    shape: BaseGeometry


@dataclass(frozen=True)
class Line:
    """An arc of the basemap: a border between two countries, or a coast."""

    shape: BaseGeometry
    sides: tuple[str, ...]

    @property
    def disputed(self) -> bool:
        return any(side in DISPUTED for side in self.sides)


class Basemap:
    """One scale of the basemap, with indexes to find what lies in a box of longitude/latitude."""

    def __init__(self, countries: list[Country], borders: list[Line], lakes: list[BaseGeometry]) -> None:
        self.countries = countries
        self.by_key = {c.key: c for c in countries}
        self.borders = borders
        self.lakes = lakes
        self._countries = STRtree([c.shape for c in countries])
        self._borders = STRtree([b.shape for b in borders])
        self._lakes = STRtree(lakes)

    def countries_in(self, box: BaseGeometry) -> list[Country]:
        return [self.countries[i] for i in sorted(self._countries.query(box))]

    def borders_in(self, box: BaseGeometry) -> list[Line]:
        return [self.borders[i] for i in sorted(self._borders.query(box))]

    def lakes_in(self, box: BaseGeometry) -> list[BaseGeometry]:
        return [self.lakes[i] for i in sorted(self._lakes.query(box))]


def _decoded_arcs(topology: dict[str, Any]) -> list[np.ndarray]:
    """TopoJSON's quantized, delta-encoded arcs as arrays of (longitude, latitude): a running
    sum over all points at once, less each arc's start, so each arc starts from zero."""
    points, offsets = topology["points"].astype(np.int64), topology["offsets"]
    total = np.cumsum(points, axis=0)
    before = np.vstack([np.zeros((1, 2), dtype=np.int64), total])[offsets[:-1]]
    lengths = np.diff(offsets)
    absolute = total - np.repeat(before, lengths, axis=0)
    scale = np.array(topology["transform"]["scale"])
    translate = np.array(topology["transform"]["translate"])
    return np.split(absolute * scale + translate, offsets[1:-1])


def _ring(arcs: list[np.ndarray], indexes: list[int]) -> np.ndarray:
    """A ring from its arcs (a negative index ~i is arc i reversed); each arc after the first
    starts where the one before ended, so its first point is left out."""
    parts = []
    for n, index in enumerate(indexes):
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        parts.append(arc if n == 0 else arc[1:])
    return np.concatenate(parts)


def _polygons(arcs: list[np.ndarray], kind: str, rings: Any) -> BaseGeometry:
    polygons = rings if kind == "MultiPolygon" else [rings]
    made = []
    for poly in polygons:
        shell, *holes = [_ring(arcs, ring) for ring in poly]
        if len(shell) >= 4:  # a few specks of 1:10m collapse to fewer points when quantized
            made.append(shapely.Polygon(shell, [hole for hole in holes if len(hole) >= 4]))
    # not made valid here (seconds at 1:10m): clipping takes them as they are, and a map
    # mends the few pieces it draws (draw._drawn)
    return shapely.MultiPolygon(made) if len(made) != 1 else made[0]


def read_packed(path: Path) -> dict[str, Any]:
    """A shipped file: its JSON part, with the arcs' points and offsets as arrays."""
    with np.load(path, allow_pickle=False) as found:
        data: dict[str, Any] = json.loads(found["meta"].tobytes().decode("utf-8"))
        data["points"], data["offsets"] = found["points"], found["offsets"]
    return data


def _read(name: str) -> dict[str, Any]:
    return read_packed(FOLDER / f"{name}.npz")


@functools.cache
def basemap(scale: str) -> Basemap:
    """The basemap at `scale` ('110m', '50m' or '10m'); lakes are 1:50m at all three (a lake
    too small for 1:50m is too small for a locator map)."""
    topology = _read(f"countries-{scale}")
    arcs = _decoded_arcs(topology)
    countries = []
    uses: dict[int, list[str]] = {}
    for shape in topology["countries"]:
        key = shape["code"] or shape["name"]
        drawn = _polygons(arcs, shape["type"], shape["arcs"])
        if not drawn.is_empty:  # a rock of 1:10m with no area left
            countries.append(Country(key, shape["code"], shape["name"], drawn))
        polygons = shape["arcs"] if shape["type"] == "MultiPolygon" else [shape["arcs"]]
        for ring in (ring for poly in polygons for ring in poly):
            for index in ring:
                uses.setdefault(index if index >= 0 else ~index, []).append(key)
    borders = [Line(shapely.LineString(arcs[index]), tuple(sorted(set(sides))))
               for index, sides in sorted(uses.items()) if len(set(sides)) > 1]
    lake_topology = _read("lakes-50m")
    lake_arcs = _decoded_arcs(lake_topology)
    lakes = [_polygons(lake_arcs, lake["type"], lake["arcs"]) for lake in lake_topology["lakes"]]
    return Basemap(countries, borders, lakes)


@functools.cache
def basemap_digest() -> str:
    """What changes when the shipped basemap does (for kept maps and pages)."""
    found = hashlib.sha256()
    for path in sorted(FOLDER.glob("*.npz")):
        found.update(path.name.encode() + path.read_bytes())
    return found.hexdigest()[:16]
