"""One Jinja environment per language: its loader, its UI strings, its filters bound
to the language's locale, and the notes it takes of what a render reads (templates,
feeds, catalogs, the clock and the campaign's phase).

Compiled templates are kept by a `TemplateCache` between the builds of a session, and
on disk between `sitegen build` runs; one compiled template serves every language,
which is safe because no filter or test of sitegen's is ever run at compile time
(Jinja folds a filter applied to a constant into the compiled code: compiled for the
French pages, `{{ 1299 | format_currency("EUR") }}` would print `1 299,00 €` on the
English ones).
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterator, Mapping, MutableMapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import BaseLoader, Environment, StrictUndefined, TemplateNotFound, nodes
from jinja2.ext import Extension
from jinja2.parser import Parser

from sitegen.base.atomicfiles import replace_file
from sitegen.base.dependencies import Input, Recorder
from sitegen.rendering.catalogs import catalog_paths, ui_translations
from sitegen.rendering.elision import elision_globals
from sitegen.rendering.loaders import LanguageLoader
from sitegen.rendering.sitewidefiles import TEXT_TEMPLATES
from sitegen.rendering.viewinputs import CLOCK, ViewContext, ViewInput
from sitegen.settings.config import SiteConfig


class FragmentCache(Extension):
    """`{% cache "card", p.id, heading_level %}...{% endcache %}`: the block is rendered
    once per build (and language) for each value of its key, and shown again as it is
    wherever the same key comes back, as Hugo's `partialCached`. Whatever the block
    read (a feed item, a page) is an input of every output that shows it. The key must
    name all the block depends on: a block that shows the page it is on needs the
    page in its key."""

    tags = {"cache"}  # noqa: RUF012 - Jinja reads it as an instance attribute

    def parse(self, parser: Parser) -> nodes.Node:
        token = next(parser.stream)
        key: list[nodes.Expr] = [nodes.Const(f"{parser.name}:{token.lineno}")]
        key.append(parser.parse_expression())
        while parser.stream.skip_if("comma"):
            key.append(parser.parse_expression())
        body = parser.parse_statements(("name:endcache",), drop_needle=True)
        call = self.call_method("_cached", [nodes.List(key)])
        return nodes.CallBlock(call, [], [], body).set_lineno(token.lineno)

    def _cached(self, key: list[Any], caller: Callable[[], str]) -> str:
        environment = self.environment
        assert isinstance(environment, _RecordingEnvironment)
        try:
            shared_key = ("fragment", environment.lang, *key)
            hash(shared_key)
        except TypeError:
            raise TypeError(
                "the key of {% cache %} must be texts, numbers and the like, "
                f"not {[type(part).__name__ for part in key]}"
            ) from None
        rendered: str = environment.recorder.shared(shared_key, caller)
        return rendered


PACKAGE = Path(__file__).resolve().parents[1]
"""sitegen's own folder: templates below it ship with it (the bundled themes)."""
EXTENSIONS: list[str | type[Extension]] = [
    "jinja2.ext.i18n",
    "jinja2.ext.do",
    "jinja2.ext.loopcontrols",
    FragmentCache,
]
_TIME_GLOBALS = {"now": CLOCK}
"""Globals whose reading is an input of its own: `now`, the clock (`campaign` notes the
phase when its `phase` or `next_change` is read)."""


class EnvironmentInput(Input["Environments"]):
    """An input found through the environments: a template, a language's catalogs."""

    __slots__ = ()


@dataclass(frozen=True, slots=True)
class TemplateInput(EnvironmentInput):
    """A template as a language's loader finds it (`page.fr.html` before `page.html`,
    the site's before the theme's): its file and source."""

    lang: str
    name: str

    def fingerprint(self, environments: Environments) -> object:
        env = environments[self.lang]
        assert env.loader is not None
        try:
            source, filename, _ = env.loader.get_source(env, self.name)
        except TemplateNotFound:
            return None
        return (filename, source)


@dataclass(frozen=True, slots=True)
class CatalogInput(EnvironmentInput):
    """The gettext catalogs a language's UI strings come from (its own, then its
    fallbacks')."""

    lang: str

    def fingerprint(self, environments: Environments) -> object:
        return environments.catalogs(self.lang)


@dataclass(frozen=True, slots=True)
class DataFeed(ViewInput):
    """A feed as `data.<name>` shows it in one language: the whole feed."""

    lang: str
    name: str

    def fingerprint(self, views: ViewContext) -> object:
        return views.data(self.lang).get(self.name)


@dataclass(frozen=True, slots=True)
class DataNames(ViewInput):
    """Which feeds there are (`data` iterated, or asked whether it holds one)."""

    lang: str

    def fingerprint(self, views: ViewContext) -> object:
        return tuple(views.data(self.lang))


class TemplateCache(jinja2.BytecodeCache):
    """Compiled templates kept in memory between the builds of a session (and saved by
    the build cache between processes), shared by the languages' environments: the
    compiled code is the same for all (see `never_folded`). A template whose source
    changed is compiled again (Jinja compares the source's checksum).

    They are also kept in files, one per template, so that a build that finds no
    state of its own (a first build, another output folder, other options) does not
    compile them again:
    - the bundled themes' templates, which ship with sitegen, in `installed` (a folder
      per sitegen version, in the user's cache): compiled once per installation, as
      Python compiles sitegen's own modules once;
    - the site's own templates (its templates/ and themes/), in `site` (a folder per
      sitegen version in the site's cache), unless the build keeps no cache."""

    def __init__(
        self,
        compiled: dict[str, bytes] | None = None,
        installed: Path | None = None,
        site: Path | None = None,
    ) -> None:
        self.compiled: dict[str, bytes] = compiled if compiled is not None else {}
        self.installed = installed
        self.site = site
        self._files: dict[str, Path] = {}
        """Where the compiled form of a template is kept, by bucket key."""

    def get_bucket(
        self, environment: Environment, name: str, filename: str | None, source: str
    ) -> jinja2.bccache.Bucket:
        key = self.get_cache_key(name, filename)
        if filename:
            bundled = Path(filename).is_relative_to(PACKAGE)
            folder = self.installed if bundled else self.site
            if folder is not None:
                self._files[key] = folder / f"{key}.bytecode"
        bucket = jinja2.bccache.Bucket(environment, key, self.get_source_checksum(source))
        self.load_bytecode(bucket)
        return bucket

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        compiled = self.compiled.get(bucket.key)
        if compiled is None:
            compiled = _read_if_there(self._files.get(bucket.key))
        if compiled is not None:
            bucket.bytecode_from_string(compiled)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.compiled[bucket.key] = compiled = bucket.bytecode_to_string()
        kept = self._files.get(bucket.key)
        if kept is not None:
            _write_quietly(kept, compiled)


class Computed:
    """A template variable computed whenever a template reads it (`pages`, `menu`,
    `pager`): what it costs, and the inputs it notes, are paid by the templates that
    show it, not by every render."""

    __slots__ = ("compute",)

    def __init__(self, compute: Callable[[], Any]) -> None:
        self.compute = compute


class _WatchingContext(jinja2.runtime.Context):
    """A template context that notes when a template reads `now`, and computes
    `Computed` variables as they are read."""

    def __init__(self, environment: Environment, *args: Any, **kwargs: Any) -> None:
        super().__init__(environment, *args, **kwargs)
        assert isinstance(environment, _RecordingEnvironment)
        if environment.contexts_made is not None:
            environment.contexts_made.append(self)

    def resolve_or_missing(self, key: str) -> Any:
        read = _TIME_GLOBALS.get(key)
        if read is not None:
            environment = self.environment
            assert isinstance(environment, _RecordingEnvironment)
            environment.recorder.read(read)
        value = super().resolve_or_missing(key)
        return value.compute() if isinstance(value, Computed) else value


class _KeptModuleTemplate(jinja2.Template):
    """A template whose module, imported without context, Jinja keeps for the next
    renders: the contexts made for it are not released with the render's."""

    def _get_default_module(self, ctx: jinja2.runtime.Context | None = None) -> Any:
        environment = self.environment
        assert isinstance(environment, _RecordingEnvironment)
        made, environment.contexts_made = environment.contexts_made, None
        try:
            return super()._get_default_module(ctx)
        finally:
            environment.contexts_made = made


class _RecordingEnvironment(Environment):
    """Notes every template a render asks for (layouts, parents, includes, imports),
    so that editing one renders again the outputs that used it, and every read of the
    clock."""

    context_class = _WatchingContext
    template_class = _KeptModuleTemplate

    def __init__(self, recorder: Recorder, lang: str, **options: Any) -> None:
        super().__init__(**options)
        self.recorder = recorder
        self.lang = lang
        self._inputs: dict[tuple[str, str | None], TemplateInput] = {}
        """The input of each template asked for (made once: every render asks again)."""
        self.contexts_made: list[jinja2.runtime.Context] | None = None
        """The contexts made since `released_contexts` began, while it runs."""

    def _read(self, name: str, parent: str | None) -> None:
        key = self._inputs.get((name, parent))
        if key is None:
            key = self._inputs[name, parent] = TemplateInput(
                self.lang, self.join_path(name, parent or "")
            )
        self.recorder.read(key)

    def get_template(
        self,
        name: str | jinja2.Template,
        parent: str | None = None,
        globals: MutableMapping[str, Any] | None = None,
    ) -> jinja2.Template:
        if isinstance(name, str):
            self._read(name, parent)
        return super().get_template(name, parent, globals)

    def select_template(
        self,
        names: Any,
        parent: str | None = None,
        globals: MutableMapping[str, Any] | None = None,
    ) -> jinja2.Template:
        for name in names:
            if isinstance(name, str):
                self._read(name, parent)
        return super().select_template(names, parent, globals)


@contextlib.contextmanager
def released_contexts(environment: Environment) -> Iterator[None]:
    """The template contexts made in the block are emptied when it ends: one output's
    render. A macro and the context it was made in refer to each other, and every
    output imports macros `with context`: left to the garbage collector, these cycles
    (about 190 objects an output) cost a catalogue's build a tenth of its time."""
    assert isinstance(environment, _RecordingEnvironment)
    if environment.contexts_made is not None:  # the output being rendered renders another
        yield
        return
    made: list[jinja2.runtime.Context] = []
    environment.contexts_made = made
    try:
        yield
    finally:
        environment.contexts_made = None
        for context in made:
            context.vars.clear()
            context.blocks.clear()


class RecordedData(Mapping[str, Any]):
    """`data` in templates: notes which feeds a render reads."""

    def __init__(self, feeds: dict[str, Any], recorder: Recorder, lang: str) -> None:
        self._feeds = feeds
        self._recorder = recorder
        self._lang = lang
        self._names = DataNames(lang)

    def __getitem__(self, name: str) -> Any:
        self._recorder.read(DataFeed(self._lang, name))
        return self._feeds[name]

    def __iter__(self) -> Iterator[str]:
        self._recorder.read(self._names)
        return iter(self._feeds)

    def __len__(self) -> int:
        self._recorder.read(self._names)
        return len(self._feeds)

    def __contains__(self, name: object) -> bool:
        self._recorder.read(self._names)
        return name in self._feeds


class Environments:
    """The environment of each language of the site, made on first use."""

    def __init__(
        self,
        config: SiteConfig,
        loader: BaseLoader,
        catalog_dirs: tuple[Path, ...],
        recorder: Recorder,
        cache: TemplateCache | None,
        setup: Callable[[Environment, str], None],
    ) -> None:
        """`setup(environment, lang)` adds the filters, tests and globals of a language."""
        self.config = config
        self.catalog_dirs = catalog_dirs
        self._loader = loader
        self._recorder = recorder
        self._cache = cache
        self._setup = setup
        self._made: dict[str, Environment] = {}

    def __getitem__(self, lang: str) -> Environment:
        env = self._made.get(lang)
        if env is None:
            env = self._made[lang] = self._environment(lang)
        return env

    def _environment(self, lang: str) -> Environment:
        env = _RecordingEnvironment(
            self._recorder,
            lang,
            bytecode_cache=self._cache,
            loader=LanguageLoader(self._loader, lang),
            autoescape=_autoescape,
            undefined=StrictUndefined,
            auto_reload=False,
            keep_trailing_newline=True,
            extensions=EXTENSIONS,
        )
        translations = ui_translations(self.catalog_dirs, lang, self.config)
        env.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]
        french = self.config.language(lang).is_french
        env.globals.update(elision_globals(translations, french, self.config.elision))
        self._setup(env, lang)
        return env

    def catalogs(self, lang: str) -> tuple[tuple[Path, bytes], ...]:
        """The bytes of the catalogs a language's UI strings come from."""
        return tuple(
            (path, path.read_bytes())
            for code in (lang, *self.config.fallbacks(lang))
            for path in catalog_paths(self.catalog_dirs, code)
        )


def never_folded(function: Callable[..., Any]) -> Callable[..., Any]:
    """`function` as a filter Jinja never runs at compile time: the same compiled
    template then serves every language (see the module's docstring)."""

    @jinja2.pass_context
    @functools.wraps(function)
    def at_render_time(context: jinja2.runtime.Context, *args: Any, **kwargs: Any) -> Any:
        return function(*args, **kwargs)

    return at_render_time


def _read_if_there(path: Path | None) -> bytes | None:
    if path is None:
        return None
    try:
        return path.read_bytes()
    except OSError:
        return None


def _write_quietly(path: Path, content: bytes) -> None:
    """Write a file whole (beside, then renamed); a cache that cannot be written (a
    read-only home) only costs the next build's compiling."""
    with contextlib.suppress(OSError):
        replace_file(path, content)


def _autoescape(name: str | None) -> bool:
    """HTML and XML templates escape what they show; plain text ones (robots.txt,
    _redirects, _headers) write it as it is."""
    return name not in TEXT_TEMPLATES
