"""A cache of validated datasets: plain JSON, keyed by content, verified on load, bounded in size.

Validating a dataset parses every YAML file and checks every quote against its source text, which takes a good
part of a second; a query from the cache takes a few milliseconds. An entry is one file, ``ds-<slot>.json``, where
the slot is a hash of the dataset directory, dutygraph's version and the cache format. It holds two lines:

1. a header (JSON): the cache format, dutygraph's version, the directory, every file the load read (the YAML files
   and the source texts it referenced) or looked for and found absent, each with a BLAKE2b hash of its content,
   the hash over all of those (``content``), a fingerprint of the model's shape, and the hash of line 2 (``digest``);
2. the validated :class:`~dutygraph.model.Dataset` as JSON, encoded and decoded by msgspec from the records' field
   types (:func:`encode`, :func:`decode`), so that a field added to the model needs no change here.

An entry is used only when its format, version, shape and payload digest match and every file it lists still
has the same content (a file that appeared where one was absent counts as changed); anything else, including a
damaged or foreign file, is discarded and the dataset is loaded and cached again. JSON cannot run code. The cache
keeps at most :data:`MAX_ENTRIES` entries and :data:`MAX_BYTES` bytes, evicting the least recently used.
"""

from __future__ import annotations

import contextlib
import enum
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import msgspec

from dutygraph import __version__, model
from dutygraph.files import content_hash
from dutygraph.model import Dataset

__all__ = ["FORMAT", "MAX_BYTES", "MAX_ENTRIES", "CacheError", "DatasetCache", "decode", "encode", "shape"]

FORMAT = 2
"""The layout of an entry; raise it when the header or the codec changes."""
MAX_ENTRIES = 16
MAX_BYTES = 64 * 1024 * 1024


class CacheError(ValueError):
    """A cache entry, or a value in it, does not have the shape the model requires."""


# ---------------------------------------------------------------------------------------------------------
# The codec: the model's records <-> JSON, by msgspec from the field types.


def _encode_hook(value: Any) -> Any:
    if isinstance(value, Path):
        return str(value)
    raise NotImplementedError(f"cannot store {type(value).__name__}")


def _decode_hook(kind: type, value: Any) -> Any:
    if kind is Path and isinstance(value, str):
        return Path(value)
    raise TypeError(f"expected a path, got {type(value).__name__}")  # msgspec reports it as a ValidationError


_ENCODER = msgspec.json.Encoder(enc_hook=_encode_hook)
_DECODER = msgspec.json.Decoder(Dataset, dec_hook=_decode_hook)


def encode(dataset: Dataset) -> bytes:
    """``dataset`` as JSON: its records, field by field (the indexes are rebuilt on use)."""
    return _ENCODER.encode(dataset)


def decode(payload: bytes) -> Dataset:
    """Rebuild a dataset from :func:`encode`'s output; :class:`CacheError` on anything of another shape (a missing,
    unknown or mistyped field, an invalid date or enum value, damaged JSON)."""
    try:
        return _DECODER.decode(payload)
    except (msgspec.DecodeError, msgspec.ValidationError) as error:
        raise CacheError(f"cannot rebuild the dataset: {error}") from None


def shape() -> str:
    """A fingerprint of the model: every record's fields with their annotated types and defaults, every enum's
    members. An entry written by another model is never decoded."""
    described = {}
    for name, value in vars(model).items():
        if isinstance(value, type) and issubclass(value, model.Record):
            described[name] = [
                value.__struct_fields__,
                {k: repr(v) for k, v in value.__annotations__.items()},
                repr(value.__struct_defaults__),
            ]
        elif isinstance(value, type) and issubclass(value, enum.Enum) and value.__module__ == model.__name__:
            described[name] = [member.value for member in value]
    return content_hash(msgspec.json.encode(described, order="sorted"))


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
        header = msgspec.json.decode(head)
        if not isinstance(header, dict) or header.get("format") != FORMAT or header.get("dutygraph") != __version__:
            return None
        if header.get("root") != str(root) or header.get("shape") != shape():
            return None
        if header.get("digest") != content_hash(payload):
            return None
        inputs = header.get("inputs")
        if not isinstance(inputs, dict) or not inputs or header.get("content") != _content(inputs):
            return None
        for relative, digest in inputs.items():
            if _current(root, relative) != digest:
                return None
        dataset = decode(payload)
        return dataset if dataset.root == root else None

    def put(self, root: Path, dataset: Dataset, inputs: Mapping[str, str | None]) -> None:
        """Store ``dataset`` (read from ``inputs``); a cache that cannot be written is skipped silently."""
        try:
            payload = encode(dataset)
            model = shape()
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
        blob = msgspec.json.encode(header) + b"\n" + payload
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
    return content_hash(msgspec.json.encode(sorted(inputs.items())))


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
