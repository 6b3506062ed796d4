"""The fast path of ``dutygraph lead``: its command line parsed without typer.

Importing typer takes several times as long as starting Python, and a script asking one question after another
pays it on every call. ``lead`` command lines of the plain forms people write are parsed here; anything else (help,
a global option other than ``--debug``, an unknown, repeated or attached option, a value that looks like an option,
``--``) is declined and goes to typer, which answers or gives its usual help or error. On what it accepts, it passes
the lead command what typer would: ``tests/test_fast.py`` checks that against typer on generated command lines, and
that the options here are the options typer declares.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

from dutygraph.cli.common import Lang

__all__ = ["FLAGS", "VALUES", "FastLead", "lead_arguments"]

VALUES: dict[str, str] = {
    "--missing": "missing",
    "-m": "missing",
    "--as-of": "as_of",
    "--sector": "sector",
    "--data": "data",
    "--lang": "lang",
}
"""The options of ``lead`` that take a value, with the parameter each sets (only ``missing`` may repeat)."""
FLAGS: dict[str, tuple[str, bool]] = {
    "--json": ("as_json", True),
    "--citations": ("citations", True),
    "--no-citations": ("citations", False),
}
"""The flags of ``lead``, with the parameter each sets and its value."""


class FastLead(NamedTuple):
    arguments: dict[str, Any]
    """Keyword arguments of :func:`dutygraph.cli.lead.lead`."""
    debug: bool


def lead_arguments(argv: Sequence[str]) -> FastLead | None:
    """The arguments of the ``lead`` question that ``argv`` asks, or None to leave the command line to typer."""
    debug = len(argv) > 0 and argv[0] == "--debug"
    args = list(argv[1:] if debug else argv)
    if args[:1] != ["lead"]:
        return None
    names: list[str] = []
    missing: list[str] = []
    arguments: dict[str, Any] = {}
    rest = iter(args[1:])
    for token in rest:
        if not token.startswith("-"):
            names.append(token)
            continue
        option, equals, attached = token.partition("=")
        setting: str | bool
        if option in FLAGS and not equals:
            parameter, setting = FLAGS[option]
        elif option in VALUES and (option.startswith("--") or not equals):  # never -m=x (click reads "=x")
            value = attached if equals else next(rest, "-")
            if value.startswith("-") and not equals:
                return None
            parameter, setting = VALUES[option], value
        else:
            return None
        if parameter == "missing":
            missing.append(str(setting))
        elif parameter in arguments:
            return None
        else:
            arguments[parameter] = setting
    if len(names) != 1 or arguments.get("lang", "zh") not in {lang.value for lang in Lang}:
        return None
    if "lang" in arguments:
        arguments["lang"] = Lang(arguments["lang"])
    if missing:
        arguments["missing"] = missing
    return FastLead({"name": names[0], **arguments}, debug)
