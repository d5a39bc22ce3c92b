"""Every kind of bad input, the exact message it gives, and how to fix it.

The cases are data. tests/test_load.py and tests/test_validate.py run each one against a
small valid project (MINIMAL) with one change, and compare every message exactly;
`python -m tests.catalogue > docs/errors.md` turns the same cases into the page
"Errors and how to fix them", and a test fails when that page is stale.
`python -m tests.catalogue --differences` prints what each case gives when that is not
what it expects (to write the expectation of a new case).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefsite.core.vocabulary import WARNING_KINDS

TODAY = dt.date(2026, 1, 1)
"""The day the cases are checked on, so that 'in the future' does not move."""

# A small project that is valid and gives no warning: every field that a case breaks is here.
MINIMAL: dict[str, str] = {
    "site.yaml": """\
title: Test Watch
""",
    "briefings/alpha.yaml": """\
title: Russia keeps balancing
date: 2020-10-15
status: final
audience: internal
summary: Moscow balances [@src-one] between Baku and [[russia]].
key_judgments:
  - text: Moscow keeps balancing.
    likelihood: likely
    confidence: moderate
    sources: [src-one]
actors:
  - actor: putin
    role: Balances between Baku and Yerevan.
timeline:
  - date: 2020-10-14
    event: A phone call.
    actors: [putin]
    sources: [src-one]
scenarios:
  - title: Russia stays out
    likelihood: unlikely
    description: Russia stays out.
    indicators:
      - text: Observers deploy
        status: observed
sections:
  - title: Background
    body: Background text.
related: [beta]
updates:
  - date: 2020-10-16
    note: First version.
""",
    "briefings/beta.yaml": """\
title: An earlier look
date: 2020-10-01
status: final
summary: Earlier, see [[alpha]].
""",
    "actors/russia.yaml": """\
name: Russia
kind: state
sources: [src-one]
""",
    "actors/putin.yaml": """\
name: Vladimir Putin
kind: person
country: russia
relations:
  - actor: russia
    type: leads
    sources: [src-one]
""",
    "sources/news.yaml": """\
- id: src-one
  title: Russia's options
  url: https://example.org/one
  published: 2020-10-15
  accessed: 2020-10-20
  archive_url: https://archive.example.org/one
  kind: opinion
  reliability: B
  credibility: 3
- id: src-two
  title: The Kazan formula
  url: https://example.org/two
  accessed: 2020-10-20
  archive_url: https://archive.example.org/two
  kind: news
""",
    "glossary.yaml": """\
- id: kazan-formula
  term: Kazan formula
  definition: A phased return of the districts [@src-two].
  sources: [src-two]
""",
}


@dataclass(frozen=True)
class Big:
    """A file of this many bytes, made sparse (nothing of it needs reading to refuse it)."""

    size: int


Content = str | bytes | Big | Callable[[], str] | None


@dataclass(frozen=True)
class Edit:
    """One change to the minimal project."""

    file: str
    """Path under data/."""
    old: str | None
    """Text to replace (its first occurrence); None: `new` is the whole file."""
    new: Content
    """The replacement; None deletes the file."""


@dataclass(frozen=True)
class Case:
    key: str
    """The test id."""
    module: str
    """'load' or 'validate': which test module runs it (the module whose rule it is)."""
    section: str
    title: str
    edits: tuple[Edit, ...]
    expected: tuple[str, ...]
    """Every problem of the run, exactly as printed, in order."""
    fix: str
    snippet: str | None = None
    """Shown in the docs instead of the changed lines (for bytes and generated files)."""


def edit(file: str, old: str | None, new: Content) -> Edit:
    return Edit(file, old, new)


def whole(file: str, new: Content) -> Edit:
    return Edit(file, None, new)


# --- Writing a project ---------------------------------------------------------------

def apply_edits(edits: tuple[Edit, ...] | list[Edit]) -> dict[str, Content]:
    """The minimal project's files with the edits made (not yet written)."""
    files: dict[str, Content] = dict(MINIMAL)
    for e in edits:
        if e.old is None:
            files[e.file] = e.new
            continue
        text = files[e.file]
        assert isinstance(text, str) and e.old in text, f"{e.old!r} is not in {e.file}"
        assert isinstance(e.new, str)
        files[e.file] = text.replace(e.old, e.new, 1)
    return files


def write_project(root: Path, edits: tuple[Edit, ...] | list[Edit] = ()) -> Path:
    """Write the minimal project, changed by edits, into root/data; return that folder."""
    data = root / "data"
    for rel, content in apply_edits(edits).items():
        path = data / rel
        if content is None:
            if path.exists():
                path.unlink()
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, Big):
            with path.open("wb") as f:
                f.write(b"title: big\n")
                f.truncate(content.size)
            continue
        if callable(content):
            content = content()
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return data


def problems_of(root: Path, edits: tuple[Edit, ...] | list[Edit] = (), memo: Any = None) -> list[str]:
    """Every problem of a validation run over the changed project, as printed (run from root);
    `memo`, an incremental.files.FileMemo, holds what earlier runs read."""
    from briefsite.read.library import load_library

    write_project(root, edits)
    here = Path.cwd()
    os.chdir(root)
    try:
        _, report = load_library(Path("data"), today=TODAY, memo=memo)
    finally:
        os.chdir(here)
    return [p.format() for p in report.problems]


# --- Inputs made at run time ------------------------------------------------------------

def alias_bomb() -> str:
    """The 'billion laughs': nine levels of nine aliases each, 387 million values once expanded."""
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, 10):
        refs = ", ".join([f"*a{level - 1}"] * 9)
        lines.append(f"a{level}: &a{level} [{refs}]")
    return "name: Russia\nkind: state\nnotes:\n" + "".join(f"  {line}\n" for line in lines)


def deep_nesting(depth: int = 10_000) -> str:
    return "name: Russia\nkind: state\nsources: " + "[" * depth + "]" * depth + "\n"


def long_line(length: int = 1024 * 1024) -> str:
    return "name: Russia\nkind: state\nsummary: " + "x" * length + "\n"


# --- The cases ---------------------------------------------------------------------------

A, B = "briefings/alpha.yaml", "briefings/beta.yaml"
RUSSIA, PUTIN = "actors/russia.yaml", "actors/putin.yaml"
NEWS, GLOSSARY = "sources/news.yaml", "glossary.yaml"
LIKELIHOODS = ("almost-no-chance, very-unlikely, unlikely, roughly-even-chance, likely, very-likely, "
               "almost-certain")
BRIEFING_KEYS = ("id, title, date, status, marking, audience, authors, region, area, tags, summary, key_judgments, "
                 "assumptions, actors, timeline, scenarios, scenarios_exclusive, sections, related, lang, "
                 "translation_of, updates")
SOURCE_KEYS = ("id, title, url, publisher, author, published, accessed, archive_url, kind, language, "
               "reliability, credibility, note")

CASES: list[Case] = []


def case(key: str, module: str, section: str, title: str, edits: Edit | list[Edit], expected: tuple[str, ...],
         fix: str, snippet: str | None = None) -> None:
    CASES.append(Case(key, module, section, title, tuple(edits) if isinstance(edits, list) else (edits,),
                      expected, fix, snippet))


SYNTAX = "YAML syntax"
case("tab-indent", "load", SYNTAX, "A tab used for indentation",
     edit(PUTIN, "    type: leads", "\ttype: leads"),
     expected=(
         'error: data/actors/putin.yaml:6:1: YAML syntax error: a tab character; indent with spaces only (YAML allows '
         'no tabs there)',
     ),
     fix="Indent with spaces only. Most editors can be set to insert spaces when you press Tab.")
case("bad-indent", "load", SYNTAX, "A key indented further than its neighbours",
     edit(PUTIN, "    type: leads", "     type: leads"),
     expected=(
         "error: data/actors/putin.yaml:6:10: YAML syntax error: unexpected ':' (check the indentation of this line, "
         "or put quotes around text that contains ': ')",
     ),
     fix="Line up every key of a mapping at the same column (here: `type` under `actor`).")
case("unclosed-quote", "load", SYNTAX, "A quote that is never closed",
     edit(B, "title: An earlier look", 'title: "An earlier look'),
     expected=(
         'error: data/briefings/beta.yaml:1:8: YAML syntax error: this quote is never closed',
     ),
     fix="Close the quote at the end of the value, or remove it: plain text needs no quotes.")
case("colon-in-text", "load", SYNTAX, "Text that contains ': '",
     edit(B, "title: An earlier look", "title: Note: an earlier look"),
     expected=(
         "error: data/briefings/beta.yaml:1:12: YAML syntax error: unexpected ':' (check the indentation of this "
         "line, or put quotes around text that contains ': ')",
     ),
     fix="Put the whole value in quotes: `title: \"Note: an earlier look\"`.")
case("missing-colon", "load", SYNTAX, "A key without its colon",
     edit(B, "status: final", "status final"),
     expected=(
         "error: data/briefings/beta.yaml:3:1: YAML syntax error: this line is not 'key: value' and not a list item "
         "(a ':' may be missing after the key, or the indentation is off)",
     ),
     fix="Write `key: value`, with a colon and a space after the key.")
case("unclosed-bracket", "load", SYNTAX, "A list in brackets that is never closed",
     edit(RUSSIA, "sources: [src-one]", "sources: [src-one"),
     expected=(
         "error: data/actors/russia.yaml:3:10: YAML syntax error: this '[' is never closed with ']' (or a ',' is "
         'missing between the items)',
     ),
     fix="Close the list with `]`, or write one `- item` per line instead.")
case("list-misaligned", "load", SYNTAX, "A list item out of line",
     edit(PUTIN, "    sources: [src-one]", "  sources: [src-one]"),
     expected=(
         'error: data/actors/putin.yaml:7:3: YAML syntax error: this line does not line up with the list items above '
         'it (check its indentation)',
     ),
     fix="Indent the keys of a list item under its first key (here `sources` under `actor`).")
case("text-after-block-indicator", "load", SYNTAX, "Text on the same line as '>-'",
     edit(B, "summary: Earlier, see [[alpha]].", "summary: >- Earlier, see [[alpha]]."),
     expected=(
         "error: data/briefings/beta.yaml:4:13: YAML syntax error: after '|' or '>' (and a '-' or '+' after it) "
         'nothing may follow on the same line: start the text on the next line, indented',
     ),
     fix="Start the text on the next line, indented by two spaces; or drop `>-` for a one-line value.")
case("empty-list-item", "load", SYNTAX, "Two commas in a row",
     edit(A, "    actors: [putin]", "    actors: [putin, , russia]"),
     expected=(
         'error: data/briefings/alpha.yaml:17:21: YAML syntax error: a value is missing here (look for two commas in '
         "a row, a ',' before ']' or '}', or a stray '-', '?' or ':')",
     ),
     fix="Remove the extra comma.")
case("list-item-among-keys", "load", SYNTAX, "A list item where a key belongs",
     edit(B, "status: final", "status: final\n- tags: [russia]"),
     expected=(
         "error: data/briefings/beta.yaml:4:1: YAML syntax error: a list item ('- ') where a key was expected (check "
         "its indentation: list items go under a key that ends with ':')",
     ),
     fix="Remove the `- `: a briefing's keys are not list items.")
case("duplicate-key", "load", SYNTAX, "The same key twice in one mapping",
     edit(B, "status: final", "status: final\nstatus: draft"),
     expected=(
         "error: data/briefings/beta.yaml:4:1: status: duplicate key 'status': it is already given at line 3; a key "
         'may appear only once in a mapping, so keep one of them',
     ),
     fix="Keep one of the two lines. YAML would otherwise silently keep the last one.")
case("duplicate-key-nested", "load", SYNTAX, "The same key twice inside a list item",
     edit(PUTIN, "    type: leads", "    type: leads\n    type: ally"),
     expected=(
         "error: data/actors/putin.yaml:7:5: relations[0].type: duplicate key 'type': it is already given at line 6; "
         'a key may appear only once in a mapping, so keep one of them',
     ),
     fix="Keep one of them; to record two relations to the same actor, write two items under `relations:`.")
case("value-starts-with-citation", "load", SYNTAX, "A value that starts with a citation",
     edit(B, "summary: Earlier, see [[alpha]].", "summary: [@src-one] says so."),
     expected=(
         "error: data/briefings/beta.yaml:4:11: YAML syntax error: YAML reads a value that starts with '[@' as a "
         "list; put the whole text in quotes, or write it on the next lines after '>-'",
     ),
     fix="Put the text in quotes (`summary: \"[@src-one] says so.\"`), or write it on the next lines after "
         "`summary: >-`.")
case("value-starts-with-link", "load", SYNTAX, "A value that starts with a link",
     edit(B, "summary: Earlier, see [[alpha]].", "summary: [[alpha]] came first."),
     expected=(
         "error: data/briefings/beta.yaml:4:20: YAML syntax error: YAML reads a value that starts with '[[' as a "
         "list; put the whole text in quotes, or write it on the next lines after '>-'",
     ),
     fix="Put the text in quotes, or write it on the next lines after `summary: >-`.")
case("value-starts-with-bold", "load", SYNTAX, "A value that starts with Markdown bold",
     edit(B, "summary: Earlier, see [[alpha]].", "summary: **Earlier**, see [[alpha]]."),
     expected=(
         "error: data/briefings/beta.yaml:4:11: YAML syntax error: YAML reads a value that starts with '*' as an "
         "alias (Markdown bold too); put the whole text in quotes, or write it on the next lines after '>-'",
     ),
     fix="Put the text in quotes, or write it on the next lines after `summary: >-`.")
case("bad-escape", "load", SYNTAX, "A backslash inside double quotes",
     edit(B, "title: An earlier look", 'title: "Files in C:\\data"'),
     expected=(
         'error: data/briefings/beta.yaml:1:20: YAML syntax error: unknown escape sequence: inside double quotes a '
         'backslash starts an escape; write \\\\ for a backslash, or use single quotes',
     ),
     fix="Use single quotes (`'...'`), in which a backslash is an ordinary character, or write `\\\\`.")
case("two-documents", "load", SYNTAX, "Two YAML documents in one file",
     edit(RUSSIA, "sources: [src-one]\n", "sources: [src-one]\n---\nname: Russian Federation\n"),
     expected=(
         "error: data/actors/russia.yaml:4:1: the file holds more than one YAML document (a second '---'); keep one "
         'document per file',
     ),
     fix="Keep one document per file: one actor per file in `actors/`.")
case("merge-key", "load", SYNTAX, "A merge key",
     whole(RUSSIA, "defaults: &defaults {kind: state}\n<<: *defaults\nname: Russia\n"),
     expected=(
         "error: data/actors/russia.yaml:2:1: merge keys ('<<') are not supported; write the keys out",
     ),
     fix="Write the keys out in full in every file.")
case("undefined-alias", "load", SYNTAX, "Text that starts with '*'",
     edit(RUSSIA, "name: Russia", "name: *Russia"),
     expected=(
         'error: data/actors/russia.yaml:1:7: name: YAML reads *Russia as an alias, but no anchor &Russia comes '
         "before it; put quotes around text that starts with '*'",
     ),
     fix="Put the text in quotes: `name: \"*Russia\"`.")
case("python-tag", "load", SYNTAX, "A Python tag (!!python/object)",
     edit(RUSSIA, "name: Russia", "name: !!python/object/apply:os.system ['echo hello']"),
     expected=(
         'error: data/actors/russia.yaml:1:7: name: the tag !!python/object/apply:os.system is not allowed; YAML tags '
         'are refused: write plain text, numbers, dates, lists and mappings',
     ),
     fix="Write plain values. Tags that make objects are never run: the whole file is refused.")
case("custom-tag", "load", SYNTAX, "Text that starts with '!'",
     edit(RUSSIA, "name: Russia", "name: !Russia"),
     expected=(
         "error: data/actors/russia.yaml:1:7: name: the tag !Russia is not allowed (text that starts with '!' must be "
         'in quotes); YAML tags are refused: write plain text, numbers, dates, lists and mappings',
     ),
     fix="Put the text in quotes: `name: \"!Russia\"`.")
case("two-tags", "load", SYNTAX, "Two tags in one file",
     [edit(RUSSIA, "name: Russia", "name: !Russia"), edit(RUSSIA, "kind: state", "kind: !!python/name:os.system")],
     expected=(
         "error: data/actors/russia.yaml:1:7: name: the tag !Russia is not allowed (text that starts with '!' must be "
         'in quotes); YAML tags are refused: write plain text, numbers, dates, lists and mappings',
         "error: data/actors/russia.yaml:2:7: kind: the tag !!python/name:os.system is not allowed; YAML tags are "
         "refused: write plain text, numbers, dates, lists and mappings",
     ),
     fix="Each tag is said at once, so that one run shows them all: quote the text, write plain values.")

FILES = "Files"
case("empty-file", "load", FILES, "An empty file",
     whole(RUSSIA, ""),
     expected=(
         'error: data/actors/russia.yaml: the file is empty (it holds only blank lines or comments)',
     ),
     fix="Write the record (an actor needs at least `name:`), or delete the file.")
case("comments-only", "load", FILES, "A file of comments only",
     whole(RUSSIA, "# Russia: to be written\n"),
     expected=(
         'error: data/actors/russia.yaml: the file is empty (it holds only blank lines or comments)',
     ),
     fix="Write the record under the comment, or delete the file.")
case("byte-order-mark", "load", FILES, "A byte-order mark (accepted)",
     whole(RUSSIA, "\ufeffname: Russia\nkind: state\nsources: [src-one]\n"),
     expected=(),
     fix="Nothing to fix: a UTF-8 byte-order mark, which some Windows editors write, is ignored.",
     snippet="(the bytes EF BB BF, then)\nname: Russia\nkind: state\nsources: [src-one]")
case("latin-1", "load", FILES, "A file saved as Latin-1 (not UTF-8)",
     whole(RUSSIA, "name: Russia\nnative_name: Rossi\xe9\nkind: state\nsources: [src-one]\n".encode("latin-1")),
     expected=(
         'error: data/actors/russia.yaml:2:19: the file is not UTF-8 text: byte 0xe9 here is not UTF-8 (was it saved '
         'as Latin-1 or Windows-1252?); save the file as UTF-8',
     ),
     fix="Save the file as UTF-8 (in most editors: Save with encoding, UTF-8).",
     snippet="name: Russia\nnative_name: Rossi\\xe9      (the byte E9, an é in Latin-1)\nkind: state")
case("utf-16", "load", FILES, "A file saved as UTF-16",
     whole(RUSSIA, "name: Russia\nkind: state\nsources: [src-one]\n".encode("utf-16")),
     expected=(
         'error: data/actors/russia.yaml:1:1: the file is UTF-16 text; save it as UTF-8',
     ),
     fix="Save the file as UTF-8.",
     snippet="(the bytes FF FE, then every character in two bytes)")
case("control-character", "load", FILES, "An invisible control character",
     edit(RUSSIA, "name: Russia", "name: Rus\x00sia"),
     expected=(
         'error: data/actors/russia.yaml:1:10: the control character U+0000 is not allowed in YAML text; delete it '
         '(it is often invisible: retype the text around it)',
     ),
     fix="Delete the character; if you cannot see it, retype the word around it.",
     snippet="name: Rus\\x00sia      (a NUL byte inside the word)")
case("list-for-mapping", "validate", FILES, "A list where a mapping is expected",
     whole(RUSSIA, "- name: Russia\n  kind: state\n  sources: [src-one]\n"),
     expected=(
         'error: data/actors/russia.yaml:1:1: expected a mapping of keys for an actor (name: ...), found a list',
     ),
     fix="An actor file holds keys directly: remove the `- ` and the indentation.")
case("mapping-for-list", "validate", FILES, "A mapping where a list is expected",
     whole(GLOSSARY, "id: kazan-formula\nterm: Kazan formula\ndefinition: A phased return [@src-two].\n"
                     "sources: [src-two]\n"),
     expected=(
         "error: data/glossary.yaml:1:1: expected a list of glossary terms, each starting with '- id:', found a "
         'mapping',
     ),
     fix="Write each term as a list item: `- id: ...` with its other keys indented under `id`.")
case("text-for-mapping", "validate", FILES, "A file that holds only text",
     whole(RUSSIA, "Russia\n"),
     expected=(
         'error: data/actors/russia.yaml:1:1: expected a mapping of keys for an actor (name: ...), found text '
         "('Russia')",
     ),
     fix="Write keys: `name: Russia` and the others the actor needs.")

LIMITS = "Limits"
case("alias-bomb", "load", LIMITS, "An alias bomb ('billion laughs')",
     whole(RUSSIA, alias_bomb),
     expected=(
         'error: data/actors/russia.yaml:9:17: notes.a5[1]: aliases would expand to more than 200,000 values (an '
         "alias bomb, or 'billion laughs'); the file is refused: write the values out instead of repeating aliases",
     ),
     fix="Write values out. Anchors and aliases are allowed for a few repeats, never to multiply data.",
     snippet="notes:\n  a0: &a0 [\"lol\", \"lol\", \"lol\", ...]\n  a1: &a1 [*a0, *a0, *a0, ...]\n  ...\n"
             "  a9: &a9 [*a8, *a8, *a8, ...]")
case("deep-nesting", "load", LIMITS, "Nesting 10,000 levels deep",
     whole(RUSSIA, deep_nesting),
     expected=(
         'error: data/actors/russia.yaml:3:59: lists and mappings are nested more than 50 levels deep here; the '
         'format never needs more than a few levels',
     ),
     fix="The format needs a few levels at most; the file was probably generated by mistake.",
     snippet="sources: [[[[[[[[ ... 10,000 times ... ]]]]]]]]")
case("long-line", "load", LIMITS, "A line of a million characters",
     whole(RUSSIA, long_line),
     expected=(
         'error: data/actors/russia.yaml:3:1: this line is 1,048,585 characters long; a line may be at most 100,000 '
         '(break long text over several lines)',
     ),
     fix="Break long text over several lines, for example after `summary: >-`.",
     snippet="summary: xxxxxxxx ... (1,048,576 characters on one line)")
case("huge-file", "load", LIMITS, "A file of 100 MB",
     whole(RUSSIA, Big(100 * 1024 * 1024)),
     expected=(
         'error: data/actors/russia.yaml: the file is 100.0 MiB; a file may be at most 5 MiB',
     ),
     fix="A file may be at most 5 MiB; split lists of sources over several files in `sources/`.",
     snippet="(a file of 104,857,600 bytes; it is refused from its size, unread)")


def missing(key: str, title: str, file: str, old: str, new: str, fix: str, expected: tuple[str, ...]) -> None:
    case(key, "validate", "Required keys", title, edit(file, old, new), expected, fix)


missing("briefing-title", "A briefing without a title", B, "title: An earlier look\n", "",
        "Add `title:` with the briefing's headline.", (
            "error: data/briefings/beta.yaml:1:1: required key 'title' is missing from this briefing",
        ))
missing("briefing-date", "A briefing without a date", B, "date: 2020-10-01\n", "",
        "Add `date: YYYY-MM-DD`, the day the briefing is as of.", (
            "error: data/briefings/beta.yaml:1:1: required key 'date' is missing from this briefing",
        ))
missing("briefing-summary", "A briefing without a summary", B, "summary: Earlier, see [[alpha]].\n", "",
        "Add `summary:`, the bottom line up front.", (
            "error: data/briefings/beta.yaml:1:1: required key 'summary' is missing from this briefing",
        ))
missing("actor-name", "An actor without a name", RUSSIA, "name: Russia\n", "",
        "Add `name:`.", (
            "error: data/actors/russia.yaml:1:1: required key 'name' is missing from this actor",
        ))
missing("source-id", "A source without an id", NEWS, "- id: src-two\n  title:", "- title:",
        "Add `id:` as the first key of the source (`- id: ...`); it is what `[@...]` cites.", (
            "error: data/sources/news.yaml:10:3: [1]: required key 'id' is missing from this source",
        ))
missing("source-title", "A source without a title", NEWS, "  title: The Kazan formula\n", "",
        "Add `title:`.", (
            "error: data/sources/news.yaml:10:3: [1]: required key 'title' is missing from this source",
        ))
missing("source-url", "A source without a url", NEWS, "  url: https://example.org/two\n", "",
        "Add `url:` with the http or https address of the source.", (
            "error: data/sources/news.yaml:10:3: [1]: required key 'url' is missing from this source",
        ))
missing("term-id", "A glossary term without an id", GLOSSARY, "- id: kazan-formula\n  term:", "- term:",
        "Add `id:` as the first key of the term (`- id: ...`); it is what `[[...]]` links to.", (
            "error: data/glossary.yaml:1:3: [0]: required key 'id' is missing from this glossary term",
        ))
missing("term-term", "A glossary term without its term", GLOSSARY, "  term: Kazan formula\n", "",
        "Add `term:`, the term as written.", (
            "error: data/glossary.yaml:1:3: [0]: required key 'term' is missing from this glossary term",
        ))
missing("term-definition", "A glossary term without a definition", GLOSSARY,
        "  definition: A phased return of the districts [@src-two].\n", "",
        "Add `definition:`.", (
            "error: data/glossary.yaml:1:3: [0]: required key 'definition' is missing from this glossary term",
        ))
missing("judgment-text", "A key judgment without text", A,
        "  - text: Moscow keeps balancing.\n    likelihood:", "  - likelihood:",
        "Add `text:` with the judgment as the first key of the item.", (
            "error: data/briefings/alpha.yaml:7:5: key_judgments[0]: required key 'text' is missing from this key "
            'judgment',
        ))
missing("timeline-date", "A timeline event without a date", A,
        "  - date: 2020-10-14\n    event:", "  - event:",
        "Add `date:` (YYYY-MM-DD, or YYYY-MM or YYYY when only that much is known).", (
            "error: data/briefings/alpha.yaml:15:5: timeline[0]: required key 'date' is missing from this timeline "
            'event',
        ))
missing("timeline-event", "A timeline event without its event", A, "    event: A phone call.\n", "",
        "Add `event:`, what happened.", (
            "error: data/briefings/alpha.yaml:15:5: timeline[0]: required key 'event' is missing from this timeline "
            'event',
        ))
missing("scenario-title", "A scenario without a title", A,
        "  - title: Russia stays out\n    likelihood:", "  - likelihood:",
        "Add `title:`, a short name for the scenario.", (
            "error: data/briefings/alpha.yaml:20:5: scenarios[0]: required key 'title' is missing from this scenario",
        ))
missing("scenario-description", "A scenario without a description", A,
        "    description: Russia stays out.\n", "",
        "Add `description:`, what happens in the scenario.", (
            "error: data/briefings/alpha.yaml:20:5: scenarios[0]: required key 'description' is missing from this "
            'scenario',
        ))
missing("section-title", "A section without a title", A, "  - title: Background\n    body:", "  - body:",
        "Add `title:`, the section's heading.", (
            "error: data/briefings/alpha.yaml:27:5: sections[0]: required key 'title' is missing from this section",
        ))
missing("section-body", "A section without a body", A, "    body: Background text.\n", "",
        "Add `body:`, the section's text.", (
            "error: data/briefings/alpha.yaml:27:5: sections[0]: required key 'body' is missing from this section",
        ))
missing("update-date", "An update without a date", A, "  - date: 2020-10-16\n    note:", "  - note:",
        "Add `date:`, the day of the change.", (
            "error: data/briefings/alpha.yaml:31:5: updates[0]: required key 'date' is missing from this update",
        ))
missing("update-note", "An update without a note", A, "    note: First version.\n", "",
        "Add `note:`, what changed.", (
            "error: data/briefings/alpha.yaml:31:5: updates[0]: required key 'note' is missing from this update",
        ))
missing("relation-actor", "A relation without an actor", PUTIN, "  - actor: russia\n    type:", "  - type:",
        "Add `actor:` with the id of the other actor.", (
            "error: data/actors/putin.yaml:5:5: relations[0]: required key 'actor' is missing from this relation",
        ))
missing("relation-without-type", "A relation without a type", PUTIN, "    type: leads\n", "",
        "Add `type:` (ally, partner, rival, adversary, mediator, member-of, leads, backs or other).", (
            "error: data/actors/putin.yaml:5:5: relations[0]: required key 'type' is missing from this relation",
        ))
missing("briefing-actor", "An entry of a briefing's actors without its actor", A,
        "  - actor: putin\n    role:", "  - role:",
        "Add `actor:` with the actor's id.", (
            "error: data/briefings/alpha.yaml:12:5: actors[0]: required key 'actor' is missing from this entry of "
            'actors',
        ))
case("empty-value", "validate", "Required keys", "A required key with no value",
     edit(B, "title: An earlier look", "title:"),
     expected=(
         "error: data/briefings/beta.yaml:1:7: title: no value is given; write it after 'title:'",
     ),
     fix="Write the value after the colon.")

TYPES = "Types"
case("number-for-text", "validate", TYPES, "A number where text is expected",
     edit(B, "title: An earlier look", "title: 2020"),
     expected=(
         'error: data/briefings/beta.yaml:1:8: title: expected text, found the number 2020; put quotes around it',
     ),
     fix="Put the value in quotes: `title: \"2020\"`.")
case("yes-for-text", "validate", TYPES, "A yes/no word where text is expected",
     edit(RUSSIA, "name: Russia", "name: No"),
     expected=(
         "error: data/actors/russia.yaml:1:7: name: expected text, found 'No', which YAML reads as true/false; put "
         'quotes around it',
     ),
     fix="YAML reads yes, no, on, off, true and false as true/false: put the text in quotes (`name: \"No\"`).")
case("text-for-yes-no", "validate", TYPES, "A word where true or false is expected",
     edit(GLOSSARY, "  term: Kazan formula\n", "  term: Kazan formula\n  proper_noun: sometimes\n"),
     expected=(
         "error: data/glossary.yaml:3:16: [0].proper_noun: expected true or false, found text ('sometimes')",
     ),
     fix="Write `true` or `false` (or leave the key out: false).")
case("text-for-list", "validate", TYPES, "Text where a list is expected",
     edit(RUSSIA, "sources: [src-one]", "sources: src-one"),
     expected=(
         "error: data/actors/russia.yaml:3:10: sources: expected a list, found text ('src-one'); write [src-one], or "
         "one '- ' line per item",
     ),
     fix="Write a list, even of one: `sources: [src-one]`.")
case("text-for-mapping-item", "validate", TYPES, "Text where a mapping is expected",
     edit(A, "  - text: Moscow keeps balancing.", "  - Moscow keeps balancing.\n  - text: Moscow keeps talking."),
     expected=(
         'error: data/briefings/alpha.yaml:7:5: key_judgments[0]: expected a mapping of keys for a key judgment '
         "(text: ...), found text ('Moscow keeps balancing.')",
     ),
     fix="Each key judgment is a mapping: write `- text: ...`.")
case("list-for-text", "validate", TYPES, "A list where text is expected",
     edit(B, "title: An earlier look", "title: [An earlier look]"),
     expected=(
         'error: data/briefings/beta.yaml:1:8: title: expected text, found a list (brackets make a list: put the '
         'whole value in quotes if they belong to the text)',
     ),
     fix="Remove the brackets, or put the whole value in quotes if the brackets belong to the title.")
case("date-with-time", "validate", TYPES, "A date with a time of day",
     edit(B, "date: 2020-10-01", "date: 2020-10-01 09:30:00"),
     expected=(
         "error: data/briefings/beta.yaml:2:7: date: '2020-10-01 09:30:00' has a time of day; write the date alone, "
         'as YYYY-MM-DD',
     ),
     fix="Write the date alone: `date: 2020-10-01`.")
case("not-a-date", "validate", TYPES, "A date in words",
     edit(A, "  - date: 2020-10-16", "  - date: 16 October 2020"),
     expected=(
         "error: data/briefings/alpha.yaml:31:11: updates[0].date: '16 October 2020' is not a date; write YYYY-MM-DD",
     ),
     fix="Write dates as YYYY-MM-DD: `2020-10-16`.")


def vocabulary(key: str, title: str, file: str, old: str, new: str, fix: str, expected: tuple[str, ...]) -> None:
    case(key, "validate", "Vocabularies", title, edit(file, old, new), expected, fix)


vocabulary("trend", "A trend that is not one of CrisisWatch's", A, "    note: First version.",
           "    note: First version.\n    trend: worse",
           "Use `deteriorated`, `improved`, `unchanged`, `risk-alert` or `resolution-opportunity`.", (
               "error: data/briefings/alpha.yaml:33:12: updates[0].trend: 'worse' is not a trend (allowed: "
               "deteriorated, improved, unchanged, risk-alert, resolution-opportunity)",
           ))
vocabulary("likelihood", "A likelihood that is not a term", A, "    likelihood: likely", "    likelihood: probable",
           "Use one of the seven estimative terms; `probable` is ICD 203's other word for `likely`.", (
               "error: data/briefings/alpha.yaml:8:17: key_judgments[0].likelihood: 'probable' is not a likelihood "
               "term (did you mean 'likely'?) (allowed: ICD 203: "
                      "almost-no-chance, very-unlikely, unlikely, "
               "roughly-even-chance, likely, very-likely, almost-certain; "
               "PHIA: remote-chance, highly-unlikely, unlikely, realistic-possibility, likely, "
               "highly-likely, almost-certain)",
           ))
vocabulary("likelihood-percent", "A likelihood written as a percentage", A, "    likelihood: likely",
           "    likelihood: 70%", "Use the term whose range holds the number: 70% is `likely` (55-80%).", (
               "error: data/briefings/alpha.yaml:8:17: key_judgments[0].likelihood: '70%' is not a likelihood "
               "term (a likelihood is a term: 70% is 'likely', 55-80%) (allowed: ICD 203: "
               "almost-no-chance, very-unlikely, "
               "unlikely, roughly-even-chance, likely, very-likely, almost-certain; "
               "PHIA: remote-chance, highly-unlikely, unlikely, realistic-possibility, likely, "
               "highly-likely, almost-certain)",
           ))
vocabulary("likelihood-spaces", "A likelihood written with spaces", A, "    likelihood: likely",
           "    likelihood: very likely", "Join the words with hyphens: `very-likely`.", (
               "error: data/briefings/alpha.yaml:8:17: key_judgments[0].likelihood: 'very likely' is not a likelihood "
               "term (did you mean 'very-likely'?) (allowed: ICD 203: "
               "almost-no-chance, very-unlikely, unlikely, "
               "roughly-even-chance, likely, very-likely, almost-certain; "
               "PHIA: remote-chance, highly-unlikely, unlikely, realistic-possibility, likely, "
               "highly-likely, almost-certain)",
           ))
vocabulary("likelihood-other-yardstick", "A likelihood term of the other yardstick", A, "    likelihood: likely",
           "    likelihood: realistic-possibility",
           "Use the site's yardstick (`yardstick:` in site.yaml, ICD 203 unless it says `phia`) for every judgment.", (
               "error: data/briefings/alpha.yaml:8:17: key_judgments[0].likelihood: 'realistic-possibility' is a term "
               "of the PHIA yardstick (40-50%), and this site uses ICD 203 (yardstick: icd-203 in site.yaml); write "
               "'roughly-even-chance' (45-55%), the nearest ICD 203 term, or change the site's yardstick",
           ))
case("likelihood-icd-term-on-phia-site", "validate", "Vocabularies", "An ICD 203 term on a site that uses PHIA",
     [edit("site.yaml", "title: Test Watch", "title: Test Watch\nyardstick: phia"),
      edit(A, "    likelihood: likely", "    likelihood: very-likely")],
     expected=(
         "error: data/briefings/alpha.yaml:8:17: key_judgments[0].likelihood: 'very-likely' is a term of the ICD 203 "
         "yardstick (80-95%), and this site uses PHIA (yardstick: phia in site.yaml); write 'highly-likely' "
         "(80-90%), the nearest PHIA term, or change the site's yardstick",
     ),
     fix="Write the PHIA term nearest in range; `briefsite` accepts the terms of one yardstick per site.")
vocabulary("confidence", "A confidence that is not a level", A, "    confidence: moderate", "    confidence: medium",
           "Use low, moderate or high.", (
               "error: data/briefings/alpha.yaml:9:17: key_judgments[0].confidence: 'medium' is not a confidence "
               "level (did you mean 'moderate'?) (allowed: low, moderate, high)",
           ))
vocabulary("actor-kind", "An actor kind that does not exist", RUSSIA, "kind: state", "kind: country",
           "Use person, state, organization, armed-group or other; a country is a `state`.", (
               "error: data/actors/russia.yaml:2:7: kind: 'country' is not an actor kind (did you mean 'state'?) "
               '(allowed: person, state, organization, armed-group, other)',
           ))
vocabulary("source-kind", "A misspelt source kind", NEWS, "  kind: opinion", "  kind: opinon",
           "Use news, opinion, analysis, official, dataset or other.", (
               "error: data/sources/news.yaml:7:9: [0].kind: 'opinon' is not a source kind (did you mean 'opinion'?) "
               '(allowed: news, opinion, analysis, official, dataset, other)',
           ))
vocabulary("relation-type", "A relation type that does not exist", PUTIN, "    type: leads", "    type: leader",
           "Use ally, partner, rival, adversary, mediator, member-of, leads, backs or other.", (
               "error: data/actors/putin.yaml:6:11: relations[0].type: 'leader' is not a relation type (did you mean "
               "'leads'?) (allowed: ally, partner, rival, adversary, mediator, member-of, leads, backs, other)",
           ))
vocabulary("reliability", "A reliability grade in lower case", NEWS, "  reliability: B", "  reliability: b",
           "Write the grade as a capital letter, A to F.", (
               "error: data/sources/news.yaml:8:16: [0].reliability: 'b' is not a reliability grade (Admiralty) (did "
               "you mean 'B'?) (allowed: A, B, C, D, E, F)",
           ))
vocabulary("credibility", "A credibility grade out of range", NEWS, "  credibility: 3", "  credibility: 7",
           "Use a number from 1 (confirmed by other sources) to 6 (truth cannot be judged).", (
               'error: data/sources/news.yaml:9:16: [0].credibility: 7 is not a credibility grade (Admiralty) '
               '(allowed: 1, 2, 3, 4, 5, 6)',
           ))
vocabulary("site-language", "A site language the theme does not know", "site.yaml", "title: Test Watch\n",
           "title: Test Watch\nlanguage: english\n", "Use a language code the theme translates, such as `en`.", (
               "error: data/site.yaml:2:11: language: 'english' is not a language the site's theme knows (allowed: "
               "af, ar, az, be, bg, bn, ca, cs, cy, da, de, el, en, eo, es, et, eu, fa, fi, fr, gl, he, hi, hr, hu, "
               "hy, id, is, it, ja, ka, kn, ko, ku-IQ, lb, lt, lv, mk, mn, ms, my, nb, nl, nn, pl, pt, pt-BR, ro, ru, "
               "sa, sh, si, sk, sl, sq, sr, sv, ta, te, th, tl, tr, uk, ur, uz, vi, zh, zh-Hant, zh-TW)",
           ))
vocabulary("native-lang", "A native name's language written as a word", RUSSIA, "name: Russia",
           "name: Russia\nnative_name: Россия\nnative_lang: Russian",
           "Write the language code: `ru` for Russian, `hy` Armenian, `az` Azerbaijani, `ar` Arabic.", (
               "error: data/actors/russia.yaml:3:14: native_lang: 'Russian' is not a language code; write one such "
               "as ru, hy, ar or az-Arab (ISO 639, optionally followed by a script or region)",
           ))
vocabulary("briefing-lang", "A briefing's language written as a word", B, "status: final",
           "status: final\nlang: Russian",
           "Write the language code: `ru` for Russian, `hy` Armenian, `ar` Arabic.", (
               "error: data/briefings/beta.yaml:4:7: lang: 'Russian' is not a language code; write one such "
               "as ru, hy, ar or az-Arab (ISO 639, optionally followed by a script or region)",
           ))
vocabulary("source-language", "A source language with a space", NEWS, "  kind: opinion",
           "  kind: opinion\n  language: pt BR",
           "Join a language and its region with a hyphen: `pt-BR`.", (
               "error: data/sources/news.yaml:8:13: [0].language: 'pt BR' is not a language code; write one such "
               "as ru, hy, ar or az-Arab (ISO 639, optionally followed by a script or region)",
           ))
vocabulary("credibility-quoted", "A credibility grade in quotes", NEWS, "  credibility: 3", "  credibility: '3'",
           "Remove the quotes: `credibility: 3`.", (
               "error: data/sources/news.yaml:9:16: [0].credibility: '3' is in quotes, so it is text; write the grade "
               'without quotes: credibility: 3',
           ))
vocabulary("briefing-status", "A briefing status that does not exist", B, "status: final", "status: finale",
           "Use draft or final.", (
               "error: data/briefings/beta.yaml:3:9: status: 'finale' is not a briefing status (did you mean "
               "'final'?) (allowed: draft, final)",
           ))
vocabulary("indicator-status", "A misspelt indicator status", A, "        status: observed", "        status: observd",
           "Use observed, not-observed or unknown.", (
               "error: data/briefings/alpha.yaml:25:17: scenarios[0].indicators[0].status: 'observd' is not an "
               "indicator status (did you mean 'observed'?) (allowed: observed, not-observed, unknown)",
           ))
vocabulary("audience", "A misspelt audience", A, "audience: internal", "audience: publik",
           "Use public or internal.", (
               "error: data/briefings/alpha.yaml:4:11: audience: 'publik' is not an audience (did you mean 'public'?) "
               '(allowed: public, internal)',
           ))

KEYS = "Unknown keys"
case("unknown-key", "validate", KEYS, "A misspelt key",
     edit(B, "status: final", "status: final\nsumary: Earlier."),
     expected=(
         "error: data/briefings/beta.yaml:4:1: sumary: unknown key 'sumary' (did you mean 'summary'?) (allowed: id, "
         'title, date, status, marking, audience, authors, region, area, tags, summary, key_judgments, assumptions, '
         'actors, timeline, scenarios, scenarios_exclusive, sections, related, lang, translation_of, updates)',
     ),
     fix="Correct the key's spelling. Unknown keys are errors so that a typo never hides a value.")
case("unknown-key-nested", "validate", KEYS, "A misspelt key inside a key judgment",
     edit(A, "    sources: [src-one]\nactors:", "    source: [src-one]\nactors:"),
     expected=(
         "error: data/briefings/alpha.yaml:10:5: key_judgments[0].source: unknown key 'source' (did you mean "
         "'sources'?) (allowed: id, text, likelihood, confidence, sources, outcome)",
     ),
     fix="Use `sources`, plural, even for one source.")
case("key-in-capitals", "validate", KEYS, "A key written with a capital",
     edit(RUSSIA, "name: Russia", "Name: Russia"),
     expected=(
         "error: data/actors/russia.yaml:1:1: Name: unknown key 'Name' (did you mean 'name'?) (allowed: id, name, "
         'native_name, native_lang, aliases, kind, title, country, location, summary, relations, sources)',
     ),
     fix="Write keys in lower case, exactly as the format names them.")
case("misspelt-required-key-relation", "validate", KEYS, "A misspelt required key in an actor's relation",
     edit(PUTIN, "  - actor: russia", "  - actr: russia"),
     expected=(
         "error: data/actors/putin.yaml:5:5: relations[0].actr: unknown key 'actr' (did you mean 'actor'?) (allowed: "
         "actor, type, note, sources)",
     ),
     fix="Correct the key's spelling: each relation names the other actor under `actor:`.")
case("misspelt-required-key-timeline", "validate", KEYS, "A misspelt required key in a timeline entry",
     edit(A, "    event: A phone call.", "    evnt: A phone call."),
     expected=(
         "error: data/briefings/alpha.yaml:16:5: timeline[0].evnt: unknown key 'evnt' (did you mean 'event'?) "
         "(allowed: date, event, actors, sources, location, place)",
     ),
     fix="Correct the key's spelling: each timeline entry says what happened under `event:`.")
case("misspelt-required-key-actors", "validate", KEYS, "A misspelt required key in a briefing's actors",
     edit(A, "  - actor: putin", "  - actr: putin"),
     expected=(
         "error: data/briefings/alpha.yaml:12:5: actors[0].actr: unknown key 'actr' (did you mean 'actor'?) "
         "(allowed: actor, role)",
     ),
     fix="Correct the key's spelling: each entry of `actors:` names an actor under `actor:`.")
case("unknown-key-source", "validate", KEYS, "A misspelt key in a source",
     edit(NEWS, "  published: 2020-10-15", "  publised: 2020-10-15"),
     expected=(
         "error: data/sources/news.yaml:4:3: [0].publised: unknown key 'publised' (did you mean 'published'?) "
         '(allowed: id, title, url, publisher, author, published, accessed, archive_url, kind, language, reliability, '
         'credibility, note)',
     ),
     fix="Correct the key's spelling.")

IDS = "Ids"
case("bad-file-name", "validate", IDS, "A file name that is not a valid id",
     whole("briefings/Gamma Report.yaml", "title: Gamma\ndate: 2020-10-02\nstatus: final\nsummary: Gamma.\n"),
     expected=(
         "error: data/briefings/Gamma Report.yaml: the file name 'Gamma Report' is not a valid briefing id: use "
         "lowercase letters, digits and single hyphens, such as 'gamma-report'",
     ),
     fix="Rename the file: lowercase letters, digits and single hyphens (`gamma-report.yaml`). The file name is "
         "the briefing's id, and its address on the site.")
case("reserved-actor-id", "validate", IDS, "An id the site itself uses for a page",
     whole("actors/index.yaml", "name: Index Group\nkind: organization\nsources: [src-one]\n"),
     expected=(
         "error: data/actors/index.yaml: the id 'index' is the name of the page that lists the actors, which the "
         "site writes itself; rename the file",
     ),
     fix="Rename the file (`index-group.yaml`): its page would take the place of the page that lists the actors. "
         "A briefing cannot be called `index` or `briefing-book` (the name of the book's PDF) either.")
case("bad-source-id", "validate", IDS, "A source id that breaks the id rule",
     edit(NEWS, "- id: src-two", "- id: Src_Two"),
     expected=(
         "error: data/sources/news.yaml:10:7: [1].id: 'Src_Two' is not a valid id: use lowercase letters, digits and "
         "single hyphens, such as 'src-two'",
     ),
     fix="Use lowercase letters, digits and single hyphens, and cite the source by that id.")
case("id-too-long", "validate", IDS, "An id longer than 80 characters",
     edit(GLOSSARY, "- id: kazan-formula", "- id: " + "kazan-" * 15 + "formula"),
     expected=(
         'error: data/glossary.yaml:1:7: [0].id: this id is 97 characters long; an id may have at most 80',
     ),
     fix="Shorten the id to at most 80 characters.")
case("id-differs-from-file", "validate", IDS, "An id: that differs from the file name",
     edit(B, "title: An earlier look", "id: betta\ntitle: An earlier look"),
     expected=(
         "error: data/briefings/beta.yaml:1:5: id: the id 'betta' differs from the file name: it must be 'beta' (or "
         'leave the id out); to rename the briefing, rename the file',
     ),
     fix="Remove the `id:` line (the file name gives the id), or rename the file to match.")
case("duplicate-source-id", "validate", IDS, "Two sources with the same id",
     whole("sources/more.yaml", "- id: src-one\n  title: Another piece\n  url: https://example.org/three\n"
                                "  accessed: 2020-10-20\n  archive_url: https://archive.example.org/three\n"),
     expected=(
         "error: data/sources/news.yaml:1:7: [0].id: duplicate source id 'src-one' (also at "
         'data/sources/more.yaml:1); give each source its own id',
     ),
     fix="Give each source its own id, and check which one each citation means.")
case("id-shared-across-kinds", "validate", IDS, "A glossary term with the id of an actor",
     edit(GLOSSARY, "- id: kazan-formula", "- id: russia"),
     expected=(
         "error: data/glossary.yaml:1:7: [0].id: the id 'russia' is already used by the actor at "
         'data/actors/russia.yaml; briefings, actors and glossary terms share one set of ids, so [[russia]] would be '
         'ambiguous',
     ),
     fix="Choose another id for one of them: `[[russia]]` must name exactly one page.")

REFS = "References"


def dangling(key: str, title: str, file: str, old: str, new: str, fix: str, expected: tuple[str, ...]) -> None:
    case(key, "validate", REFS, title, edit(file, old, new), expected, fix)


dangling("judgment-source", "A key judgment citing an unknown source", A,
         "    sources: [src-one]\nactors:", "    sources: [src-0ne]\nactors:",
         "Cite a source id from `sources/*.yaml`, or add the source there.", (
             "error: data/briefings/alpha.yaml:10:15: key_judgments[0].sources[0]: no source has the id 'src-0ne' "
             "(did you mean 'src-one'?)",
         ))
dangling("briefing-actor-unknown", "A briefing naming an unknown actor", A, "  - actor: putin", "  - actor: puttin",
         "Use the id of a file in `actors/` (its name without .yaml), or add that actor.", (
             "error: data/briefings/alpha.yaml:12:12: actors[0].actor: no actor has the id 'puttin' (did you mean "
             "'putin'?)",
         ))
dangling("timeline-actor", "A timeline event naming an unknown actor", A, "    actors: [putin]",
         "    actors: [putin, lavrov]", "Add `actors/lavrov.yaml`, or remove the id.", (
             "error: data/briefings/alpha.yaml:17:21: timeline[0].actors[1]: no actor has the id 'lavrov' (to add "
             "it, run the command: new actor lavrov)",
         ))
dangling("timeline-source", "A timeline event citing an unknown source", A,
         "    actors: [putin]\n    sources: [src-one]", "    actors: [putin]\n    sources: [src-three]",
         "Cite a source id from `sources/*.yaml`, or add the source there.", (
             "error: data/briefings/alpha.yaml:18:15: timeline[0].sources[0]: no source has the id 'src-three' (did "
             "you mean 'src-two'?)",
         ))
dangling("related-unknown", "A related briefing that does not exist", A, "related: [beta]", "related: [gamma]",
         "Use the id of a file in `briefings/`.", (
             "error: data/briefings/alpha.yaml:29:11: related[0]: no briefing has the id 'gamma' (to add it, run "
             "the command: new briefing gamma)",
         ))
dangling("country-unknown", "A country that does not exist", PUTIN, "country: russia", "country: russian-federation",
         "Use the id of an actor of kind state.", (
             "error: data/actors/putin.yaml:3:10: country: no actor has the id 'russian-federation' (to add it, "
             "run the command: new actor russian-federation)",
         ))
dangling("relation-actor-unknown", "A relation to an unknown actor", PUTIN, "  - actor: russia", "  - actor: rusia",
         "Use the id of a file in `actors/`.", (
             "error: data/actors/putin.yaml:5:12: relations[0].actor: no actor has the id 'rusia' (did you mean "
             "'russia'?)",
         ))
dangling("relation-source", "A relation citing an unknown source", PUTIN, "    sources: [src-one]",
         "    sources: [src-1]", "Cite a source id from `sources/*.yaml`.", (
             "error: data/actors/putin.yaml:7:15: relations[0].sources[0]: no source has the id 'src-1' (did you mean "
             "'src-two'?)",
         ))
dangling("actor-source", "An actor citing an unknown source", RUSSIA, "sources: [src-one]", "sources: [src-two, tass]",
         "Cite a source id from `sources/*.yaml`, or add the source there.", (
             "error: data/actors/russia.yaml:3:20: sources[1]: no source has the id 'tass' (to add it, run the "
             "command: new source tass)",
         ))
dangling("term-source", "A glossary term citing an unknown source", GLOSSARY, "  sources: [src-two]",
         "  sources: [src-2]", "Cite a source id from `sources/*.yaml`.", (
             "error: data/glossary.yaml:4:13: [0].sources[0]: no source has the id 'src-2' (did you mean 'src-two'?)",
         ))
dangling("markdown-citation", "A citation in Markdown naming an unknown source", A,
         "Moscow balances [@src-one]", "Moscow balances [@src-won]",
         "Cite a source id from `sources/*.yaml` inside `[@...]`.", (
             "error: data/briefings/alpha.yaml:5:27: summary: [@src-won] names no source with the id 'src-won' (did "
             "you mean 'src-two'?)",
         ))
dangling("markdown-link", "A link in Markdown naming an unknown id", A, "and [[russia]].", "and [[rusia|Moscow]].",
         "Link to the id of a briefing, an actor or a glossary term inside `[[...]]`.", (
             'error: data/briefings/alpha.yaml:5:54: summary: [[rusia|Moscow]] names no briefing, actor or glossary '
             "term with the id 'rusia' (did you mean 'russia'?)",
         ))
dangling("markdown-in-block", "An unknown reference deep in a block of Markdown", A, "    body: Background text.",
         "    body: |\n      Background text.\n      As [[putin]] said [@src-one; @src-too], and [[putin]] again.",
         "The line and column point at the reference itself; fix the id there.", (
             'error: data/briefings/alpha.yaml:30:36: sections[0].body: [@src-one; @src-too] names no source with the '
             "id 'src-too' (did you mean 'src-two'?)",
         ))
dangling("markdown-in-glossary", "A citation in a glossary definition naming an unknown source", GLOSSARY,
         "districts [@src-two]", "districts [@src-two; @mt-options]",
         "Cite a source id from `sources/*.yaml`.", (
             'error: data/glossary.yaml:3:59: [0].definition: [@src-two; @mt-options] names no source with the id '
             "'mt-options' (to add it, run the command: new source mt-options)",
         ))

RULES = "Sources, dates and other rules"
VERSIONS = "Versions"
case("judgment-id-twice", "validate", VERSIONS, "Two judgments with one id",
     [edit(A, "  - text: Moscow keeps balancing.", "  - id: balancing\n    text: Moscow keeps balancing."),
      edit(A, "  - title: Russia stays out", "  - id: balancing\n    title: Russia stays out")],
     expected=(
         "error: data/briefings/alpha.yaml:21:9: scenarios[0].id: the id 'balancing' is also the id of "
         "key_judgments[0]; each key judgment and scenario of a briefing needs its own",
     ),
     fix="Give each key judgment and scenario its own short id: it follows it from one version to the next.")
case("update-order", "validate", VERSIONS, "Updates listed oldest first",
     [edit(A, "updates:\n", "updates:\n  - date: 2020-10-10\n    note: An older version.\n"),
      edit(A, "  - text: Moscow keeps balancing.", "  - id: balancing\n    text: Moscow keeps balancing."),
      edit(A, "  - title: Russia stays out", "  - id: stays-out\n    title: Russia stays out")],
     expected=(
         "error: data/briefings/alpha.yaml:35:11: updates[1].date: dated 2020-10-16, after the update above it "
         "(2020-10-10); list updates newest first",
     ),
     fix="List updates newest first: the latest one at the top, right under `updates:`.")
case("duplicate-url", "validate", RULES, "Two sources with the same URL",
     whole("sources/more.yaml", "- id: src-three\n  title: Russia's options, again\n  url: HTTPS://Example.org/one/\n"
                                "  accessed: 2020-10-20\n  archive_url: https://archive.example.org/three\n"
                                "  kind: opinion\n"),
     expected=(
         "error: data/sources/news.yaml:3:8: [0].url: source 'src-one' has the same URL as source 'src-three' "
         '(data/sources/more.yaml:1); keep one of them',
         "warning: data/sources/more.yaml:1:3: [0]: source 'src-three' is cited nowhere (no briefing, actor or "
         'glossary term lists it under sources: or cites it as [@src-three]); cite it or remove it',
     ),
     fix="Keep one source and cite it by its id everywhere. Scheme, the case of the host name and a trailing "
         "slash do not make another address.")
case("duplicate-url-tracking", "validate", RULES, "The same URL with tracking parameters",
     edit(NEWS, "  url: https://example.org/two", "  url: https://example.org/one?utm_source=newsletter&ref=home"),
     expected=(
         "error: data/sources/news.yaml:12:8: [1].url: source 'src-two' has the same URL as source 'src-one' "
         '(data/sources/news.yaml:1); keep one of them',
     ),
     fix="Keep one source. Tracking parameters (`utm_source`, `ref`, `fbclid`, `gclid` and the like) say how a "
         "reader arrived, not which page it is; `sources import` drops them.")
case("javascript-url", "validate", RULES, "A javascript: address",
     edit(NEWS, "  url: https://example.org/two", "  url: javascript:alert(1)"),
     expected=(
         "error: data/sources/news.yaml:12:8: [1].url: 'javascript:alert(1)' is not a web address (it starts with "
         'javascript:); only http:// and https:// are allowed',
     ),
     fix="Give the source's web address, starting with https:// or http://.")
case("ftp-url", "validate", RULES, "An ftp: address",
     edit(NEWS, "  url: https://example.org/two", "  url: ftp://example.org/two.pdf"),
     expected=(
         "error: data/sources/news.yaml:12:8: [1].url: 'ftp://example.org/two.pdf' is not a web address (it starts "
         'with ftp:); only http:// and https:// are allowed',
     ),
     fix="Give an http or https address; link a file on an FTP server through a web page that offers it.")
case("url-without-host", "validate", RULES, "An address whose host cannot be read",
     edit(NEWS, "  url: https://example.org/two", "  url: http://[example.org/two"),
     expected=(
         "error: data/sources/news.yaml:12:8: [1].url: 'http://[example.org/two' is not a web address: the part "
         "after '//' must name a host, like https://example.org/page",
     ),
     fix="Copy the address again from the browser's address bar.")
case("url-without-scheme", "validate", RULES, "An address without http://",
     edit(NEWS, "  archive_url: https://archive.example.org/two", "  archive_url: archive.example.org/two"),
     expected=(
         "error: data/sources/news.yaml:14:16: [1].archive_url: 'archive.example.org/two' is not a full address; "
         'write it with http:// or https://',
     ),
     fix="Write the full address: `https://archive.example.org/two`.")
case("impossible-date", "validate", RULES, "A date that does not exist",
     edit(B, "date: 2020-10-01", "date: 2020-02-30"),
     expected=(
         "error: data/briefings/beta.yaml:2:7: date: '2020-02-30' is not a real date: February 2020 has 29 days",
     ),
     fix="Correct the day.")
case("impossible-month", "validate", RULES, "A timeline month that does not exist",
     edit(A, "  - date: 2020-10-14", "  - date: 2020-13"),
     expected=(
         "error: data/briefings/alpha.yaml:15:11: timeline[0].date: '2020-13' is not a real month: there is no month "
         '13',
     ),
     fix="Correct the month (a timeline date may be YYYY-MM-DD, YYYY-MM or YYYY).")
case("published-in-future", "validate", RULES, "A source published in the future",
     edit(NEWS, "  published: 2020-10-15", "  published: 2030-10-15"),
     expected=(
         'error: data/sources/news.yaml:4:14: [0].published: 2030-10-15 is in the future (today is 2026-01-01)',
     ),
     fix="Correct the date: a source cannot be published after today.")
case("accessed-in-future", "validate", RULES, "A source accessed in the future",
     edit(NEWS, "  accessed: 2020-10-20\n  archive_url: https://archive.example.org/two",
          "  accessed: 2030-10-20\n  archive_url: https://archive.example.org/two"),
     expected=(
         'error: data/sources/news.yaml:13:13: [1].accessed: 2030-10-20 is in the future (today is 2026-01-01)',
     ),
     fix="Write the day you read the source.")
case("accessed-before-published", "validate", RULES, "A source accessed before it was published",
     edit(NEWS, "  published: 2020-10-15", "  published: 2020-10-25"),
     expected=(
         'error: data/sources/news.yaml:5:13: [0].accessed: accessed 2020-10-20 is before the source was published '
         '(2020-10-25); one of the dates is wrong',
     ),
     fix="Check both dates.")
case("relation-to-itself", "validate", RULES, "An actor related to itself",
     edit(PUTIN, "  - actor: russia", "  - actor: putin"),
     expected=(
         'error: data/actors/putin.yaml:5:12: relations[0].actor: an actor cannot have a relation to itself; name '
         'another actor',
     ),
     fix="Name the other actor of the relation.")
case("country-not-a-state", "validate", RULES, "A country that is not a state",
     edit(RUSSIA, "kind: state", "kind: organization"),
     expected=(
         "error: data/actors/putin.yaml:3:10: country: 'russia' is an actor of kind organization, not a state; "
         'country must name an actor of kind state',
     ),
     fix="Point `country:` at an actor of kind state, or correct that actor's kind.")
case("related-to-itself", "validate", RULES, "A briefing related to itself",
     edit(B, "status: final", "status: final\nrelated: [beta]"),
     expected=(
         'error: data/briefings/beta.yaml:4:11: related[0]: a briefing cannot be related to itself; name other '
         'briefings here',
     ),
     fix="List other briefings under `related:`.")
TRANSLATIONS = "Translations"


def translation(file: str, lang: str | None, of: str) -> Edit:
    """A translation of `of` added as `file`, in `lang` (None: no `lang:`, the site's language)."""
    said = f"lang: {lang}\n" if lang else ""
    return whole(file, f"title: Взгляд раньше\ndate: 2020-10-01\nstatus: final\n{said}translation_of: {of}\n"
                       "summary: Раньше, см. [[alpha]].\n")


case("translation-unknown", "validate", TRANSLATIONS, "A translation of a briefing that does not exist",
     translation("briefings/beta-ru.yaml", "ru", "bta"),
     expected=(
         "error: data/briefings/beta-ru.yaml:5:17: translation_of: no briefing has the id 'bta' (did you mean "
         "'beta'?)",
     ),
     fix="Name the id of the briefing it translates (its file name without .yaml).")
case("translation-of-translation", "validate", TRANSLATIONS, "A translation of a translation",
     [translation("briefings/beta-ru.yaml", "ru", "beta"), translation("briefings/beta-hy.yaml", "hy", "beta-ru")],
     expected=(
         "error: data/briefings/beta-hy.yaml:5:17: translation_of: 'beta-ru' is itself a translation (of 'beta'); "
         "name the original instead: translation_of: beta",
     ),
     fix="Point every translation at the original: the pages of all of them then link each other.")
case("translation-same-language", "validate", TRANSLATIONS, "A translation in the language of its original",
     translation("briefings/beta-ru.yaml", None, "beta"),
     expected=(
         "error: data/briefings/beta-ru.yaml:4:17: translation_of: 'beta' is in en too (the site's language, as it "
         "sets no `lang:`); a translation is in another language: write its language as `lang:`",
     ),
     fix="Add `lang:` with the translation's language (`lang: ru`).")
case("translation-language-twice", "validate", TRANSLATIONS, "Two translations of one briefing in one language",
     [translation("briefings/beta-ru.yaml", "ru", "beta"), translation("briefings/beta-russian.yaml", "ru", "beta")],
     expected=(
         "error: data/briefings/beta-russian.yaml:4:7: lang: 'beta' already has a translation in ru ('beta-ru', "
         "data/briefings/beta-ru.yaml); keep one translation per language, or correct `lang:`",
     ),
     fix="Keep one of the two files, or correct the language of the one that is in another language.")
case("several-errors", "validate", RULES, "Several mistakes in one run: all are reported",
     [edit(A, "    likelihood: likely", "    likelihood: probable"),
      edit(PUTIN, "  - actor: russia", "  - actor: rusia"),
      edit(NEWS, "  kind: opinion", "  kind: opinon"),
      edit(B, "title: An earlier look", 'title: "An earlier look')],
     expected=(
         "error: data/briefings/alpha.yaml:8:17: key_judgments[0].likelihood: 'probable' is not a likelihood term "
         "(did you mean 'likely'?) (allowed: ICD 203: almost-no-chance, very-unlikely, unlikely, "
         "roughly-even-chance, likely, "
         "very-likely, almost-certain; "
         "PHIA: remote-chance, highly-unlikely, unlikely, realistic-possibility, likely, "
               "highly-likely, almost-certain)",
         'error: data/briefings/beta.yaml:1:8: YAML syntax error: this quote is never closed',
         "error: data/sources/news.yaml:7:9: [0].kind: 'opinon' is not a source kind (did you mean 'opinion'?) "
         '(allowed: news, opinion, analysis, official, dataset, other)',
         "error: data/actors/putin.yaml:5:12: relations[0].actor: no actor has the id 'rusia' (did you mean "
         "'russia'?)",
     ),
     fix="Fix them all before the next run; nothing is built while any error remains.")
case("errors-in-one-file", "validate", RULES, "A wrong value and a missing source in one file: both are reported",
     [edit(A, "    likelihood: likely", "    likelihood: probable"),
      edit(A, "summary: Moscow balances [@src-one]", "summary: Moscow balances [@no-such-source]")],
     expected=(
         "error: data/briefings/alpha.yaml:8:17: key_judgments[0].likelihood: 'probable' is not a likelihood term "
         "(did you mean 'likely'?) (allowed: ICD 203: almost-no-chance, very-unlikely, unlikely, "
         "roughly-even-chance, likely, "
         "very-likely, almost-certain; "
         "PHIA: remote-chance, highly-unlikely, unlikely, realistic-possibility, likely, "
               "highly-likely, almost-certain)",
         "error: data/briefings/alpha.yaml:5:27: summary: [@no-such-source] names no source with the id "
         "'no-such-source' (to add it, run the command: new source no-such-source)",
     ),
     fix="Fix both. The rules across files (sources cited, actors named, links) also check a file whose values "
         "are wrong elsewhere, wherever what it says can still be read.")

SOURCING = "Sourcing and assumptions"
HIGH = edit(A, "    confidence: moderate\n    sources: [src-one]",
            "    confidence: high\n    sources: [src-one, src-two]")
"""The key judgment at high confidence, on both sources."""
OTHER_PUBLISHER = edit(NEWS, "  url: https://example.org/two\n",
                       "  url: https://example.org/two\n  publisher: Other Press\n")
"""src-two from a publisher of its own (src-one has none: its publisher is its host, example.org)."""
JUDGMENT_ID = edit(A, "  - text: Moscow keeps balancing.", "  - id: balancing\n    text: Moscow keeps balancing.")


def assumption(status: str, judgments: str) -> Edit:
    return edit(A, "actors:\n", f"assumptions:\n  - text: Turkey stays out of the war.\n    status: {status}\n"
                f"    judgments: [{judgments}]\nactors:\n")


case("assumption-names-no-judgment", "validate", SOURCING, "An assumption names no key judgment of its briefing",
     [JUDGMENT_ID, assumption("caveated", "balanceing")],
     expected=(
         "error: data/briefings/alpha.yaml:15:17: assumptions[0].judgments[0]: no key judgment of this briefing has "
         "the id 'balanceing' (did you mean 'balancing'?); name the key judgments that rest on this assumption",
     ),
     fix="Write the `id:` of a key judgment of the same briefing; a judgment needs an `id:` to be named here.")
case("assumption-names-judgment-without-id", "validate", SOURCING,
     "An assumption names a key judgment, and no key judgment has an id",
     assumption("solid", "balancing"),
     expected=(
         "error: data/briefings/alpha.yaml:14:17: assumptions[0].judgments[0]: no key judgment of this briefing has "
         "the id 'balancing' (none of its key judgments has an id: give the one meant id: a-short-name); name the "
         "key judgments that rest on this assumption",
     ),
     fix="Give the key judgment an id (`id: balancing`), then name it under the assumption's `judgments:`.")
case("confidence-on-weak-grades", "validate", SOURCING,
     "High confidence on two publishers, none graded C3 or better",
     [HIGH, OTHER_PUBLISHER, edit(NEWS, "  credibility: 3", "  credibility: 4")],
     expected=(
         "warning: data/briefings/alpha.yaml:9:17: key_judgments[0].confidence: high confidence, but none of its "
         "sources is graded C3 or better (B4, ungraded); add a source from another publisher graded C3 or better, or "
         "lower the confidence",
     ),
     fix="Add a source graded C3 or better (reliability A-C and credibility 1-3), grade the sources you have, or "
         "lower the confidence. A source without both grades counts as below C3.")
case("confidence-on-two-publishers", "validate", SOURCING,
     "High confidence on two publishers, one graded C3 or better: no warning",
     [HIGH, OTHER_PUBLISHER],
     expected=(),
     fix="Nothing to fix: two independent publishers (example.org, the host of src-one, and Other Press) and a "
         "source graded B3 bear high confidence.")
case("moderate-confidence-on-thin-sourcing", "validate", SOURCING,
     "Moderate confidence on one weak source and an unsupported assumption: no warning",
     [JUDGMENT_ID, edit(NEWS, "  credibility: 3", "  credibility: 5"), assumption("unsupported", "balancing")],
     expected=(),
     fix="Nothing to fix: the sourcing and assumptions checks hold only high confidence to their bar.")

WARNINGS = "Warnings"


def warning(key: str, title: str, edits: Edit | list[Edit], fix: str, expected: tuple[str, ...]) -> None:
    case(key, "validate", WARNINGS, title, edits, expected, fix)


warning("source-cited-nowhere", "A source cited nowhere",
        [edit(GLOSSARY, "districts [@src-two].", "districts."), edit(GLOSSARY, "  sources: [src-two]\n", "")],
        "Cite it where it supports something, or remove it.", (
            "warning: data/sources/news.yaml:10:3: [1]: source 'src-two' is cited nowhere (no briefing, actor or "
            'glossary term lists it under sources: or cites it as [@src-two]); cite it or remove it',
        ))
warning("placeholder", "A value still reading TODO",
        edit(A, "title: Russia keeps balancing", 'title: "TODO: the headline"'),
        "Write the value; the `new` command marks what is left to write with TODO.", (
            "warning: data/briefings/alpha.yaml:1:8: title: still a placeholder ('TODO: the headline'); write it",
        ))
warning("actor-in-no-briefing", "An actor named in no briefing",
        whole("actors/lavrov.yaml", "name: Sergey Lavrov\nkind: person\nsources: [src-one]\n"),
        "Name it in a briefing (under `actors:`, in a timeline event, or as `[[lavrov]]`), or remove it.", (
            "warning: data/actors/lavrov.yaml:1:1: actor 'lavrov' is named in no briefing (not under actors:, in a "
            'timeline, nor as [[lavrov]]); name it in one or remove it',
        ))
warning("judgment-without-sources", "A key judgment without sources",
        edit(A, "    sources: [src-one]\nactors:", "actors:"),
        "Add `sources:` with the ids it rests on, or cite them as `[@id]` in its text.", (
            'warning: data/briefings/alpha.yaml:7:5: key_judgments[0]: this key judgment cites no sources; add '
            'sources: [source-id], or cite one with [@source-id] in its text',
        ))
warning("draft", "A briefing still in draft",
        edit(B, "status: final", "status: draft"),
        "Set `status: final` when the briefing is ready. Drafts never appear in public builds.", (
            'warning: data/briefings/beta.yaml:3:9: status: this briefing is still a draft (marked as such '
            'everywhere, and left out of public builds); set status: final when it is ready',
        ))
warning("source-without-accessed", "A source without an accessed date",
        edit(NEWS, "  accessed: 2020-10-20\n  archive_url: https://archive.example.org/two",
             "  archive_url: https://archive.example.org/two"),
        "Add `accessed:` with the day you read the source.", (
            "warning: data/sources/news.yaml:10:3: [1]: source 'src-two' has no accessed date; add accessed: "
            'YYYY-MM-DD, the day you read it',
        ))
warning("source-without-archive", "A source without archive_url",
        edit(NEWS, "  archive_url: https://archive.example.org/two\n", ""),
        "Add `archive_url:` with the address of an archived copy of the page.", (
            "warning: data/sources/news.yaml:10:3: [1]: source 'src-two' has no archive_url; add the address of an "
            'archived copy, in case the page changes or disappears',
        ))

warning("key-inside-text", "A key indented under a text block",
        edit(A, "summary: Moscow balances [@src-one] between Baku and [[russia]].\nkey_judgments:",
             "summary: |\n  Moscow balances [@src-one] between Baku and [[russia]].\n  key_judgments:"),
        "Start the key where the briefing's other keys start (at the beginning of the line), and indent its "
        "items under it; the text ends at the line before.", (
            "warning: data/briefings/alpha.yaml:7:3: summary: line 2 of this text is 'key_judgments:', a key of this "
            "briefing: indented under the text, it and what follows are read as text, not as key_judgments; start it "
            "where the other keys start",
        ))

warning("judgment-without-id", "Judgments without ids in a briefing with two updates",
        edit(A, "updates:\n", "updates:\n  - date: 2020-10-20\n    note: Second version.\n"),
        "Add `id: a-short-name` to each key judgment and scenario (`id: balancing`), and keep it when the wording "
        "changes; `briefsite fix ids` writes them into the files (`--dry-run` shows the change first). Until then "
        "each is followed by its place in the list.", (
            "warning: data/briefings/alpha.yaml:7:5: key_judgments[0]: 2 key judgments and scenarios of this briefing "
            "have no id: with 2 updates, each is followed from one version to the next by its place, so one moved or "
            "inserted is taken for another; give each an id (id: a-short-name), or let 'briefsite fix ids' write them",
            "warning: data/briefings: 1 briefing with several updates but no git history to read them from: each "
            "shows its current version only (keep the project in git to show how its judgments moved)",
        ))

warning("confidence-exceeds-sourcing", "High confidence on sources from one publisher",
        edit(A, "    confidence: moderate", "    confidence: high"),
        "Add a source from another publisher (`publisher:`, or the host of its `url:` when it has none) graded C3 or "
        "better, or lower the confidence.", (
            "warning: data/briefings/alpha.yaml:9:17: key_judgments[0].confidence: high confidence, but its sources "
            "come from one publisher (example.org), not two independent ones; add a source from another publisher "
            "graded C3 or better, or lower the confidence",
        ))
warning("judgment-on-unsupported-assumption", "High confidence resting on an unsupported assumption",
        [HIGH, OTHER_PUBLISHER, JUDGMENT_ID, assumption("unsupported", "balancing")],
        "Check the assumption again (is there evidence for it now?), or lower the confidence of the judgments "
        "that rest on it.", (
            "warning: data/briefings/alpha.yaml:10:17: key_judgments[0].confidence: high confidence, but this "
            "judgment rests on assumptions[0] ('Turkey stays out of the war.'), which is rated unsupported; check "
            "the assumption again, or lower the confidence",
        ))

warning("estimative-mismatch", "Words that contradict a judgment's likelihood",
        edit(A, "  - text: Moscow keeps balancing.\n", "  - text: |\n      Moscow keeps balancing, and will\n"
             "      almost certainly keep doing so.\n"),
        "Make the words and `likelihood:` say the same: change the words, or the term if the words are what you "
        "judge. Ranges that only share an end (likely 55-80%, very likely 80-95%) do not overlap.", (
            "warning: data/briefings/alpha.yaml:9:7: key_judgments[0].text: the text says 'almost certainly' "
            "(ICD 203: almost-certain, 95-99%), and this key judgment's likelihood is likely (55-80%): the ranges do "
            "not overlap; make the words and the likelihood say the same",
        ))
warning("estimative-mismatch-scenario", "Words that contradict a scenario's likelihood",
        edit(A, "    description: Russia stays out.\n", "    description: >-\n      Russia stays out, as it\n"
             "      very-likely will.\n"),
        "As for a key judgment: a scenario's title and description say what `likelihood:` says. Its "
        "`implications:` are not compared: they follow if the scenario happens.", (
            "warning: data/briefings/alpha.yaml:24:7: scenarios[0].description: the text says 'very-likely' (ICD 203: "
            "very-likely, 80-95%), and this scenario's likelihood is unlikely (20-45%): the ranges do not overlap; "
            "make the words and the likelihood say the same",
        ))
warning("likelihood-with-confidence", "A likelihood and a confidence in one sentence",
        edit(A, "summary: Moscow balances [@src-one] between Baku and [[russia]].\n",
             "summary: |\n  Moscow balances [@src-one] between Baku and [[russia]]. We assess with high\n"
             "  confidence that it will probably go on.\n"),
        "Split the sentence: one states the likelihood with a term of the yardstick, the other the confidence "
        "(or give a key judgment's confidence in `confidence:`).", (
            "warning: data/briefings/alpha.yaml:6:74: summary: this sentence states a likelihood ('probably') and a "
            "confidence ('high confidence') together, and readers take one for the other (ICD 203 keeps them in "
            "separate sentences): split it in two, one for the likelihood and one for the confidence",
        ))
warning("likelihood-with-confidence-apart", "A likelihood and a confidence in two sentences (no warning)",
        edit(A, "summary: Moscow balances [@src-one] between Baku and [[russia]].",
             "summary: Moscow balances [@src-one] between Baku and [[russia]] and will probably go on. We hold "
             "this with high confidence."),
        "Nothing to fix: this is how ICD 203 asks for them.", ())
warning("other-yardstick", "A likelihood term of the other yardstick in the prose",
        edit(A, "    body: Background text.", "    body: Talks are a realistic possibility."),
        "Write the term of the site's yardstick that the message names, or quote the words in quotation marks if "
        "they are someone else's.", (
            "warning: data/briefings/alpha.yaml:28:23: sections[0].body: 'realistic possibility' is a term of the PHIA "
            "yardstick (40-50%), and this site uses ICD 203 (yardstick: icd-203 in site.yaml); write 'roughly even "
            "chance' (45-55%), the nearest ICD 203 term, or put the words in quotation marks if they are someone "
            "else's",
        ))
warning("other-yardstick-phia", "An ICD 203 term in the prose of a PHIA site",
        [edit("site.yaml", "title: Test Watch", "title: Test Watch\nyardstick: phia"),
         edit(A, "    body: Background text.", "    body: A deal is Very Likely.")],
        "Write the PHIA term the message names.", (
            "warning: data/briefings/alpha.yaml:28:21: sections[0].body: 'Very Likely' is a term of the ICD 203 "
            "yardstick (80-95%), and this site uses PHIA (yardstick: phia in site.yaml); write 'highly likely' "
            "(80-90%), the nearest PHIA term, or put the words in quotation marks if they are someone else's",
        ))
warning("language-without-catalogue", "A site language without a catalogue of the site's words",
        edit("site.yaml", "title: Test Watch", "title: Test Watch\nlanguage: de"),
        "Translate `briefsite/locale/messages.pot` into `briefsite/locale/de.po` (see \"The site's language\" in "
        "docs/format.md), or turn the warning off if English words suit the site.", (
            "warning: data/site.yaml:2:11: language: the site's own words (Bottom line, Key judgments...) have no "
            "catalogue in 'de' and stay in English; to add one, copy briefsite/locale/messages.pot to "
            "briefsite/locale/de.po and translate it (docs/format.md, \"The site's language\")",
        ))
warning("area-off-the-basemap", "An area code the maps' basemap does not draw on its own",
        edit(A, "status: final\n", "status: final\narea: [RE]\n"),
        "Give the area as a box around the island or territory: `area: {south: -21.5, west: 55.1, north: -20.8, "
        "east: 55.9}` for Réunion.", (
            "warning: data/briefings/alpha.yaml:4:8: area[0]: the map cannot show 'RE' on its own: its basemap "
            "(Natural Earth, 1:50m) has no outline for it, or counts it in another country's; the map leaves it "
            "out. Give the area as a box {south, west, north, east} around it instead",
        ))
warning("estimative-mismatch-negated", "A negated likelihood word (no warning)",
        edit(A, "  - text: Moscow keeps balancing.", "  - text: A deal is not likely to be reached, and it isn't "
             "very likely that Moscow stops balancing."),
        "Nothing to fix: a phrase with a negation up to two words before it ('not likely', \"isn't very likely\") "
        "is not taken for the term.", ())
warning("estimative-mismatch-comparison", "'More likely than not' (no warning)",
        edit(A, "  - text: Moscow keeps balancing.", "  - text: Moscow is more likely than not to keep balancing, "
             "the most likely course."),
        "Nothing to fix: a comparison ('more likely than not', 'as likely as', 'the most likely') is not a term.", ())
warning("other-yardstick-quoted", "Likelihood words in quotation marks or code (no warning)",
        edit(A, "  - text: Moscow keeps balancing.", "  - text: >-\n      Moscow keeps balancing; Lavrov called war "
             "\"highly\n      unlikely\" and the field is `likelihood: almost-certain`."),
        "Nothing to fix: words in quotation marks (straight or curly, within a paragraph), in a block quotation "
        "(`> `), in `code` or a code block are someone else's or not prose.", ())
warning("other-yardstick-in-titles-and-links", "Likelihood words in a source title, a link text or a citation "
        "(no warning)",
        [edit(NEWS, "  title: Russia's options", "  title: \"Highly likely: Russia's options\""),
         edit(A, "    body: Background text.", "    body: See [a realistic possibility](https://example.org/one), "
              "[[russia|a remote chance]] and [@src-one].")],
        "Nothing to fix: the titles of sources are not the desk's prose, and the text of a link names what it "
        "links to.", ())
warning("scenario-likelihoods-inconsistent", "Exclusive scenarios whose likelihoods cannot add up to 100%",
        edit(A, "sections:\n", "  - title: Russia intervenes\n    likelihood: likely\n    description: Russia "
             "fights.\n  - title: Russia brokers a deal\n    likelihood: likely\n    description: A deal.\n"
             "scenarios_exclusive: true\nsections:\n"),
        "Exclusive scenarios cover every outcome once: the sum of their lows (on the site's yardstick) must be at "
        "most 100%, and the sum of their highs at least 100%. Change a likelihood, add the missing scenario, or set "
        "`scenarios_exclusive: false` when they can happen together.", (
            "warning: data/briefings/alpha.yaml:32:22: scenarios_exclusive: exclusive scenarios (scenarios_exclusive: "
            "true) cover every outcome once, so their likelihoods must be able to add up to 100%; on the ICD 203 "
            "ranges their likelihoods add up to 130-205%: even the lows make 130%; lower a likelihood, or set "
            "scenarios_exclusive: false if two of them can happen together",
        ))
warning("scenario-likelihoods-inconsistent-short", "Exclusive scenarios whose likelihoods cannot reach 100%",
        edit(A, "sections:\n", "scenarios_exclusive: true\nsections:\n"),
        "The scenarios leave outcomes out: add the scenario of the outcomes left out, or raise a likelihood.", (
            "warning: data/briefings/alpha.yaml:26:22: scenarios_exclusive: exclusive scenarios (scenarios_exclusive: "
            "true) cover every outcome once, so their likelihoods must be able to add up to 100%; on the ICD 203 "
            "ranges their likelihoods add up to 20-45%: even the highs make 45%; raise a likelihood, or add the "
            "scenario of the outcomes left out",
        ))
warning("scenario-likelihoods-inconsistent-unrated", "An exclusive scenario without likelihood (no warning)",
        edit(A, "sections:\n", "  - title: Russia brokers a deal\n    description: A deal.\n"
             "scenarios_exclusive: true\nsections:\n"),
        "Nothing to fix: a scenario without `likelihood:` counts as 0-100%, so with one in the set only lows over "
        "100% are reported.", ())

PLACES = "Places"
GANJA = """\
- id: ganja
  name: Ganja
  names: {az: Gəncə, ru: Гянджа}
  point: [40.683, 46.361]
  country: AZ
"""
GAZETTEER = whole("places.yaml", GANJA)
EVENT = "    sources: [src-one]\nscenarios:"


def placed(line: str) -> Edit:
    """The minimal briefing's timeline event with one more line (location: or place:)."""
    return edit(A, EVENT, f"    sources: [src-one]\n{line}\nscenarios:")


case("location-out-of-range", "validate", PLACES, "A point out of range", placed("    location: [40.7, 190]"), (
    'error: data/briefings/alpha.yaml:19:15: timeline[0].location: the longitude 190 is out of range: it must be '
    'between -180 and 180',
), "A point is `[latitude, longitude]` in decimal degrees: latitude -90 to 90, longitude -180 to 180. "
   "Swapped numbers are the usual cause.")
case("location-not-a-point", "validate", PLACES, "An event's location that is not a point",
     placed("    location: Ganja"), (
         'error: data/briefings/alpha.yaml:19:15: timeline[0].location: a point is a list of two numbers, '
         '[latitude, longitude], such as [39.816, 46.752]',
     ), "Give a point `[latitude, longitude]`, or name an entry of `places.yaml` with `place:`.")
case("location-and-place", "validate", PLACES, "An event with both location and place",
     [GAZETTEER, placed("    location: [40.68, 46.36]\n    place: ganja")], (
         'error: data/briefings/alpha.yaml:20:12: timeline[0].place: this event gives both location and place; '
         'keep one (place names an entry of places.yaml, location is a point)',
     ), "Keep one: `place:` when the place is in `places.yaml`, `location:` for a point of its own.")
case("place-unknown", "validate", PLACES, "An event naming a place that is not in places.yaml",
     [GAZETTEER, placed("    place: gandja")], (
         "error: data/briefings/alpha.yaml:19:12: timeline[0].place: no place has the id 'gandja' (did you mean "
         "'ganja'?)",
     ), "Use the `id` of an entry of `places.yaml`, or add the place there.")
case("place-without-gazetteer", "validate", PLACES, "An event naming a place with no places.yaml",
     placed("    place: ganja"), (
         "error: data/briefings/alpha.yaml:19:12: timeline[0].place: no place has the id 'ganja' (add it to "
         'places.yaml)',
     ), "Add `places.yaml` to the content folder with that place, or give the event a `location:` point.")
case("place-duplicate", "validate", PLACES, "Two places with one id", whole("places.yaml", """\
- id: ganja
  name: Ganja
  point: [40.683, 46.361]
- id: ganja
  name: Gandzak
  point: [40.683, 46.361]
"""), (
    "error: data/places.yaml:4:7: [1].id: duplicate place id 'ganja' (also at data/places.yaml:1); give each "
    'place its own id',
), "Give each place its own id.")
case("place-name-language", "validate", PLACES, "A place's other name under a key that is no language code",
     whole("places.yaml", GANJA.replace("{az:", "{Azerbaijani:")), (
         "error: data/places.yaml:3:11: [0].names.Azerbaijani: 'Azerbaijani' is not a language code; write one "
         'such as ru, hy, ar or az-Arab (ISO 639, optionally followed by a script or region)',
     ), "Key each name by its language code (ISO 639: `az`, `hy`, `ru`, or with a script such as `az-Arab`).")
case("place-country-unknown", "validate", PLACES, "A place's country that is no country code",
     whole("places.yaml", GANJA.replace("AZ", "Azerbaijan")), (
         "error: data/places.yaml:5:12: [0].country: 'Azerbaijan' is not a country code (ISO 3166-1 alpha-2) "
         "(did you mean 'AZ'?); write two capital letters, such as AZ, AM or RU",
     ), "Write the country's ISO 3166-1 alpha-2 code, two capital letters.")
case("actor-location-code-unknown", "validate", PLACES, "An actor's location that is no country code",
     edit(RUSSIA, "kind: state\n", "kind: state\nlocation: RUS\n"), (
         "error: data/actors/russia.yaml:3:11: location: 'RUS' is not a country code (ISO 3166-1 alpha-2) (did "
         "you mean 'RU'?); write two capital letters, such as AZ, AM or RU",
     ), "Write the ISO 3166-1 alpha-2 code (two letters: `RU`, not the three-letter `RUS`), or a point.")
case("actor-location-subdivision", "validate", PLACES, "An actor's location given as a subdivision code",
     edit(RUSSIA, "kind: state\n", "kind: state\nlocation: RU-CE\n"), (
         "error: data/actors/russia.yaml:3:11: location: 'RU-CE' looks like a subdivision code (ISO 3166-2), "
         "which this tool cannot check; give the country's code 'RU', or a point [latitude, longitude]",
     ), "Subdivision codes (ISO 3166-2) cannot be checked here: give the country's code, or a point inside it.")
case("area-code-lowercase", "validate", PLACES, "A briefing's area with a code in small letters",
     edit(A, "status: final\n", "status: final\narea: [AZ, am]\n"), (
         "error: data/briefings/alpha.yaml:4:12: area[1]: 'am' is not a country code (ISO 3166-1 alpha-2) (did "
         "you mean 'AM'?); write two capital letters, such as AZ, AM or RU",
     ), "Country codes are written in capitals: `AM`.")
case("area-box-upside-down", "validate", PLACES, "A briefing's area box with south above north",
     edit(A, "status: final\n", "status: final\narea: {south: 41, west: 45, north: 39, east: 47}\n"), (
         'error: data/briefings/alpha.yaml:4:7: area: south (41) must be below north (39); swap them',
     ), "Swap `south` and `north`. (`west` greater than `east` is allowed: the box crosses the antimeridian.)")
case("area-box-missing-edge", "validate", PLACES, "A briefing's area box without one of its edges",
     edit(A, "status: final\n", "status: final\narea: {south: 39, west: 45, north: 41}\n"), (
         "error: data/briefings/alpha.yaml:4:7: area: required key 'east' is missing from this area",
     ), "A box has all four edges: `south`, `west`, `north` and `east`.")
case("area-not-a-list", "validate", PLACES, "A briefing's area given as one code",
     edit(A, "status: final\n", "status: final\narea: AZ\n"), (
         "error: data/briefings/alpha.yaml:4:7: area: expected a list, found text ('AZ'); write [AZ], or one '- "
         "' line per item",
     ), "Country codes go in a list, even one: `area: [AZ]`.")

SECTIONS = [SYNTAX, FILES, LIMITS, "Required keys", TYPES, "Vocabularies", KEYS, IDS, REFS, RULES, PLACES, TRANSLATIONS,
            SOURCING, WARNINGS]



# --- Importing references (`sources import`) ---------------------------------------------------

@dataclass(frozen=True)
class ImportCase:
    """A reference manager's export given to `sources import FILE` in the minimal project."""

    key: str
    title: str
    file: str
    """The export's name, in the project's folder."""
    text: str
    expected: tuple[str, ...]
    """Every problem of the run, exactly as printed, in order."""
    fix: str


IMPORTING = "Importing references"
IMPORTING_INTRO = """\
`python build_brief.py sources import FILE` reads a CSL JSON or BibTeX export (see
[Authoring tools](authoring.md)). A reference it cannot use is a warning naming the file, the line, the column
and the reference, and the rest is imported; a value the format refuses is left out of its
source, with a warning. Only a file that cannot be read as its format at all is an error, and
then nothing is imported. Each example below is a whole export given to the small project.
"""
IMPORT_CASES: list[ImportCase] = [
    ImportCase("import-json-syntax", "An export that is not valid JSON", "zotero.json",
               '[\n  {"id": "a", "type": "webpage", "title": "A"}\n  {"id": "b", "type": "webpage"}\n]\n',
               ("error: zotero.json:3:3: not valid JSON: Expecting ',' delimiter (read as CSL JSON)",),
               "Export the library again from the reference manager, or put back the comma or bracket at that place. "
               "A file named .json is always read as CSL JSON."),
    ImportCase("import-not-utf8", "An export that is not UTF-8 (here Latin-1)", "library.bib",
               "@online{mueller2020,\n  title = {Waffenstillstand in Berg-Karabach},\n"
               "  author = {M\xfcller, J\xf6rg},\n  url = {https://example.org/a},\n}\n",
               ("error: library.bib:3:14: the file is not UTF-8 text: byte 0xfc here is not UTF-8 (was it saved as "
                "Latin-1 or Windows-1252?); export it as UTF-8 (read as BibTeX)",),
               "Export again as UTF-8 (Zotero and Mendeley write UTF-8; in JabRef, the library's properties set its "
               "encoding), or convert the file: `iconv -f latin1 -t utf-8 library.bib > library-utf8.bib`."),
    ImportCase("import-json-not-a-list", "JSON that is not a list of items", "zotero.json",
               '{"items": [{"id": "a", "type": "webpage", "title": "A", "URL": "https://example.org/a"}]}\n',
               ("error: zotero.json: expected CSL JSON: a list of items ([{...}, ...]), as Zotero and Mendeley export "
                "it; found an object (read as CSL JSON)",),
               "Export as CSL JSON (in Zotero: File > Export Library, format CSL JSON): a list that starts with `[`."),
    ImportCase("import-item-not-an-object", "An item of the list that is not an object", "zotero.json",
               '[\n  {"id": "a", "type": "webpage", "title": "A", "URL": "https://example.org/a"},\n'
               '  "https://example.org/b"\n]\n',
               ("warning: zotero.json:3:3: item 2 is text, not an object; skipped",),
               "Write the item as an object with a `title` and a `URL`, or import a list of links as a text file."),
    ImportCase("import-without-url", "A reference without an address", "library.bib",
               "@book{dewaal2019,\n  author = {de Waal, Thomas},\n  title = {The {Caucasus}: An Introduction},\n"
               "  publisher = {Oxford University Press},\n  year = {2019},\n}\n",
               ("warning: library.bib:1:1: entry 'dewaal2019' (\"The Caucasus: An Introduction\") has no URL "
                "(nor DOI), which a source needs; skipped",),
               "A source needs an address: give the reference a URL or a DOI in the reference manager, or write "
               "the source by hand (`new source ID`) with the address of the page where it can be read."),
    ImportCase("import-not-http", "An address that is not http or https", "zotero.json",
               '[\n  {"id": "a", "type": "dataset", "title": "Events", "URL": "ftp://example.org/events.csv"}\n]\n',
               ("warning: zotero.json:2:3: item 'a' (\"Events\"): 'ftp://example.org/events.csv' is not an http(s) "
                "address; skipped",),
               "Give the reference the http or https address of the page that offers the file."),
    ImportCase("import-url-twice", "Two references with the same address", "zotero.json",
               '[\n  {"id": "a", "type": "webpage", "title": "A", "URL": "https://example.org/a"},\n'
               '  {"id": "b", "type": "webpage", "title": "A again", "URL": "HTTPS://Example.org/a/"}\n]\n',
               ("warning: zotero.json:3:3: item 'b' (\"A again\") has the URL of item 'a' above; skipped",),
               "Nothing to fix for the import: the first is imported. Merge the two in the reference manager "
               "(addresses are compared as for duplicate sources: scheme, host case, a trailing slash and tracking "
               "parameters aside)."),
    ImportCase("import-bibtex-unreadable", "A BibTeX entry that cannot be read", "library.bib",
               "@online{a,\n  title = {A,\n  url = {https://example.org/a},\n}\n\n"
               "@online{b,\n  title = {B},\n  url = {https://example.org/b},\n}\n",
               ("warning: library.bib:1:1: entry 'a' could not be read (Unexpected block start: `@online`. Was still "
                "looking for field-value closing `,` or `}`); skipped",),
               "Close the brace that the entry leaves open (here after the title), then import again: the entries "
               "already imported are known and not added twice."),
    ImportCase("import-bibtex-duplicate-key", "Two BibTeX entries with one key", "library.bib",
               "@online{a,\n  title = {A},\n  url = {https://example.org/a},\n}\n"
               "@online{a,\n  title = {B},\n  url = {https://example.org/b},\n}\n",
               ("warning: library.bib:5:1: entry 'a' has the key of an entry above; skipped",),
               "Give each entry a key of its own (the reference manager can regenerate them), then import again."),
    ImportCase("import-values-left-out", "Values a source cannot hold", "library.bib",
               "@online{a,\n  title = {A},\n  url = {https://example.org/a},\n  date = {2021-02-30},\n"
               "  langid = {klingon},\n}\n",
               ("warning: library.bib:1:1: entry 'a': language: 'klingon' is not a language code or a language we "
                "know by name; left out",
                "warning: library.bib:1:1: entry 'a': published: '2021-02-30' is not a real date: February 2021 has "
                "28 days; left out"),
               "The source is added without them: write the `language` code and the `published` date in the "
               "source, or correct the reference and write them by hand (a source already imported is not "
               "imported again)."),
]


def import_problems_of(root: Path, case: ImportCase) -> list[str]:
    """Every problem of importing the case's export into the minimal project, as printed (run from root)."""
    from briefsite.authoring import sources
    from briefsite.core.errors import BriefError
    from briefsite.core.project import Project

    write_project(root)
    latin = case.key == "import-not-utf8"  # the one export written in another encoding
    (root / case.file).write_text(case.text, encoding="latin-1" if latin else "utf-8")
    here = Path.cwd()
    os.chdir(root)
    try:
        result = sources.import_sources(Project(root.resolve(), (root / "data").resolve()), Path(case.file))
    except BriefError as exc:
        return [p.format() for p in exc.problems]
    finally:
        os.chdir(here)
    return [s.problem.format() for s in result.skipped]

# --- The docs page ---------------------------------------------------------------------------

INTRO = """\
# Errors and how to fix them

<!-- Generated from tests/catalogue.py by `python -m tests.catalogue > docs/errors.md`; edit that file. -->

`python build_brief.py validate` (and `build`, which validates first) reads every file and
reports every problem at once, one per line:

    error: data/briefings/x.yaml:12:17: key_judgments[1].likelihood: 'probable' is not a likelihood term ...

Each line gives the file, the line and the column, the key path inside the file
(`key_judgments[1]` is the second key judgment; `[0]` alone is the first entry of a list
file such as `sources/news.yaml`), and what is wrong. While any **error** remains, nothing
is built and the previous site stays as it was. A **warning** points at something legal but
probably unintended; it fails the run only with `--strict`. `validate --format json` prints
the same problems as JSON.

Every example below is checked by the test suite: it is one change to a small valid project,
and the message shown is exactly what that change prints. Line numbers refer to the file as
changed, of which the lines around the change are shown; a tab character is shown as →.
"""


def _anchor(title: str) -> str:
    """The id a heading gets on the site and on code hosts: 'Sources, dates' -> 'sources-dates'."""
    return re.sub(r"[-\s]+", "-", re.sub(r"[^\w\s-]", "", title).strip().lower())


def _shown_lines(text: str, first: int, last: int) -> str:
    lines = text.split("\n")
    return "\n".join(lines[first - 1:last])


def snippet_of(c: Case) -> str:
    """The changed lines of each file, with where they stand."""
    if c.snippet is not None:
        files = sorted({e.file for e in c.edits})
        return f"In `data/{files[0]}`:\n\n" + _indent(c.snippet)
    files = apply_edits(c.edits)
    parts = []
    for e in c.edits:
        text = files[e.file]
        assert isinstance(text, str)
        if e.old is None:
            first, last = 1, text.rstrip("\n").count("\n") + 1
        else:
            original = MINIMAL[e.file]
            start = original.index(e.old)
            first = original.count("\n", 0, start) + 1
            assert isinstance(e.new, str)
            last = first + e.new.rstrip("\n").count("\n")
            if not e.new.strip():  # a deletion: show the line after the gap too
                last = first
            first = max(1, first - 1)  # and the line before, for its indentation
        span = f"line {first}" if first == last else f"lines {first}-{last}"
        if e.old is not None and isinstance(e.new, str) and not e.new.strip():
            gone = "; ".join(f"`{line.strip()}`" for line in e.old.strip("\n").split("\n"))
            span += f", where {gone} was left out"
        shown = _shown_lines(text, first, last).replace("\t", "→   ")
        parts.append(f"In `data/{e.file}`, {span}:\n\n" + _indent(shown))
    return "\n\n".join(parts)


def _indent(text: str) -> str:
    return "\n".join("    " + line if line else "" for line in text.split("\n"))


KINDS = "Kinds of warnings"
HISTORY_KINDS = {
    "history-incomplete": "A briefing has several `updates:` entries, and an earlier one was found in no commit at "
                          "hand: the project is not in git, the clone is shallow, or the entry was never committed "
                          "while it was the newest. The message names the briefings and says how to fix it.",
    "history-unreadable": "A commit that issued a version holds a file that does not read (as `validate` reads "
                          "it now): that version is left out of the briefing's history. The message names the "
                          "commit, the file and the line. A commit cannot be changed: turn the kind off if the "
                          "version is not worth showing.",
    "change-without-reason": "The newest update changed judgments since the version before, and its `note:` is "
                             "empty: readers see the note as the reason beside each judgment that moved.",
}
"""Warnings about the git history, which no case of a project without git can show."""


def _kinds_section() -> list[str]:
    """Every kind of warning, what it means, and its example (or, for the history's, when it comes)."""
    out = [f"## {KINDS}\n", "Each warning has a kind; a project that never wants a kind turns it off in "
           "`site.yaml` (`ignore_warnings: [source-without-archive]`).\n", "| kind | what it counts |",
           "|---|---|"]
    titles = {c.key: c.title for c in CASES if c.section == WARNINGS}
    for kind, what in WARNING_KINDS.items():
        where = f" ([example](#{_anchor(titles[kind])}))" if kind in titles else ""
        out.append(f"| `{kind}` | {what}{where} |")
    out.append("")
    for kind, when in HISTORY_KINDS.items():
        out.append(f"- `{kind}`: {when}")
    return [*out, ""]


def _import_section() -> list[str]:
    out = [f"## {IMPORTING}\n", IMPORTING_INTRO]
    for c in IMPORT_CASES:
        word = "message" if len(c.expected) == 1 else "messages"
        out += [f"### {c.title}\n", f"`{c.file}`:\n", _indent(c.text.rstrip("\n")) + "\n", f"The {word}:\n",
                _indent("\n".join(c.expected)) + "\n", f"**How to fix it:** {c.fix}\n"]
    return out


def render_docs() -> str:
    out = [INTRO, "## Contents\n"]
    for section in SECTIONS:
        n = sum(1 for c in CASES if c.section == section)
        out.append(f"- [{section}](#{_anchor(section)}) ({n})")
    out.append(f"- [{IMPORTING}](#{_anchor(IMPORTING)}) ({len(IMPORT_CASES)})")
    out.append(f"- [{KINDS}](#{_anchor(KINDS)})")
    out.append("")
    for section in SECTIONS:
        out.append(f"## {section}\n")
        for c in (c for c in CASES if c.section == section):
            out.append(f"### {c.title}\n")
            out.append(snippet_of(c) + "\n")
            if c.expected:
                word = "message" if len(c.expected) == 1 else "messages"
                out.append(f"The {word}:\n")
                out.append(_indent("\n".join(c.expected)) + "\n")
            else:
                out.append("No message.\n")
            out.append(f"**How to fix it:** {c.fix}\n")
    out += _import_section()
    out += _kinds_section()
    return "\n".join(out).rstrip("\n") + "\n"


def cases_for(module: str) -> Iterator[Case]:
    return (c for c in CASES if c.module == module)


def differences() -> Iterator[str]:
    """For each case whose messages are not what it expects, the messages it gives now."""
    import tempfile

    for c in CASES:
        with tempfile.TemporaryDirectory() as tmp:
            actual = problems_of(Path(tmp), c.edits)
        if actual != list(c.expected):
            yield f"{c.key}:\n" + "".join(f"    {line!r},\n" for line in actual)
    for i in IMPORT_CASES:
        with tempfile.TemporaryDirectory() as tmp:
            actual = import_problems_of(Path(tmp), i)
        if actual != list(i.expected):
            yield f"{i.key}:\n" + "".join(f"    {line!r},\n" for line in actual)


if __name__ == "__main__":
    if sys.argv[1:] == ["--differences"]:  # while writing a case: what it gives now
        sys.stdout.write("".join(differences()) or "every case gives exactly its messages\n")
    else:
        sys.stdout.write(render_docs())
