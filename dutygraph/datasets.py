"""Where datasets and Cypher files live, and a cache of validated datasets.

The wheel carries the bundled datasets under ``dutygraph/_data`` and the Cypher files under
``dutygraph/_cypher``; in a source checkout they are the top-level ``data/`` and ``cypher/`` folders.

Validating a dataset parses every YAML file and checks every quote against its source text, which takes a
good part of a second; the validated :class:`~dutygraph.model.Dataset` is therefore cached (pickled) per
dataset directory, keyed by the size and modification time of every file in it and by dutygraph's version.
The cache lives in ``$DUTYGRAPH_CACHE_DIR``, else ``$XDG_CACHE_HOME/dutygraph``, else ``~/.cache/dutygraph``;
``DUTYGRAPH_NO_CACHE=1`` turns it off. A cache that cannot be read or written is ignored.
"""

from __future__ import annotations

import os
import pickle
import zlib
from pathlib import Path

from dutygraph import __version__
from dutygraph.model import Dataset

__all__ = [
    "DEFAULT_DATASET",
    "bundled_datasets",
    "cache_dir",
    "cypher_dir",
    "data_dir",
    "dataset_root",
    "default_dataset_dir",
    "open_dataset",
]

DEFAULT_DATASET = "liaocheng-2018-39"
_PACKAGE = Path(__file__).resolve().parent


def _bundled(installed: str, checkout: str) -> Path:
    inside = _PACKAGE / installed
    return inside if inside.is_dir() else _PACKAGE.parent / checkout


def data_dir() -> Path:
    """The folder of bundled datasets."""
    return _bundled("_data", "data")


def cypher_dir() -> Path:
    """The folder of Cypher files (schema, load statements, analyst queries)."""
    return _bundled("_cypher", "cypher")


def default_dataset_dir() -> Path:
    return data_dir() / DEFAULT_DATASET


def bundled_datasets() -> list[Path]:
    """The directories of the datasets shipped with dutygraph, by id."""
    return sorted(p for p in data_dir().iterdir() if (p / "dataset.yaml").is_file())


def dataset_root(spec: str | Path | None) -> Path:
    """Where a dataset named on the command line lives: the bundled default for None, a directory as given, or a
    bundled dataset's id (``--data yantai-2018-work-safety``) where no such directory exists."""
    if spec is None:
        return default_dataset_dir()
    path = Path(spec)
    bundled = data_dir() / str(spec)
    if not path.exists() and path.name == str(spec) and (bundled / "dataset.yaml").is_file():
        return bundled
    return path


def cache_dir() -> Path:
    explicit = os.environ.get("DUTYGRAPH_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "dutygraph"


def _fingerprint(root: Path) -> str:
    """A cache key from dutygraph's version and the name, size and mtime of every file of the dataset."""
    parts = [__version__, str(root)]
    for path in sorted(root.rglob("*")):
        if path.is_file():
            stat = path.stat()
            parts.append(f"{path.relative_to(root)}:{stat.st_size}:{stat.st_mtime_ns}")
    blob = "\0".join(parts).encode()
    return f"{zlib.crc32(blob):08x}{zlib.adler32(blob):08x}{len(blob):x}"


def open_dataset(root: str | Path | None = None, *, use_cache: bool = True) -> Dataset:
    """Load and validate the dataset in ``root`` (the bundled default when ``None``), through the cache."""
    path = dataset_root(root).resolve()
    if not use_cache or os.environ.get("DUTYGRAPH_NO_CACHE") == "1" or not path.is_dir():
        return _load(path)
    cached = cache_dir() / f"{_fingerprint(path)}.pickle"
    try:
        with cached.open("rb") as handle:
            dataset = pickle.load(handle)
        if isinstance(dataset, Dataset):
            return dataset
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
        pass
    dataset = _load(path)
    _write_atomically(cached, pickle.dumps(dataset, protocol=pickle.HIGHEST_PROTOCOL))
    return dataset


def _load(path: Path) -> Dataset:
    from dutygraph.loader import load_dataset  # imported here: a cached query never parses YAML

    return load_dataset(path)


def _write_atomically(target: Path, payload: bytes) -> None:
    import tempfile  # only on a cache miss

    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=target.parent, delete=False) as handle:
            handle.write(payload)
        os.replace(handle.name, target)
    except OSError:
        pass
