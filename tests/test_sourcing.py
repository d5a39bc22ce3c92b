"""The source summary of a judgment and the bar of high confidence (core/sourcing.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from briefsite.core import model as m
from briefsite.core import sourcing


def source(n: int, **fields: object) -> m.Source:
    return m.Source.model_validate({"id": f"s{n}", "title": f"Source {n}", "url": f"https://www.site{n}.org/a",
                                    **fields})


@pytest.mark.parametrize(("reliability", "credibility", "meets"), [
    ("A", 1, True), ("C", 3, True), ("B", 3, True), ("C", 4, False), ("D", 1, False), ("F", 6, False),
    ("B", None, False), (None, 2, False), (None, None, False)])
def test_the_bar_is_c3_and_a_missing_grade_does_not_meet_it(reliability: str | None, credibility: int | None,
                                                            meets: bool) -> None:
    assert sourcing.meets_bar(source(1, reliability=reliability, credibility=credibility)) is meets


def test_publishers_are_told_apart_by_name_or_by_host() -> None:
    found = sourcing.summarise([source(1, publisher="The Times"), source(2, publisher="the  times"), source(3),
                                source(4, url="https://site3.org/other")])
    assert found.publishers == ("The Times", "site3.org")


def test_the_summary_line_for_partial_grades_and_no_dates() -> None:
    found = sourcing.summarise([source(1, reliability="D", credibility=2), source(2, reliability="B"), source(3)])
    assert found.line() == "Sources: 3 from 3 publishers; graded B?, D2; 1 ungraded; 0 of 3 archived; no read date"
    assert found.meets_bar == 0
    assert sourcing.summarise([]).line() == "Sources: none"
    lone = sourcing.summarise([source(1, accessed=dt.date(2020, 1, 2), archive_url="https://a.org/1")], missing=1)
    assert lone.line() == "Sources: 1 from 1 publisher; ungraded; 1 of 1 archived; newest read 2020-01-02; " \
        "1 no longer listed"


def test_a_judgment_rests_on_its_sources_and_citations_not_its_outcome() -> None:
    kj = m.KeyJudgment(text="It holds [@b; @a] and [@c].", sources=["a", "d"],
                       outcome=m.Outcome(result="happened", on=dt.date(2020, 11, 10), sources=["e"]))
    assert kj.rests_on() == ["a", "d", "b", "c"]
