"""The dataset cache (issue 10, findings 3 and 4): keyed by the content of every file the dataset reads, verified on
load, plain data that cannot run code, bounded in size; a damaged entry is discarded and rebuilt."""

from __future__ import annotations

import enum
import json
import os
import pickle
import shutil
from pathlib import Path

import pytest

from dutygraph.datasets import cache_dir, default_dataset_dir, open_dataset
from dutygraph.loader import load_dataset
from tests.conftest import MINI
from tests.hostile import make_dataset


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "cache"
    monkeypatch.setenv("DUTYGRAPH_CACHE_DIR", str(directory))
    monkeypatch.delenv("DUTYGRAPH_NO_CACHE", raising=False)
    return directory


def entries(directory: Path) -> list[Path]:
    return sorted(p for p in directory.iterdir() if p.is_file()) if directory.is_dir() else []


def keep_stat(path: Path, edit: str, replacement: str) -> None:
    """Edit a file keeping its size and modification time, as a checkout or a copy tool may."""
    stat = path.stat()
    text = path.read_text(encoding="utf-8")
    assert edit in text and len(edit.encode()) == len(replacement.encode())
    path.write_text(text.replace(edit, replacement, 1), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert path.stat().st_size == stat.st_size


def test_an_edit_that_keeps_size_and_mtime_is_seen(cache: Path, tmp_path: Path) -> None:
    root = make_dataset(tmp_path / "d")
    assert open_dataset(root).bureaus["alpha"].name == "甲局"
    keep_stat(root / "bureaus.yaml", "name: 甲局", "name: 戊局")
    assert open_dataset(root).bureaus["alpha"].name == "戊局"


def test_a_source_reached_through_a_symlink_is_in_the_key(cache: Path, tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shutil.copytree(MINI / "sources", shared)
    root = make_dataset(tmp_path / "d")
    shutil.rmtree(root / "sources")
    (root / "sources").symlink_to(shared)
    open_dataset(root)
    keep_stat(shared / "notice.txt", "甲局负责一号许可", "甲局负责五号许可")
    with pytest.raises(Exception, match="quote not found verbatim"):
        open_dataset(root)


def test_a_file_that_appears_is_seen(cache: Path, tmp_path: Path) -> None:
    root = make_dataset(tmp_path / "d", {"leads.yaml": None})
    assert open_dataset(root).leads == ()
    shutil.copy(MINI / "leads.yaml", root / "leads.yaml")
    assert len(open_dataset(root).leads) == 2


def test_files_the_dataset_does_not_read_are_not_in_the_key(cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_dataset(tmp_path / "d")
    git = root / ".git" / "objects"
    git.mkdir(parents=True)
    for number in range(200):
        (git / f"{number:04x}").write_bytes(b"x")
    first = open_dataset(root)

    def no_walk(*args: object, **kwargs: object) -> None:
        raise AssertionError("the cache walked the dataset directory")

    for module, name in ((os, "walk"), (os, "scandir"), (os, "listdir"), (Path, "rglob"), (Path, "glob"), (Path, "iterdir")):
        monkeypatch.setattr(module, name, no_walk)
    assert open_dataset(root) == first


def flip(directory: Path, old: str, new: str) -> int:
    """Replace ``old`` by ``new`` (same length in UTF-8) in every cache entry; returns how many entries changed."""
    changed = 0
    for path in entries(directory):
        data = path.read_bytes()
        if old.encode() in data:
            path.write_bytes(data.replace(old.encode(), new.encode(), 1))
            changed += 1
    return changed


def test_a_changed_character_in_a_cache_entry_is_never_trusted(cache: Path) -> None:
    original = load_dataset(MINI)
    open_dataset(MINI)
    assert flip(cache, "甲局负责一号许可", "甲局负责二号许可") == 1
    assert open_dataset(MINI).provisions["p1"].quote == original.provisions["p1"].quote
    assert open_dataset(MINI) == original


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],
        lambda data: b"",
        lambda data: b"\x00\xff" * 100,
        lambda data: data.replace(b'"format": ', b'"format": 9', 1),
        lambda data: data.replace(b"\n", b" ", 1),
        lambda data: json.dumps({"format": 1}).encode(),
        lambda data: data + b"[]",
    ],
    ids=["truncated", "empty", "binary", "other-format", "one-line", "foreign-json", "trailing-data"],
)
def test_a_damaged_cache_entry_is_discarded_and_rebuilt(cache: Path, damage: object) -> None:
    assert callable(damage)
    original = open_dataset(MINI)
    (entry,) = entries(cache)
    entry.write_bytes(damage(entry.read_bytes()))
    assert open_dataset(MINI) == original
    (rebuilt,) = entries(cache)
    assert json.loads(rebuilt.read_bytes().split(b"\n", 1)[0])["format"] >= 1
    assert open_dataset(MINI) == original


class _Planted:
    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (os.mkdir, (str(self.marker),))


def test_a_planted_pickle_never_runs(cache: Path, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    open_dataset(MINI)
    planted = entries(cache)
    assert planted
    for path in planted:
        path.write_bytes(pickle.dumps(_Planted(marker)))
    assert open_dataset(MINI) == load_dataset(MINI)
    assert not marker.exists()


def test_cache_entries_are_plain_json_with_a_format_version_and_the_content_hash(cache: Path) -> None:
    open_dataset(MINI)
    (entry,) = entries(cache)
    header, payload = entry.read_bytes().split(b"\n", 1)
    meta = json.loads(header)
    assert {"format", "content", "digest", "inputs"} <= meta.keys()
    assert set(meta["inputs"]) >= {"dataset.yaml", "bureaus.yaml", "sources/notice.txt"}
    assert json.loads(payload)["info"]["id"] == "mini"


def test_the_cache_is_bounded(cache: Path, tmp_path: Path) -> None:
    from dutygraph.cache import MAX_ENTRIES

    for number in range(MAX_ENTRIES + 6):
        root = make_dataset(tmp_path / f"d{number}")
        text = (root / "dataset.yaml").read_text(encoding="utf-8")
        (root / "dataset.yaml").write_text(text.replace("title: 测试数据集", f"title: 测试数{number:03d}"), encoding="utf-8")
        assert open_dataset(root).info.title == f"测试数{number:03d}"
    assert 0 < len(entries(cache)) <= MAX_ENTRIES


def test_legacy_pickles_are_removed(cache: Path) -> None:
    cache.mkdir(parents=True)
    legacy = cache / "cb9333209872fc425b1.pickle"
    legacy.write_bytes(b"old")
    open_dataset(MINI)
    assert not legacy.exists()


def test_an_unwritable_cache_is_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory", encoding="utf-8")
    monkeypatch.setenv("DUTYGRAPH_CACHE_DIR", str(blocker / "cache"))
    assert open_dataset(MINI) == load_dataset(MINI)


@pytest.mark.parametrize("dataset_dir", [MINI, default_dataset_dir()], ids=["mini", "liaocheng"])
def test_the_codec_round_trips_the_dataset(dataset_dir: Path) -> None:
    from dutygraph.cache import decode, encode

    dataset = load_dataset(dataset_dir)
    back = decode(encode(dataset))
    assert back == dataset
    assert back.duties_by_target == dataset.duties_by_target


def test_the_codec_refuses_data_of_the_wrong_shape() -> None:
    from dutygraph.cache import CacheError, decode, encode

    plain = json.loads(encode(load_dataset(MINI)))
    assert isinstance(plain, dict)
    for broken in (
        {**plain, "extra": 1},
        {k: v for k, v in plain.items() if k != "info"},
        {**plain, "duties": "not a list"},
        {**plain, "info": {**plain["info"], "as_of": "2020-13-01"}},
        {**plain, "info": {**plain["info"], "title": 5}},
        {**plain, "info": {**plain["info"], "rules": [{**plain["info"]["rules"][0], "extra": 1}]}},
        {**plain, "licences": {**plain["licences"], "l1": {**plain["licences"]["l1"], "kind": "sorcery"}}},
        {**plain, "root": 5},
    ):
        with pytest.raises(CacheError):
            decode(json.dumps(broken).encode())
    with pytest.raises(CacheError):
        decode(encode(load_dataset(MINI))[:-1])


def test_the_shape_changes_with_the_model(monkeypatch: pytest.MonkeyPatch) -> None:
    from dutygraph import model
    from dutygraph.cache import shape

    before = shape()
    monkeypatch.setattr(model.Mark, "__annotations__", {**model.Mark.__annotations__, "line": "str | None"})
    assert shape() != before
    monkeypatch.undo()
    assert shape() == before
    monkeypatch.setattr(model, "LicenceKind", enum.StrEnum("LicenceKind", {"PERMIT": "permit"}, module=model.__name__))
    assert shape() != before


def test_the_cache_dir_follows_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("DUTYGRAPH_CACHE_DIR", str(tmp_path / "x"))
    assert cache_dir() == tmp_path / "x"
