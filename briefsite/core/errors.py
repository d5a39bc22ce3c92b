"""Problems a user can cause, and the one exception root that carries them."""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

Path_ = tuple[str | int, ...]


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Mark:
    """A 1-based position in a source file."""

    line: int
    column: int


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or suspect) in the user's data."""

    file: str
    """The file, as the user would type it (relative to the working folder when possible)."""
    mark: Mark | None
    """Where in the file; None when the file as a whole is at fault."""
    path: Path_
    """The key path inside the document, e.g. ('key_judgments', 1, 'likelihood')."""
    message: str
    """What is wrong and what is allowed."""
    severity: Severity = Severity.ERROR
    kind: str = ""
    """For a warning, its kind (vocabulary.WARNING_KINDS): warnings are grouped and turned off by kind."""

    def format(self) -> str:
        where = self.file
        if self.mark is not None:
            where += f":{self.mark.line}:{self.mark.column}"
        key = format_key_path(self.path)
        body = f"{key}: {self.message}" if key else self.message
        return f"{self.severity.value}: {where}: {body}" if where else f"{self.severity.value}: {body}"

    def to_dict(self) -> dict[str, object]:
        return {
            "severity": self.severity.value,
            "file": self.file,
            "line": self.mark.line if self.mark else None,
            "column": self.mark.column if self.mark else None,
            "path": format_key_path(self.path),
            "message": self.message,
            "kind": self.kind or None,
        }


def format_key_path(path: Path_) -> str:
    """('key_judgments', 1, 'likelihood') -> 'key_judgments[1].likelihood'."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def display_path(path: Path) -> str:
    """A path as the user would type it: relative to the working folder when inside it."""
    return _display_path(str(path), os.getcwd())


@functools.lru_cache(maxsize=1 << 14)  # every record names its file; resolving costs a system call per part
def _display_path(path: str, cwd: str) -> str:
    try:
        return str(Path(path).resolve().relative_to(Path(cwd).resolve()))
    except ValueError:
        return path


class BriefError(Exception):
    """Root of everything a user can cause; the CLI prints these without a traceback."""

    def __init__(self, problems: list[Problem] | str):
        if isinstance(problems, str):
            problems = [Problem(file="", mark=None, path=(), message=problems)]
        self.problems = problems
        super().__init__("\n".join(p.format() for p in problems))


class LoadError(BriefError):
    """The data could not be read as YAML."""


class ValidationError(BriefError):
    """The data was read but breaks the format's rules."""


class RenderError(BriefError):
    """A template failed to render."""


class SiteError(BriefError):
    """The site engine failed."""


class PdfError(BriefError):
    """PDF export failed."""


@dataclass
class Report:
    """All problems of a run, errors and warnings apart."""

    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.WARNING]

    def add(self, problem: Problem) -> None:
        self.problems.append(problem)

    def extend(self, problems: Iterable[Problem]) -> None:
        self.problems.extend(problems)
