"""Checking one mapping of `site.yaml` against what it may hold, collecting every
problem on the way (the settings are all checked before any is reported)."""

from __future__ import annotations

from pathlib import Path

from sitegen.base.errors import Problem
from sitegen.base.messages import _
from sitegen.base.yamlsource import YamlMap, unknown_keys


class SettingsReader:
    """Collects problems while checking one YAML mapping against what it may hold."""

    def __init__(self, path: Path, mapping: YamlMap) -> None:
        self.path = path
        self.mapping = mapping
        self.problems: list[Problem] = []

    def problem(self, key: str, message: str, hint: str | None = None) -> None:
        self.problems.append(Problem(self.path, self.mapping.line_of(key), message, hint=hint))

    def check_keys(self, allowed: set[str], required: set[str], what: str) -> None:
        """`what` is a noun marked with N_ ("setting"), translated where it is shown."""
        self.problems.extend(unknown_keys(self.path, self.mapping, allowed, what))
        for key in sorted(required - set(self.mapping)):
            message = _("missing required %(what)s '%(key)s'") % {"what": _(what), "key": key}
            self.problems.append(Problem(self.path, self.mapping.line or 1, message))
