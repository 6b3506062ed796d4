"""A cache of validated datasets: plain JSON, keyed by content, verified on load, bounded in size.

Validating a dataset parses every YAML file and checks every quote against its source text, which takes a good
part of a second; a query from the cache takes a few milliseconds. An entry is one file, ``ds-<slot>.json``, where
the slot is a hash of the dataset directory, dutygraph's version and the cache format. It holds two lines:

1. a header (JSON): the cache format, dutygraph's version, the directory, every file the load read (the YAML files
   and the source texts it referenced) or looked for and found absent, each with a BLAKE2b hash of its content,
   the hash over all of those (``content``), a fingerprint of the model's shape, and the hash of line 2 (``digest``);
2. the validated :class:`~dutygraph.model.Dataset` as JSON, written by a generic codec that walks the dataclass
   fields and their types (:func:`encode`, :func:`decode`), so that a field added to the model needs no change here.

An entry is used only when its format, version, shape and payload digest match and every file it lists still
has the same content (a file that appeared where one was absent counts as changed); anything else, including a
damaged or foreign file, is discarded and the dataset is loaded and cached again. JSON cannot run code. The cache
keeps at most :data:`MAX_ENTRIES` entries and :data:`MAX_BYTES` bytes, evicting the least recently used.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import enum
import json
import os
import types
import typing
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from dutygraph import __version__
from dutygraph.files import content_hash
from dutygraph.model import Dataset

__all__ = ["FORMAT", "MAX_BYTES", "MAX_ENTRIES", "CacheError", "DatasetCache", "decode", "encode", "shape"]

FORMAT = 1
"""The layout of an entry; raise it when the header or the codec changes."""
MAX_ENTRIES = 16
MAX_BYTES = 64 * 1024 * 1024

Plain = Any
"""JSON-compatible data: None, bool, int, float, str, list, dict with str keys."""


class CacheError(ValueError):
    """A cache entry, or a value in it, does not have the shape the model requires."""


# ---------------------------------------------------------------------------------------------------------
# The codec: dataclasses <-> JSON-compatible data, driven by the field types.

_Codec = tuple[Callable[[Any], Plain], Callable[[Plain], Any]]
_CODECS: dict[Any, _Codec] = {}


def encode(value: Any, kind: Any = None) -> Plain:
    """``value`` (of type ``kind``, default its own class) as JSON-compatible data."""
    return _codec(type(value) if kind is None else kind)[0](value)


def decode(kind: Any, data: Plain) -> Any:
    """Rebuild a value of type ``kind`` from :func:`encode`'s output; :class:`CacheError` on any mismatch."""
    try:
        return _codec(kind)[1](data)
    except CacheError:
        raise
    except (TypeError, ValueError, KeyError, AttributeError, RecursionError) as error:
        raise CacheError(f"cannot rebuild {getattr(kind, '__name__', kind)}: {error}") from None


def shape(kind: Any) -> str:
    """A fingerprint of the dataclasses and enums reachable from ``kind`` (their fields as annotated, their
    members): a change to the model changes it, so that an entry written by another model is never decoded."""
    _codec(kind)
    seen: dict[str, str] = {}
    todo = [kind]
    while todo:
        tp = todo.pop()
        described = _SHAPES.get(tp)
        if described is None or described[0] in seen:
            continue
        seen[described[0]] = described[1]
        todo.extend(described[2])
    return content_hash(json.dumps(seen, sort_keys=True).encode())


_SHAPES: dict[Any, tuple[str, str, list[Any]]] = {}
"""Per dataclass or enum: its name, a description of its fields or members, the classes its fields refer to."""
_BUILDING: list[list[Any]] = []
"""While a dataclass codec is built: the classes its fields refer to, innermost last."""


def _init_fields(cls: type) -> list[dataclasses.Field[Any]]:
    return [f for f in dataclasses.fields(cls) if f.init]


def _hints(cls: type) -> dict[str, Any]:
    """The evaluated types of the init fields (annotations are text under ``from __future__ import annotations``);
    a plain ``eval`` in the class's module, much cheaper than ``typing.get_type_hints``."""
    import sys

    namespace = vars(sys.modules[cls.__module__])
    hints = {}
    for f in _init_fields(cls):
        if isinstance(f.type, str):
            key = (cls.__module__, f.type)
            if key not in _EVALUATED:
                _EVALUATED[key] = eval(f.type, namespace)  # our own annotations, in their own module
            hints[f.name] = _EVALUATED[key]
        else:
            hints[f.name] = f.type
    return hints


_EVALUATED: dict[tuple[str, str], Any] = {}


def _expect(data: Plain, kind: type | tuple[type, ...], what: str) -> None:
    if not isinstance(data, kind) or (kind is int and isinstance(data, bool)):
        raise CacheError(f"expected {what}, got {type(data).__name__}")


def _codec(tp: Any) -> _Codec:
    if _BUILDING and ((isinstance(tp, type) and issubclass(tp, enum.Enum)) or dataclasses.is_dataclass(tp)):
        _BUILDING[-1].append(tp)
    cached = _CODECS.get(tp)
    if cached is None:
        cached = _CODECS[tp] = _build(tp)
    return cached


def _identity(kind: type, what: str) -> _Codec:
    def dec(data: Plain) -> Any:
        if type(data) is not kind:
            raise CacheError(f"expected {what}, got {type(data).__name__}")
        return data

    return (lambda v: v), dec


def _build(tp: Any) -> _Codec:
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if tp is Any or tp is object:
        raise TypeError("the cache cannot store a field typed Any or object: give it a concrete type")
    if tp is type(None):
        return (lambda v: None), (lambda d: _none(d))
    if tp is bool:
        return _identity(bool, "true or false")
    if tp is int:
        return _identity(int, "an integer")
    if tp is float:
        return (lambda v: v), _float
    if tp is str:
        return _identity(str, "a text")
    if tp is dt.datetime:
        return (lambda v: v.isoformat()), (lambda d: dt.datetime.fromisoformat(_text(d)))
    if tp is dt.date:
        return (lambda v: v.isoformat()), (lambda d: dt.date.fromisoformat(_text(d)))
    if isinstance(tp, type) and issubclass(tp, Path):
        return (lambda v: str(v)), (lambda d: tp(_text(d)))
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        _SHAPES[tp] = (f"{tp.__module__}.{tp.__qualname__}", ",".join(repr(m.value) for m in tp), [])
        return (lambda v: v.value), (lambda d: tp(d))
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return _dataclass_codec(tp)
    if origin is typing.Literal:
        allowed = set(args)

        def dec_literal(d: Plain) -> Any:
            if d not in allowed:
                raise CacheError(f"{d!r} is not one of {sorted(map(repr, allowed))}")
            return d

        return (lambda v: v), dec_literal
    if origin in (typing.Union, types.UnionType):
        return _union_codec(args)
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis and args[0] in _PRIMITIVE:
            item = args[0]

            def dec_primitives(d: Plain) -> Any:
                if type(d) is not list or any(type(x) is not item for x in d):
                    raise CacheError(f"expected a list of {_PRIMITIVE[item]}")
                return tuple(d)

            return (lambda v: list(v)), dec_primitives
        if len(args) == 2 and args[1] is Ellipsis:
            enc_item, dec_item = _codec(args[0])
            return (lambda v: [enc_item(x) for x in v]), (lambda d: tuple(dec_item(x) for x in _list(d)))
        pairs = [_codec(a) for a in args]

        def dec_fixed(d: Plain) -> Any:
            items = _list(d)
            if len(items) != len(pairs):
                raise CacheError(f"expected {len(pairs)} items, got {len(items)}")
            return tuple(p[1](x) for p, x in zip(pairs, items, strict=True))

        return (lambda v: [p[0](x) for p, x in zip(pairs, v, strict=True)]), dec_fixed
    if origin in (list, frozenset, set):
        enc_item, dec_item = _codec(args[0])
        build: Callable[[Any], Any] = origin
        return (lambda v: [enc_item(x) for x in v]), (lambda d: build(dec_item(x) for x in _list(d)))
    if origin in (dict, Mapping, typing.Mapping) or (isinstance(origin, type) and issubclass(origin, Mapping)):
        key_tp, value_tp = args
        enc_value, dec_value = _codec(value_tp)
        if key_tp is str:

            def dec_object(d: Plain) -> Any:
                _expect(d, dict, "a mapping")
                return {k: dec_value(v) for k, v in d.items()}

            return (lambda v: {k: enc_value(x) for k, x in v.items()}), dec_object
        enc_key, dec_key = _codec(key_tp)
        return (
            (lambda v: [[enc_key(k), enc_value(x)] for k, x in v.items()]),
            (lambda d: {dec_key(k): dec_value(x) for k, x in (_pair(p) for p in _list(d))}),
        )
    raise TypeError(f"the cache cannot store values of type {tp!r}")


_PRIMITIVE: dict[type, str] = {str: "a text", int: "an integer", bool: "true or false"}
"""Types that JSON gives back as they are (``type(x) is int`` excludes ``bool``)."""


def _none(d: Plain) -> None:
    if d is not None:
        raise CacheError(f"expected null, got {type(d).__name__}")


def _float(d: Plain) -> float:
    _expect(d, (int, float), "a number")
    return float(d)


def _text(d: Plain) -> str:
    _expect(d, str, "a text")
    return str(d)


def _list(d: Plain) -> list[Any]:
    _expect(d, list, "a list")
    return list(d)


def _pair(d: Plain) -> tuple[Any, Any]:
    items = _list(d)
    if len(items) != 2:
        raise CacheError("expected a [key, value] pair")
    return items[0], items[1]


def _union_codec(args: tuple[Any, ...]) -> _Codec:
    arms = [a for a in args if a is not type(None)]
    optional = len(arms) < len(args)
    if len(arms) == 1 and optional and arms[0] in _PRIMITIVE:
        arm = arms[0]

        def dec_optional(d: Plain) -> Any:
            if d is not None and type(d) is not arm:
                raise CacheError(f"expected {_PRIMITIVE[arm]} or null, got {type(d).__name__}")
            return d

        return (lambda v: v), dec_optional
    if len(arms) == 1:
        enc, dec = _codec(arms[0])
        return (lambda v: None if v is None else enc(v)), (lambda d: None if d is None and optional else dec(d))
    codecs = [_codec(a) for a in arms]

    def enc_tagged(v: Any) -> Plain:
        if v is None:
            return None
        for index, arm in enumerate(arms):
            if _is_instance(v, arm):
                return [index, codecs[index][0](v)]
        raise TypeError(f"{type(v).__name__} is none of {arms}")

    def dec_tagged(d: Plain) -> Any:
        if d is None and optional:
            return None
        index, value = _pair(d)
        if not isinstance(index, int) or isinstance(index, bool) or not 0 <= index < len(codecs):
            raise CacheError("bad union tag")
        return codecs[index][1](value)

    return enc_tagged, dec_tagged


def _is_instance(value: Any, tp: Any) -> bool:
    origin = typing.get_origin(tp) or tp
    if origin is typing.Literal:
        return value in typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        return any(_is_instance(value, a) for a in typing.get_args(tp))
    if origin is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, origin)


def _dataclass_codec(cls: type) -> _Codec:
    fields = _init_fields(cls)
    hints = _hints(cls)
    names = tuple(f.name for f in fields)
    expected = set(names)
    _CODECS[cls] = (lambda v: encode_fields(v), lambda d: decode_fields(d))  # placeholder for recursive types
    _BUILDING.append([])
    try:
        codecs = [_codec(hints[name]) for name in names]
    finally:
        refers = _BUILDING.pop()
    described = ";".join(f"{f.name}:{f.type if isinstance(f.type, str) else repr(f.type)}" for f in fields)
    _SHAPES[cls] = (f"{cls.__module__}.{cls.__qualname__}", described, refers)
    encoders = tuple(zip(names, (c[0] for c in codecs), strict=True))
    decoders = tuple(zip(names, (c[1] for c in codecs), strict=True))
    positional = not any(f.kw_only is True for f in fields)

    def encode_fields(value: Any) -> Plain:
        return {name: enc(getattr(value, name)) for name, enc in encoders}

    def decode_fields(data: Plain) -> Any:
        if type(data) is not dict:
            raise CacheError(f"expected a mapping for {cls.__name__}, got {type(data).__name__}")
        if len(data) != len(names) or data.keys() != expected:
            raise CacheError(f"the fields of {cls.__name__} differ: {sorted(set(data) ^ expected)}")
        if positional:
            return cls(*[dec(data[name]) for name, dec in decoders])
        return cls(**{name: dec(data[name]) for name, dec in decoders})

    return encode_fields, decode_fields


# ---------------------------------------------------------------------------------------------------------
# The store.


class DatasetCache:
    """The cache directory: :meth:`get` a verified dataset, :meth:`put` a freshly validated one."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def _entry(self, root: Path) -> Path:
        slot = content_hash(f"{FORMAT}\0{__version__}\0{root}".encode())
        return self.directory / f"ds-{slot}.json"

    def get(self, root: Path) -> Dataset | None:
        """The cached dataset of ``root`` if every check passes, else ``None`` (never an error)."""
        entry = self._entry(root)
        try:
            with open(entry, "rb") as handle:
                blob = handle.read()
        except OSError:
            return None
        try:
            dataset = self._verify(root, blob)
        except Exception:  # a damaged or foreign entry, or a model the codec cannot rebuild: never fatal, rebuilt
            dataset = None
        if dataset is None:
            _remove(entry)
            return None
        with contextlib.suppress(OSError):
            os.utime(entry)  # least recently used goes first
        return dataset

    def _verify(self, root: Path, blob: bytes) -> Dataset | None:
        head, newline, payload = blob.partition(b"\n")
        if not newline:
            return None
        header = json.loads(head)
        if not isinstance(header, dict) or header.get("format") != FORMAT or header.get("dutygraph") != __version__:
            return None
        if header.get("root") != str(root) or header.get("shape") != shape(Dataset):
            return None
        if header.get("digest") != content_hash(payload):
            return None
        inputs = header.get("inputs")
        if not isinstance(inputs, dict) or not inputs or header.get("content") != _content(inputs):
            return None
        for relative, digest in inputs.items():
            if _current(root, relative) != digest:
                return None
        dataset = decode(Dataset, json.loads(payload))
        return dataset if isinstance(dataset, Dataset) and dataset.root == root else None

    def put(self, root: Path, dataset: Dataset, inputs: Mapping[str, str | None]) -> None:
        """Store ``dataset`` (read from ``inputs``); a cache that cannot be written is skipped silently."""
        try:
            payload = json.dumps(encode(dataset, Dataset), ensure_ascii=False, separators=(",", ":")).encode()
            model = shape(Dataset)
        except Exception:  # a model the codec cannot store: no cache rather than no answer (the codec tests fail)
            return
        header = {
            "format": FORMAT,
            "dutygraph": __version__,
            "root": str(root),
            "shape": model,
            "content": _content(inputs),
            "digest": content_hash(payload),
            "inputs": dict(inputs),
        }
        blob = json.dumps(header, ensure_ascii=False).encode() + b"\n" + payload
        _write_atomically(self._entry(root), blob)
        self.evict()

    def evict(self) -> None:
        """Keep the :data:`MAX_ENTRIES` most recently used entries within :data:`MAX_BYTES`; drop the pickles of
        earlier versions and temporary files left by interrupted writes."""
        try:
            names = os.listdir(self.directory)
        except OSError:
            return
        entries = []
        for name in names:
            path = self.directory / name
            if name.endswith(".pickle") or (name.startswith(".ds-") and name.endswith(".tmp")):
                if name.endswith(".pickle") or _older_than(path, 3600):
                    _remove(path)
            elif name.startswith("ds-") and name.endswith(".json"):
                try:
                    info = path.stat()
                except OSError:
                    continue
                entries.append((info.st_mtime_ns, info.st_size, path))
        entries.sort(reverse=True)
        total = 0
        for rank, (_, size, path) in enumerate(entries):
            total += size
            if rank >= MAX_ENTRIES or (rank > 0 and total > MAX_BYTES):
                _remove(path)


def _content(inputs: Mapping[str, Any]) -> str:
    return content_hash(json.dumps(sorted(inputs.items()), ensure_ascii=False).encode())


def _current(root: Path, relative: str) -> str | None:
    """The content hash of a file now (None when absent); OSError when it cannot be read."""
    try:
        with open(root / relative, "rb") as handle:
            return content_hash(handle.read())
    except FileNotFoundError:
        return None


def _older_than(path: Path, seconds: float) -> bool:
    import time

    try:
        return path.stat().st_mtime < time.time() - seconds
    except OSError:
        return False


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()


def _write_atomically(target: Path, payload: bytes) -> None:
    import tempfile  # only on a cache miss

    try:
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        with tempfile.NamedTemporaryFile(dir=target.parent, prefix=".ds-", suffix=".tmp", delete=False) as handle:
            handle.write(payload)
        os.replace(handle.name, target)
    except OSError:
        pass
