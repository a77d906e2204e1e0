"""Jinja2 templates: phrasing Findings as sentences, and laying out a Report as text or HTML.

Templates live in the ``templates`` package; a site points ``--templates DIR`` at its own
directory, whose files take precedence over the packaged ones (a site may override only
``phrases.j2``, say, and keep the packaged layouts).

One report, three layouts of the same body (``report_body.txt.j2``: identification, sections,
provenance): the one-shot draft (``report.txt.j2``: a DRAFT banner and an unsigned signature
line), the body the reading room stores and the physician edits (no banner, no signature line:
the page shows the draft status around it), and the signed document (``signed.txt.j2``,
``addendum.txt.j2``: the plain title and the electronic signature), whose sha256 the signature
binds.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import importlib.resources
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2

from reporter.domain.finding import Finding
from reporter.domain.vocabulary import ACTIVITY_MBQ_PER_MCI, SEGMENTS, Wall
from reporter.errors import ConfigError, NotFoundError

if TYPE_CHECKING:
    from reporter.report import Report

__all__ = ["Signing", "TemplateSet", "template_set"]

PHRASES = "phrases.j2"
LAYOUTS = {"text": "report.txt.j2", "html": "report.html.j2"}
BODY = "report_body.txt.j2"
SIGNED = "signed.txt.j2"
ADDENDUM = "addendum.txt.j2"


@dataclass(frozen=True, slots=True)
class Signing:
    """What an electronic signature line states: the signer's name and role, the UTC time, the meaning."""

    signer: str
    role: str
    signed_at: dt.datetime
    meaning: str


def _num(value: float | int | None, digits: int = 2) -> str:
    """A compact number: 9.0 -> '9', 8.82 -> '8.82', 1.50 -> '1.5'."""
    if value is None:
        return "n/a"
    rounded = round(float(value), digits)
    if rounded == int(rounded):
        return str(int(rounded))
    return f"{rounded:.{digits}f}".rstrip("0").rstrip(".")


def _join_en(items: Iterable[Any]) -> str:
    words = [str(i) for i in items]
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def _g(value: float | int) -> str:
    """A number as Python's ``format(value, "g")``: 10.0 -> '10', -11.5 -> '-11.5'."""
    return format(value, "g")


def _each(items: Iterable[Any], macro: Any, *args: Any) -> list[str]:
    """A macro applied to every item (extra arguments follow the item), each as one line of words."""
    return [" ".join(str(macro(item, *args)).split()) for item in items]


def _walls(walls: Iterable[Wall | str]) -> str:
    names = [Wall(w).value for w in walls]
    regions = [n for n in names if n != "apex"]
    text = _join_en(regions)
    if regions:
        text += " wall" if len(regions) == 1 else " walls"
    if "apex" in names:
        text = f"{text} and the apex" if regions else "apex"
    return text


def packaged_dir() -> Path:
    """The templates shipped with ncreport (a site directory given to TemplateSet comes before it)."""
    return Path(str(importlib.resources.files("reporter") / "templates"))


class TemplateSet:
    """The phrase macros and layouts of one template directory (packaged or a site's)."""

    def __init__(self, site_dir: Path | None = None) -> None:
        search = [str(packaged_dir())]
        if site_dir is not None:
            if not site_dir.is_dir():
                raise NotFoundError(f"template directory {site_dir} does not exist")
            search.insert(0, str(site_dir))
        self.site_dir = site_dir
        self._text = self._env(search, autoescape=False)
        self._html = self._env(search, autoescape=True)
        try:
            self._phrases = self._text.get_template(PHRASES).module
        except jinja2.TemplateError as exc:
            raise ConfigError(f"template {PHRASES} cannot be loaded: {exc}") from exc

    @staticmethod
    def _env(search: list[str], *, autoescape: bool) -> jinja2.Environment:
        env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(search),
            undefined=jinja2.StrictUndefined,
            autoescape=autoescape,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        env.filters.update(num=_num, g=_g, join_en=_join_en, walls=_walls, each=_each, h=html.escape)
        env.globals.update(MBQ_PER_MCI=ACTIVITY_MBQ_PER_MCI, SEGMENT_COUNT=len(SEGMENTS))
        return env

    def phrase(self, finding: Finding) -> str | None:
        """The sentence for one Finding, or None when the templates do not phrase its code."""
        macro = getattr(self._phrases, finding.code.value, None)
        if macro is None:
            return None
        try:
            text = str(macro(finding))
        except jinja2.TemplateError as exc:
            raise ConfigError(f"phrase template for {finding.code.value} failed: {exc}") from exc
        return " ".join(text.split()) or None

    def words(self, macro: str, value: Any) -> str:
        """A coded item in words, by one of the lower-case macros of ``phrases.j2`` (e.g. ``high_risk_feature``)."""
        try:
            return " ".join(str(getattr(self._phrases, macro)(value)).split())
        except (AttributeError, jinja2.TemplateError) as exc:
            raise ConfigError(f"phrase macro {macro} failed: {exc}") from exc

    def page(self, name: str, **context: Any) -> str:
        """A standalone page (e.g. ``qa.html.j2``), rendered without autoescape: the template escapes with ``h``."""
        try:
            return self._text.get_template(name).render(**context).removesuffix("\n")
        except jinja2.TemplateError as exc:
            raise ConfigError(f"page template {name} failed: {exc}") from exc

    def prompt(self, version: str) -> jinja2.Template:
        """A versioned prompt template (``prompts/<version>.j2``), rendered without escaping."""
        try:
            return self._text.get_template(f"prompts/{version}.j2")
        except jinja2.TemplateNotFound as exc:
            raise NotFoundError(f"prompt template prompts/{version}.j2 does not exist") from exc

    def render(self, report: Report, fmt: str, mark_model_sentences: bool = False) -> str:
        """The report laid out for a reader: its flags stay in the JSON; model-phrased sentences are marked
        only where the site asks for it (``mark_model_sentences``)."""
        env = self._html if fmt == "html" else self._text
        try:
            return env.get_template(LAYOUTS[fmt]).render(report=report, mark_model=mark_model_sentences)
        except jinja2.TemplateError as exc:
            raise ConfigError(f"layout template {LAYOUTS[fmt]} failed: {exc}") from exc

    def body(self, report: Report) -> str:
        """The report's body (identification, sections, provenance) with no title and no signature line."""
        try:
            return self._text.get_template(BODY).render(report=report, mark_model=False)
        except jinja2.TemplateError as exc:
            raise ConfigError(f"layout template {BODY} failed: {exc}") from exc

    def signed(self, body: str, signature: Signing) -> str:
        """The signed report: the plain title, ``body`` as the physician saved it, the electronic signature."""
        return self._signed(SIGNED, body, signature)

    def signed_addendum(self, body: str, signature: Signing, number: int, report_signature: Signing) -> str:
        """A signed addendum (``number`` counts from 1) to the report ``report_signature`` signed."""
        return self._signed(ADDENDUM, body, signature, number=number, report_signature=report_signature)

    def _signed(self, name: str, body: str, signature: Signing, **context: Any) -> str:
        try:
            return self._text.get_template(name).render(body=body.strip("\n"), signature=signature, **context)
        except jinja2.TemplateError as exc:
            raise ConfigError(f"layout template {name} failed: {exc}") from exc


@functools.lru_cache(maxsize=8)
def template_set(site_dir: Path | None = None) -> TemplateSet:
    """A cached TemplateSet (loading and compiling templates is the slow part)."""
    return TemplateSet(site_dir)
