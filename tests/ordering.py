"""The order the test modules run in: the longest first, so that with `-n 2 --dist loadfile`
(pyproject.toml) both workers end together instead of one finishing a long module alone.

How long a module takes is the sum of its tests' last durations, kept in pytest's cache
(.pytest_cache) by every run; on a fresh clone, those of tests/durations.json (written by
`pytest -n 2 --save-durations`: only tests of half a second or more). A test timed nowhere
(a new test) is guessed from its markers."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest

KEY = "briefsite/test-seconds"
GUESS = {"first": 60.0, "slow": 10.0}
"""Seconds guessed for a test not timed yet, by marker; any other test is taken as quick."""
QUICK = 0.1
COMMITTED = Path(__file__).with_name("durations.json")
SAVED_FROM = 0.5
"""Seconds from which a test's duration is written into COMMITTED."""

_seconds: dict[str, float] = defaultdict(float)
"""This run's durations (setup, call and teardown), by test."""


def _guess(item: pytest.Item) -> float:
    return next((seconds for name, seconds in GUESS.items() if item.get_closest_marker(name)), QUICK)


def _module(nodeid: str) -> str:
    return nodeid.split("::", 1)[0]


def order(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Modules longest first, each module's tests together, a `first` test at its module's start."""
    cache = getattr(config, "cache", None)  # absent with -p no:cacheprovider
    committed = json.loads(COMMITTED.read_text(encoding="utf-8")) if COMMITTED.is_file() else {}
    last: dict[str, float] = {**committed, **(cache.get(KEY, {}) if cache else {})}
    module_seconds: dict[str, float] = defaultdict(float)
    for item in items:
        module_seconds[_module(item.nodeid)] += last.get(item.nodeid, _guess(item))
    place = {id(item): n for n, item in enumerate(items)}
    items.sort(key=lambda item: (-module_seconds[_module(item.nodeid)], _module(item.nodeid),
                                 item.get_closest_marker("first") is None, place[id(item)]))


def record(report: pytest.TestReport) -> None:
    _seconds[report.nodeid] += report.duration


def save(config: pytest.Config) -> None:
    """Kept by the process that saw every report: the only one, or xdist's controller."""
    cache = getattr(config, "cache", None)
    if hasattr(config, "workerinput") or not cache or not _seconds:
        return
    cache.set(KEY, {**cache.get(KEY, {}), **{k: round(v, 2) for k, v in _seconds.items()}})
    if config.getoption("save_durations"):
        slow = {k: round(v, 1) for k, v in sorted(_seconds.items()) if v >= SAVED_FROM}
        COMMITTED.write_text(json.dumps(slow, indent=0) + "\n", encoding="utf-8")
