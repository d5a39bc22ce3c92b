"""Two texts compared word by word, for the comparison of two versions of a briefing: line by
line first, then word by word inside the lines that changed, within a fixed amount of work
(the cost stays near-linear in the texts' length, see docs/performance.md), and both texts
come back exactly."""

from __future__ import annotations

import bisect
import difflib
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from typing import TypeAlias

_WORD = re.compile(r"\s*(?:\w+|[^\w\s])|\s+")
"""A word, or a mark of punctuation, with the space before it (or the space that ends a text)."""
WORDS_COMPARED = 4000
"""Words in a changed stretch (both versions together) beyond which it is shown removed and
added whole."""
GAP_COMPARED = 300
"""Lines (or words) between two that are found once in each text, beyond which they are
shown changed whole: difflib's cost grows with the cube of what it compares, at worst."""
DIFF_WORK = 200_000_000
"""What one comparison may spend in difflib, all its stretches together: each call is charged
what it may have cost (the product of the lengths compared, times the matches found). Once
spent, the stretches left are shown changed whole."""

Opcodes: TypeAlias = "Sequence[tuple[str, int, int, int, int]]"


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """Two texts as runs of ('same' | 'removed' | 'added', text): line by line (a paragraph
    of Markdown is a line, or lines), then word by word inside the lines that changed, in
    a time that grows with the texts' length, not its square. The 'same' and 'added' runs
    make the new text, the 'same' and 'removed' runs the old."""
    budget = _Budget()
    runs: list[tuple[str, str]] = []
    for same, before, after in _stretches(old.splitlines(keepends=True), new.splitlines(keepends=True), budget):
        if same:
            runs.append(("same", after))
            continue
        words_before, words_after = _WORD.findall(before), _WORD.findall(after)
        if len(words_before) + len(words_after) > WORDS_COMPARED:
            runs += [("removed", before), ("added", after)]
            continue
        for same_words, was, now in _stretches(words_before, words_after, budget):
            runs += [("same", now)] if same_words else [("removed", was), ("added", now)]
    merged: list[tuple[str, str]] = []
    for kind, text in runs:
        if merged and merged[-1][0] == kind:
            merged[-1] = (kind, merged[-1][1] + text)
        elif text:
            merged.append((kind, text))
    return merged


class _Budget:
    """difflib's opcodes for two lists while DIFF_WORK lasts (else None), the same for the
    same texts: what is spent is counted, never timed."""

    def __init__(self) -> None:
        self.left = DIFF_WORK

    def opcodes(self, a: list[str], b: list[str]) -> Opcodes | None:
        if self.left <= 0 or len(a) + len(b) > GAP_COMPARED:
            return None
        matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
        self.left -= len(a) * len(b) * len(matcher.get_matching_blocks())
        return matcher.get_opcodes()


def _stretches(a: list[str], b: list[str], budget: _Budget) -> Iterator[tuple[bool, str, str]]:
    """(same, old, new): the two lists in stretches that are the same in both or changed, in
    order, each joined. Items found once in each list, in the same order in both, are the
    same item (patience diff: the longest such sequence, in n log n); the items between two
    of them are compared by difflib, within GAP_COMPARED and the budget, else changed whole."""
    i = j = 0
    for anchor_a, anchor_b in [*_unique_in_order(a, b), (len(a), len(b))]:
        if anchor_a > i or anchor_b > j:
            found = budget.opcodes(a[i:anchor_a], b[j:anchor_b]) or [("replace", 0, anchor_a - i, 0, anchor_b - j)]
            for op, i1, i2, j1, j2 in found:
                yield op == "equal", "".join(a[i + i1:i + i2]), "".join(b[j + j1:j + j2])
        if anchor_a < len(a):
            yield True, a[anchor_a], b[anchor_b]
        i, j = anchor_a + 1, anchor_b + 1


def _unique_in_order(a: list[str], b: list[str]) -> list[tuple[int, int]]:
    """(index in a, index in b) of the longest sequence of items that are found once in each
    list and in the same order in both."""
    counts_a, counts_b = Counter(a), Counter(b)
    in_b = {item: j for j, item in enumerate(b) if counts_b[item] == 1}
    pairs = [(i, in_b[item]) for i, item in enumerate(a) if counts_a[item] == 1 and item in in_b]
    # the longest run of increasing b indexes: tails[k] is the smallest index in b that ends a
    # run of k + 1 so far, ends[k] that pair; before[n] is the pair before pair n in its run
    tails: list[int] = []
    ends: list[int] = []
    before: list[int] = []
    for n, (_, j) in enumerate(pairs):
        k = bisect.bisect_left(tails, j)
        before.append(ends[k - 1] if k else -1)
        if k == len(tails):
            tails.append(j)
            ends.append(n)
        else:
            tails[k], ends[k] = j, n
    found = []
    n = ends[-1] if ends else -1
    while n >= 0:
        found.append(pairs[n])
        n = before[n]
    return found[::-1]
