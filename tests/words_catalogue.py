"""The site's words as a gettext catalogue: every message the templates and the Python code
mark (`_()`, `{% trans %}`, `ngettext`, `pgettext`, `N_`, `NP_`) extracted with Babel into
`briefsite/locale/messages.pot`, and every language's catalogue (`<lang>.po`) brought up to
date with it, its translations kept (a changed message comes back fuzzy, a new one empty).

`python -m tests.words_catalogue` writes both; tests/test_words.py fails when messages.pot is
not what this extracts. The output is stable: sorted, no creation date, locations without
line numbers (a line added above a message does not change the files).
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "briefsite" / "locale"
POT = LOCALE / "messages.pot"
HEADER = ("# The words of sites made with briefsite, made by `python -m tests.words_catalogue`.\n"
          "# A language's catalogue is a copy of this file, translated (docs/format.md).")
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2),
            "N_": None, "NP_": ((1, "c"), 2)}
"""The marking functions (Babel's spec: which arguments are the message, which its context)."""
JINJA_OPTIONS = {"extensions": "jinja2.ext.i18n", "trim_blocks": "true", "lstrip_blocks": "true",
                 "newstyle_gettext": "true"}
"""As render/environment.py makes the environment, so that the extracted text is the rendered one."""
SOURCES = (
    (ROOT / "templates", [("**.j2", "jinja2.ext:babel_extract")]),
    (ROOT / "briefsite" / "theme", [("**.html", "jinja2.ext:babel_extract")]),
    (ROOT / "briefsite", [
                          ("**.py", "python")]),
)
"""Where the messages are, with the extractor of each kind of file (words.py defines the
marking methods: its calls carry no message)."""


def extracted() -> Catalog:
    """Every marked message, sorted, each with the files that use it."""
    catalog = Catalog(project="briefsite", version="", msgid_bugs_address="", fuzzy=False, charset="utf-8",
                      header_comment=HEADER)
    for folder, methods in SOURCES:
        options = {pattern: JINJA_OPTIONS for pattern, method in methods if method.startswith("jinja2")}
        for filename, _lineno, message, comments, context in extract_from_dir(
                folder, methods, options, KEYWORDS, strip_comment_tags=True):
            where = (folder / filename).relative_to(ROOT).as_posix()
            catalog.add(message, None, [(where, None)], auto_comments=comments, context=context)
    return catalog


DROPPED = ('"POT-Creation-Date:', '"PO-Revision-Date:', '"Generated-By:', '"Project-Id-Version:')
"""Header lines left out of the files: dates and versions would change them at every run."""


def po_text(catalog: Catalog) -> str:
    """A catalogue as a file: sorted, locations without line numbers, no dates or version, so
    that only its messages change it."""
    out = io.BytesIO()
    write_po(out, catalog, width=100, sort_output=True, include_lineno=False, ignore_obsolete=True)
    lines = out.getvalue().decode("utf-8").splitlines(keepends=True)
    return "".join(line for line in lines if not line.startswith(DROPPED))


def update_catalogue(po_file: Path, template: Catalog) -> None:
    """A language's catalogue with the messages of `template`: translations kept, new
    messages empty, changed ones fuzzy, gone ones dropped."""
    with po_file.open("rb") as f:
        catalog = read_po(f, locale=po_file.stem)
    catalog.update(template, update_header_comment=False)
    text = po_text(catalog)
    if text != po_file.read_text(encoding="utf-8"):
        po_file.write_text(text, encoding="utf-8")


def new_catalogue(po_file: Path) -> None:
    """An empty catalogue for a language: its header (language, plural forms) from Babel's
    data, every message to translate."""
    po_file.write_text(po_text(Catalog(locale=po_file.stem, header_comment=HEADER, fuzzy=False)),
                       encoding="utf-8")


def main(argv: list[str]) -> int:
    """`python -m tests.words_catalogue [LANG ...]`: messages.pot, and the catalogues of the
    languages named (all of them when none is); a language named without one gets a new one."""
    catalog = extracted()
    POT.write_text(po_text(catalog), encoding="utf-8")
    for language in argv[1:]:
        if not (LOCALE / f"{language.replace('-', '_')}.po").is_file():
            new_catalogue(LOCALE / f"{language.replace('-', '_')}.po")
    for po_file in sorted(LOCALE.glob("*.po")):
        if po_file.stem not in argv[1:] and argv[1:]:
            continue
        update_catalogue(po_file, catalog)
    print(f"{POT.relative_to(ROOT)}: {len(catalog)} messages", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
