"""The templates themselves: short lines, the same parts for both media of the briefing
body, and the vocabulary tables the legend reads."""

from __future__ import annotations

import typing
from pathlib import Path

import jinja2
from jinja2 import nodes

from briefsite.core import model as m
from briefsite.core import yardsticks
from briefsite.render.environment import make_environment
from tests.conftest import REPO

TEMPLATES = REPO / "templates"
MAX_LINE = 160
"""The longest line a template may have. A longer one is split where the output does not
change: with a comment across the line break (`text{#` then `#}more text`)."""


def test_no_template_line_is_too_long() -> None:
    long = [f"{path.relative_to(REPO).as_posix()}:{n}: {len(line)} characters"
            for path in sorted(TEMPLATES.rglob("*.j2"))
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
            if len(line) > MAX_LINE]
    assert not long, f"template lines over {MAX_LINE} characters:\n" + "\n".join(long)


def _macros(env: jinja2.Environment, name: str) -> dict[str, list[str]]:
    source = (TEMPLATES / name).read_text(encoding="utf-8")
    return {macro.name: [arg.name for arg in macro.args] for macro in env.parse(source).find_all(nodes.Macro)}


def test_both_media_give_the_briefing_body_the_same_parts() -> None:
    """_briefing_body.j2 calls `out.<part>`: the screen's and the print parts must be the same
    macros with the same arguments, or a briefing fails in one medium only."""
    env = make_environment(TEMPLATES)
    screen, print_ = _macros(env, "_briefing_screen.j2"), _macros(env, "print/_briefing_print.j2")
    assert screen == print_
    body = env.parse((TEMPLATES / "_briefing_body.j2").read_text(encoding="utf-8"))
    used = {node.attr for node in body.find_all(nodes.Getattr)
            if isinstance(node.node, nodes.Name) and node.node.name == "out"}
    assert used == set(screen), "a part the body does not use, or one it uses that neither medium has"


def test_the_legend_tables_explain_every_term() -> None:
    # the legend shows the site's yardstick; the two together are every term the format reads
    assert set(typing.get_args(m.Likelihood)) == {t.key for y in yardsticks.YARDSTICKS.values() for t in y.terms}
    assert list(m.LIKELIHOOD_SYNONYMS) == list(m.LIKELIHOOD_RANGES) == list(yardsticks.ICD_203.keys())
    assert set(m.CONFIDENCE_MEANINGS) == set(typing.get_args(m.Confidence))
    assert list(m.RELATION_MEANINGS) == list(typing.get_args(m.RelationType))


def test_a_template_changed_in_a_running_process_is_compiled_again(tmp_path: Path) -> None:
    """Compiled templates are kept for the whole process (environment.COMPILED), by file and
    checksum of the source: an edit is never served from the old code."""
    (tmp_path / "page.md.j2").write_text("first {{ 1 + 1 }}", encoding="utf-8")
    assert make_environment(tmp_path).get_template("page.md.j2").render() == "first 2"
    (tmp_path / "page.md.j2").write_text("second {{ 2 + 2 }}", encoding="utf-8")
    assert make_environment(tmp_path).get_template("page.md.j2").render() == "second 4"
    other = tmp_path / "other"
    other.mkdir()
    (other / "page.md.j2").write_text("other", encoding="utf-8")  # the same name in another folder
    assert make_environment(other).get_template("page.md.j2").render() == "other"
