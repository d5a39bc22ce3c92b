"""The estimative-language matcher (core/estimative.py) and its warnings (read/estimative.py):
what counts as a likelihood phrase, on each yardstick, and where a warning points."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from briefsite.core.estimative import examine, masked, phrases
from briefsite.core.estimative_words import PHRASES
from briefsite.core.yardsticks import ICD_203, PHIA, YARDSTICKS, Yardstick
from briefsite.read.library import load_library
from tests.catalogue import TODAY, edit, problems_of, write_project
from tests.conftest import REPO

A = "briefings/alpha.yaml"
ESTIMATIVE_KINDS = ("estimative-mismatch", "likelihood-with-confidence", "other-yardstick",
                    "scenario-likelihoods-inconsistent")


def said(text: str) -> list[str]:
    """The phrases found, lower case, one space between words."""
    return [re.sub(r"[\s-]+", " ", p.written).lower() for p in phrases(text)]


def terms(text: str, yardstick: str = "icd-203") -> list[str | None]:
    found = []
    for p in phrases(text):
        term = p.term_in(YARDSTICKS[yardstick])
        found.append(term.key if term else None)
    return found


# --- The word lists ------------------------------------------------------------------------

def test_every_listed_phrase_names_a_term_of_its_yardstick_and_is_found_as_itself() -> None:
    for yardstick, listed in PHRASES.items():
        assert set(listed) == set(YARDSTICKS[yardstick].keys()), yardstick
        for term, words in listed.items():
            for phrase in words:
                assert terms(f"It is {phrase} today.", yardstick) == [term], (yardstick, phrase)


def test_each_term_written_as_its_key_is_found() -> None:
    """Authors copy the YAML key into prose: 'roughly-even-chance'."""
    for yardstick in YARDSTICKS.values():
        for term in yardstick.terms:
            assert terms(f"This is {term.key}.", yardstick.key) == [term.key]


# --- Inflection, hyphenation, case, word boundaries ---------------------------------------------

@pytest.mark.parametrize(("text", "term"), [
    ("Moscow will almost certainly stay out.", "almost-certain"),
    ("Moscow will probably stay out.", "likely"),
    ("A probable outcome.", "likely"),
    ("Improbably, it held.", "unlikely"),
    ("There are remote chances of a deal.", "almost-no-chance"),
    ("It is nearly certainly over.", "almost-certain"),
    ("An even chance of talks.", "roughly-even-chance"),
])
def test_inflected_forms(text: str, term: str) -> None:
    assert terms(text) == [term]


@pytest.mark.parametrize(("text", "found"), [
    ("It will very-likely fail.", ["very likely"]),
    ("It will Very-Likely fail.", ["very likely"]),
    ("a roughly-even-chance", ["roughly even chance"]),
    ("VERY LIKELY", ["very likely"]),
    ("It will very\n  likely fail.", ["very likely"]),
    ("It will very - likely fail.", ["very likely"]),
    ("almost-no-chance", ["almost no chance"]),
])
def test_hyphens_case_and_line_breaks_between_words(text: str, found: list[str]) -> None:
    assert said(text) == found


@pytest.mark.parametrize("text", [
    "The likelihood is high.",          # a noun, not a term
    "a likelyhood",
    "see /news/russia-likely-to-stay", # inside a word joined by hyphens
    "unlikelier",
    "the remote village",               # 'remote' alone is mostly a place
    "an uncertain future",
    "the probability of war",
])
def test_words_that_are_not_terms(text: str) -> None:
    assert said(text) == []


def test_letters_that_match_only_when_case_is_ignored_give_no_error() -> None:
    """'\u017f' (long s) and the Kelvin sign fold to 's' and 'k'; the dotted capital I folds to two characters."""
    assert said("almo\u017ft certain, li\u212aely") == ["almo\u017ft certain", "likely"]
    assert said("L\u0130KELY") == []


def test_unlikely_is_not_likely_and_the_longest_phrase_wins() -> None:
    assert terms("It is unlikely.") == ["unlikely"]
    assert terms("It is very unlikely.") == ["very-unlikely"]
    assert terms("It is highly improbable, and almost no chance.") == ["very-unlikely", "almost-no-chance"]


# --- Negation and comparison ------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "A deal is not likely to be reached.",
    "A deal isn't likely.",
    "A deal isn\u2019t very likely.",
    "It is not at all likely.",
    "Moscow will never likely agree.",
    "It is no longer likely.",
    "A deal cannot probably be reached.",
    "It is hardly likely.",
    "It is not unlikely.",
    "Moscow is more likely than not to stay out.",
    "It is less likely now.",
    "The most likely outcome.",
    "War is as likely as peace.",
    "How likely is it?",
])
def test_negated_and_compared_phrases_are_not_terms(text: str) -> None:
    assert said(text) == []


def test_a_negation_far_before_or_beyond_a_comma_does_not_reach_the_phrase() -> None:
    assert said("It did not work, likely because of the weather.") == ["likely"]
    assert said("It is not clear whether Moscow will likely agree.") == ["likely"]
    assert said("Nothing changed. Likely, nothing will.") == ["likely"]


# --- What is someone else's words --------------------------------------------------------------

@pytest.mark.parametrize("text", [
    'Lavrov called it "highly likely" on Monday.',
    "Lavrov called it \u201chighly likely\u201d on Monday.",
    "Lavrov called it \u00abhighly likely\u00bb on Monday.",
    'A quote over lines: "it is\nhighly likely" he said.',
    "The field `likelihood: very-likely` holds it.",
    "```yaml\nlikelihood: very-likely\n```",
    "See [highly likely, says Lavrov](https://example.org/x).",
    "See [[russia|a realistic possibility]].",
    "As cited [@highly-likely-report].",
    "At https://example.org/very-likely/ today.",
    "At <https://example.org/very-likely> today.",
    "> It is highly likely, the minister said.",
])
def test_quotations_code_links_and_addresses_are_not_prose(text: str) -> None:
    assert said(text) == []


def test_a_quotation_mark_never_closed_hides_no_other_paragraph() -> None:
    assert said('He said "we stay.\n\nWar is very likely.') == ["very likely"]
    assert said("He said \u201cwe stay.\n\nWar is very likely.\u201d") == ["very likely"]


def test_masking_keeps_offsets_and_line_breaks() -> None:
    text = 'a `code`\n"quote" [[x|y]] b'
    blanked = masked(text)
    assert len(blanked) == len(text) and blanked.count("\n") == 1
    assert blanked.split() == ["a", "b"]


# --- Each yardstick -----------------------------------------------------------------------------

def test_a_phrase_of_both_yardsticks_is_a_term_of_each() -> None:
    [remote] = phrases("a remote chance")
    icd, phia = remote.term_in(ICD_203), remote.term_in(PHIA)
    assert icd is not None and icd.key == "almost-no-chance"
    assert phia is not None and phia.key == "remote-chance"


@pytest.mark.parametrize(("text", "site", "other", "term"), [
    ("a realistic possibility", ICD_203, PHIA, "realistic-possibility"),
    ("highly likely", ICD_203, PHIA, "highly-likely"),
    ("highly unlikely", ICD_203, PHIA, "highly-unlikely"),
    ("very likely", PHIA, ICD_203, "very-likely"),
    ("highly improbable", PHIA, ICD_203, "very-unlikely"),
    ("roughly even odds", PHIA, ICD_203, "roughly-even-chance"),
    ("almost no chance", PHIA, ICD_203, "almost-no-chance"),
])
def test_a_phrase_of_the_other_yardstick_only(text: str, site: Yardstick, other: Yardstick, term: str) -> None:
    [phrase] = phrases(text)
    assert phrase.term_in(site) is None
    yardstick, its = phrase.other_term(site)
    assert yardstick is other and its.key == term


# --- Confidence in the same sentence --------------------------------------------------------

@pytest.mark.parametrize("text", [
    "We assess with high confidence that X will very likely fall.",
    "We have moderate-confidence that it is likely.",
    "Our confidence is low, and it is unlikely.",
    "We are highly confident that it will probably hold.",
    "It is likely, a judgment held at a medium level of confidence.",
])
def test_a_likelihood_and_a_confidence_in_one_sentence(text: str) -> None:
    assert len(examine(text)[1]) == 1


@pytest.mark.parametrize("text", [
    "X will very likely fall. We hold this judgment with high confidence.",
    "X will very likely fall.\n\nHigh confidence.",
    "- X will very likely fall\n- high confidence in the sources",
    'X will fall, "with high confidence", he said.',
    "It is not likely, we say with high confidence.",
])
def test_apart_quoted_or_negated_is_not_mixed(text: str) -> None:
    assert examine(text)[1] == []


def test_one_warning_per_sentence_at_the_first_of_the_two() -> None:
    text = "It is likely, with high confidence, and very likely with low confidence. Then likely; high confidence."
    mixed = examine(text)[1]
    assert [(m.phrase.written, m.confidence) for m in mixed] == [("likely", "high confidence"),
                                                                ("likely", "high confidence")]
    assert mixed[1].start == text.index("Then likely") + len("Then ")


# --- The warnings, placed in the file --------------------------------------------------------

def test_a_phrase_is_placed_in_plain_quoted_and_multi_line_texts(tmp_path: Path) -> None:
    kj = "  - text: Moscow keeps balancing.\n"
    cases = {
        "plain": (kj.replace("Moscow keeps balancing.", "Moscow will almost certainly balance."), "7:23"),
        "quoted": (kj.replace("Moscow keeps balancing.", '"Moscow will almost certainly balance."'), "7:24"),
        "plain over lines": ("  - text: Moscow keeps balancing, and\n      will almost certainly go on.\n", "8:12"),
        "folded": ("  - text: >\n      Moscow keeps\n      balancing, almost\n      certainly.\n", "9:18"),
        "literal": ("  - text: |\n      Moscow keeps\n        balancing, almost certainly.\n", "9:20"),
        # an escape makes the text longer in the file than in YAML: the warning stays at the text's start
        "escaped": (kj.replace("Moscow keeps balancing.", '"Moscow \\u0077ill almost certainly balance."'), "7:11"),
    }
    for name, (text, where) in cases.items():
        problems = problems_of(tmp_path / name.replace(" ", "-"), [edit(A, kj, text)])
        assert [p.split(": ")[1].removeprefix("data/briefings/alpha.yaml:") for p in problems] == [where], name


def test_each_kind_is_turned_off_by_ignore_warnings(tmp_path: Path) -> None:
    edits = [
        edit(A, "  - text: Moscow keeps balancing.", "  - text: Moscow will almost certainly keep balancing."),
        edit(A, "    body: Background text.", "    body: A realistic possibility, with high confidence likely."),
        edit(A, "sections:\n", "scenarios_exclusive: true\nsections:\n"),
    ]
    _, report = load_library(write_project(tmp_path / "all", edits), today=TODAY)
    assert sorted(p.kind for p in report.problems) == sorted(ESTIMATIVE_KINDS), report.problems
    for kind in ESTIMATIVE_KINDS:
        off = [edit("site.yaml", "title: Test Watch", f"title: Test Watch\nignore_warnings: [{kind}]"), *edits]
        _, report = load_library(write_project(tmp_path / kind, off), today=TODAY)
        assert sorted(p.kind for p in report.problems) == sorted(set(ESTIMATIVE_KINDS) - {kind})


def test_a_scenario_without_likelihood_counts_as_anything(tmp_path: Path) -> None:
    two_likely = ("  - title: Russia intervenes\n    likelihood: likely\n    description: Russia fights.\n"
                  "  - title: Russia brokers a deal\n    likelihood: likely\n    description: A deal.\n"
                  "  - title: Something else\n    description: Else.\n")
    problems = problems_of(tmp_path, [edit(A, "sections:\n", two_likely + "scenarios_exclusive: true\nsections:\n")])
    assert len(problems) == 1 and "their likelihoods add up to 130-305% (1 without likelihood counted as " \
        "0-100%): even the lows make 130%" in problems[0], problems


@pytest.mark.parametrize(("site", "likelihoods", "warned"), [
    ("icd-203", ["almost-certain", "almost-no-chance"], False),   # 96-104%
    ("icd-203", ["likely", "unlikely"], False),                   # 75-125%
    ("icd-203", ["almost-certain"], True),                        # 95-99%: one scenario is not a set
    ("phia", ["likely", "likely"], True),                         # 110-150%
    ("phia", ["almost-certain"], False),                          # 95-100%
    ("phia", ["realistic-possibility", "realistic-possibility"], False),  # 80-100%
])
def test_scenario_sets_on_each_yardstick(tmp_path: Path, site: str, likelihoods: list[str], warned: bool) -> None:
    scenarios = "scenarios:\n" + "".join(f"  - title: S{i}\n    likelihood: {term}\n    description: S.\n"
                                         for i, term in enumerate(likelihoods))
    text = (f"title: T\ndate: 2020-10-15\nstatus: final\nsummary: S [@src-one] [[russia]] [[putin]].\n{scenarios}"
            "scenarios_exclusive: true\n")
    edits = [edit("site.yaml", "title: Test Watch", f"title: Test Watch\nyardstick: {site}"),
             edit(A, None, text), edit("briefings/beta.yaml", "[[alpha]]", "the other")]
    problems = problems_of(tmp_path, edits)
    assert [("scenario" in p and "100%" in p) for p in problems] == ([True] if warned else []), problems


def test_the_example_data_gives_no_estimative_warning() -> None:
    _, report = load_library(REPO / "data")
    assert [p.format() for p in report.problems if p.kind in ESTIMATIVE_KINDS] == []
