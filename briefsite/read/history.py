"""The issued versions of each briefing, from the git history the project already keeps.

Each entry of a briefing's `updates:` is a version: the briefing file as committed when
that entry first appeared (following renames). Only briefings with more than one update
need their history, and git is asked once per build for every one of them (`git log` of
the briefings folder, then `git cat-file` for the files at those commits; see read/git.py),
never once per file or version. Each committed file is read as `validate` reads a briefing
(read.files.read_record): a version whose file no longer reads is left out, with a warning
that names the commit, the file and the line. What a commit held never changes, so what was
read of it is kept in the build cache by commit and path. Without git, in a shallow clone
or with a version not committed yet, the build goes on with what there is, and the desk is
told once what is missing and how to fix it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from ..core import model as m
from ..core.errors import LoadError, Problem, Severity
from .document import decode_text, too_large
from .files import read_record
from .git import Blob, Committed, cat_files, commits_touching, work_tree

HISTORY_KEYS = ("status", "audience", "key_judgments", "scenarios", "updates")
"""What a version's history keeps of an earlier version (the rest of the file is read again
only for its page, by read_whole)."""
SHORT_HASH = 10
"""Characters of a commit's hash in messages (`git show <hash>:<path>` shows the file)."""


@dataclass(frozen=True)
class Held:
    """What the history keeps of one commit's briefing file (in the build cache, by commit
    and path)."""

    dates: tuple[dt.date, ...] = ()
    """The dates of its updates, newest first (none when it does not read, or git has none)."""
    version: m.Briefing | None = None
    """The version it issued, with only HISTORY_KEYS (title and summary left empty), when it
    issued one."""
    problem: Problem | None = None
    """Its first error, when it does not read as a briefing."""


@dataclass(frozen=True)
class History:
    """Every briefing's versions, oldest first, and what could not be found (said once)."""

    versions: dict[str, tuple[m.Version, ...]]
    missing: str | None = None
    unreadable: tuple[Problem, ...] = ()
    """A warning (history-unreadable) for each version whose committed file does not read."""


def read_history(data: Path, briefings: dict[str, m.Briefing], files: dict[str, Path],
                 kept: dict[tuple[str, str], Held]) -> History:
    """The versions of each briefing with more than one update. `files`: each briefing's
    file; `kept`: what earlier builds read of each commit's file (by commit and path), added to here."""
    wanted = {bid: b for bid, b in briefings.items() if len(b.updates) > 1}
    if not wanted:
        return History({bid: _only_version(b) for bid, b in briefings.items()})
    repo = work_tree(data)
    if repo is None:
        several = f"{len(wanted)} briefing{'s' if len(wanted) != 1 else ''} with several updates"
        return History({bid: _only_version(b) for bid, b in briefings.items()}, f"{several} "
                       "but no git history to read them from: each shows its current version only (keep the "
                       "project in git to show how its judgments moved)")
    top, shallow = repo
    commits = commits_touching(top, {bid: files[bid] for bid in wanted})
    fresh = [c for cs in commits.values() for c in cs if _held(kept, c) is None]
    read = {c: _read_version(c, blob) for c, blob in cat_files(top, fresh).items()}
    kept.update({(c.commit, c.path): held for c, held in read.items()})
    issuing = {bid: _issuing_commits(wanted[bid], commits[bid], kept) for bid in wanted}
    issued = {c for found in issuing.values() for c in found.values()}
    for c, held in read.items():  # the cache keeps whole versions only of the commits that issued one
        if c not in issued and held.version is not None:
            kept[(c.commit, c.path)] = dataclasses.replace(held, version=None)
    again = [c for c in issued if (had := _held(kept, c)) is not None and had.version is None and not had.problem]
    kept.update({(c.commit, c.path): _read_version(c, blob) for c, blob in cat_files(top, again).items()})
    versions: dict[str, tuple[m.Version, ...]] = {}
    unreadable: dict[Committed, Problem] = {}
    unfound: dict[str, int] = {}
    for bid, b in briefings.items():
        if bid not in wanted:
            versions[bid] = _only_version(b)
            continue
        versions[bid], lost = _versions_of(b, issuing[bid], kept, unreadable)
        if lost:
            unfound[bid] = lost
    return History(versions, _not_found(unfound, shallow), tuple(unreadable.values()))


def _not_found(unfound: dict[str, int], shallow: bool) -> str | None:
    """What to say of the updates found in no commit: which briefings, and why it happens."""
    if not unfound:
        return None
    count = sum(unfound.values())
    names = ", ".join(sorted(unfound)[:3]) + (f" and {len(unfound) - 3} more" if len(unfound) > 3 else "")
    why = ("this is a shallow clone; fetch the whole history (fetch-depth: 0 in the publishing workflow, or "
           "git fetch --unshallow)" if shallow else "an update counts from the commit where it was the newest "
           "entry of updates:, so commit the briefing each time you add one (an entry added with a later one, or "
           "never committed, is not found)")
    return (f"{count} earlier version{'s' if count != 1 else ''} not found in git history ({names}): each shows "
            f"the versions found only; {why}")


def _only_version(b: m.Briefing) -> tuple[m.Version, ...]:
    latest = b.updates[0] if b.updates else None
    return (m.Version(latest.date if latest else b.date, latest.note if latest else "",
                      latest.trend if latest else None, "", b),)


def _held(kept: dict[tuple[str, str], Held], c: Committed) -> Held | None:
    held = kept.get((c.commit, c.path))
    return held if isinstance(held, Held) else None  # anything else was kept by another layout


def _read_version(c: Committed, blob: Blob) -> Held:
    """What the history keeps of a commit's file."""
    read = _read_file(c, blob)
    if not isinstance(read, m.Briefing):
        return Held(problem=read)
    parts = {key: getattr(read, key) for key in HISTORY_KEYS}
    version = m.Briefing.model_validate({"title": "", "date": dt.date.min, "summary": "", **parts})
    return Held(tuple(u.date for u in read.updates), version)


def _read_file(c: Committed, blob: Blob) -> m.Briefing | Problem | None:
    """A briefing file as a commit held it, read as `validate` reads the briefings (within the
    same bounds); else its first error, or None when git has no such file."""
    name = f"{c.commit[:SHORT_HASH]}:{c.path}"
    if blob is None:
        return None
    if isinstance(blob, int):
        return Problem(name, None, (), too_large(blob) or "")
    try:
        _, record, problems = read_record(Path(c.path), decode_text(blob, name), "briefing", m.Briefing)
    except LoadError as exc:
        problems, record = exc.problems, None
    if problems or record is None:
        return dataclasses.replace(problems[0], file=name)
    return record


def read_whole(data: Path, versions: list[m.Version]) -> dict[tuple[str, str], m.Briefing]:
    """The whole files of earlier versions (read_history keeps only what their history
    needs), by (commit, path), from one `git cat-file --batch`; a version git no longer has,
    or whose file does not read, is left out."""
    wanted = [Committed(v.commit, v.path, 0) for v in versions if v.commit]
    repo = work_tree(data) if wanted else None
    if repo is None:
        return {}
    read = {c: _read_file(c, blob) for c, blob in cat_files(repo[0], wanted).items()}
    return {(c.commit, c.path): whole for c, whole in read.items() if isinstance(whole, m.Briefing)}


def _issuing_commits(current: m.Briefing, committed: list[Committed],
                     kept: dict[tuple[str, str], Held]) -> dict[dt.date, Committed]:
    """For each update but the newest, the commit that issued that version: the first where
    the update appears, if it is the newest there. Where it first appears in a file that
    does not read, the first commit of that file after the last one without the update
    (none when a later commit that reads has it as its newest: the version as fixed)."""
    oldest_first = list(reversed(committed))
    found = {}
    for update in current.updates[1:]:
        unread: Committed | None = None
        for c in oldest_first:
            held = _held(kept, c)
            if held is None:
                continue
            if held.problem is not None:
                unread = unread or c
            elif update.date not in held.dates:
                unread = None  # the update was not there yet (or not any more)
            else:
                issuer = c if held.dates[0] == update.date else unread
                if issuer is not None:
                    found[update.date] = issuer
                break
        else:
            if unread is not None:
                found[update.date] = unread
    return found


def _versions_of(current: m.Briefing, issuing: dict[dt.date, Committed], kept: dict[tuple[str, str], Held],
                 unreadable: dict[Committed, Problem]) -> tuple[tuple[m.Version, ...], int]:
    """Each update of the current file, with the briefing as committed when it was issued
    (the current file for the newest, committed or about to be); and how many of the older
    updates were issued in no commit at hand (first seen below a later update: a shallow
    clone, or not committed). A version whose file does not read adds its warning to
    `unreadable`, once for its commit."""
    versions: list[m.Version] = []
    lost = 0
    for n, update in enumerate(reversed(current.updates)):
        if n == len(current.updates) - 1:
            versions.append(m.Version(update.date, update.note, update.trend, "", current))
            continue
        c = issuing.get(update.date)
        held = _held(kept, c) if c is not None else None
        if c is not None and held is not None and held.problem is not None:
            unreadable.setdefault(c, _unreadable(held.problem, update.date))
        elif c is not None and held is not None and held.version is not None:
            versions.append(m.Version(update.date, update.note, update.trend, c.commit, held.version, c.path))
        else:
            lost += 1
    return tuple(versions), lost


def _unreadable(problem: Problem, date: dt.date) -> Problem:
    """The warning for a version whose file, as committed, does not read (its first error)."""
    return dataclasses.replace(
        problem, severity=Severity.WARNING, kind="history-unreadable",
        message=f"the version of {date.isoformat()} is left out of the briefing's history: as this commit holds "
                f"it, {problem.message}; a commit cannot be changed, so to stop this warning add history-unreadable "
                "to ignore_warnings in site.yaml")
