"""Checks of where things are that need more than a record's shape: country codes that
exist (the Unicode CLDR's territories, through Babel), and an event placed once."""

from __future__ import annotations

import functools
from collections.abc import Iterator

from babel.core import get_global

from ..core import model as m
from ..core.countries import country_codes, iso_code
from ..core.errors import Path_, Problem
from ..maps import NOT_DRAWN_ALONE
from .items import Item
from .messages import did_you_mean
from .warnings import warning


@functools.cache
def known_codes() -> dict[str, str]:
    """ISO 3166-1 alpha-2 code -> the country's English name, as CLDR knows them (fixed data
    of the installed Babel: made once)."""
    return {code: name for name, code in country_codes("en").items()}


def check_places(briefings: list[Item], actors: list[Item], places: list[Item]) -> Iterator[Problem]:
    """Unknown codes (with the closest known one), and events that give both `location` and `place`."""
    for item in actors:
        location = item.record.location
        if isinstance(location, str):
            yield from _code_problem(item, ("location",), location)
    for item in places:
        if item.record.country is not None:
            yield from _code_problem(item, (*item.path, "country"), item.record.country)
    for item in briefings:
        briefing: m.Briefing = item.record
        if isinstance(briefing.area, list):
            for i, code in enumerate(briefing.area):
                yield from _code_problem(item, ("area", i), code)
                if code in NOT_DRAWN_ALONE:
                    yield warning(item.doc, ("area", i), f"the map cannot show '{code}' on its own: its basemap "
                                  "(Natural Earth, 1:50m) has no outline for it, or counts it in another "
                                  "country's; the map leaves it out. Give the area as a box {south, west, north, "
                                  "east} around it instead", "area-off-the-basemap")
        for i, event in enumerate(briefing.timeline):
            if event.location is not None and event.place is not None:
                yield item.doc.problem(("timeline", i, "place"), "this event gives both location and place; "
                                       "keep one (place names an entry of places.yaml, location is a point)")


def _meant(code: str) -> str | None:
    """The code meant by a country's name (Azerbaijan) or its three-letter code (AZE, which
    CLDR's territory aliases map to one two-letter code), if either."""
    aliases = get_global("territory_aliases").get(code.upper(), [])
    return aliases[0] if len(code) == 3 and len(aliases) == 1 else iso_code([code])


def _code_problem(item: Item, path: Path_, code: str) -> Iterator[Problem]:
    codes = known_codes()
    if code in codes:
        return
    if "-" in code and code.split("-")[0].upper() in codes:
        country = code.split("-")[0].upper()
        yield item.doc.problem(path, f"'{code}' looks like a subdivision code (ISO 3166-2), which this tool "
                               f"cannot check; give the country's code '{country}', or a point [latitude, longitude]")
        return
    meant = _meant(code)
    hint = f" (did you mean '{meant}'?)" if meant in codes else did_you_mean(code, codes)
    yield item.doc.problem(path, f"'{code}' is not a country code (ISO 3166-1 alpha-2){hint}; "
                           "write two capital letters, such as AZ, AM or RU")
