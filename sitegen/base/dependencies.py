"""What each output read while it was rendered: the dependency graph of a build.

An input is named by a key: an `Input`, a small frozen value of a class of its own per
kind of input (a template of one language, a page as listings show it, a feed...),
which says how to find the input's value now (its `fingerprint`). While an output
renders, every input it reads is noted; after a later change, the output needs
rendering again only when one of those inputs now has another value (see
`Dependencies.outdated`).

Inputs are recorded at the size of what an output shows: a listing records the
collection it shows (one key), not each page of the site, so that the records of a
build stay linear in the site.

Some work is shared between outputs (a page's body is rendered once, then shown by
its own page and by a listing); `Recorder.shared` remembers what such work read, so
that every output using its result depends on those inputs too.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any, Generic, TypeVar

C = TypeVar("C", contravariant=True)
T = TypeVar("T")
K = TypeVar("K")
V = TypeVar("V")
RECENT_LIMIT = 2048
"""How many entries a Recent memo keeps, unless told otherwise."""
SHARED_WORK_LIMIT = 16384
"""How many results of shared work (product cards, `{% cache %}` blocks) a process
keeps: the cards of a 10,000-product catalogue in one language, which its category,
merchant and section listings show again far apart in the order of the pages (at a
few KB each, about 100 MB at most; with 2,048, the 10,000-product bench row rendered
its cards again and again, for a tenth more time)."""


class Input(Generic[C]):
    """One kind of input an output may read. Subclasses are frozen dataclasses (equal
    and hashed by kind and fields, so two kinds never mix) defined beside the code that
    records them; `fingerprint` says what the input is now, given `C`, the object that
    knows (the views of the site, the renderer)."""

    __slots__ = ()
    __match_args__: tuple[str, ...]
    """The fields, as the dataclass decorator lists them."""

    def fingerprint(self, context: C) -> object:
        raise NotImplementedError

    def __reduce__(self) -> tuple[type, tuple[object, ...]]:
        """Pickled as its class and fields (the rendering processes send a build's
        records back, and the build cache keeps them): twice as quick both ways as a
        dataclass's own way."""
        return (type(self), tuple(getattr(self, name) for name in self.__match_args__))


Key = Input[Any]
Fingerprint = Callable[[Key], object]
KeyKind = TypeVar("KeyKind", bound=Key)


class Recent(OrderedDict[K, V]):
    """A dict that keeps only its `limit` latest entries: a memo of work shared by
    the outputs one process renders, whose size must not grow with the site (a
    forgotten entry is only computed again)."""

    def __init__(self, limit: int = RECENT_LIMIT) -> None:
        super().__init__()
        self.limit = limit

    def __setitem__(self, key: K, value: V) -> None:
        super().__setitem__(key, value)
        if len(self) > self.limit:
            self.popitem(last=False)


class Recorder:
    """Collects the keys read by the outputs being rendered (frames can nest)."""

    def __init__(self) -> None:
        self._frames: list[set[Key]] = []
        self._shared: Recent[Hashable, tuple[object, frozenset[Key]]] = Recent(SHARED_WORK_LIMIT)

    @contextmanager
    def frame(self) -> Iterator[set[Key]]:
        """Every key read inside the block is added to the yielded set (and to the
        sets of the frames around it)."""
        keys: set[Key] = set()
        self._frames.append(keys)
        try:
            yield keys
        finally:
            self._frames.pop()

    def read(self, key: Key) -> None:
        for keys in self._frames:
            keys.add(key)

    def read_all(self, keys: Iterable[Key]) -> None:
        for frame in self._frames:
            frame.update(keys)

    def shared(self, key: Hashable, compute: Callable[[], T]) -> T:
        """`compute()` once per build (`key` names it; or again, once SHARED_WORK_LIMIT
        others were computed since); whoever uses its result reads everything the
        computation read."""
        found = self._shared.get(key)
        if found is not None:
            self.read_all(found[1])
            return found[0]  # type: ignore[return-value]
        with self.frame() as keys:
            value = compute()
        self._shared[key] = (value, frozenset(keys))
        return value


class Dependencies:
    """Which inputs each output read, and the value every input had at the last build."""

    def __init__(self) -> None:
        self.inputs: dict[str, frozenset[Key]] = {}
        """The keys each output read, by output."""
        self._readers: dict[Key, set[str]] = {}
        self._values: dict[Key, object] = {}
        self._keys: dict[Key, Key] = {}
        """One object for each key: the outputs' records share it (a build's processes
        send equal keys as distinct objects), which keeps them, and the build cache's
        file, small."""

    def __getstate__(self) -> dict[str, object]:
        return {"inputs": self.inputs, "_readers": self._readers, "_values": self._values}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        self._keys = {key: key for key in self._readers}

    def outdated(self, fingerprint: Fingerprint) -> set[str]:
        """The outputs that read an input whose value changed."""
        outputs: set[str] = set()
        for key, seen in self._values.items():
            now = fingerprint(key)
            if now != seen:
                outputs.update(self._readers[key])
            elif now is not seen:
                self._values[key] = now  # equal: keep the newer, so the next check is quicker
        return outputs

    def keys_read(self, kind: type[KeyKind]) -> list[KeyKind]:
        """Every input of this kind that some output read at the last build."""
        return [key for key in self._readers if isinstance(key, kind)]

    def update(
        self, rendered: dict[str, set[Key]], present: set[str], fingerprint: Fingerprint
    ) -> None:
        """After a successful build: what the `rendered` outputs read now (every output
        that read a changed input is among them), and outputs no longer `present`
        forgotten."""
        gone = [output for output in self.inputs if output not in present]
        for output in [*gone, *rendered]:
            for key in self.inputs.pop(output, ()):
                readers = self._readers[key]
                readers.discard(output)
                if not readers:
                    del self._readers[key]
                    del self._values[key]
                    del self._keys[key]
        for output, keys in rendered.items():
            shared = []
            for key in keys:
                known = self._keys.get(key)
                if known is None:
                    self._keys[key] = key
                    self._readers[key] = {output}
                    self._values[key] = fingerprint(key)
                else:
                    key = known
                    self._readers[key].add(output)
                shared.append(key)
            self.inputs[output] = frozenset(shared)


class Fingerprints:
    """Memoizes a fingerprint function for one build, where nothing changes."""

    def __init__(self, compute: Fingerprint) -> None:
        self._compute = compute
        self._known: dict[Key, object] = {}

    def __call__(self, key: Key) -> object:
        try:
            return self._known[key]
        except KeyError:
            value = self._known[key] = self._compute(key)
            return value
