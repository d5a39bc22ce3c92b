"""A YAML value checked against its record (pydantic), and pydantic's errors put in words
a writer of YAML can act on: which key, what was found, what is allowed."""

from __future__ import annotations

import copy
import re
import typing
from typing import Any, TypeVar
from urllib.parse import urlsplit

import pydantic

from ..core import model as m
from ..core.errors import Path_, Problem, Report
from ..core.vocabulary import LIKELIHOOD_RANGES
from ..core.yardsticks import YARDSTICKS
from .document import Document
from .messages import NOUNS, VOCABULARY_NOUNS, closest, describe, did_you_mean, shown, slug_hint

R = TypeVar("R", bound=m.Record)


def validate_record(doc: Document, base: Path_, data: Any, cls: type[R], report: Report) -> R | None:
    if not isinstance(data, dict):
        report.add(doc.problem(base, f"expected {_mapping_of(cls)}, found {describe(doc, base, data)}"))
        return None
    try:
        return cls.model_validate(data)
    except pydantic.ValidationError as exc:
        errors = [_in_data(error, data) for error in exc.errors()]
        # A misspelt required key gives one message (the unknown key, with its hint), not two.
        meant = {(e["loc"][:-1], closest(str(e["loc"][-1]), _allowed_keys(cls, e["loc"][:-1])))
                 for e in errors if e["type"] == "extra_forbidden"}
        for error in errors:
            if not (error["type"] == "missing" and (error["loc"][:-1], error["loc"][-1]) in meant):
                report.add(_explain(doc, base, error, cls))
        return None


def _in_data(error: Any, data: Any) -> Any:
    """The error with its location cut to the keys and indexes that are in the data (pydantic may
    add names of its own, such as the branch of a union, which are no key the user wrote)."""
    loc: list[str | int] = []
    current = data
    for i, part in enumerate(error["loc"]):
        if isinstance(current, dict) and part in current:
            current = current[part]
        elif isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current):
            current = current[part]
        elif error["type"] in ("extra_forbidden", "missing") and i == len(error["loc"]) - 1:
            pass  # the key itself: unknown keys are in the data, missing ones are not
        else:
            continue
        loc.append(part)
    # A mapping's key that failed (a place's names by language): point at the key, not its value.
    return {**error, "loc": tuple(loc), "at_key": error["loc"][-1:] == ("[key]",)}


def _mapping_of(cls: type[m.Record]) -> str:
    """'a mapping of keys for a key judgment (text: ...)', naming its first required key."""
    required = next((name for name, f in cls.model_fields.items() if f.is_required()), None)
    example = f" ({required}: ...)" if required else ""
    noun = NOUNS[cls]
    article = "the" if cls is m.SiteConfig else "an" if noun[0] in "aeiou" else "a"
    return f"a mapping of keys for {article} {noun}{example}"


def _explain(doc: Document, base: Path_, error: Any, cls: type[m.Record]) -> Problem:
    """Turn one pydantic error into a message a person can act on."""
    loc: Path_ = error["loc"]
    path = base + loc
    kind, value = error["type"], error.get("input")
    name = next((p for p in reversed(loc) if isinstance(p, str)), "")
    if kind == "extra_forbidden":
        allowed = _allowed_keys(cls, loc[:-1])
        hint = did_you_mean(str(loc[-1]), allowed)
        message = f"unknown key '{loc[-1]}'{hint} (allowed: {', '.join(allowed)})"
        return doc.problem(path, message, key=True)
    if kind == "missing":
        owner = _record_at(cls, loc[:-1])
        noun = NOUNS.get(owner, "entry") if owner else "entry"
        return doc.problem(path[:-1], f"required key '{loc[-1]}' is missing from this {noun}")
    if value is None and kind != "value_error":
        return doc.problem(path, _empty_value(cls, loc))
    if kind == "literal_error":
        options = [a or b for a, b in re.findall(r"'([^']*)'|(\d+)", error["ctx"]["expected"])]
        noun = _vocabulary_noun(cls, loc)
        if isinstance(value, str) and value in options:  # credibility: '3'
            return doc.problem(path, f"'{value}' is in quotes, so it is text; write the grade without quotes: "
                               f"{name}: {value}")
        hint = did_you_mean(str(value), options) or (_term_for_percent(value) if name == "likelihood" else "")
        listed = _likelihood_terms() if name == "likelihood" else ", ".join(options)
        if isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool)):
            return doc.problem(path, f"{shown(value)} is not {noun}{hint} (allowed: {listed})")
        return doc.problem(path, f"expected {noun}, found {describe(doc, path, value)} (allowed: {listed})")
    if kind == "string_pattern_mismatch":
        if name in ("url", "archive_url"):
            return doc.problem(path, _bad_url(str(value)))
        return doc.problem(path, f"{shown(value)} is not a valid id: use lowercase letters, digits and "
                           f"single hyphens{slug_hint(str(value)) or ', like moscow-times-2020'}")
    if kind == "string_too_long":
        return doc.problem(path, f"this id is {len(value)} characters long; an id may have at most {m.ID_MAX}")
    if kind == "value_error":
        return doc.problem(path, str(error["ctx"]["error"]), key=error["at_key"])
    if kind == "string_type":
        advice = "; put quotes around it"
        if isinstance(value, list):
            advice = " (brackets make a list: put the whole value in quotes if they belong to the text)"
        elif isinstance(value, dict):
            advice = " (a ':' followed by a space makes a mapping: put the whole value in quotes)"
        return doc.problem(path, f"expected text, found {describe(doc, path, value)}{advice}")
    if kind == "list_type":
        found = describe(doc, path, value)
        hint = f"; write [{value}], or one '- ' line per item" if isinstance(value, str) else ""
        return doc.problem(path, f"expected a list, found {found}{hint}")
    if kind in ("bool_parsing", "bool_type"):
        return doc.problem(path, f"expected true or false, found {describe(doc, path, value)}")
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        owner = _record_at(cls, loc)
        wanted = _mapping_of(owner) if owner else "a mapping of keys"
        return doc.problem(path, f"expected {wanted}, found {describe(doc, path, value)}")
    return doc.problem(path, error["msg"])


def _empty_value(cls: type[m.Record], loc: Path_) -> str:
    name = str(loc[-1]) if loc and isinstance(loc[-1], str) else ""
    owner = _record_at(cls, loc[:-1]) if name else None
    if not name or owner is None:
        return "this value is empty; write one, or delete the line"
    if owner.model_fields[name].is_required():
        return f"no value is given; write it after '{name}:'"
    return f"no value is given; write one after '{name}:', or delete the line"


def _bad_url(value: str) -> str:
    scheme = urlsplit(value).scheme if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", value) else ""
    if scheme and scheme.lower() not in ("http", "https"):
        return f"'{value}' is not a web address (it starts with {scheme}:); only http:// and https:// are allowed"
    if not scheme:
        return f"'{value}' is not a full address; write it with http:// or https://"
    return f"'{value}' is not a valid http or https address"


def _allowed_keys(cls: type[m.Record], loc: Path_) -> list[str]:
    """The keys of the record at loc inside cls (following nested records and lists)."""
    record = _record_at(cls, loc)
    return list(record.model_fields) if record else []


def _record_at(cls: type[m.Record], loc: Path_) -> type[m.Record] | None:
    """The record class at loc inside cls: Briefing, ('key_judgments', 0) -> KeyJudgment."""
    current: Any = cls
    for part in loc:
        if isinstance(part, int):
            continue
        if part not in current.model_fields:
            return None
        current = _record_in(current.model_fields[part].annotation)
        if current is None:
            return None
    return typing.cast("type[m.Record]", current)


def _record_in(annotation: Any) -> type[m.Record] | None:
    """The record class inside an annotation such as list[Annotated[Indicator, ...]] | None."""
    if isinstance(annotation, type) and issubclass(annotation, m.Record):
        return annotation
    for arg in typing.get_args(annotation):
        found = _record_in(arg)
        if found:
            return found
    return None


def _likelihood_terms() -> str:
    """The terms of each yardstick, each scale apart (a site uses one: read.rules says which)."""
    return "; ".join(f"{y.name}: {', '.join(y.keys())}" for y in YARDSTICKS.values())


def _term_for_percent(value: object) -> str:
    """For a likelihood written as a number ('70%', 70, 0.7): the term whose range holds it."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(%?)\s*", str(value))
    if match is None or isinstance(value, bool):
        return ""
    number = float(match.group(1))
    percent = number * 100 if number <= 1 and not match.group(2) and "." in match.group(1) else number
    for term, span in LIKELIHOOD_RANGES.items():
        low, high = (float(x) for x in span.rstrip("%").split("-"))
        if low <= percent <= high:
            return f" (a likelihood is a term: {percent:g}% is '{term}', {span})"
    return ""


def _vocabulary_noun(cls: type[m.Record], loc: Path_) -> str:
    name = str(loc[-1]) if loc and isinstance(loc[-1], str) else ""
    if name == "status":
        return "an indicator status" if "indicators" in loc else "a briefing status"
    if name == "kind":
        return "a source kind" if cls is m.Source else "an actor kind"
    return VOCABULARY_NOUNS.get(name, f"an allowed value for {name}")




SALVAGE_ROUNDS = 4


def salvage(data: Any, cls: type[R]) -> R | None:
    """The record read from `data` with the values that failed left out, or None when what
    remains is no record. The rules across records check what it still says (a citation in
    a file whose likelihood is wrong), so that every problem is reported at once.

    Only keys of mappings are left out, never items of a list: the paths of the values that
    remain, and so the positions of their problems, stay those of the file."""
    if not isinstance(data, dict):
        return None
    data = copy.deepcopy(data)
    for _ in range(SALVAGE_ROUNDS):
        try:
            return cls.model_validate(data)
        except pydantic.ValidationError as exc:
            failed = [_in_data(error, data) for error in exc.errors()]
            if not all(_leave_out(data, e["loc"][:-1] if e["type"] == "missing" else e["loc"]) for e in failed):
                return None
    return None


def _leave_out(data: Any, loc: Any) -> bool:
    """Remove the innermost key of a mapping on the path `loc`; False when there is none, or
    it is the record's own top level (a required key of the record itself)."""
    keys = [i for i, part in enumerate(loc) if isinstance(part, str)]
    if not keys:
        return False
    last = keys[-1]
    parent = data
    for part in loc[:last]:
        try:
            parent = parent[part]
        except (KeyError, IndexError, TypeError):
            return True  # a key around it was left out already, for another problem of the same round
    if isinstance(parent, dict):
        parent.pop(loc[last], None)
    return True
