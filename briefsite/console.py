"""What a command prints for people: problems in groups a screen can hold, a closing line
that says what happened to the site, and the stages of a build as they pass."""

from __future__ import annotations

import os
import shutil
from collections import Counter
from typing import TextIO

from .core.errors import Problem, Severity
from .core.vocabulary import WARNING_KINDS

GROUP_OVER = 3
"""A kind of warning given more often than this is shown as one line with a count."""
EXAMPLES = 3
"""How many places that line names."""


def _place(p: Problem) -> str:
    return f"{p.file}:{p.mark.line}:{p.mark.column}" if p.mark else p.file


def problem_lines(problems: list[Problem], all_warnings: bool = False) -> list[str]:
    """Every error, and the warnings: each one, or for a frequent kind one line with the
    count and the first places (at the place of the first)."""
    counts = Counter(p.kind for p in problems if p.severity is Severity.WARNING and p.kind)
    grouped = set() if all_warnings else {kind for kind, n in counts.items() if n > GROUP_OVER}
    lines: list[str] = []
    shown: set[str] = set()
    for p in problems:
        if p.severity is not Severity.WARNING or p.kind not in grouped:
            lines.append(p.format())
        elif p.kind not in shown:
            shown.add(p.kind)
            places = [_place(w) for w in problems if w.kind == p.kind][:EXAMPLES]
            lines.append(f"warning: {counts[p.kind]:,} {WARNING_KINDS[p.kind]}, e.g. {', '.join(places)} ... "
                         f"(`--warnings all` lists them; `ignore_warnings: [{p.kind}]` in site.yaml turns them off)")
    return lines


def print_problems(problems: list[Problem], stream: TextIO, all_warnings: bool = False) -> None:
    for line in problem_lines(problems, all_warnings):
        print(line, file=stream)


def print_failure(problems: list[Problem], command: str, stream: TextIO, strict: bool = False,
                  all_warnings: bool = False) -> None:
    """The problems of a failed run, then one closing line that says what happened to the site."""
    print_problems(problems, stream, all_warnings)
    line = closing_line(problems, command, strict)
    if line:
        print(line, file=stream)


def closing_line(problems: list[Problem], command: str, strict: bool = False) -> str | None:
    """What the problems did to the run ("2 errors, 1 warning: nothing was built; ..."), or
    None when they did nothing."""
    errors = sum(1 for p in problems if p.severity is Severity.ERROR)
    warnings = len(problems) - errors
    if not errors and not (strict and warnings):
        return None
    counts = f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
    if strict and warnings:
        counts += " (warnings fail with --strict)"
    outcome = {"build": "nothing was built; the previous site is unchanged",
               "pdf": "no PDF was written; the previous ones are unchanged"}.get(command, "fix them and run again")
    return f"{counts}: {outcome}."


class Progress:
    """The stages of a build on stderr: a bar redrawn in place on a terminal, one plain
    line per stage elsewhere (CI, a pipe, a log file), nothing when quiet."""

    WIDTH = 20

    def __init__(self, stream: TextIO, total: int, quiet: bool = False) -> None:
        self.stream, self.total, self.step = stream, total, 0
        interactive = stream.isatty() and not os.environ.get("CI") and os.environ.get("TERM") != "dumb"
        self.mode = "off" if quiet else "bar" if interactive else "lines"

    def __call__(self, stage: str, detail: str) -> None:
        self.step += 1
        self.total = max(self.total, self.step)
        label = f"[{self.step}/{self.total}] {stage}" + (f": {detail}" if detail else "")
        if self.mode == "lines":
            print(label, file=self.stream, flush=True)
        elif self.mode == "bar":
            done = self.WIDTH * (self.step - 1) // self.total
            line = f"{'#' * done}{'.' * (self.WIDTH - done)} {label}"
            self.stream.write("\r\x1b[K" + line[: shutil.get_terminal_size().columns - 1])
            self.stream.flush()

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.mode == "bar" and self.step:  # clear the bar: the summary or the errors follow
            self.stream.write("\r\x1b[K")
            self.stream.flush()
