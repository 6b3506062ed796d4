"""Where datasets and Cypher files live, and the validated datasets through the cache.

The wheel carries the bundled datasets under ``dutygraph/_data`` and the Cypher files under
``dutygraph/_cypher``; in a source checkout they are the top-level ``data/`` and ``cypher/`` folders.

Validating a dataset parses every YAML file and checks every quote against its source text, which takes a
good part of a second; :func:`open_dataset` therefore keeps validated datasets in a cache (:mod:`dutygraph.cache`:
plain JSON, keyed by the content of every file the dataset reads, verified on load, bounded). The cache lives in
``$DUTYGRAPH_CACHE_DIR``, else ``$XDG_CACHE_HOME/dutygraph``, else ``~/.cache/dutygraph``;
``DUTYGRAPH_NO_CACHE=1`` turns it off. A cache that cannot be read or written is ignored.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from dutygraph.errors import DatasetNotFoundError
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


def open_dataset(root: str | Path | None = None, *, use_cache: bool = True) -> Dataset:
    """Load and validate the dataset in ``root`` (the bundled default when ``None``, or a bundled dataset's id),
    through the cache.

    Raises :class:`~dutygraph.errors.DatasetNotFoundError` when ``root`` is not a dataset directory,
    :class:`~dutygraph.errors.InvalidDataError` for invalid data and ``OSError`` when a file cannot be read."""
    path = dataset_root(root)
    try:
        os.stat(path)  # a symlink loop or a permission problem is a file error (OSError), not a missing dataset
    except (FileNotFoundError, NotADirectoryError):
        raise DatasetNotFoundError(f"{path} is not a dataset directory (no dataset.yaml in it)") from None
    path = Path(os.path.realpath(path))
    if not use_cache or os.environ.get("DUTYGRAPH_NO_CACHE") == "1":
        return _read(path)[0]
    from dutygraph.cache import DatasetCache

    cache = DatasetCache(cache_dir())
    cached = cache.get(path)
    if cached is not None:
        return cached
    dataset, inputs = _read(path)
    cache.put(path, dataset, inputs)
    return dataset


def _read(path: Path) -> tuple[Dataset, Mapping[str, str | None]]:
    from dutygraph.loader import read_dataset  # imported here: a cached query never parses YAML

    return read_dataset(path)
