"""Estimative language against the site's yardstick: a judgment's words that contradict its
likelihood, a likelihood and a confidence in one sentence, terms of the other yardstick in the
prose, and exclusive scenarios whose likelihoods cannot add up to 100% (docs/errors.md)."""

from __future__ import annotations

from collections.abc import Iterator

from ..core import model as m
from ..core import yardsticks
from ..core.errors import Mark, Path_, Problem
from ..core.estimative import Phrase, examine, may_hold
from ..core.text import LINE_BREAK
from ..core.yardsticks import Term, Yardstick
from .document import DeferredDocument, Document
from .items import Item
from .warnings import warning

KINDS = ("estimative-mismatch", "likelihood-with-confidence", "other-yardstick")
"""The kinds the prose check gives (it is skipped when a site turns all of them off)."""


def check_prose(item: Item, yardstick: Yardstick, ignored: set[str], files: dict[str, list[str]]) -> Iterator[Problem]:
    """The estimative language of one briefing's texts; `files` keeps the lines of files read to
    place a warning inside a text that is not a literal block."""
    b: m.Briefing = item.record
    if not may_hold(b.all_markdown()) and not any(may_hold(s.title) for s in b.scenarios):
        return  # none of the words anywhere in it: no walk through its records
    rated: dict[Path_, tuple[str, str]] = {}  # a text -> its record's likelihood, and what the record is
    for i, kj in enumerate(b.key_judgments):
        if kj.likelihood:
            rated[item.path + ("key_judgments", i, "text")] = (kj.likelihood, "key judgment")
    texts = list(b.markdown_texts(item.path))
    for i, s in enumerate(b.scenarios):
        texts.append((item.path + ("scenarios", i, "title"), s.title))
        if s.likelihood:  # its implications follow if it happens: their likelihood is another
            rated[item.path + ("scenarios", i, "title")] = (s.likelihood, "scenario")
            rated[item.path + ("scenarios", i, "description")] = (s.likelihood, "scenario")
    for path, text in texts:
        if not may_hold(text):
            continue
        stated, mixed = examine(text)
        for phrase in stated:
            found = _phrase_warning(item, path, phrase, yardstick, rated.get(path), ignored)
            if found is not None:
                yield _placed(found, item.doc, path, text, phrase.start, files)
        if "likelihood-with-confidence" in ignored:
            continue
        for both in mixed:
            said = _said(both.phrase.written)
            message = (f"this sentence states a likelihood ('{said}') and a confidence ('{_said(both.confidence)}') "
                       "together, and readers take one for the other (ICD 203 keeps them in separate sentences): "
                       "split it in two, one for the likelihood and one for the confidence")
            yield _placed(warning(item.doc, path, message, "likelihood-with-confidence"), item.doc, path, text,
                          both.start, files)


def _phrase_warning(item: Item, path: Path_, phrase: Phrase, yardstick: Yardstick, rated: tuple[str, str] | None,
                    ignored: set[str]) -> Problem | None:
    """The warning for a phrase of the other yardstick, or one that contradicts its record's likelihood."""
    said = _said(phrase.written)
    term = phrase.term_in(yardstick)
    if term is None:
        if "other-yardstick" in ignored:
            return None
        other, its = phrase.other_term(yardstick)
        nearest = yardstick.nearest(its.midpoint)
        return warning(item.doc, path, f"'{said}' is a term of the {other.name} yardstick ({its.range}), and this site "
                       f"uses {yardstick.name} (yardstick: {yardstick.key} in site.yaml); write "
                       f"'{nearest.label.lower()}' ({nearest.range}), the nearest {yardstick.name} term, or put the "
                       "words in quotation marks if they are someone else's", "other-yardstick")
    if rated is None or "estimative-mismatch" in ignored:
        return None
    declared = yardsticks.resolve(rated[0], yardstick)
    if declared is None or _overlap(term, declared):
        return None
    return warning(item.doc, path, f"the text says '{said}' ({yardstick.name}: {term.key}, {term.range}), and this "
                   f"{rated[1]}'s likelihood is {declared.key} ({declared.range}): the ranges do not overlap; make "
                   "the words and the likelihood say the same", "estimative-mismatch")


def _overlap(a: Term, b: Term) -> bool:
    """Ranges that share more than an end: 'likely' (55-80%) and 'very likely' (80-95%) do not."""
    return a.low < b.high and b.low < a.high


def _said(written: str) -> str:
    """A phrase as written, on one line."""
    return " ".join(written.split())


def check_scenario_set(item: Item, yardstick: Yardstick) -> Problem | None:
    """Exclusive scenarios cover every outcome once: their ranges must be able to add up to 100%
    (the sum of the lows at most 100, the sum of the highs at least 100). A scenario without a
    likelihood could be anything, so it counts as 0-100%."""
    b: m.Briefing = item.record
    if not b.scenarios_exclusive or not b.scenarios:
        return None
    low = high = unrated = 0
    for s in b.scenarios:
        term = yardsticks.resolve(s.likelihood, yardstick) if s.likelihood else None
        if term is None:
            unrated += 1
            high += 100
        else:
            low, high = low + term.low, high + term.high
    if low <= 100 <= high:
        return None
    counted = f" ({unrated} without likelihood counted as 0-100%)" if unrated else ""
    sums = (f"exclusive scenarios (scenarios_exclusive: true) cover every outcome once, so their likelihoods must be "
            f"able to add up to 100%; on the {yardstick.name} ranges their likelihoods add up to {low}-{high}%"
            f"{counted}")
    if low > 100:
        fix = (f": even the lows make {low}%; lower a likelihood, or set scenarios_exclusive: false if two of them "
               "can happen together")
    else:
        fix = f": even the highs make {high}%; raise a likelihood, or add the scenario of the outcomes left out"
    return warning(item.doc, item.path + ("scenarios_exclusive",), sums + fix, "scenario-likelihoods-inconsistent")


# --- Where a phrase stands in the file -------------------------------------------------------

def _placed(problem: Problem, doc: Document | DeferredDocument, path: Path_, text: str, offset: int,
            files: dict[str, list[str]]) -> Problem:
    mark = _mark_inside(doc, path, text, offset, files)
    return problem if mark is None else Problem(problem.file, mark, problem.path, problem.message,
                                                problem.severity, problem.kind)


def _mark_inside(doc: Document | DeferredDocument, path: Path_, text: str, offset: int,
                 files: dict[str, list[str]]) -> Mark | None:
    """The line and column of the character `offset` of a text value; the text's start when the
    file writes it so that the two cannot be matched (escapes in a quoted text)."""
    start = doc.mark_of(path)
    if start is None:
        return None
    indent = doc.literal_texts.get(path)
    if indent is not None:  # `|`: the text's lines are the file's, from the line after the mark
        line_start = text.rfind("\n", 0, offset) + 1
        return Mark(start.line + 1 + text.count("\n", 0, offset), indent + offset - line_start + 1)
    end = doc.value_ends.get(path)
    if "\n" not in text and end is not None and end.line == start.line:
        width = end.column - start.column
        if width == len(text):  # plain
            return Mark(start.line, start.column + offset)
        if width == len(text) + 2:  # in quotes, nothing escaped
            return Mark(start.line, start.column + 1 + offset)
        return start
    return _search_lines(_lines(doc, files), start, end, text, offset) or start


def _lines(doc: Document | DeferredDocument, files: dict[str, list[str]]) -> list[str]:
    if doc.name not in files:
        if isinstance(doc, DeferredDocument) and doc.text:
            text = doc.text
        else:
            try:
                text = doc.file.read_text(encoding="utf-8-sig")
            except (OSError, UnicodeDecodeError):
                text = ""
        files[doc.name] = LINE_BREAK.split(text)
    return files[doc.name]


def _search_lines(lines: list[str], start: Mark, end: Mark | None, text: str, offset: int) -> Mark | None:
    """A text folded from several lines of the file (`>`, or plain or quoted over lines): each
    line's words are found in the text in turn, which gives the line holding `offset`."""
    last = min(end.line if end else len(lines), len(lines))
    cursor = 0
    for n in range(start.line - 1, last):
        line = lines[n]
        col = start.column - 1 if n == start.line - 1 else 0
        stop = end.column - 1 if end is not None and n == end.line - 1 else len(line)
        segment = line[col:stop]
        if n == start.line - 1 and segment[:1] in ("|", ">"):
            continue  # a block's indicator: its text starts on the next line
        words = segment.strip().strip("\"'").strip()
        if not words:
            continue
        found = text.find(words, cursor)
        if found < 0:
            return None
        if found <= offset < found + len(words):
            return Mark(n + 1, col + segment.index(words) + offset - found + 1)
        cursor = found + len(words)
    return None
