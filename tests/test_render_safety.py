"""Hostile text in data never acts on the terminal: no markup, no emoji codes, no control sequences (issue 10 #7).

The dataset is built here, past validation (which may reject some of these names): the render layer must be
safe on its own.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator

import pytest
from msgspec import structs

from dutygraph.model import Cited, Dataset, DatasetInfo
from tests.conftest import CliResult

Run = Callable[..., CliResult]

HOSTILE = [
    "[/]",
    "[bold]bold[/bold]",
    ":smile:",
    "bureaus.yaml:100:",
    "\x1b[2J",
    "\x1b]0;title\x07",
    "\x1b]8;;http://example.invalid/\x1b\\link\x1b]8;;\x1b\\",
    "\u202eevil\u202c",
    "line\nbreak",
    "\x9b31m",
    "cr\rreturn",
    "[link=http://example.invalid]x[/link]",
]
RAW = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ufeff]")
SMILE_ID = ":smile:\x1b[2J"
ACTIVITY_ID = "[/]a"


def _payloads() -> Iterator[str]:
    while True:
        yield from HOSTILE


def hostile(mini: Dataset) -> Dataset:
    """The mini dataset with a hostile string in every text field, a bureau id ``:smile:␛[2J`` and an activity id ``[/]a``."""
    text = _payloads()

    def rename(ident: str) -> str:
        return {"gamma": SMILE_ID, "a-default": ACTIVITY_ID}.get(ident, ident)

    def cited(c: Cited | None) -> Cited | None:
        return None if c is None else Cited(rename(c.target), c.provisions)

    bureaus = {
        rename(b.id): structs.replace(
            b,
            id=rename(b.id),
            name=f"{b.name}{next(text)}",
            full_name=f"全称{next(text)}",
            name_en=f"{next(text)} Bureau" if b.name_en else None,
            aliases=(next(text),),
            system=next(text),
            note=next(text),
            guided_by=cited(b.guided_by),
            agency_of=cited(b.agency_of),
        )
        for b in mini.bureaus.values()
    }
    activities = {
        rename(a.id): structs.replace(a, id=rename(a.id), name=f"{a.name}{next(text)}", name_en=f"{next(text)} en" if a.name_en else None)
        for a in mini.activities.values()
    }
    licences = {
        ident: structs.replace(lic, name=f"{lic.name}{next(text)}", issuer=cited(lic.issuer), enforcer=cited(lic.enforcer))
        for ident, lic in mini.licences.items()
    }
    domains = {ident: structs.replace(d, name=f"{d.name}{next(text)}", name_en=next(text)) for ident, d in mini.domains.items()}
    provisions = {
        ident: structs.replace(p, quote=f"{p.quote}{next(text)}", path=f"第{next(text)}条") for ident, p in mini.provisions.items()
    }
    documents = {ident: structs.replace(d, title=f"{d.title}{next(text)}", title_en=next(text)) for ident, d in mini.documents.items()}
    duties = tuple(structs.replace(d, bureau=rename(d.bureau), target=rename(d.target)) for d in mini.duties)
    leads = tuple(
        structs.replace(lead, bureau=rename(lead.bureau), activity=rename(lead.activity), basis=next(text)) for lead in mini.leads
    )
    info: DatasetInfo = structs.replace(
        mini.info, title=f"标题{next(text)}", title_en=next(text), jurisdiction=f"测试市{next(text)}", jurisdiction_en=next(text)
    )
    return structs.replace(
        mini,
        info=info,
        bureaus=bureaus,
        activities=activities,
        licences=licences,
        domains=domains,
        provisions=provisions,
        documents=documents,
        duties=duties,
        leads=leads,
    )


@pytest.fixture
def evil(mini: Dataset, monkeypatch: pytest.MonkeyPatch) -> Dataset:
    dataset = hostile(mini)
    import dutygraph.datasets

    monkeypatch.setattr(dutygraph.datasets, "open_dataset", lambda root=None, **_: dataset)
    return dataset


def _commands(dataset: Dataset) -> list[list[str]]:
    commands: list[list[str]] = [["domains"], ["bureaus"], ["gaps"]]
    commands += [["lead", ident] for ident in [*dataset.activities, *dataset.domains]]
    commands += [["show", ident] for ident in [*dataset.bureaus, *dataset.activities, *dataset.domains, *dataset.licences]]
    commands += [["duties", ident] for ident in dataset.bureaus]
    commands += [["matrix"], ["matrix", "--format", "csv"]] if _has_matrix() else []
    return commands


def _has_matrix() -> bool:
    from typer.main import get_command

    from dutygraph.cli import app

    return "matrix" in get_command(app).commands  # type: ignore[attr-defined]


def _assert_inert(result: CliResult) -> None:
    assert result.code in (0, 4), result.stderr
    for stream in (result.stdout, result.stderr):
        raw = RAW.search(stream)
        assert raw is None, f"raw control character {raw.group()!r} in {stream[max(0, raw.start() - 40) : raw.end() + 40]!r}"
        assert "😄" not in stream and "💯" not in stream


@pytest.mark.parametrize("width", [80, 120])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_hostile_names_reach_the_terminal_inert(
    evil: Dataset, run_cli: Run, monkeypatch: pytest.MonkeyPatch, width: int, lang: str
) -> None:
    monkeypatch.setenv("COLUMNS", str(width))
    seen = ""
    for command in _commands(evil):
        extra = ["--lang", lang] if command[0] != "gaps" and "csv" not in command else []
        result = run_cli(*command, *extra)
        _assert_inert(result)
        seen += result.stdout
    # Markup and emoji codes are shown as written, control characters as escapes.
    for literal in ("[/]", "[bold]bold[/bold]", ":smile:", "bureaus.yaml:100:", "[link=http://example.invalid]x[/link]"):
        assert literal in seen, literal
    for escaped in (r"\x1b[2J", r"\x1b]0;title\x07", r"\u202eevil", r"line\nbreak", r"\x9b31m", r"cr\rreturn"):
        assert escaped in seen, escaped


def test_hostile_names_in_json_round_trip_and_print_inert(evil: Dataset, run_cli: Run) -> None:
    for command in (["bureaus"], ["show", SMILE_ID], ["lead", ACTIVITY_ID], ["domains"]):
        result = run_cli(*command, "--json")
        _assert_inert(result)
        json.loads(result.stdout)
    payload = json.loads(run_cli("show", SMILE_ID, "--json").stdout)["bureau"]
    assert payload["id"] == SMILE_ID and payload["name_zh"] == evil.bureaus[SMILE_ID].name


def test_error_messages_quote_hostile_input_inert(evil: Dataset, run_cli: Run) -> None:
    result = run_cli("lead", "\x1b]0;pwned\x07:smile:bureaus.yaml:100:")
    assert result.code == 3
    assert RAW.search(result.stderr) is None and "😄" not in result.stderr and "💯" not in result.stderr


def test_a_message_with_markup_and_emoji_codes_is_printed_as_written(run_cli: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    from dutygraph.errors import DataIssue, InvalidDataError

    def broken(*args: object, **kwargs: object) -> None:
        raise InvalidDataError([DataIssue("bureaus.yaml", 100, "name [/] is :smile: \x1b[2J")])

    import dutygraph.datasets

    monkeypatch.setattr(dutygraph.datasets, "open_dataset", broken)
    result = run_cli("domains")
    assert result.code == 5
    assert result.stderr == "Error: invalid dataset: 1 problem\nbureaus.yaml:100: name [/] is :smile: \\x1b[2J\n"
