"""``dutygraph map`` and ``dutygraph export``: the duty graph as HTML maps and as files for other tools."""

from __future__ import annotations

import errno
from pathlib import Path
from typing import Annotated

import typer

from dutygraph.cli.common import Lang, console, emit_json, note, open_data, parse_as_of, path_option
from dutygraph.cli.params import DataOption, JsonOption, LangOption
from dutygraph.errors import UsageError
from dutygraph.text import brief

__all__ = ["export_command", "map_command", "prepare_directory"]


def prepare_directory(directory: Path) -> None:
    """Make sure ``directory`` exists before writing into it: create it (and say so on stderr) when it is missing;
    fail with a clear file error when a file stands where a directory is needed."""
    existing = directory
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if existing.exists() and not existing.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, f"cannot create directory {directory}: {existing} is a file", str(existing))
    if existing == directory:
        return
    directory.mkdir(parents=True, exist_ok=True)
    note(f"created directory {directory}")


def map_command(
    name: Annotated[
        str | None, typer.Argument(help="A domain (危险化学品) or a bureau (市公安局) to centre on; default: the whole dataset.")
    ] = None,
    out: Annotated[
        str | None,
        typer.Option(
            "--out",
            "-o",
            metavar="PATH",
            help="The HTML file to write (default: map.html, or DIR with --gallery); a missing directory is created.",
        ),
    ] = None,
    gallery: Annotated[
        bool, typer.Option("--gallery", help="Write the whole map and one map per domain into the --out directory.")
    ] = False,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            help="The date the map speaks for (YYYY-MM-DD): activities in force, decisions and organs then. "
            "Default: the dataset's own date (not today, unlike lead); the title and side panel name the date.",
        ),
    ] = None,
    data: DataOption = None,
    lang: LangOption = Lang.zh,
    as_json: JsonOption = False,
) -> None:
    """Write an interactive responsibility map: one self-contained HTML file that works offline, with the graph and
    the responsibility matrix (职责分工表) as two tabs."""

    from dutygraph.maps import MapSpec, write_gallery, write_map
    from dutygraph.resolve import resolve

    date = parse_as_of(as_of)
    target = None if out is None else path_option(out, "--out", "a directory" if gallery else "a file")
    dataset = open_data(data)
    if gallery:
        if name is not None:
            raise UsageError("--gallery writes every map; leave out the NAME")
        prepare_directory(target or Path("visuals"))
        files = write_gallery(dataset, target or Path("visuals"), lang.value, date)
    else:
        prepare_directory((target or Path("map.html")).parent)
        spec = MapSpec(lang=lang.value, as_of=date)
        if name is not None:
            kind, entity = resolve(dataset, name, ("domain", "bureau"))
            spec = MapSpec(kind, entity.id, lang.value, date)
        files = [write_map(dataset, spec, target or Path("map.html"))]
    if as_json:
        emit_json({"files": [str(f) for f in files]})
    else:
        for path in files:
            from dutygraph.cli.layout import data as inert

            console().print(inert(f"wrote {path}"))


def export_command(
    fmt: Annotated[str, typer.Option("--format", "-f", help="neo4j-csv (for neo4j-admin database import), graphml or json (node-link).")],
    out: Annotated[str, typer.Option("--out", "-o", metavar="DIR", help="Output directory (created if needed).")],
    data: DataOption = None,
    as_json: JsonOption = False,
) -> None:
    """Export the duty graph as neo4j-admin import CSV, GraphML or node-link JSON."""
    from dutygraph.export import ExportFormat, export

    target = path_option(out, "--out", "a directory")
    try:
        chosen = ExportFormat(fmt)
    except ValueError:
        raise UsageError(f"--format must be one of {', '.join(f.value for f in ExportFormat)}, got {brief(fmt)}") from None
    dataset = open_data(data)
    prepare_directory(target)
    files = export(dataset, chosen, target)
    if as_json:
        emit_json({"format": chosen.value, "files": [str(f) for f in files]})
    else:
        for path in files:
            from dutygraph.cli.layout import data as inert

            console().print(inert(str(path)))
