"""Hostile and damaged input (issue 10): each case ends in a clear error with file and line, or a correct answer;
never a hang, a traceback, or a silent wrong answer.

Inputs that once hung the tool or exhausted memory run in a child process with a time and memory limit
(tests/hostile.py), so that a regression fails the test instead of taking the machine down.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from msgspec import structs

from dutygraph.errors import DataIssue, InvalidDataError, UsageError
from dutygraph.loader import load_dataset
from tests.conftest import MINI, CliResult
from tests.hostile import ROOT, load_isolated, make_dataset

Run = Callable[..., CliResult]

LIST_FILES = ("documents", "provisions", "bureaus", "domains", "activities", "licences", "duties", "leads", "successions")


def issues_of(root: Path) -> list[DataIssue]:
    with pytest.raises(InvalidDataError) as caught:
        load_dataset(root)
    return list(caught.value.issues)


def assert_plain(issues: list[DataIssue] | list[list[object]], limit: int = 400) -> None:
    """Messages are bounded and speak of values, not of Python's types."""
    for issue in issues:
        message = issue.message if isinstance(issue, DataIssue) else str(issue[2])
        assert len(message) <= limit, message[:200]
        for internal in ("Commented", "NoneType", "<class", "ScalarFloat", "TaggedScalar", "Traceback"):
            assert internal not in message, message


# --- finding 1: YAML alias bombs, and values echoed in messages ---------------------------------------------


@pytest.mark.parametrize("name", ["dataset.yaml", "domains.yaml"])
def test_a_list_or_mapping_as_a_key_is_a_plain_yaml_error(tmp_path: Path, name: str) -> None:
    """Found by Hypothesis: '? - bureaus:' made ruamel fail to hash a key, and the message named CommentedMap."""
    issues = issues_of(make_dataset(tmp_path / "d", {name: "? ? - bureaus:\n"}))
    assert [(i.file, i.message) for i in issues] == [
        (name, "cannot be read as YAML: a key must be plain text, not a list or mapping (a '?' key)")
    ]
    assert_plain(issues)


def alias_bomb(levels: int, width: int = 9) -> str:
    lines = ["bureaus:", f"  - {{id: alpha, name: 甲局, provisions: [p1], aliases: &a0 [{', '.join(['lol'] * width)}]}}"]
    for level in range(1, levels):
        refs = ", ".join([f"*a{level - 1}"] * width)
        lines.append(f"  - {{id: b{level}, name: 局{level}, aliases: &a{level} [{refs}]}}")
    return "\n".join(lines) + "\n"


def test_a_yaml_alias_bomb_is_refused_at_the_first_alias(tmp_path: Path) -> None:
    root = make_dataset(tmp_path / "d", {"bureaus.yaml": alias_bomb(8)})
    result = load_isolated(root, timeout=60, memory=1 << 30)
    assert "issues" in result, result
    issues = result["issues"]
    assert isinstance(issues, list)
    aliases = [i for i in issues if "alias" in str(i[2])]
    assert aliases and aliases[0][:2] == ["bureaus.yaml", 3], issues
    assert_plain(issues)


def test_anchors_and_merge_keys_are_refused_too(tmp_path: Path) -> None:
    text = "bureaus:\n  - &base {id: alpha, name: 甲局, provisions: [p1]}\n  - {<<: *base, id: alpha2}\n"
    root = make_dataset(tmp_path / "d", {"bureaus.yaml": text})
    issues = issues_of(root)
    assert any(i.file == "bureaus.yaml" and i.line == 3 and "alias" in i.message for i in issues), issues


def test_values_echoed_in_messages_are_bounded(tmp_path: Path) -> None:
    huge_list = "[" + ", ".join(["x" * 50] * 2000) + "]"
    text = (
        "bureaus:\n"
        f"  - {{id: alpha, name: {huge_list}, provisions: [p1]}}\n"
        f"  - {{id: beta, name: 乙局, level: {'z' * 100_000}, provisions: [p1b]}}\n"
        f"  - id: gamma\n    name: 丙局\n    provisions: [p2]\n    ? {'k' * 100_000}\n    : 1\n"
    )
    root = make_dataset(tmp_path / "d", {"bureaus.yaml": text})
    issues = issues_of(root)
    assert any(i.line == 2 and "must be text, got a list" in i.message for i in issues), issues
    assert any(i.line == 3 and "unknown level 'zzz" in i.message and "…" in i.message for i in issues), issues
    assert any(i.line == 7 and "unexpected field 'kkk" in i.message for i in issues), issues
    assert_plain(issues)


# --- finding 2: REQUIRES cycles in linear time, each cycle once ---------------------------------------------


def licences_yaml(extra: list[str]) -> str:
    return (MINI / "licences.yaml").read_text(encoding="utf-8") + "".join(extra)


def test_a_deep_requires_lattice_validates_in_linear_time(tmp_path: Path) -> None:
    layers = 30
    extra = []
    for layer in range(layers):
        for side in "ab":
            nxt = [f"{{licence: x{layer + 1}{s}, provisions: [p1]}}" for s in "ab"] if layer + 1 < layers else []
            extra.append(f"  - {{id: x{layer}{side}, name: 层{layer}{side}, provisions: [p1], requires: [{', '.join(nxt)}]}}\n")
    root = make_dataset(tmp_path / "d", {"licences.yaml": licences_yaml(extra)})
    assert load_isolated(root, timeout=60) == {"ok": True}


def test_licences_that_all_require_each_other_are_one_problem(tmp_path: Path) -> None:
    ids = [f"m{i}" for i in range(9)]
    extra = []
    for ident in ids:
        others = ", ".join(f"{{licence: {o}, provisions: [p1]}}" for o in ids if o != ident)
        extra.append(f"  - {{id: {ident}, name: 互{ident}, provisions: [p1], requires: [{others}]}}\n")
    root = make_dataset(tmp_path / "d", {"licences.yaml": licences_yaml(extra)})
    result = load_isolated(root, timeout=60)
    issues = result.get("issues")
    assert isinstance(issues, list) and len(issues) == 1, str(result)[:2000]
    (file, line, message) = issues[0]
    assert (file, line) == ("licences.yaml", 22)
    assert message.startswith("licences require each other in a cycle: m0 -> m1 -> m0; 9 licences in all: m0, m1, m2")


def test_a_licence_that_requires_itself_is_a_cycle(tmp_path: Path) -> None:
    extra = ["  - {id: self, name: 自己, provisions: [p1], requires: [{licence: self, provisions: [p1]}]}\n"]
    root = make_dataset(tmp_path / "d", {"licences.yaml": licences_yaml(extra)})
    assert [str(i) for i in issues_of(root)] == ["licences.yaml:22: licences require each other in a cycle: self -> self"]


# --- finding 5: empty files, directories and symlink loops where a data file belongs -------------------------


@pytest.mark.parametrize("content", ["", "# nothing but a comment\n", "\n\n"], ids=["empty", "comment", "blank"])
@pytest.mark.parametrize("name", ["dataset", *LIST_FILES])
def test_an_empty_data_file_is_a_validation_error(tmp_path: Path, name: str, content: str) -> None:
    root = make_dataset(tmp_path / "d", {f"{name}.yaml": content})
    issues = issues_of(root)
    assert any(i.file == f"{name}.yaml" and "empty" in i.message for i in issues), issues
    assert_plain(issues)


def test_a_list_key_holding_nothing_is_a_validation_error(tmp_path: Path) -> None:
    root = make_dataset(tmp_path / "d", {"leads.yaml": "leads:\n"})
    assert [str(i) for i in issues_of(root)] == ["leads.yaml:1: 'leads' holds nothing; write 'leads: []' for none"]


@pytest.mark.parametrize("command", ["duties", "gaps", "lead", "validate"])
def test_queries_on_a_dataset_with_an_empty_file_exit_5(tmp_path: Path, run_cli: Run, command: str) -> None:
    root = make_dataset(tmp_path / "d", {"domains.yaml": ""})
    args = {"duties": ["duties", "alpha"], "gaps": ["gaps"], "lead": ["lead", "一号活动"], "validate": ["validate"]}[command]
    result = run_cli(*args, *(["--data", str(root)] if command != "validate" else [str(root)]))
    assert result.code == 5, result
    assert "domains.yaml: the file is empty" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_data_file_that_is_a_directory_is_an_error(tmp_path: Path) -> None:
    root = make_dataset(tmp_path / "d", {"leads.yaml": None})
    (root / "leads.yaml").mkdir()
    assert [str(i) for i in issues_of(root)] == ["leads.yaml: is a directory, not a file"]


def test_a_data_file_that_is_a_symlink_loop_is_an_error(tmp_path: Path) -> None:
    root = make_dataset(tmp_path / "d", {"leads.yaml": None})
    (root / "leads.yaml").symlink_to("leads.yaml")
    issues = issues_of(root)
    assert len(issues) == 1 and issues[0].file == "leads.yaml" and "symbolic link" in issues[0].message, issues


# --- finding 6: ids that are paths; written paths stay inside the output directory --------------------------


@pytest.mark.parametrize("ident", ["p/../../..", "../x", "a/b", "a\\\\b", "a b", ".hidden", "x..y", "-x", "x.", "名字", "a" * 101])
def test_an_id_must_be_a_safe_name(tmp_path: Path, ident: str) -> None:
    text = f'domains:\n  - {{id: d1, name: 测试领域, provisions: [p1]}}\n  - {{id: "{ident}", name: 其他, provisions: [p1]}}\n'
    root = make_dataset(tmp_path / "d", {"domains.yaml": text})
    issues = issues_of(root)
    assert any(i.file == "domains.yaml" and i.line == 3 and "not a valid id" in i.message for i in issues), issues


def test_a_dataset_id_that_is_a_path_is_an_error(tmp_path: Path) -> None:
    text = (MINI / "dataset.yaml").read_text(encoding="utf-8").replace("id: mini", "id: ../../evil")
    root = make_dataset(tmp_path / "d", {"dataset.yaml": text})
    line = next(n for n, text in enumerate(text.splitlines(), 1) if text.startswith("id:"))
    assert any(i.file == "dataset.yaml" and i.line == line and "not a valid id" in i.message for i in issues_of(root))


def test_ids_with_dots_inside_are_valid(tmp_path: Path) -> None:
    text = "domains:\n  - {id: d1, name: 测试领域, provisions: [p1]}\n  - {id: v1.2_x-3, name: 其他, provisions: [p1]}\n"
    assert "v1.2_x-3" in load_dataset(make_dataset(tmp_path / "d", {"domains.yaml": text})).domains


def test_the_gallery_never_writes_outside_its_directory(tmp_path: Path) -> None:
    from dutygraph.maps import write_gallery

    mini = load_dataset(MINI)
    domain = structs.replace(mini.domains["d1"], id="p/../../../escaped")
    evil = structs.replace(mini, domains={domain.id: domain})
    out = tmp_path / "a" / "b" / "gallery"
    with pytest.raises(UsageError, match="outside"):
        write_gallery(evil, out)
    assert not list(tmp_path.rglob("escaped*"))


@pytest.mark.parametrize("fmt", ["neo4j-csv", "graphml", "json"])
def test_an_export_never_writes_outside_its_directory(tmp_path: Path, fmt: str) -> None:
    from dutygraph.export import ExportFormat, export

    mini = load_dataset(MINI)
    evil = structs.replace(mini, info=structs.replace(mini.info, id="../../escaped"))
    out = tmp_path / "a" / "b"
    if fmt == "neo4j-csv":  # file names come from labels and types only
        assert all(path.parent == out for path in export(evil, ExportFormat(fmt), out))
    else:
        with pytest.raises(UsageError, match="outside"):
            export(evil, ExportFormat(fmt), out)
    assert not list(tmp_path.rglob("escaped*"))


# --- finding 7 (validation): control characters in ids and names --------------------------------------------

CONTROL = {
    "csi": "\\e[2J",
    "osc-title": "\\e]0;pwned\\a",
    "osc-link": "\\e]8;;http://x\\e\\\\",
    "newline": "\\n",
    "carriage-return": "\\r",
    "tab": "\\t",
    "nul": "\\0",
    "c1-csi": "\\x9b",
    "next-line": "\\N",
    "bidi-override": "\\u202e",
    "bidi-isolate": "\\u2066",
    "line-separator": "\\L",
    "delete": "\\x7f",
}


FIELDS = ("name", "full_name", "name_en", "alias", "system")


@pytest.mark.parametrize(("control", "field"), [(c, FIELDS[i % len(FIELDS)]) for i, c in enumerate(sorted(CONTROL))])
def test_control_characters_in_names_are_refused_with_the_field_line(tmp_path: Path, field: str, control: str) -> None:
    value = f'"甲{CONTROL[control]}局"'
    body = {"alias": f"aliases: [ok, {value}]"}.get(field, f"{field}: {value}")
    text = f"bureaus:\n  - id: alpha\n    name: 甲局\n    provisions: [p1]\n    {body}\n" + "".join(
        (MINI / "bureaus.yaml").read_text(encoding="utf-8").splitlines(keepends=True)[2:]
    )
    if field == "name":
        text = text.replace("    name: 甲局\n", "", 1)
    root = make_dataset(tmp_path / "d", {"bureaus.yaml": text})
    issues = issues_of(root)
    line = 4 if field == "name" else 5
    assert any(i.file == "bureaus.yaml" and i.line == line and "control character" in i.message for i in issues), issues
    assert_plain(issues)


def test_control_characters_in_ids_are_refused(tmp_path: Path) -> None:
    text = 'domains:\n  - {id: d1, name: 测试领域, provisions: [p1]}\n  - {id: "d\\e[2J", name: 其他, provisions: [p1]}\n'
    issues = issues_of(make_dataset(tmp_path / "d", {"domains.yaml": text}))
    assert [(i.line, "not a valid id" in i.message, "\x1b" in i.message) for i in issues] == [(3, True, False)]


def test_a_raw_escape_byte_in_a_yaml_file_is_a_located_error(tmp_path: Path) -> None:
    text = "bureaus:\n  - {id: alpha, name: 甲\x1b[2J局, provisions: [p1]}\n"
    issues = issues_of(make_dataset(tmp_path / "d", {"bureaus.yaml": text}))
    assert len(issues) == 1 and (issues[0].file, issues[0].line) == ("bureaus.yaml", 2)
    assert "U+001B" in issues[0].message and "\x1b" not in issues[0].message


def test_newlines_stay_allowed_in_prose_fields(tmp_path: Path) -> None:
    text = (MINI / "leads.yaml").read_text(encoding="utf-8").replace("provisions: [p3]}\n", 'provisions: [p3], basis: "一\\n二"}\n', 1)
    dataset = load_dataset(make_dataset(tmp_path / "d", {"leads.yaml": text}))
    assert dataset.leads[0].basis == "一\n二"


def test_escape_sequences_are_refused_in_prose_fields_too(tmp_path: Path) -> None:
    text = (MINI / "leads.yaml").read_text(encoding="utf-8").replace("provisions: [p3]}\n", 'provisions: [p3], basis: "\\e[2J"}\n', 1)
    issues = issues_of(make_dataset(tmp_path / "d", {"leads.yaml": text}))
    assert [(i.line, "control character U+001B" in i.message) for i in issues] == [(2, True)]


# --- finding 8: other inputs ------------------------------------------------------------------------------


def test_deep_nesting_is_a_located_error_not_a_recursion_error(tmp_path: Path) -> None:
    text = "bureaus:\n  - {id: alpha, name: 甲局, provisions: [p1], aliases: " + "[" * 1000 + "]" * 1000 + "}\n"
    issues = issues_of(make_dataset(tmp_path / "d", {"bureaus.yaml": text}))
    assert any(i.file == "bureaus.yaml" and i.line == 2 and "nested too deeply" in i.message for i in issues), issues


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("测试市人民政府 一、甲局负责一号许可的核发。".encode("gbk"), "is not UTF-8 text"),
        (b"\x00\x01\x02ELF\x00" * 50, "is not a text file (it holds NUL bytes)"),
    ],
    ids=["gbk", "binary"],
)
def test_a_source_that_is_not_utf8_text_names_the_file(tmp_path: Path, content: bytes, expected: str) -> None:
    root = make_dataset(tmp_path / "d", {"sources/notice.txt": content})
    issues = issues_of(root)
    assert issues[0].file == "documents.yaml" and issues[0].line == 8, issues
    assert "sources/notice.txt" in issues[0].message and expected in issues[0].message


def test_a_yaml_file_in_gbk_names_the_file(tmp_path: Path) -> None:
    root = make_dataset(tmp_path / "d", {"domains.yaml": "domains:\n  - {id: d1, name: 测试领域, provisions: [p1]}\n".encode("gbk")})
    issues = issues_of(root)
    assert [i.file for i in issues] == ["domains.yaml"] and "not UTF-8" in issues[0].message


@pytest.mark.parametrize("source", ["/etc/passwd", "../outside.txt", "sources/../../outside.txt", "sources/../sources/notice.txt", ""])
def test_a_source_outside_the_dataset_is_refused(tmp_path: Path, source: str) -> None:
    (tmp_path / "outside.txt").write_text((MINI / "sources" / "notice.txt").read_text(encoding="utf-8"), encoding="utf-8")
    text = (MINI / "documents.yaml").read_text(encoding="utf-8").replace("source: sources/notice.txt", f'source: "{source}"')
    issues = issues_of(make_dataset(tmp_path / "d", {"documents.yaml": text}))
    assert issues[0].file == "documents.yaml" and issues[0].line in (2, 8), issues
    assert "relative path inside the dataset" in issues[0].message or "lacks required field 'source'" in issues[0].message


def test_a_reference_error_names_the_field_line(tmp_path: Path) -> None:
    text = (MINI / "activities.yaml").read_text(encoding="utf-8").replace("    domain: d1\n", "    domain: nowhere\n", 1)
    text = text.replace("licences: [{licence: l2, provisions: [p1b]}]", "licences: [{licence: l2, provisions: [p1b, nope]}]")
    issues = issues_of(make_dataset(tmp_path / "d", {"activities.yaml": text}))
    assert [str(i) for i in issues] == [
        "activities.yaml:5: activity 'a-licensor' names unknown domain 'nowhere'",
        "activities.yaml:12: activity 'a-chain' names unknown provision 'nope'",
    ]


def test_extra_top_level_keys_are_errors(tmp_path: Path) -> None:
    text = (MINI / "leads.yaml").read_text(encoding="utf-8") + "lead:\n  - {bureau: alpha, activity: a-default, provisions: [p7]}\n"
    issues = issues_of(make_dataset(tmp_path / "d", {"leads.yaml": text}))
    assert [str(i) for i in issues] == [
        "leads.yaml:4: unexpected top-level key 'lead' (did you mean 'leads'?); the file holds only 'leads'"
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("bureaus:\n  - [alpha, 甲局]\n", "bureaus.yaml:2: bureau #1 must be a mapping, got a list"),
        ("bureaus: {alpha: 甲局}\n", "bureaus.yaml:1: 'bureaus' must be a list, got a mapping"),
        ("- alpha\n", "bureaus.yaml:1: expected a top-level key 'bureaus' holding a list, got a list"),
        ("bureaus:\n  - {id: alpha, name: {zh: 甲局}}\n", "bureaus.yaml:2: field 'name' of bureau 'alpha' must be text, got a mapping"),
        (
            "bureaus:\n  - {id: alpha, name: 甲局, aliases: 甲}\n",
            "bureaus.yaml:2: field 'aliases' of bureau 'alpha' must be a list of texts, got the text '甲'",
        ),
    ],
)
def test_messages_name_kinds_of_values_not_python_types(tmp_path: Path, text: str, expected: str) -> None:
    issues = issues_of(make_dataset(tmp_path / "d", {"bureaus.yaml": text}))
    assert expected in [str(i) for i in issues]
    assert_plain(issues)


def test_a_date_must_be_written_yyyy_mm_dd(tmp_path: Path) -> None:
    text = (MINI / "successions.yaml").read_text(encoding="utf-8").replace("date: 2019-03-01", 'date: "20190301"')
    issues = issues_of(make_dataset(tmp_path / "d", {"successions.yaml": text}))
    assert [str(i) for i in issues] == [
        "successions.yaml:5: field 'date' of not_after of succession #1 must be a date written YYYY-MM-DD, got the text '20190301'"
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["lead", "焰火晚会燃放", "--as-of", "20180416"], "Error: --as-of takes a date written YYYY-MM-DD, got '20180416'\n"),
        (["lead", "焰火晚会燃放", "-m", ""], "Error: --missing needs a licence name, got an empty one\n"),
        (["lead", "焰火晚会燃放", "-m", " , "], "Error: --missing needs a licence name, got an empty one\n"),
        (["export", "--format", "json", "-o", ""], "Error: --out needs a directory, got an empty path\n"),
        (["map", "-o", ""], "Error: --out needs a file, got an empty path\n"),
        (["lead", "焰火晚会燃放", "--data", ""], "Error: --data needs a directory, got an empty path\n"),
    ],
)
def test_empty_and_malformed_options_are_usage_errors(
    run_cli: Run, args: list[str], message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run_cli(*args)
    assert (result.code, result.stdout, result.stderr) == (2, "", message)
    assert list(tmp_path.iterdir()) == []


def test_data_at_the_filesystem_root_is_not_a_dataset(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "dutygraph", "domains", "--data", "/"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "DUTYGRAPH_CACHE_DIR": str(tmp_path)},
    )
    assert (done.returncode, done.stderr) == (5, "Error: / is not a dataset directory (no dataset.yaml in it)\n")


def test_data_at_a_symlink_loop_is_a_file_error(tmp_path: Path, run_cli: Run) -> None:
    loop = tmp_path / "loop"
    loop.symlink_to(loop)
    result = run_cli("domains", "--data", str(loop))
    assert result.code == 8, result
    assert result.stderr == f"Error: Too many levels of symbolic links: {loop}\n"


@pytest.mark.skipif(shutil.which("setpriv") is None and os.geteuid() == 0, reason="needs setpriv to drop root")
def test_an_unreadable_data_directory_is_a_file_error() -> None:
    base = Path(tempfile.mkdtemp(prefix="dutygraph-unreadable-"))
    try:
        base.chmod(0o755)
        data = base / "data"
        shutil.copytree(MINI, data)
        data.chmod(0)
        command = [sys.executable, "-m", "dutygraph", "domains", "--data", str(data)]
        if os.geteuid() == 0:
            command = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *command]
        done = subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=60,
            cwd=ROOT,
            env={**os.environ, "DUTYGRAPH_CACHE_DIR": str(base / "cache"), "PYTHONDONTWRITEBYTECODE": "1"},
        )
        assert done.returncode == 8, done.stderr
        assert done.stderr == f"Error: Permission denied: {data / 'dataset.yaml'}\n"
    finally:
        (base / "data").chmod(0o755)
        shutil.rmtree(base)
