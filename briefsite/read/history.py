"""The issued versions of each briefing, from the git history the project already keeps.

Each entry of a briefing's `updates:` is a version: the briefing file as committed when
that entry first appeared (following renames). Only briefings with more than one update
need their history, and git is asked once per build for every one of them (`git log` of
the briefings folder, then `git cat-file --batch` for the files at the commits that
matter), never once per file or version; what a commit held never changes, so a version
read once is kept in the build cache by commit and path. git runs with fixed arguments,
no shell. Without git, in a shallow clone or with a version not committed yet, the build
goes on with what there is, and the desk is told once what is missing and how to fix it.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..core import model as m
from ..core.errors import LoadError
from .document import parse_text
from .shapes import salvage

GIT_TIMEOUT = 120
"""Seconds; a history so large that git takes longer is read as missing, with a message."""


@dataclass(frozen=True)
class Committed:
    """One briefing file as one commit held it."""

    commit: str
    path: str
    """Relative to the top of the git work tree, as it was named then."""
    when: int
    """Commit time, in seconds since 1970."""


@dataclass(frozen=True)
class History:
    """Every briefing's versions, oldest first, and what could not be found (said once)."""

    versions: dict[str, tuple[m.Version, ...]]
    missing: str | None = None


def read_history(data: Path, briefings: dict[str, m.Briefing], files: dict[str, Path],
                 kept: dict[tuple[str, str], m.Briefing | None]) -> History:
    """The versions of each briefing with more than one update. `files`: each briefing's
    file; `kept`: versions read by earlier builds (by commit and path), added to here."""
    wanted = {bid: b for bid, b in briefings.items() if len(b.updates) > 1}
    if not wanted:
        return History({bid: _only_version(b) for bid, b in briefings.items()})
    repo = _work_tree(data)
    if repo is None:
        several = f"{len(wanted)} briefing{'s' if len(wanted) != 1 else ''} with several updates"
        return History({bid: _only_version(b) for bid, b in briefings.items()}, f"{several} "
                       "but no git history to read them from: each shows its current version only (keep the "
                       "project in git to show how its judgments moved)")
    top, shallow = repo
    commits = _commits_touching(top, {bid: files[bid] for bid in wanted})
    needed = [c for cs in commits.values() for c in cs if (c.commit, c.path) not in kept]
    kept.update(_read_versions(top, needed))
    versions: dict[str, tuple[m.Version, ...]] = {}
    unfound = 0
    for bid, b in briefings.items():
        if bid not in wanted:
            versions[bid] = _only_version(b)
            continue
        found, lost = _versions_of(b, [(c, kept.get((c.commit, c.path))) for c in commits.get(bid, [])])
        versions[bid] = found
        unfound += lost
    missing = None
    if unfound:
        why = ("this is a shallow clone; fetch the whole history (fetch-depth: 0 in the publishing workflow, or "
               "git fetch --unshallow)" if shallow else "commit the briefings to show them")
        missing = f"{unfound} version{'s' if unfound != 1 else ''} of briefings not found in git history: {why}"
    return History(versions, missing)


def _only_version(b: m.Briefing) -> tuple[m.Version, ...]:
    latest = b.updates[0] if b.updates else None
    return (m.Version(latest.date if latest else b.date, latest.note if latest else "",
                      latest.trend if latest else None, "", b),)


def _git(top: Path, *args: str, given: str | None = None) -> str | None:
    git = shutil.which("git")
    if git is None:
        return None
    try:
        result = subprocess.run([git, "-C", str(top), *args], input=given, capture_output=True, text=True,
                                timeout=GIT_TIMEOUT, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return result.stdout if result.returncode == 0 else None


def _work_tree(data: Path) -> tuple[Path, bool] | None:
    """The top of the git work tree holding `data`, and whether it is a shallow clone."""
    out = _git(data, "rev-parse", "--show-toplevel", "--is-shallow-repository")
    if out is None:
        return None
    lines = out.splitlines()
    return Path(lines[0]), len(lines) > 1 and lines[1] == "true"


def _commits_touching(top: Path, files: dict[str, Path]) -> dict[str, list[Committed]]:
    """For each briefing, the commits that changed its file, newest first, with the file's
    name at each (renames followed), from one `git log` of the folders they are in."""
    names = {bid: path.resolve().relative_to(top.resolve()).as_posix() for bid, path in files.items()}
    folders = sorted({name.rpartition("/")[0] or "." for name in names.values()})
    out = _git(top, "log", "--format=%x1e%H %ct", "--name-status", "-M", "--no-color", "--", *folders)
    following = {name: bid for bid, name in names.items()}
    found: dict[str, list[Committed]] = {bid: [] for bid in files}
    for block in (out or "").split("\x1e")[1:]:
        head, *changes = block.strip("\n").split("\n")
        commit, when = head.split(" ")
        for line in filter(None, changes):
            status, *paths = line.split("\t")
            now = paths[-1]
            bid = following.get(now)
            if bid is None or status.startswith("D"):
                continue
            found[bid].append(Committed(commit, now, int(when)))
            if status.startswith("R"):  # older commits knew the file by its old name
                del following[now]
                following[paths[0]] = bid
    return found


def _read_versions(top: Path, wanted: Iterable[Committed]) -> dict[tuple[str, str], m.Briefing | None]:
    """The briefings the commits held (None where one cannot be read), from one `git cat-file`."""
    wanted = list(wanted)
    if not wanted:
        return {}
    out = _cat_files(top, [f"{c.commit}:{c.path}" for c in wanted])
    read: dict[tuple[str, str], m.Briefing | None] = {}
    for c, blob in zip(wanted, out, strict=True):
        read[(c.commit, c.path)] = _parse(c.path, blob) if blob is not None else None
    return read


def _cat_files(top: Path, objects: list[str]) -> list[str | None]:
    """The content of each `commit:path`, in order, from one `git cat-file --batch`."""
    git = shutil.which("git")
    if git is None:
        return [None] * len(objects)
    try:
        result = subprocess.run([git, "-C", str(top), "cat-file", "--batch"],
                                input=("\n".join(objects) + "\n").encode(), capture_output=True, timeout=GIT_TIMEOUT,
                                check=False)
    except (OSError, subprocess.TimeoutExpired):
        return [None] * len(objects)
    data, at = result.stdout, 0
    contents: list[str | None] = []
    for _ in objects:
        end = data.find(b"\n", at)
        if end < 0:
            contents.append(None)
            continue
        header = data[at:end].split(b" ")
        at = end + 1
        if len(header) != 3 or header[1] != b"blob":  # "<name> missing"
            contents.append(None)
            continue
        size = int(header[2])
        contents.append(data[at:at + size].decode("utf-8", errors="replace"))
        at += size + 1
    return contents


def _parse(path: str, text: str) -> m.Briefing | None:
    """A briefing as once committed, read as leniently as a failed record: what no longer
    fits the format is left out (an old version is shown, never judged)."""
    try:
        doc = parse_text(Path(path), text)
    except LoadError:
        return None
    if not isinstance(doc.data, dict):
        return None
    record = salvage(doc.data, m.Briefing)
    return record if isinstance(record, m.Briefing) else None


def _versions_of(current: m.Briefing, committed: list[tuple[Committed, m.Briefing | None]]
                 ) -> tuple[tuple[m.Version, ...], int]:
    """Each update of the current file, with the briefing as committed when it first
    appeared (the current file for the newest, if not committed yet); and how many of the
    older updates were found nowhere."""
    oldest_first = list(reversed(committed))
    versions: list[m.Version] = []
    lost = 0
    for n, update in enumerate(reversed(current.updates)):
        newest = n == len(current.updates) - 1
        first = next(((c, b) for c, b in oldest_first
                      if b is not None and any(u.date == update.date for u in b.updates)), None)
        held, commit = (first[1], first[0].commit) if first is not None else (None, "")
        if held is not None and held.updates[0].date != update.date:
            held = None  # first seen below a later update: the commit that issued it is not here (a shallow clone)
        if newest:  # the current file is the newest version (committed, or about to be)
            held = current
        if held is None:
            lost += 1
            continue
        versions.append(m.Version(update.date, update.note, update.trend, commit, held))
    return tuple(versions), lost
