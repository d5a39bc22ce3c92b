"""Read YAML files into plain Python values, keeping the position of every value.

We build values from libyaml's event stream ourselves instead of calling
`yaml.safe_load`, so that we can: keep line and column for every key and value,
refuse duplicate keys (PyYAML silently keeps the last), refuse non-standard tags,
and bound nesting depth and alias expansion (a "billion laughs" file) before
anything large is ever built.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.resolver import Resolver

from .errors import LoadError, Mark, Path_, Problem, display_path

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 50
MAX_EXPANDED_NODES = 200_000

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml is 10x faster

STR, INT, FLOAT, BOOL, NULL, TIMESTAMP = (
    f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "timestamp")
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

    @property
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


def load_file(file: Path) -> Document:
    """Load one YAML file; raise LoadError naming file, line and column."""
    name = display_path(file)
    text = _read_text(file, name)
    return _Builder(file, name).build(text)


def _read_text(file: Path, name: str) -> str:
    def fail(message: str, mark: Mark | None = None) -> LoadError:
        return LoadError([Problem(name, mark, (), message)])

    try:
        size = file.stat().st_size
        if size > MAX_FILE_BYTES:
            raise fail(f"file is {size / 1e6:.1f} MB; the limit is {MAX_FILE_BYTES // 2**20} MiB per file")
        raw = file.read_bytes()
    except OSError as exc:
        raise fail(f"cannot read file: {exc.strerror}") from None
    try:
        text = raw.decode("utf-8-sig")  # a byte-order mark is harmless: drop it
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise fail(
            f"the file is not UTF-8 text (byte 0x{raw[exc.start]:02x}); save it as UTF-8",
            Mark(line, column),
        ) from None
    if not text.strip() or all(
        not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()
    ):
        raise fail("the file is empty")
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

    def fail(self, mark: Mark | None, path: Path_, message: str) -> LoadError:
        return LoadError([Problem(self.name, mark, path, message)])

    def build(self, text: str) -> Document:
        try:
            self._consume(yaml.parse(text, Loader=_Loader))
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            if exc.context_mark is not None and "quoted scalar" in (exc.context or ""):
                mark = exc.context_mark  # point at the quote that was never closed
            message = _describe_yaml_error(exc, text, mark)
            raise self.fail(_mark(mark) if mark else None, (), message) from None
        except yaml.YAMLError as exc:
            raise self.fail(None, (), f"not valid YAML: {exc}") from None
        return self.doc

    def _consume(self, events: Any) -> None:
        # Each open container: [value, path, pending_key, key_mark, anchor, size]
        stack: list[list[Any]] = []
        documents = 0
        for event in events:
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise self.fail(_mark(event.start_mark), (), "the file holds more than one YAML document ('---'); keep one per file")
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
                    raise self.fail(mark, path, f"alias *{event.anchor} names no anchor")
                value, size = self.anchors[event.anchor]
                self.expanded += size
                if self.expanded > MAX_EXPANDED_NODES:
                    raise self.fail(mark, path, f"aliases expand to more than {MAX_EXPANDED_NODES:,} values; "
                                    "this looks like an alias bomb ('billion laughs'); write the values out")
                self.doc.value_marks[path] = mark
                self._attach(stack, value, path, size)
                continue
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                self._check_tag(event, mark, path)
                if len(stack) >= MAX_DEPTH:
                    raise self.fail(mark, (), f"nesting is deeper than {MAX_DEPTH} levels; the format never needs that")
                self.doc.value_marks[path] = mark
                container: Any = [] if isinstance(event, yaml.SequenceStartEvent) else {}
                stack.append([container, path, None, None, event.anchor, 1])
                continue
            assert isinstance(event, yaml.ScalarEvent)
            value = self._scalar(event, mark, path)
            self.doc.value_marks[path] = mark
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
                where = f" (first at line {first.line})" if first else ""
                raise self.fail(mark, path + (key,), f"duplicate key '{key}'{where}; a key may appear once per mapping")
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

    def _finish(self, stack: list[list[Any]], value: Any, path: Path_, anchor: str | None, size: int, event: Any) -> None:
        if anchor:
            self.anchors[anchor] = (value, size)
        self._attach(stack, value, path, size)

    def _check_tag(self, event: Any, mark: Mark, path: Path_) -> None:
        tag = event.tag
        if tag in (None, "!", _SEQ_TAG, _MAP_TAG):
            return
        raise self.fail(mark, path, f"the tag {tag} is not allowed; write plain YAML (text, numbers, dates, lists, mappings)")

    def _scalar(self, event: Any, mark: Mark, path: Path_) -> Any:
        tag = event.tag
        if tag is None or tag == "!":
            tag = self.resolver.resolve(yaml.ScalarNode, event.value, event.implicit)
        if tag not in _SCALAR_TAGS:
            raise self.fail(mark, path, f"the tag {tag} is not allowed; write plain YAML (text, numbers, dates, lists, mappings)")
        node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
        try:
            value = self.constructor.construct_object(node, deep=True)
        except (ValueError, yaml.constructor.ConstructorError):
            if tag == TIMESTAMP:
                raise self.fail(mark, path, f"'{event.value}' is not a real date (YYYY-MM-DD)") from None
            raise self.fail(mark, path, f"'{event.value}' cannot be read as {tag.rsplit(':', 1)[-1]}") from None
        if isinstance(value, dt.datetime):
            raise self.fail(mark, path, f"'{event.value}' has a time of day; give a date as YYYY-MM-DD")
        return value


def _describe_yaml_error(exc: yaml.MarkedYAMLError, text: str, mark: Any) -> str:
    problem = (exc.problem or "").strip()
    context = (exc.context or "").strip()
    if mark is not None and _char_at(text, mark.line, mark.column) == "\t":
        return "YAML syntax error: a tab character; indent with spaces only"
    text = problem if not context else f"{context}: {problem}"
    hint = ""
    if "mapping values are not allowed" in problem:
        hint = " (check the indentation, or quote text that contains ': ')"
    elif "did not find expected key" in problem:
        hint = " (a quote may be left open, or the indentation is off)"
    elif "could not find expected ':'" in problem:
        hint = " (a key is missing its ':' or the indentation is off)"
    elif "found unexpected end of stream" in problem or "while scanning a quoted scalar" in context:
        hint = " (a quote is not closed)"
    return f"YAML syntax error: {text}{hint}"


def _char_at(text: str, line: int, column: int) -> str:
    lines = text.splitlines()
    if 0 <= line < len(lines) and 0 <= column < len(lines[line]):
        return lines[line][column]
    return ""
