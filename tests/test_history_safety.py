"""Old versions from git history never break a build, never read as what they were not,
never run what the repository's settings name, and never take long to compare."""

from __future__ import annotations

import random
import time

from hypothesis import given, settings
from hypothesis import strategies as st

from briefsite.core.history import word_diff

# --- The word comparison ---------------------------------------------------------------------

TEXT = st.text(alphabet=st.sampled_from(list("ab c,.\n\n  éд\t-")), max_size=80)


@st.composite
def text_pairs(draw: st.DrawFn) -> tuple[str, str]:
    """Two texts, unrelated or the second an edit of the first."""
    old = draw(TEXT)
    if draw(st.booleans()):
        return old, draw(TEXT)
    new = old
    for _ in range(draw(st.integers(0, 4))):
        at = draw(st.integers(0, len(new)))
        cut = draw(st.integers(0, 5))
        new = new[:at] + draw(TEXT) + new[at + cut:]
    return old, new


@given(text_pairs())
@settings(max_examples=400, deadline=None)
def test_a_comparison_gives_back_both_texts(texts: tuple[str, str]) -> None:
    old, new = texts
    runs = word_diff(old, new)
    assert "".join(text for kind, text in runs if kind != "removed") == new
    assert "".join(text for kind, text in runs if kind != "added") == old
    assert all(kind in ("same", "removed", "added") and text for kind, text in runs)


def prose(rng: random.Random, size: int) -> list[str]:
    """Paragraphs of words whose frequencies fall off as in a language (a few very common)."""
    vocabulary = ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(1, 9)))
                  for _ in range(3000)] + [",", "."]
    weights = [1 / (n + 1) for n in range(len(vocabulary))]
    paragraphs, length = [], 0
    while length < size:
        paragraph = " ".join(rng.choices(vocabulary, weights, k=rng.randint(20, 150))) + ".\n\n"
        paragraphs.append(paragraph)
        length += len(paragraph)
    return paragraphs


def test_two_texts_of_5_mib_compare_in_seconds() -> None:
    rng = random.Random(7)
    old = prose(rng, 5 * 2**20)
    new = list(old)
    for n in range(3, len(new), 97):  # a word changed, here and there
        words = new[n].split(" ")
        words[len(words) // 2] = "changed"
        new[n] = " ".join(words)
    new.insert(len(new) // 2, "A paragraph added.\n\n")
    del new[len(new) // 3]
    start = time.perf_counter()
    runs = word_diff("".join(old), "".join(new))
    spent = time.perf_counter() - start
    assert spent < 10, f"{spent:.1f} s"
    assert "".join(text for kind, text in runs if kind != "removed") == "".join(new)
    assert [text for kind, text in runs if kind == "added"][:2] == [" changed", " changed"]


def test_a_comparison_of_the_same_words_reordered_stays_quick() -> None:
    rng = random.Random(3)
    lines = [f"Line {n} says the same, the same, the same.\n" for n in range(100_000)]
    shuffled = list(lines)
    rng.shuffle(shuffled)
    start = time.perf_counter()
    runs = word_diff("".join(lines), "".join(shuffled))
    spent = time.perf_counter() - start
    assert spent < 10, f"{spent:.1f} s"
    assert "".join(text for kind, text in runs if kind != "added") == "".join(lines)
