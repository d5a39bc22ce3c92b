"""Work in a forked copy of the process (core/forked.py): its result, or its failure, here."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from briefsite.core.errors import RenderError
from briefsite.core.forked import CAN_FORK, Forked, side_by_side

pytestmark = pytest.mark.skipif(not CAN_FORK, reason="fork is what this module is about")


def test_the_copy_works_beside_this_process_and_its_result_comes_back() -> None:
    here = os.getpid()
    helper = Forked(lambda: (os.getpid(), [n * n for n in range(5)]), "squaring")
    pid, squares = helper.result()
    assert pid != here and squares == [0, 1, 4, 9, 16]


def test_a_problem_met_there_is_raised_here_as_it_was() -> None:
    def fails() -> None:
        raise RenderError("templates/home.md.j2, line 3: 'lib' is undefined")

    with pytest.raises(RenderError, match="line 3: 'lib' is undefined"):
        Forked(fails, "rendering").result()


def test_a_bug_there_is_an_error_here_with_its_traceback() -> None:
    with pytest.raises(RuntimeError, match=r"(?s)rendering in a second process failed:.*ZeroDivisionError"):
        Forked(lambda: 1 // 0, "rendering in a second process").result()


def test_a_copy_that_dies_without_an_answer_says_how_it_ended() -> None:
    with pytest.raises(RuntimeError, match="making the version pages failed:\nit ended \\(exit code 3\\)"):
        Forked(lambda: os._exit(3), "making the version pages").result()


def test_a_copy_that_takes_too_long_is_stopped() -> None:
    helper = Forked(lambda: time.sleep(30), "sleeping")
    start = time.perf_counter()
    with pytest.raises(RuntimeError, match="no answer within 0 s"):
        helper.result(timeout=0.3)
    assert time.perf_counter() - start < 5
    assert not helper._process.is_alive()


def test_side_by_side_gives_both_results_and_stops_the_copy_when_this_side_fails(tmp_path: Path) -> None:
    here, there = side_by_side(lambda: os.getpid(), lambda: os.getpid(), "pids")
    assert here != there
    marker = tmp_path / "finished"
    with pytest.raises(ZeroDivisionError):
        side_by_side(lambda: 1 // 0, lambda: (time.sleep(2), marker.touch()), "waiting")
    time.sleep(2.5)
    assert not marker.exists(), "the copy was stopped"
