"""Places in the data: actors' locations, timeline events' places, briefings' areas and the
gazetteer places.yaml, checked as strictly as the rest (the catalogue holds the common
mistakes; these are the cases around them)."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefsite.core.places import BoundingBox
from briefsite.read.library import load_library
from tests.catalogue import GANJA, RUSSIA, TODAY, A, Edit, edit, problems_of, whole, write_project
from tests.conftest import REPO

EVENT = "    sources: [src-one]\nscenarios:"


def placed(*lines: str) -> Edit:
    return edit(A, EVENT, "    sources: [src-one]\n" + "".join(f"{line}\n" for line in lines) + "scenarios:")


def area(value: str) -> Edit:
    return edit(A, "status: final\n", f"status: final\narea: {value}\n")


def test_the_example_loads_with_its_places() -> None:
    library, report = load_library(REPO / "data")
    assert library is not None, [p.format() for p in report.errors]
    assert {"stepanakert", "shusha", "ganja", "baku", "yerevan", "vardenis"} <= set(library.places)
    stepanakert = library.places["stepanakert"]
    assert stepanakert.names == {"hy": "Ստեփանակերտ", "az": "Xankəndi", "ru": "Степанакерт"}
    assert stepanakert.point == (39.816, 46.752) and stepanakert.country == "AZ"
    assert library.places["vardenis"].country == "AM"
    states = {aid: a.location for aid, a in library.actors.items() if a.kind == "state"}
    assert states["azerbaijan"] == "AZ" and states["armenia"] == "AM" and states["russia"] == "RU"
    assert all(states.values()), "every state of the example says where it is"
    briefing = library.briefings["russia-options-nagorno-karabakh"]
    assert briefing.area == ["AZ", "AM"]
    placed_events = [e for e in briefing.timeline if e.place]
    assert placed_events and all(e.place in library.places for e in placed_events)


def test_a_project_without_places_yaml_loads(tmp_path: Path) -> None:
    library, report = load_library(write_project(tmp_path), today=TODAY)
    assert library is not None and report.problems == []
    assert library.places == {}


def test_a_project_with_places_yaml_loads_them_in_order(tmp_path: Path) -> None:
    places = GANJA + "- id: baku\n  name: Baku\n  point: [40.409, 49.867]\n"
    library, report = load_library(write_project(tmp_path, [whole("places.yaml", places)]), today=TODAY)
    assert library is not None and report.problems == [], [p.format() for p in report.problems]
    assert list(library.places) == ["ganja", "baku"]
    assert library.places["ganja"].names["az"] == "Gəncə"


def test_a_point_out_of_range_names_the_number_and_the_range(tmp_path: Path) -> None:
    problems = problems_of(tmp_path, [edit(RUSSIA, "kind: state\n", "kind: state\nlocation: [-91, 37.6]\n")])
    assert problems == ["error: data/actors/russia.yaml:3:11: location: the latitude -91 is out of range: it must "
                        "be between -90 and 90"]


@pytest.mark.parametrize("value,message", [
    ("[yes, 37.6]", "the latitude True is not a number; write degrees as a decimal number, such as 39.816"),
    ("['55.7', 37.6]", "the latitude '55.7' is not a number; write degrees as a decimal number, such as 39.816"),
    ("[.nan, 37.6]", "the latitude nan is not a number; write degrees as a decimal number, such as 39.816"),
    ("[55.7]", "a point is a list of two numbers, [latitude, longitude], such as [39.816, 46.752]"),
    ("{lat: 55.7, lon: 37.6}", "a location is a point [latitude, longitude], such as [40.409, 49.867], or a "
                               "country code such as AZ"),
])
def test_a_point_must_be_two_numbers(tmp_path: Path, value: str, message: str) -> None:
    problems = problems_of(tmp_path, [edit(RUSSIA, "kind: state\n", f"kind: state\nlocation: {value}\n")])
    assert problems == [f"error: data/actors/russia.yaml:3:11: location: {message}"]


@pytest.mark.parametrize("code,hint", [
    ("Russia", " (did you mean 'RU'?)"),      # the country's name
    ("ru", " (did you mean 'RU'?)"),          # small letters
    ("RUS", " (did you mean 'RU'?)"),         # ISO 3166-1 alpha-3
    ("EU", ""),                               # reserved by ISO, not a country
    ("XK", ""),                               # left to users (Kosovo's)
])
def test_an_unknown_code_says_which_was_meant(tmp_path: Path, code: str, hint: str) -> None:
    problems = problems_of(tmp_path, [edit(RUSSIA, "kind: state\n", f"kind: state\nlocation: {code}\n")])
    assert problems == [f"error: data/actors/russia.yaml:3:11: location: '{code}' is not a country code "
                        f"(ISO 3166-1 alpha-2){hint}; write two capital letters, such as AZ, AM or RU"]


def test_an_unknown_code_in_an_area_is_placed_on_its_item(tmp_path: Path) -> None:
    problems = problems_of(tmp_path, [area("[AM, Azerbaijan]")])
    assert problems == ["error: data/briefings/alpha.yaml:4:12: area[1]: 'Azerbaijan' is not a country code "
                        "(ISO 3166-1 alpha-2) (did you mean 'AZ'?); write two capital letters, such as AZ, AM or RU"]


def test_an_event_with_a_point_and_a_place_is_refused_even_without_places_yaml(tmp_path: Path) -> None:
    problems = problems_of(tmp_path, [placed("    place: ganja", "    location: [40.68, 46.36]")])
    assert problems == [
        "error: data/briefings/alpha.yaml:19:12: timeline[0].place: no place has the id 'ganja' (add it to "
        "places.yaml)",
        "error: data/briefings/alpha.yaml:19:12: timeline[0].place: this event gives both location and place; keep "
        "one (place names an entry of places.yaml, location is a point)",
    ]


def test_an_event_with_a_point_of_its_own_is_valid(tmp_path: Path) -> None:
    assert problems_of(tmp_path, [placed("    location: [40.68, 46.36]")]) == []


def test_a_box_with_south_above_north_is_refused(tmp_path: Path) -> None:
    problems = problems_of(tmp_path, [area("{south: 40.5, west: 45, north: 38.8, east: 47.2}")])
    assert problems == ["error: data/briefings/alpha.yaml:4:7: area: south (40.5) must be below north (38.8); "
                        "swap them"]


def test_a_box_across_the_antimeridian_is_valid(tmp_path: Path) -> None:
    assert problems_of(tmp_path, [area("{south: 50, west: 170, north: 70, east: -170}")]) == []
    box = BoundingBox(south=50, west=170, north=70, east=-170)
    assert box.crosses_antimeridian()
    assert not BoundingBox(south=38.8, west=45, north=40.5, east=47.2).crosses_antimeridian()


def test_a_box_without_width_and_a_box_edge_out_of_range_are_refused(tmp_path: Path) -> None:
    assert problems_of(tmp_path, [area("{south: 38, west: 45, north: 40, east: 45}")]) == [
        "error: data/briefings/alpha.yaml:4:7: area: west and east are both 45: the box has no width"]
    assert problems_of(tmp_path, [area("{south: 38, west: -181, north: 40, east: 45}")]) == [
        "error: data/briefings/alpha.yaml:4:25: area.west: the longitude -181 is out of range: it must be between "
        "-180 and 180"]


def test_a_place_unknown_among_several_names_the_closest(tmp_path: Path) -> None:
    places = GANJA + "- id: shusha\n  name: Shusha\n  point: [39.758, 46.748]\n"
    problems = problems_of(tmp_path, [whole("places.yaml", places), placed("    place: shushi")])
    assert problems == ["error: data/briefings/alpha.yaml:19:12: timeline[0].place: no place has the id 'shushi' "
                        "(did you mean 'shusha'?)"]


def test_a_place_needs_a_point_and_its_names_need_language_codes(tmp_path: Path) -> None:
    places = "- id: ganja\n  name: Ganja\n  names: {az-Latn: Gəncə, 'ru ': Гянджа}\n"
    problems = problems_of(tmp_path, [whole("places.yaml", places)])
    assert problems == [  # the key that is no language code is pointed at, not its value
        "error: data/places.yaml:3:27: [0].names.ru : 'ru ' is not a language code; write one such as ru, hy, ar or "
        "az-Arab (ISO 639, optionally followed by a script or region)",
        "error: data/places.yaml:1:3: [0]: required key 'point' is missing from this place",
    ]


def test_places_yaml_is_no_stray_file_but_places_yml_is(tmp_path: Path) -> None:
    problems = problems_of(tmp_path, [whole("places.yml", GANJA)])
    assert problems == ["error: data/places.yml: files must end in .yaml, not .yml; rename it"]
