"""The order the test modules run in: the longest first, so that with `-n 2 --dist loadfile`
(pyproject.toml) both workers end together instead of one finishing a long module alone.

How long a module takes is the sum of its tests' last durations, kept in pytest's cache
(.pytest_cache) by every run. A test not timed yet (a fresh clone, a new test) is guessed
from its markers."""

from __future__ import annotations

from collections import defaultdict

import pytest

KEY = "briefsite/test-seconds"
GUESS = {"first": 60.0, "slow": 10.0}
"""Seconds guessed for a test not timed yet, by marker; any other test is taken as quick."""
QUICK = 0.1

_seconds: dict[str, float] = defaultdict(float)
"""This run's durations (setup, call and teardown), by test."""


def _guess(item: pytest.Item) -> float:
    return next((seconds for name, seconds in GUESS.items() if item.get_closest_marker(name)), QUICK)


def _module(nodeid: str) -> str:
    return nodeid.split("::", 1)[0]


def order(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Modules longest first, each module's tests together, a `first` test at its module's start."""
    cache = getattr(config, "cache", None)  # absent with -p no:cacheprovider
    last: dict[str, float] = cache.get(KEY, {}) if cache else {}
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
