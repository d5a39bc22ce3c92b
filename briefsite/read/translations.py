"""The rules of translations: a translation names an original (not another translation) in
another language, and an original has at most one translation per language. An id that names
no briefing is checked with every other reference (read/rules.py)."""

from __future__ import annotations

from ..core import model as m
from ..core.errors import Report
from ..core.translations import language_of
from .items import Item


def check_translations(briefings: list[Item], site: m.SiteConfig, report: Report) -> None:
    by_id = {item.id: item for item in briefings}
    seen: dict[tuple[str, str], Item] = {}  # (original id, language) -> its first translation
    for item in briefings:
        b: m.Briefing = item.record
        original = by_id.get(b.translation_of) if b.translation_of else None
        if original is None:
            continue
        problem = _wrong_original(item, original, site)
        if problem:
            report.add(item.doc.problem(item.path + ("translation_of",), problem))
            continue
        language = language_of(b, site)
        first = seen.setdefault((original.id, language), item)
        if first is not item:
            where = item.path + (("lang",) if b.lang else ("translation_of",))
            report.add(item.doc.problem(where, f"'{original.id}' already has a translation in {language} "
                                        f"('{first.id}', {first.doc.name}); keep one translation per language, "
                                        "or correct `lang:`"))


def _wrong_original(item: Item, original: Item, site: m.SiteConfig) -> str | None:
    """Why `original` cannot be what the briefing translates (None: it can)."""
    if original is item:
        return "a briefing cannot be a translation of itself; name the briefing it translates"
    further = original.record.translation_of
    if further:
        return (f"'{original.id}' is itself a translation (of '{further}'); name the original instead: "
                f"translation_of: {further}")
    language = language_of(item.record, site)
    if language_of(original.record, site) == language:
        said = "its `lang:`" if item.record.lang else "the site's language, as it sets no `lang:`"
        return (f"'{original.id}' is in {language} too ({said}); a translation is in another language: "
                "write its language as `lang:`")
    return None
