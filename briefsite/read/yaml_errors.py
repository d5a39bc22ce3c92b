"""YAML syntax errors explained: where the mistake is and what it means, in words a writer
of YAML can act on (libyaml's own messages name the parser's state, not the mistake)."""

from __future__ import annotations

import re
from typing import Any

import yaml

from ..core.errors import Mark
from ..core.text import LINE_BREAK


def _mark(m: Any) -> Mark:
    return Mark(m.line + 1, m.column + 1)


# What YAML makes of a value that starts with these characters, instead of text.
_RISKY_START = re.compile(r"(?:^\s*(?:-\s+)*|:\s+|-\s+)(\[\[|\[@|\*|&|@|`|%)")
_RISKY_MEANING = {
    "[[": "reads a value that starts with '[[' as a list",
    "[@": "reads a value that starts with '[@' as a list",
    "*": "reads a value that starts with '*' as an alias (Markdown bold too)",
    "&": "reads a value that starts with '&' as an anchor",
    "@": "does not allow a plain value to start with '@'",
    "`": "does not allow a plain value to start with '`'",
    "%": "reads a line that starts with '%' as a directive",
}


# libyaml's problem and context (words in them), which mark to show, and what it means.
_SYNTAX_RULES = [
    ("end of stream", "quoted scalar", "opened", "this quote is never closed"),
    ("unknown escape", "", "at", "unknown escape sequence: inside double quotes a backslash starts an escape; "
                                 "write \\\\ for a backslash, or use single quotes"),
    ("mapping values are not allowed", "", "at", "unexpected ':' (check the indentation of this line, "
                                                 "or put quotes around text that contains ': ')"),
    ("could not find expected ':'", "", "opened", "this line is not 'key: value' and not a list item "
                                                  "(a ':' may be missing after the key, or the indentation is off)"),
    ("did not find expected key", "", "at", "unexpected text here (a quote may be left open or closed too early, "
                                            "or the indentation is off)"),
    ("expected '-' indicator", "", "at", "this line does not line up with the list items above it "
                                         "(check its indentation)"),
    ("line break", "block scalar", "at", "after '|' or '>' (and a '-' or '+' after it) nothing may follow on the "
                                         "same line: start the text on the next line, indented"),
    ("node content", "", "at", "a value is missing here (look for two commas in a row, a ',' before ']' or '}', "
                               "or a stray '-', '?' or ':')"),
    ("document start", "", "at", "text after the end of the document (a line '...' ends it); "
                                 "delete the '...' line or what follows it"),
]


def describe_yaml_error(exc: yaml.MarkedYAMLError, text: str) -> tuple[Mark | None, str]:
    """Where a syntax error is and what it means, in words a writer of YAML can act on."""
    problem = (exc.problem or "").strip()
    context = (exc.context or "").strip()
    at, opened = exc.problem_mark, exc.context_mark
    lines = LINE_BREAK.split(text)

    def line_of(m: Any) -> str:
        return lines[m.line] if m is not None and m.line < len(lines) else ""

    for m in (at, opened):
        if m is None:
            continue
        line = line_of(m)
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        if "\t" in indent or line[m.column:m.column + 1] == "\t":
            column = line.index("\t") if "\t" in indent else m.column
            return Mark(m.line + 1, column + 1), "a tab character; indent with spaces only (YAML allows no tabs there)"
    for m in (at, opened):
        risky = _RISKY_START.search(line_of(m))
        if m is not None and risky and risky.start(1) <= m.column:
            lead = risky.group(1)
            return _mark(m), (f"YAML {_RISKY_MEANING[lead]}; put the whole text in quotes, "
                              "or write it on the next lines after '>-'")
    if "did not find expected key" in problem and line_of(at).lstrip().startswith("- "):
        return _mark(at), ("a list item ('- ') where a key was expected (check its indentation: "
                           "list items go under a key that ends with ':')")
    if "cannot start any token" in problem and at is not None:
        char = line_of(at)[at.column:at.column + 1]
        return _mark(at), f"a value cannot start with '{char}' here; put the whole value in quotes"
    for in_problem, in_context, where, message in _SYNTAX_RULES:
        mark = opened if where == "opened" else at
        if in_problem in problem and in_context in context and mark is not None:
            return _mark(mark), message
    for kind, opener, closer in (("flow sequence", "[", "]"), ("flow mapping", "{", "}")):
        if kind in context and opened is not None:
            return _mark(opened), (f"this '{opener}' is never closed with '{closer}' "
                                   "(or a ',' is missing between the items)")
    fallback = at or opened
    return (_mark(fallback) if fallback is not None else None), (f"{context}: {problem}" if context else problem)
