"""Read YAML files into plain Python values, keeping the position of every value.

We build values from libyaml's event stream ourselves instead of calling
`yaml.safe_load`, so that we can: keep line and column for every key and value,
refuse duplicate keys (PyYAML silently keeps the last), refuse non-standard tags,
and bound nesting depth and alias expansion (a "billion laughs" file) before
anything large is ever built.
"""

from __future__ import annotations

import re
import stat
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.resolver import Resolver

from ..core.errors import LoadError, Mark, Path_, Problem, display_path
from ..core.text import LINE_BREAK
from .yaml_errors import describe_yaml_error

MAX_FILE_BYTES = 5 * 1024 * 1024
"""A larger file is refused from its size, before a byte of it is read."""
MAX_LINE_CHARS = 100_000
"""Longer lines are refused: no Markdown paragraph needs them, and a generated file may."""
MAX_DEPTH = 50
"""Nesting of lists and mappings; the format needs five levels at most."""
MAX_EXPANDED_NODES = 200_000
"""Values that aliases may add up to, to stop an alias bomb ('billion laughs')."""

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml is 10x faster

_YAML_TAG = "tag:yaml.org,2002:"
STR, INT, FLOAT, BOOL, NULL, TIMESTAMP = (
    f"{_YAML_TAG}{t}" for t in ("str", "int", "float", "bool", "null", "timestamp")
)
_SCALAR_TAGS = {STR, INT, FLOAT, BOOL, NULL, TIMESTAMP}
_SEQ_TAG, _MAP_TAG = "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"


@dataclass
class Document:
    """One YAML file, its value, and where each value and key stands in it."""

    file: Path
    data: Any
    value_marks: dict[Path_, Mark] = field(default_factory=dict)
    key_marks: dict[Path_, Mark] = field(default_factory=dict)
    value_ends: dict[Path_, Mark] = field(default_factory=dict)
    """Where each text value ends (just after its last character), to find references inside it."""
    raw_scalars: dict[Path_, str] = field(default_factory=dict)
    """The text as written of every scalar that YAML read as something other than text
    (`yes`, `2020`, `~`), so that messages can quote what the user typed."""
    literal_texts: dict[Path_, int] = field(default_factory=dict)
    """The texts written as literal blocks (`|`), with the indentation of their lines: their
    lines are the file's, from the line after the mark."""

    @cached_property
    def name(self) -> str:
        return display_path(self.file)

    def mark_of(self, path: Path_, key: bool = False) -> Mark | None:
        """The mark of a path, or of its nearest ancestor that has one."""
        if key and path in self.key_marks:
            return self.key_marks[path]
        while True:
            if path in self.value_marks:
                return self.value_marks[path]
            if not path:
                return None
            path = path[:-1]

    def problem(self, path: Path_, message: str, key: bool = False) -> Problem:
        return Problem(self.name, self.mark_of(path, key=key), path, message)


def load_file(file: Path, inside: Path | None = None) -> Document:
    """Load one YAML file; raise LoadError naming file, line and column (see read_text for `inside`)."""
    return parse_text(file, read_text(file, inside))


def read_text(file: Path, inside: Path | None = None) -> str:
    """A YAML file's text, checked for size, encoding and line length; raise LoadError. With
    `inside` (the content folder), a file reached through a link that leads out of it is
    refused unread: nothing outside the project is read into a site or quoted in a message."""
    if inside is not None and file.is_symlink() and not within(file, inside):
        raise LoadError([Problem(display_path(file), None, (), OUTSIDE)])
    return decode_text(_read_bytes(file), display_path(file))


OUTSIDE = ("a link to a file outside the content folder: links are not followed out of it, so that nothing "
           "outside the project is read; copy the file into the folder instead")


def within(file: Path, folder: Path) -> bool:
    """Whether `file`, its links followed, is inside `folder`."""
    try:
        return file.resolve().is_relative_to(folder.resolve())
    except (OSError, RuntimeError):  # a loop of links
        return False


def parse_text(file: Path, text: str) -> Document:
    """The text of `file` (from read_text) as a Document; raise LoadError."""
    return _Builder(file, display_path(file)).build(text)


class DeferredDocument:
    """A Document that is parsed again only when something asks for it.

    A file read in an earlier run and unchanged since keeps what was checked in it; its
    positions are needed only if a rule across records finds a problem there, so only
    then is the text (kept from this run's read) parsed again.
    """

    def __init__(self, file: Path, text: str):
        self.file = file
        self.text = text

    @cached_property
    def name(self) -> str:
        return display_path(self.file)

    @cached_property
    def parsed(self) -> Document:
        return parse_text(self.file, self.text)

    def __getattr__(self, attr: str) -> Any:
        if attr.startswith("__") or attr in ("file", "text", "parsed"):  # pickling, or not yet set
            raise AttributeError(attr)
        return getattr(self.parsed, attr)

    def __getstate__(self) -> dict[str, Any]:
        """The file only: whoever keeps it gives it the text again when it is unchanged."""
        return {"file": self.file, "text": ""}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)


def _read_bytes(file: Path) -> bytes:
    """The file's bytes, refused from its size or kind before any is read; raise LoadError."""
    def fail(message: str) -> LoadError:
        return LoadError([Problem(display_path(file), None, (), message)])

    try:
        info = file.stat()
        if stat.S_ISDIR(info.st_mode):
            raise fail("this is a folder, not a file; rename it (only files may end in .yaml)")
        if not stat.S_ISREG(info.st_mode):  # reading a pipe or a device could wait forever
            raise fail("this is not a regular file (a pipe or a device); put a file here instead")
        refused = too_large(info.st_size)
        if refused:  # refused from its size: nothing of it is read
            raise fail(refused)
        with file.open("rb") as stream:  # bounded, for a file that grows while we read it
            return stream.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise fail(f"cannot read the file: {exc.strerror or exc}") from None


def too_large(size: int) -> str | None:
    """Why a file of `size` bytes is refused before any of it is read, or None."""
    if size > MAX_FILE_BYTES:
        return f"the file is {size / 2**20:,.1f} MiB; a file may be at most {MAX_FILE_BYTES // 2**20} MiB"
    return None


def decode_text(raw: bytes, name: str) -> str:
    """The bytes of a YAML file as text, checked for size, encoding and line length; raise
    LoadError naming `name` (a file, or a file as a git commit holds it)."""
    def fail(message: str, mark: Mark | None = None) -> LoadError:
        return LoadError([Problem(name, mark, (), message)])

    if len(raw) > MAX_FILE_BYTES:
        raise fail(f"the file is larger than {MAX_FILE_BYTES // 2**20} MiB, the most a file may be")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise fail("the file is UTF-16 text; save it as UTF-8", Mark(1, 1))
    try:
        text = raw.decode("utf-8-sig")  # a byte-order mark is harmless: drop it
    except UnicodeDecodeError as exc:
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        before = raw[line_start:exc.start].decode("utf-8-sig", errors="replace")
        raise fail(
            f"the file is not UTF-8 text: byte 0x{raw[exc.start]:02x} here is not UTF-8 "
            "(was it saved as Latin-1 or Windows-1252?); save the file as UTF-8",
            Mark(raw.count(b"\n", 0, exc.start) + 1, len(before) + 1),
        ) from None
    if all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()):
        raise fail("the file is empty (it holds only blank lines or comments)")
    if len(text) > MAX_LINE_CHARS:
        for number, line in enumerate(LINE_BREAK.split(text), start=1):
            if len(line) > MAX_LINE_CHARS:
                raise fail(f"this line is {len(line):,} characters long; a line may be at most "
                           f"{MAX_LINE_CHARS:,} (break long text over several lines)", Mark(number, 1))
    return text


def _mark(m: Any) -> Mark:
    return Mark(m.line + 1, m.column + 1)


class _Builder:
    """Turns libyaml events into Python values, iteratively (no recursion limit)."""

    def __init__(self, file: Path, name: str):
        self.doc = Document(file, None)
        self.name = name
        self.resolver = Resolver()
        self.constructor = SafeConstructor()
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.expanded = 0
        self.text = ""
        self.lines: list[str] | None = None
        self.refused: list[Problem] = []
        """Tags refused so far: each is said, and the file is refused once it is all read."""

    def fail(self, mark: Mark | None, path: Path_, message: str) -> LoadError:
        return LoadError([Problem(self.name, mark, path, message)])

    def build(self, text: str) -> Document:
        self.text = text
        try:
            self._consume(yaml.parse(text, Loader=_Loader))
        except yaml.MarkedYAMLError as exc:
            mark, message = describe_yaml_error(exc, text)
            raise self.fail(mark, (), f"YAML syntax error: {message}") from None
        except yaml.reader.ReaderError as exc:
            char = exc.character if isinstance(exc.character, int) else ord(exc.character)
            raise self.fail(_position(text, exc.position), (), f"the control character U+{char:04X} is not allowed "
                            "in YAML text; delete it (it is often invisible: retype the text around it)") from None
        except yaml.YAMLError as exc:
            raise self.fail(None, (), f"not valid YAML: {' '.join(str(exc).split())}") from None
        if self.refused:
            raise LoadError(self.refused)
        return self.doc

    def _consume(self, events: Any) -> None:
        # Each open container: [value, path, pending_key, key_mark, anchor, size]
        stack: list[list[Any]] = []
        documents = 0
        for event in events:
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise self.fail(_mark(event.start_mark), (), "the file holds more than one YAML document "
                                    "(a second '---'); keep one document per file")
                continue
            if isinstance(event, (yaml.StreamStartEvent, yaml.StreamEndEvent, yaml.DocumentEndEvent)):
                continue
            if isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                value, path, _, _, anchor, size = stack.pop()
                self._finish(stack, value, path, anchor, size, event)
                continue
            path = self._child_path(stack, event)
            if path is None:  # a mapping key was consumed
                continue
            mark = _mark(event.start_mark)
            if isinstance(event, yaml.AliasEvent):
                if event.anchor not in self.anchors:
                    raise self.fail(mark, path, f"YAML reads *{event.anchor} as an alias, but no anchor "
                                    f"&{event.anchor} comes before it; put quotes around text that starts with '*'")
                value, size = self.anchors[event.anchor]
                self.expanded += size
                if self.expanded > MAX_EXPANDED_NODES:
                    raise self.fail(mark, path, f"aliases would expand to more than {MAX_EXPANDED_NODES:,} values "
                                    "(an alias bomb, or 'billion laughs'); the file is refused: write the values "
                                    "out instead of repeating aliases")
                self.doc.value_marks[path] = mark
                self._attach(stack, value, path, size)
                continue
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                self._check_tag(event, mark, path)
                if len(stack) >= MAX_DEPTH:
                    raise self.fail(mark, (), f"lists and mappings are nested more than {MAX_DEPTH} levels deep "
                                    "here; the format never needs more than a few levels")
                self.doc.value_marks[path] = mark
                container: Any = [] if isinstance(event, yaml.SequenceStartEvent) else {}
                stack.append([container, path, None, None, event.anchor, 1])
                continue
            assert isinstance(event, yaml.ScalarEvent)
            value = self._scalar(event, mark, path)
            self.doc.value_marks[path] = mark
            self.doc.value_ends[path] = _mark(event.end_mark)
            if event.anchor:
                self.anchors[event.anchor] = (value, 1)
            self._attach(stack, value, path, 1)

    def _child_path(self, stack: list[list[Any]], event: Any) -> Path_ | None:
        """The path of the value this event starts, or None if it was a mapping key."""
        if not stack:
            return ()
        top = stack[-1]
        container, path = top[0], top[1]
        if isinstance(container, list):
            return path + (len(container),)
        if top[2] is None:  # expecting a key
            mark = _mark(event.start_mark)
            if not isinstance(event, yaml.ScalarEvent):
                raise self.fail(mark, path, "a key must be plain text, not a list, mapping or alias")
            if event.tag == "tag:yaml.org,2002:merge" or (event.value == "<<" and event.implicit[0]):
                raise self.fail(mark, path, "merge keys ('<<') are not supported; write the keys out")
            key = event.value
            if key in container:
                first = self.doc.key_marks.get(path + (key,))
                where = f" at line {first.line}" if first else ""
                raise self.fail(mark, path + (key,), f"duplicate key '{key}': it is already given{where}; "
                                "a key may appear only once in a mapping, so keep one of them")
            top[2], top[3] = key, mark
            self.doc.key_marks[path + (key,)] = mark
            return None
        return path + (top[2],)

    def _attach(self, stack: list[list[Any]], value: Any, path: Path_, size: int) -> None:
        if not stack:
            self.doc.data = value
            return
        top = stack[-1]
        if isinstance(top[0], list):
            top[0].append(value)
        else:
            top[0][top[2]] = value
            top[2] = None
        top[5] += size

    def _finish(self, stack: list[list[Any]], value: Any, path: Path_, anchor: str | None, size: int,
                event: Any) -> None:
        if anchor:
            self.anchors[anchor] = (value, size)
        self._attach(stack, value, path, size)

    def _block_indent(self, line: int) -> int:
        """The indentation of a block's first line that holds text, from the 0-based `line` on."""
        if self.lines is None:
            self.lines = self.text.split("\n")  # once per file, and only for a file with such a block
        for text in self.lines[line:]:
            if text.strip():
                return len(text) - len(text.lstrip(" "))
        return 0

    def _check_tag(self, event: Any, mark: Mark, path: Path_) -> None:
        tag = event.tag
        if tag in (None, "!", _SEQ_TAG, _MAP_TAG):
            return
        self.refused.append(Problem(self.name, mark, path, _tag_refused(tag)))  # all of them said at the end

    def _scalar(self, event: Any, mark: Mark, path: Path_) -> Any:
        tag = event.tag
        if tag is None or tag == "!":
            tag = self.resolver.resolve(yaml.ScalarNode, event.value, event.implicit)
        if tag not in _SCALAR_TAGS:
            self.refused.append(Problem(self.name, mark, path, _tag_refused(tag)))  # all of them said at the end
            return None
        if tag == STR:  # most values: no need for the constructor
            if event.style == "|":
                self.doc.literal_texts[path] = self._block_indent(event.start_mark.line + 1)
            value = event.value
            return BIDI_CONTROLS.sub("", value) if _HAS_BIDI(value) else value
        node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
        try:
            value = self.constructor.construct_object(node, deep=True)
        except (ValueError, OverflowError, yaml.constructor.ConstructorError):
            if tag != TIMESTAMP:
                raise self.fail(mark, path, f"'{event.value}' cannot be read as {_short_tag(tag)}") from None
            value = event.value  # an impossible date such as 2020-02-30: the record's rules explain it
        if not isinstance(value, str):
            self.doc.raw_scalars[path] = event.value
        return value


BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
"""The characters that embed, override or isolate a direction of writing. Left in a title
or a tag they reorder what readers see ('\u202egnp.exe' shows as 'exe.png'), and one left
open reorders what follows it on the page; every text is read without them (the marks that
only set a direction, U+200E and U+200F, stay: they reorder nothing)."""
_HAS_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]").search


def _short_tag(tag: str) -> str:
    return "!!" + tag.removeprefix(_YAML_TAG) if tag.startswith(_YAML_TAG) else tag


def _tag_refused(tag: str) -> str:
    hint = " (text that starts with '!' must be in quotes)" if not tag.startswith(_YAML_TAG) else ""
    return (f"the tag {_short_tag(tag)} is not allowed{hint}; YAML tags are refused: write plain text, "
            "numbers, dates, lists and mappings")


def _position(text: str, index: int) -> Mark:
    """The line and column of a character index, counting lines as YAML does."""
    breaks = list(LINE_BREAK.finditer(text, 0, index))
    start = breaks[-1].end() if breaks else 0
    return Mark(len(breaks) + 1, index - start + 1)
