"""`site.yaml`: the settings of the site as a whole."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .record import Record
from .values import Text
from .vocabulary import WarningKind
from .yardsticks import YardstickName

PointOfView = Literal["natural-earth"]
"""Whose view of disputed borders the maps follow: Natural Earth's default, the only one shipped."""


class SiteConfig(Record):
    """`site.yaml`: the site as a whole."""

    title: Text = Field(default="Briefings", examples=["Caucasus Watch"])
    """The site's name."""
    description: Text = Field(default="", examples=["Open-source briefings on the South Caucasus"])
    """One line under the title."""
    marking: Text | None = Field(default=None, examples=["UNCLASSIFIED - OPEN SOURCES"])
    """Printed on every page and every PDF page, unless a briefing has its own."""
    language: Text = Field(default="en", examples=["en"])
    """Language code of the site."""
    ignore_warnings: list[WarningKind] = Field(default=[], examples=[["source-without-archive"]])
    """Kinds of warning this project does not want (a desk that never archives its sources)."""
    yardstick: YardstickName = Field(default="icd-203", examples=["phia"])
    """The probability yardstick of likelihood terms: icd-203 (US) or phia (UK)."""
    map_native_names: bool = Field(default=False, examples=[True])
    """Maps also write places and countries in their own language and script, under the
    site's name for them (Xankəndi under Stepanakert, Հայաստան under Armenia)."""
    map_point_of_view: PointOfView = Field(default="natural-earth", examples=["natural-earth"])
    """Whose view of disputed borders the maps follow: natural-earth (Natural Earth's
    default, which draws borders as they are held on the ground and dashes the disputed ones)."""
