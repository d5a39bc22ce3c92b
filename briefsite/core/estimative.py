"""Finding estimative language in Markdown prose: the likelihood phrases of the yardsticks
(core/estimative_words.py) and confidence statements, with where each stands in the text.

What is recognised, and what is not (docs/format.md says the same to authors):
- a phrase of the lists, in any case, its words apart by spaces, hyphens or a line break;
- not a phrase negated up to two words before it ('not likely', "isn't very likely",
  'never likely to'), nor one made a comparison by the word just before it ('more likely than
  not', 'as likely as', 'the most likely');
- not inside `code`, a code block, a link ([text](url), [[id|text]]), a citation ([@id]), a
  web address, a quotation in double quotation marks ("...", curly or not, within a paragraph)
  or a block quotation (a line starting with '>'): those are someone else's words or names.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from .estimative_words import COMPARATIVES, CONFIDENCE_LEVELS, NEGATIONS, PHRASES
from .yardsticks import YARDSTICKS, Term, Yardstick


@dataclass(frozen=True)
class Phrase:
    """A likelihood phrase found in a text."""

    start: int
    end: int
    """Where it stands in the text (character offsets)."""
    written: str
    """As written there ('Very-likely')."""
    terms: Mapping[str, str]
    """yardstick key -> the term of that yardstick it says (a phrase of one yardstick only has one)."""

    def term_in(self, yardstick: Yardstick) -> Term | None:
        """The term of `yardstick` it says, or None when only another yardstick has it."""
        key = self.terms.get(yardstick.key)
        return yardstick.term(key) if key is not None else None

    def other_term(self, yardstick: Yardstick) -> tuple[Yardstick, Term]:
        """A yardstick other than `yardstick` that has it, and its term there."""
        other = next(YARDSTICKS[k] for k in self.terms if k != yardstick.key)
        term = other.term(self.terms[other.key])
        assert term is not None  # the lists name only terms of their yardstick (tests/test_estimative.py)
        return other, term


@dataclass(frozen=True)
class Mixed:
    """A sentence holding a likelihood phrase and a confidence statement."""

    phrase: Phrase
    """Its first likelihood phrase."""
    confidence: str
    """Its first confidence statement, as written."""
    start: int
    """Where the first of the two stands."""


def _build_lookup() -> dict[str, Mapping[str, str]]:
    found: dict[str, dict[str, str]] = {}
    for yardstick, terms in PHRASES.items():
        for term, phrases in terms.items():
            for phrase in phrases:
                found.setdefault(phrase, {})[yardstick] = term
    return {phrase: MappingProxyType(terms) for phrase, terms in found.items()}


_LOOKUP = _build_lookup()
"""A phrase (lower case, single spaces) -> yardstick -> term."""


def _words(phrase: str) -> str:
    return r"[\s\-]+".join(re.escape(word) for word in phrase.split())


# The longest phrase first, so that 'very likely' is one phrase, not 'likely' after 'very'.
_PHRASE = re.compile(r"(?<![\w\-])(?:" + "|".join(_words(p) for p in sorted(_LOOKUP, key=len, reverse=True))
                     + r")(?![\w\-])", re.IGNORECASE)
_SEPARATORS = re.compile(r"[\s\-]+")
_NEGATED = re.compile(r"(?:\b(?:" + "|".join(NEGATIONS) + r"|cannot)|n['\u2019]t)(?:\s+[\w'\u2019]+){0,2}\s+$",
                      re.IGNORECASE)
_COMPARED = re.compile(r"\b(?:" + "|".join(COMPARATIVES) + r")\s+$", re.IGNORECASE)
_LEVEL = "(?:" + "|".join(CONFIDENCE_LEVELS) + ")"
_CONFIDENCE = re.compile(
    rf"\b(?:{_LEVEL}(?:[\s\-]+(?:level|degree)\s+of)?[\s\-]+confidence"
    rf"|confidence(?:\s+level)?\s+(?:is|was|remains|stays)\s+{_LEVEL}"
    r"|(?:moderately|highly|fairly)\s+confident)\b", re.IGNORECASE)

def _quoted(opening: str, closing: str) -> str:
    """Words between quotation marks, within a paragraph (a mark never closed hides no other)."""
    inside = f"[^{opening}{closing}\\n]*"
    return f"{opening}{inside}(?:\\n(?![ \\t]*\\n){inside})*{closing}"


_FOREIGN = re.compile("|".join([
    r"(?:```|~~~).*?(?:```|~~~|\Z)",               # a fenced code block (to its end, if never closed)
    r"(`+).+?\1",                                  # `code`
    r"\[\[[^\[\]\n]*\]\]",                         # [[id|text]]
    r"!?\[[^\[\]\n]*\](?:\([^()\n]*\)|\[[^\[\]\n]*\])",  # [text](url), [text][ref], images
    r"\[@[^\[\]\n]*\]",                            # [@source]
    r"<[a-zA-Z][\w+.\-]*:[^<>\s]*>|\bhttps?://\S+",  # web addresses
    r"(?m:^[ \t]*>.*$)",                           # a block quotation's line
    *(_quoted(opening, closing) for opening, closing in ('""', "\u201c\u201d", "\u00ab\u00bb", "\u201e\u201c")),
]), re.DOTALL)
"""What is someone else's words or a name, not the author's estimate."""
_NOT_BREAK = re.compile(r"[^\n]")

_SENTENCE_END = re.compile(r"[.!?]+[\"'\u201d\u2019)\]]*(?=\s)|\n[ \t]*\n|\n(?=[ \t]*(?:[-*+]|\d+[.)])[ \t])")


def _hints() -> tuple[str, ...]:
    """Lower-case words one of which every phrase holds: a text without any holds no phrase."""
    last = {phrase.split()[-1] for phrase in _LOOKUP}
    return tuple(sorted(w for w in last if not any(o != w and o in w for o in last)))


_HINTS = _hints()


def may_hold(text: str) -> bool:
    """Whether the text may hold a likelihood phrase (a quick test before the full search)."""
    lowered = text.lower()
    return any(hint in lowered for hint in _HINTS)


def _blank(match: re.Match[str]) -> str:
    return _NOT_BREAK.sub(" ", match.group(0))


def masked(text: str) -> str:
    """The text with code, links, citations, addresses and quotations blanked out (the same
    length, line breaks kept, so that offsets stay those of the text)."""
    return _FOREIGN.sub(_blank, text)


def _phrases(text: str, blanked: str) -> list[Phrase]:
    found = []
    for match in _PHRASE.finditer(blanked):
        before = blanked[max(0, match.start() - 60):match.start()]
        if _NEGATED.search(before) or _COMPARED.search(before):
            continue
        terms = _LOOKUP.get(_SEPARATORS.sub(" ", match.group(0).casefold()))
        if terms is not None:  # None: a letter that matches only when case is ignored ('\u0130' for 'i')
            found.append(Phrase(match.start(), match.end(), text[match.start():match.end()], terms))
    return found


def phrases(text: str) -> list[Phrase]:
    """The likelihood phrases a text states (see the module's docstring for what counts)."""
    return examine(text)[0]


def examine(text: str) -> tuple[list[Phrase], list[Mixed]]:
    """The likelihood phrases a text states, and its sentences that state a likelihood and a
    confidence together (ICD 203 keeps them apart)."""
    if not may_hold(text):
        return [], []
    blanked = masked(text)
    stated = _phrases(text, blanked)
    if not stated:
        return [], []
    ends = [m.end() for m in _SENTENCE_END.finditer(blanked)]
    first_phrase: dict[int, Phrase] = {}
    for phrase in stated:
        first_phrase.setdefault(bisect.bisect_right(ends, phrase.start), phrase)
    mixed: dict[int, Mixed] = {}
    for match in _CONFIDENCE.finditer(blanked):
        sentence = bisect.bisect_right(ends, match.start())
        first = first_phrase.get(sentence)
        if first is not None and sentence not in mixed:
            mixed[sentence] = Mixed(first, text[match.start():match.end()], min(first.start, match.start()))
    return stated, [mixed[s] for s in sorted(mixed)]
