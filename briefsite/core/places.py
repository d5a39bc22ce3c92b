"""Where things are: points, country codes, bounding boxes and the gazetteer's places
(`places.yaml`), checked for their shape and ranges here; codes and place ids are checked
against what exists by the read stage (read/places.py), which can name the closest one."""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Annotated, Any

from pydantic import BeforeValidator, Discriminator, Field, Tag, model_validator

from .record import IdReference, KeyPath, Record
from .values import Id, LanguageTag, Text

CODE_PATTERN = r"^[A-Za-z]{2}(-[A-Za-z0-9]{1,3})?$"
"""An ISO 3166-1 alpha-2 code (AZ), or the form of an ISO 3166-2 subdivision code (AZ-BA)."""


def _number(value: Any, what: str, low: float, high: float) -> float:
    """A latitude or longitude: a number (not true/false, not text) within its range."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValueError(f"the {what} {value!r} is not a number; write degrees as a decimal number, "
                         "such as 39.816")
    if not low <= value <= high:
        raise ValueError(f"the {what} {value} is out of range: it must be between {low:g} and {high:g}")
    return float(value)


def point(value: Any) -> Any:
    """[lat, lon] in decimal degrees: latitude -90..90, longitude -180..180."""
    if not isinstance(value, (list, tuple)) or len(value) != 2:
        raise ValueError("a point is a list of two numbers, [latitude, longitude], such as [39.816, 46.752]")
    return (_latitude(value[0]), _longitude(value[1]))


def location(value: Any) -> Any:
    """A point, or a code (checked against the known codes by the read stage)."""
    if isinstance(value, str):
        return value
    if isinstance(value, (list, tuple)):
        return point(value)
    raise ValueError("a location is a point [latitude, longitude], such as [40.409, 49.867], "
                     "or a country code such as AZ")


def _latitude(value: Any) -> float:
    return _number(value, "latitude", -90, 90)


def _longitude(value: Any) -> float:
    return _number(value, "longitude", -180, 180)


Latitude = Annotated[float, BeforeValidator(_latitude), Field(json_schema_extra={"minimum": -90, "maximum": 90})]
Longitude = Annotated[float, BeforeValidator(_longitude), Field(json_schema_extra={"minimum": -180, "maximum": 180})]
Point = Annotated[tuple[Latitude, Longitude], BeforeValidator(point)]
Code = Annotated[str, Field(json_schema_extra={"pattern": CODE_PATTERN})]
Location = Annotated[tuple[Latitude, Longitude] | Code, BeforeValidator(location)]


class BoundingBox(Record):
    """An area by its edges, in decimal degrees. A box whose west edge is east of its east
    edge (west > east) crosses the antimeridian: it runs east from `west` over 180 to `east`."""

    south: Latitude = Field(examples=[38.5])
    """The southern edge's latitude (-90..90), below north."""
    west: Longitude = Field(examples=[44.5])
    """The western edge's longitude (-180..180)."""
    north: Latitude = Field(examples=[41.0])
    """The northern edge's latitude (-90..90), above south."""
    east: Longitude = Field(examples=[47.5])
    """The eastern edge's longitude (-180..180); below west for a box across the antimeridian."""

    @model_validator(mode="after")
    def _edges(self) -> BoundingBox:
        if self.south >= self.north:
            raise ValueError(f"south ({self.south:g}) must be below north ({self.north:g}); swap them")
        if self.west == self.east:
            raise ValueError(f"west and east are both {self.west:g}: the box has no width")
        return self

    def crosses_antimeridian(self) -> bool:
        """The box runs east from its west edge over 180 degrees to its east edge."""
        return self.west > self.east


def _area_kind(value: Any) -> str:
    """A mapping (or a box, when written out) is a box; anything else is read as a list of codes
    (and explained as one)."""
    return "box" if isinstance(value, (dict, BoundingBox)) else "codes"


Area = Annotated[Annotated[list[Code], Tag("codes")] | Annotated[BoundingBox, Tag("box")],
                 Discriminator(_area_kind)]


class Place(Record):
    """One entry of `places.yaml`: a place named by timeline events."""

    id: Id = Field(examples=["stepanakert"])
    """Unique place id, named by a timeline event's `place:`."""
    name: Text = Field(examples=["Stepanakert"])
    """The name the site's language uses."""
    names: dict[LanguageTag, Text] = Field(default={}, examples=[{"hy": "Ստեփանակերտ", "az": "Xankəndi"}])
    """Other names, by language code (hy, az, ru, az-Arab...)."""
    point: Point = Field(examples=[[39.816, 46.752]])
    """Where it is: [latitude, longitude] in decimal degrees."""
    country: Code | None = Field(default=None, examples=["AZ"])
    """The country (ISO 3166-1 alpha-2 code) it lies in."""

    def id_references(self, path: KeyPath = ()) -> Iterator[IdReference]:
        """None: its `country` is a code (checked by read/places.py), not an actor's id."""
        return iter(())
