"""Reading the files of a dataset, and writing output files, without leaving the directory the user chose.

:class:`DatasetFiles` reads a dataset's data files and source texts: a source must be a relative path inside the
dataset directory (no ``..``, not absolute), a data file must be a regular file (not a directory, not a symlink
loop), and every file read, or looked for and found absent, is recorded with a hash of its content, so that the
dataset cache can tell whether anything the dataset rests on changed. :func:`output_path` joins an output
directory and a file name made from data (an id) and refuses any result outside that directory.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path, PurePosixPath

try:  # the built-in module: hashlib would load OpenSSL first, a cost on every cached query
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - a Python built without it
    from hashlib import blake2b

from dutygraph.errors import UsageError
from dutygraph.text import brief

__all__ = ["DatasetFiles", "FileProblem", "content_hash", "output_path", "safe_relative"]


def content_hash(data: bytes) -> str:
    """A fast hash of a file's content (BLAKE2b, 128 bits)."""
    return blake2b(data, digest_size=16).hexdigest()


class FileProblem(Exception):
    """A file of the dataset cannot serve as one (a directory, a symlink loop, a path leaving the dataset …).

    Not a :class:`~dutygraph.errors.DutygraphError`: the loader turns it into a located data issue."""


def safe_relative(relative: str) -> PurePosixPath:
    """``relative`` as a path inside a directory, or :class:`FileProblem`: relative, no ``..``, no backslash.

    >>> str(safe_relative("sources/a.txt"))
    'sources/a.txt'
    """
    if not relative or relative.strip() != relative:
        raise FileProblem(f"{brief(relative)} must be a relative path inside the dataset directory")
    path = PurePosixPath(relative)
    if path.is_absolute() or "\\" in relative or ":" in path.parts[0] or any(part in ("..", "") for part in path.parts):
        raise FileProblem(f"{brief(relative)} must be a relative path inside the dataset directory (no '..', not absolute)")
    if path.parts == (".",) or not path.parts:
        raise FileProblem(f"{brief(relative)} must name a file inside the dataset directory")
    return path


class DatasetFiles:
    """The files of one dataset directory, read once each, with a record of their content hashes."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.inputs: dict[str, str | None] = {}
        """Every file read (relative path -> content hash) or looked for and absent (-> None)."""

    def read(self, relative: str, *, required: bool = False) -> bytes | None:
        """The bytes of ``root/relative``; ``None`` when absent (unless ``required``: then FileNotFoundError).

        Raises :class:`FileProblem` for a path that leaves the dataset, a directory, a symlink loop, or anything
        that is not a regular file; ``OSError`` (e.g. permission denied) propagates: it is not a data error."""
        path = self.root / safe_relative(relative)
        key = str(safe_relative(relative))
        try:
            info = os.stat(path)
        except FileNotFoundError:
            if required:
                raise
            self.inputs[key] = None
            return None
        except OSError as error:
            if error.errno == errno.ELOOP:
                raise FileProblem("is a symbolic link that loops (it never reaches a file)") from None
            if error.errno == errno.ENOTDIR:
                raise FileProblem("is not a file: a part of its path is not a directory") from None
            raise
        if stat.S_ISDIR(info.st_mode):
            raise FileProblem("is a directory, not a file")
        if not stat.S_ISREG(info.st_mode):
            raise FileProblem("is not a regular file")
        with open(path, "rb") as handle:
            data = handle.read()
        self.inputs[key] = content_hash(data)
        return data


def output_path(directory: Path, name: str) -> Path:
    """``directory / name``, refusing a name (made from data) that would write anywhere else.

    >>> output_path(Path("out"), "map-d1.html")
    PosixPath('out/map-d1.html')
    """
    candidate = directory / name
    inside = os.path.abspath(directory)
    if (
        not name
        or name in (".", "..")
        or "/" in name
        or "\\" in name
        or "\x00" in name
        or os.path.dirname(os.path.abspath(candidate)) != inside
    ):
        raise UsageError(f"refusing to write {brief(name)}: the file would land outside the output directory {directory}")
    return candidate
