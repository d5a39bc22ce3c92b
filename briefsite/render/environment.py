"""The one Jinja environment of the templates: strict, autoescaping, with our filters and
the tables of the reading aids as globals."""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import json
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from ..core import model as m
from ..core.errors import Mark, Problem, display_path
from ..core.text import theme_text
from ..core.values import text_direction
from ..incremental.tracking import read_as
from .index import bottom_line, grade
from .markup import valid_href
from .paging import BACKLINKS_SHOWN, CITED_SHOWN, HOME_LATEST
from .words import SOURCE_LANGUAGE, Words, format_day, words_for


def md_text(value: Any) -> Markup:
    """Plain text placed where Markdown is parsed (a heading): escape HTML and Markdown."""
    text = str(value).replace("\n", " ")
    text = html.escape(text, quote=False)
    text = re.sub(r"([\\`*_{}\[\]()#+!|])", r"\\\1", text)
    return Markup(text)  # noqa: S704


def date_element(day: dt.date, language: str = SOURCE_LANGUAGE) -> Markup:
    """<time datetime="2020-10-15">2020-10-15</time>, the text in the language's format: kept
    on one line by the stylesheets. A date written right to left (Arabic: 10\u200f/11\u200f/2020)
    says so, and keeps its order inside text in another direction (an English sentence)."""
    text = html.escape(format_day(day, language))
    direction = ' dir="rtl"' if text_direction(language) == "rtl" else ""
    return Markup(f'<time datetime="{day.isoformat()}"{direction}>{text}</time>')  # noqa: S704 - escaped


def lang_attrs(tag: str | None, *, unknown: bool = False) -> Markup:
    """' lang="hy"' (and ' dir="rtl"' for a language written right to left) for text in
    the language `tag`; nothing without one, or, when the text is known to be in another
    language (`unknown`), an unknown language read in its own direction."""
    if not tag:
        return Markup(' lang="" dir="auto"' if unknown else "")
    direction = ' dir="rtl"' if text_direction(tag) == "rtl" else ""
    return Markup(f' lang="{html.escape(tag)}"{direction}')  # noqa: S704 - a checked language tag, escaped


def _bottom_line(b: m.Briefing) -> str:
    """bottom_line for templates: a page that lists a briefing reads its first sentence, not its summary."""
    return bottom_line(read_as(b, "bottom_line"))


Templates = Path | Sequence[Path]
"""A templates folder, or folders searched in order: a project's own, then the defaults."""


def template_dirs(templates: Templates) -> tuple[Path, ...]:
    return (templates,) if isinstance(templates, Path) else tuple(templates)


def find_template(templates: Templates, name: str) -> Path:
    """The file a template name stands for: the first folder that has it."""
    dirs = template_dirs(templates)
    return next((d / name for d in dirs if (d / name).is_file()), dirs[-1] / name)


class _CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates kept in this process for every environment made in it (the pages'
    environment, the print HTML's, the versions', each render of the live preview): Jinja
    compiles a template once, and again only when its source changes (the bucket's checksum
    of the source is compared before its code is used)."""

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        kept = self.code.get(bucket.key)
        if kept is not None:
            bucket.bytecode_from_string(kept)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()


COMPILED = _CompiledTemplates()


def make_environment(templates: Templates, language: str = SOURCE_LANGUAGE) -> jinja2.Environment:
    """The environment of the templates, with the project's words in `language` (`_("...")`
    and `{% trans %}` in templates read its catalogue)."""
    env = jinja2.Environment(
        extensions=["jinja2.ext.i18n"],
        loader=jinja2.FileSystemLoader([str(d) for d in template_dirs(templates)]),
        bytecode_cache=COMPILED,
        undefined=jinja2.StrictUndefined,
        autoescape=True,  # everything from YAML is text unless it went through markup
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md_text"] = md_text
    words = words_for(language)
    env.install_gettext_translations(words.catalogue, newstyle=True)  # type: ignore[attr-defined]
    env.globals["language"] = language
    env.globals["words"] = words
    # a YAML value as readers see it, in the language: {{ a.kind | shown("actor kind") }}
    env.filters["shown"] = at_render(lambda value, context: words.shown(context, value))
    env.filters["percent_range"] = at_render(lambda term: words.percent_range(term.low, term.high))
    env.filters["percent"] = at_render(words.percent)
    env.filters["number"] = at_render(words.number)
    env.filters["fixed"] = at_render(words.fixed)  # {{ score | fixed(3) }}: 0.250, 0,250
    env.filters["date"] = at_render(lambda day: date_element(day, language))  # never breaks across lines
    env.filters["lang"] = lang_attrs  # <span{{ tag | lang }}>: text in another language
    env.filters["href"] = valid_href  # an address from the content, as a valid URL in an attribute
    # front matter: a JSON string (valid YAML), escaped because the theme prints titles as HTML
    env.filters["tojson_text"] = lambda v: Markup(json.dumps(theme_text(v), ensure_ascii=False))  # noqa: S704
    env.globals.update(
        confidence_meaning=_translated(words, m.CONFIDENCE_MEANINGS),
        reliability_meaning=_translated(words, m.RELIABILITY_MEANINGS),
        credibility_meaning=_translated(words, m.CREDIBILITY_MEANINGS),
        relation_meaning=_translated(words, m.RELATION_MEANINGS),
        trend_label={t: (sign, words.shown("trend", t)) for t, (sign, _) in m.TREND_LABELS.items()},
        grade=grade, bottom_line=_bottom_line, home_latest=HOME_LATEST, cited_shown=CITED_SHOWN,
        backlinks_shown=BACKLINKS_SHOWN,
    )
    return env


def at_render(function: Callable[..., Any]) -> Callable[..., Any]:
    """A filter in the environment's language, applied when a page renders: Jinja would apply a
    filter to a constant (`0.25 | fixed(2)`) once, when it compiles the template, and compiled
    templates are shared by the environments of every language (COMPILED)."""
    @jinja2.pass_context
    def filtered(context: jinja2.runtime.Context, *args: Any, **kwargs: Any) -> Any:
        del context
        return function(*args, **kwargs)
    return filtered


def _translated(words: Words, table: dict[Any, str]) -> dict[Any, str]:
    """A table of the model's meanings (marked with N_ where it is written) in the language."""
    return {key: words.translate(text) for key, text in table.items()}


def environment(templates: Templates, kept: dict[tuple[Any, ...], jinja2.Environment] | None,
                language: str = SOURCE_LANGUAGE) -> jinja2.Environment:
    """The environment of the templates folders in a language; with `kept` (a process's
    environments), made once, so its compiled templates are reused (Jinja compiles a template
    again when its file changes)."""
    if kept is None:
        return make_environment(templates, language)
    key = (*template_dirs(templates), language)
    env = kept.get(key)
    if env is None:
        env = kept[key] = make_environment(templates, language)
    return env


def templates_digest(templates: Templates) -> str:
    """A digest of every template in use (a change to any one may change any page)."""
    found: dict[str, Path] = {}
    for folder in template_dirs(templates):
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            found.setdefault(path.relative_to(folder).as_posix(), path)
    digest = hashlib.sha256()
    for rel, path in sorted(found.items()):
        digest.update(f"{rel}:".encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def template_problem(templates: Templates, template: str, exc: jinja2.TemplateError) -> Problem:
    line = getattr(exc, "lineno", None)
    name = getattr(exc, "filename", None) or str(find_template(templates, template))
    return Problem(display_path(Path(name)), Mark(line, 1) if line else None, (),
                   f"template error: {getattr(exc, 'message', None) or exc}")
