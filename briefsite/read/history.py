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

import datetime as dt
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import TypeAlias

import pydantic
import yaml

from ..core import model as m
from ..core.errors import LoadError
from .document import parse_text
from .shapes import salvage

Held: TypeAlias = "m.Briefing | tuple[dt.date, ...] | None"
"""What the cache keeps of a commit's file: the version it issued, read; else only the
dates of its updates; None when git has no such file."""
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
                 kept: dict[tuple[str, str], Held]) -> History:
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
    texts = _cat_files(top, [c for cs in commits.values() for c in cs if (c.commit, c.path) not in kept])
    for c, text in texts.items():  # what each commit's update list says, without parsing the rest
        kept[(c.commit, c.path)] = _update_dates(text) if text is not None else None
    issuing = {bid: _issuing_commits(wanted[bid], commits[bid], kept) for bid in wanted}
    to_read = [c for cs in issuing.values() for c in cs if not isinstance(kept[(c.commit, c.path)], m.Briefing)]
    texts.update(_cat_files(top, [c for c in to_read if texts.get(c) is None]))  # dates kept from a build before
    for c in to_read:
        text = texts.get(c)
        kept[(c.commit, c.path)] = _parse(c.path, text) if text is not None else None
    versions: dict[str, tuple[m.Version, ...]] = {}
    unfound = 0
    for bid, b in briefings.items():
        if bid not in wanted:
            versions[bid] = _only_version(b)
            continue
        found, lost = _versions_of(b, issuing[bid], kept)
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


def _cat_files(top: Path, wanted: list[Committed]) -> dict[Committed, str | None]:
    """The file each commit held (None where git has none), from one `git cat-file --batch`."""
    if not wanted:
        return {}
    git = shutil.which("git")
    if git is None:
        return dict.fromkeys(wanted)
    objects = "".join(f"{c.commit}:{c.path}\n" for c in wanted).encode()
    try:
        result = subprocess.run([git, "-C", str(top), "cat-file", "--batch"], input=objects, capture_output=True,
                                timeout=GIT_TIMEOUT, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return dict.fromkeys(wanted)
    data, at = result.stdout, 0
    contents: dict[Committed, str | None] = {}
    for c in wanted:
        end = data.find(b"\n", at)
        header = data[at:end].split(b" ") if end >= 0 else []
        if len(header) != 3 or header[1] != b"blob":  # "<name> missing"
            contents[c] = None
            at = end + 1 if end >= 0 else len(data)
            continue
        size = int(header[2])
        contents[c] = data[end + 1:end + 1 + size].decode("utf-8", errors="replace")
        at = end + 1 + size + 1
    return contents


_UPDATE_DATE = re.compile(r"^\s*-?\s*date:\s*['\"]?(\d{4}-\d\d-\d\d)", re.MULTILINE)


def _update_dates(text: str) -> tuple[dt.date, ...]:
    """The dates of a file's updates, newest first, read from its `updates:` block alone."""
    block = "".join(part for key, part in _top_blocks(text) if key == "updates")
    found = []
    for day in _UPDATE_DATE.findall(block):
        try:
            found.append(dt.date.fromisoformat(day))
        except ValueError:
            continue
    return tuple(found)


def _top_blocks(text: str) -> list[tuple[str, str]]:
    """(key, text) of each top-level key of a block-YAML file (such a key starts a line)."""
    starts = [(match.start(), match.group(1)) for match in _TOP_KEY.finditer(text)]
    ends = [start for start, _ in starts[1:]] + [len(text)]
    return [(key, text[start:end]) for (start, key), end in zip(starts, ends, strict=True)]


def _dates(held: m.Briefing | tuple[dt.date, ...] | None) -> tuple[dt.date, ...]:
    if isinstance(held, m.Briefing):
        return tuple(u.date for u in held.updates)
    return held or ()


def _issuing_commits(current: m.Briefing, committed: list[Committed],
                     kept: dict[tuple[str, str], Held]) -> list[Committed]:
    """For each update but the newest, the commit where it first appeared as the newest:
    the commit that issued that version."""
    oldest_first = list(reversed(committed))
    found = []
    for update in current.updates[1:]:
        first = next((c for c in oldest_first if update.date in _dates(kept.get((c.commit, c.path)))), None)
        if first is not None and _dates(kept.get((first.commit, first.path)))[:1] == (update.date,):
            found.append(first)
    return found


_TOP_KEY = re.compile(r"^([A-Za-z_][\w-]*)[ \t]*:", re.MULTILINE)
_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


HISTORY_KEYS = ("status", "audience", "key_judgments", "scenarios", "updates")
"""What a version's history reads of an earlier version (the rest of the file is read only
for its page, by read_whole)."""


def _parse(path: str, text: str) -> m.Briefing | None:
    """A briefing as once committed, for its history: the blocks HISTORY_KEYS name, cut from
    the text (a top-level key of block YAML starts a line) and read by the C parser, a
    fraction of the cost of the whole file. A file that does not read so is read whole."""
    part = "".join(block for key, block in _top_blocks(text) if key in HISTORY_KEYS)
    try:
        data = yaml.load(part, Loader=_FAST_LOADER)  # noqa: S506 - a safe loader
        if isinstance(data, dict):
            return m.Briefing.model_validate({"title": "", "date": dt.date.min, "summary": "", **data})
    except (yaml.YAMLError, pydantic.ValidationError, ValueError):
        pass
    return _parse_whole(path, text)


def _parse_whole(path: str, text: str) -> m.Briefing | None:
    """A briefing as once committed, whole (its version page shows all of it): read by the C
    parser, without the line numbers the checks keep. A file that does not read so is read
    as leniently as a failed record: what no longer fits the format is left out (an old
    version is shown, never judged)."""
    try:
        data = yaml.load(text, Loader=_FAST_LOADER)  # noqa: S506 - a safe loader
        if isinstance(data, dict):
            return m.Briefing.model_validate(data)
    except (yaml.YAMLError, pydantic.ValidationError, ValueError):
        pass
    try:
        doc = parse_text(Path(path), text)
    except LoadError:
        return None
    if not isinstance(doc.data, dict):
        return None
    record = salvage(doc.data, m.Briefing)
    return record if isinstance(record, m.Briefing) else None


def read_whole(data: Path, versions: list[m.Version]) -> dict[tuple[str, str], m.Briefing]:
    """The whole files of earlier versions (read_history reads only what their history
    needs), by (commit, path), from one `git cat-file --batch`; a version git no longer has,
    or that does not read, is left out."""
    wanted = [Committed(v.commit, v.path, 0) for v in versions if v.commit]
    repo = _work_tree(data) if wanted else None
    if repo is None:
        return {}
    found = {}
    for c, text in _cat_files(repo[0], wanted).items():
        whole = _parse_whole(c.path, text) if text is not None else None
        if whole is not None:
            found[(c.commit, c.path)] = whole
    return found


def _versions_of(current: m.Briefing, issuing: list[Committed], kept: dict[tuple[str, str], Held]
                 ) -> tuple[tuple[m.Version, ...], int]:
    """Each update of the current file, with the briefing as committed when it was issued
    (the current file for the newest, committed or about to be); and how many of the older
    updates were issued in no commit at hand (first seen below a later update: a shallow
    clone, or not committed)."""
    issued = {_dates(kept.get((c.commit, c.path)))[0]: c for c in issuing}
    versions: list[m.Version] = []
    lost = 0
    for n, update in enumerate(reversed(current.updates)):
        if n == len(current.updates) - 1:
            versions.append(m.Version(update.date, update.note, update.trend, "", current))
            continue
        c = issued.get(update.date)
        held = kept.get((c.commit, c.path)) if c is not None else None
        if c is None or not isinstance(held, m.Briefing):
            lost += 1
            continue
        versions.append(m.Version(update.date, update.note, update.trend, c.commit, held, c.path))
    return tuple(versions), lost
