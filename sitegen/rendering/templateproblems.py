"""Template mistakes as problems a theme author can act on: the template's file and
line, and a hint for the usual ones (an undefined value, a missing template, a
lookup or asset that does not exist)."""

from __future__ import annotations

import traceback
from pathlib import Path

import jinja2
from jinja2 import TemplateNotFound

from sitegen.base.errors import Problem
from sitegen.base.messages import _
from sitegen.rendering.lookups import LookupFailure
from sitegen.rendering.templateapi import (
    AssetNotFound,
    OfferStateError,
    PhaseError,
    TemplateFailure,
)
from sitegen.settings.themes import ThemeChain


def syntax_problem(exc: jinja2.TemplateSyntaxError) -> Problem:
    """A template that does not parse, at its line."""
    path = Path(exc.filename) if exc.filename else None
    return Problem(path, exc.lineno, _("template syntax error: %(error)s") % {"error": exc.message})


def runtime_problem(
    exc: Exception, source: Path | None, shown: str | None, chain: ThemeChain
) -> Problem:
    """A mistake met while rendering, at the line of the innermost template of the
    chain it happened in (else at the page's source, `shown` in the message)."""
    template_dirs = [str(folder) for folder in chain.template_dirs]
    frame = None
    for candidate in traceback.extract_tb(exc.__traceback__):
        if any(candidate.filename.startswith(folder) for folder in template_dirs):
            frame = candidate
    # Translators: ends a template's problem when a page's rendering met it.
    while_rendering = _(" (while rendering %(page)s)") % {"page": shown} if shown else ""
    if isinstance(exc, jinja2.UndefinedError):
        message = _("undefined value in template: %(error)s") % {"error": exc.message}
        message += while_rendering
        hint = _(
            "check the spelling, or test optional values with 'is defined' or '| default(...)'"
        )
    elif isinstance(exc, TemplateNotFound):
        message = _("template '%(name)s' not found") % {"name": exc.name} + while_rendering
        hint = None
    elif isinstance(
        exc, AssetNotFound | PhaseError | OfferStateError | TemplateFailure | LookupFailure
    ):
        message = f"{exc}{while_rendering}"
        hint = getattr(exc, "hint", None)
    else:
        message = _("template error: %(kind)s: %(error)s") % {
            "kind": type(exc).__name__,
            "error": exc,
        }
        message += while_rendering
        hint = None
    if frame is None:
        return Problem(source, None, message, hint=hint)
    return Problem(Path(frame.filename), frame.lineno, message, hint=hint)
