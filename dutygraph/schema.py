"""The dataset file format: a small declarative schema per record kind, YAML reading with line numbers, and the
check of one record against its schema (unknown and missing fields, types, dates), each problem a
:class:`~dutygraph.errors.DataIssue` with file and line. Used by the loader and by the decision cases.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from msgspec import Struct

from dutygraph.errors import DataIssue
from dutygraph.model import Cited, Mark
from dutygraph.text import brief, control_character, describe, nearest

__all__ = [
    "MAX_DEPTH",
    "PROSE_FIELDS",
    "SCHEMAS",
    "Field",
    "Record",
    "check_record",
    "key_line",
    "line_at",
    "line_of",
    "parse_yaml",
    "read_yaml",
]


# ---------------------------------------------------------------------------------------------------------
# Schema: a tiny declarative description of each record kind.


class Field(Struct, frozen=True):
    """One allowed key of a record: its type tag and whether it is required.

    Types: ``str``, ``strs`` (list of strings), ``bool``, ``date``, ``cited:<key>`` (a mapping
    ``{<key>: id, provisions: [ids]}``), ``citeds:<key>`` (a list of those), ``map`` (nested, see ``nested``),
    ``maps`` (a list of nested records), ``level`` (a level or a list of levels).
    """

    name: str
    type: str = "str"
    required: bool = False
    nested: tuple[Field, ...] = ()


def _f(name: str, type_: str = "str", required: bool = False, nested: tuple[Field, ...] = ()) -> Field:
    return Field(name, type_, required, nested)


_PROVISIONS = _f("provisions", "strs", True)
_NAMES = (_f("id", required=True), _f("name", required=True), _f("name_en"), _f("aliases", "strs"))

_BOUND = (_f("date", "date", True), _f("provisions", "strs", True))

SCHEMAS: Mapping[str, tuple[Field, ...]] = {
    "dataset": (
        _f("id", required=True),
        _f("title", required=True),
        _f("title_en"),
        _f("jurisdiction", "map", True, (_f("name", required=True), _f("name_en"), _f("level", required=True))),
        _f("as_of", "date"),
        _f("rules", "maps", True, (_f("rule", required=True), _f("bureau"), _f("bureaus", "strs"), _f("provisions", "strs", True))),
    ),
    "documents": (
        _f("id", required=True),
        _f("title", required=True),
        _f("title_en"),
        _f("number"),
        _f("issuer"),
        _f("kind", required=True),
        _f("date", "date"),
        _f("adopted", "date"),
        _f("approved", "date"),
        _f("in_force", "date"),
        _f("version", "date"),
        _f("superseded_by"),
        _f("source", required=True),
    ),
    "provisions": (
        _f("id", required=True),
        _f("document", required=True),
        _f("path", required=True),
        _f("quote", required=True),
    ),
    "bureaus": (
        *_NAMES,
        _f("full_name"),
        _f("level", "level"),
        _f("system"),
        _f("guided_by", "cited:bureau"),
        _f("agency_of", "cited:bureau"),
        _f("note"),
        _PROVISIONS,
    ),
    "domains": (*_NAMES, _PROVISIONS),
    "activities": (
        *_NAMES,
        _f("domain"),
        _f("licences", "citeds:licence"),
        _f(
            "prohibition",
            "map",
            False,
            (
                _f("conditions", "maps", False, (_f("text", required=True), _f("provisions", "strs", True))),
                _f("enforcer", "cited:bureau"),
                _f("provisions", "strs", True),
            ),
        ),
        _f("members", "strs"),
        _f("penalties", "strs"),
        _f("deferred", "strs"),
        _PROVISIONS,
    ),
    "licences": (
        *_NAMES,
        _f("kind"),
        _f("issuer", "cited:bureau"),
        _f("enforcer", "cited:bureau"),
        _f("requires", "citeds:licence"),
        _f("changes", "maps", False, (_f("issuer", "cited:bureau"), _f("enforcer", "cited:bureau"))),
        _f("also_enforced_by", "citeds:bureau"),
        _PROVISIONS,
    ),
    "duties": (
        _f("bureau", required=True),
        _f("kind", required=True),
        _f("target", required=True),
        _f("competent", "bool"),
        _f("provisions", "strs", True),
    ),
    "leads": (
        _f("bureau", required=True),
        _f("activity", required=True),
        _f("basis"),
        _f("cooperating", "strs"),
        _f("sector"),
        _f("provisions", "strs", True),
    ),
    "successions": (
        _f("predecessor", required=True),
        _f("successor", required=True),
        _f("not_before", "map", False, _BOUND),
        _f("not_after", "map", False, _BOUND),
        _f("note"),
        _f("provisions", "strs", True),
    ),
}


# ---------------------------------------------------------------------------------------------------------
# Reading YAML with line numbers.


MAX_DEPTH = 40
"""How deeply collections may nest in a data file: the format needs five levels; YAML allows any number."""

PROSE_FIELDS = frozenset({"note", "basis", "quote", "debatable", "text", "description", "comment", "summary", "reason", "remarks"})
"""Fields of running text, which may hold tabs and line breaks; every other text field (ids, names, aliases,
titles, references …) may hold no control or bidirectional-formatting character at all."""

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _yaml() -> Any:
    """A round-trip parser (it keeps line numbers) that leaves dates as text, so that a bad date is reported
    with its line by the schema check instead of failing the whole file; it refuses aliases (an alias can expand
    a small file into an unbounded structure) and collections nested more than :data:`MAX_DEPTH` deep."""
    from ruamel.yaml import YAML
    from ruamel.yaml.composer import Composer, ComposerError
    from ruamel.yaml.constructor import RoundTripConstructor
    from ruamel.yaml.events import AliasEvent

    class _DatesAsText(RoundTripConstructor):
        pass

    class _NoAliases(Composer):
        warn_double_anchors = False

        def compose_node(self, parent: Any, index: Any) -> Any:
            if self.parser.check_event(AliasEvent):
                event = self.parser.get_event()
                raise ComposerError(
                    None, None, f"aliases (*{event.anchor}) are not allowed in dataset files; write the value out", event.start_mark
                )
            return super().compose_node(parent, index)

    _DatesAsText.add_constructor("tag:yaml.org,2002:timestamp", RoundTripConstructor.construct_yaml_str)
    parser = YAML(typ="rt")
    parser.Constructor = _DatesAsText
    parser.Composer = _NoAliases
    parser.max_depth = MAX_DEPTH
    return parser


def read_yaml(path: Path, display: str, issues: list[DataIssue]) -> Any:
    """Parse one YAML file keeping node marks; a syntax error or an empty file becomes a :class:`DataIssue`."""
    return parse_yaml(path.read_bytes(), display, issues)


def parse_yaml(data: bytes, display: str, issues: list[DataIssue]) -> Any:
    """Parse the bytes of one YAML file; ``None`` (with an issue appended) when they hold no usable document."""
    from ruamel.yaml.error import MarkedYAMLError, YAMLError
    from ruamel.yaml.reader import ReaderError

    line: int | None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        issues.append(DataIssue(display, line, f"not UTF-8 text (byte 0x{data[exc.start]:02X} at offset {exc.start})"))
        return None
    try:
        document = _yaml().load(text)
    except ReaderError as exc:
        line = text[: exc.position].count("\n") + 1 if isinstance(exc.position, int) else None
        code = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "\0")
        issues.append(DataIssue(display, line, f"the character U+{code:04X} is not allowed in a data file"))
        return None
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = exc.problem or exc.context or "not valid YAML"
        if "maximum depth" in str(problem):
            problem = f"collections are nested too deeply (more than {MAX_DEPTH} levels)"
        issues.append(DataIssue(display, line, f"YAML syntax error: {_plain(str(problem))}"))
        return None
    except TypeError as exc:
        # ruamel builds a mapping key that is itself a list or mapping (``? - a``) and then fails to hash it.
        why = "a key must be plain text, not a list or mapping (a '?' key)" if "unhashable" in str(exc) else _plain(str(exc))
        issues.append(DataIssue(display, None, f"cannot be read as YAML: {why}"))
        return None
    except (YAMLError, ValueError, OverflowError, RecursionError) as exc:
        issues.append(DataIssue(display, None, f"cannot be read as YAML: {_plain(str(exc))}"))
        return None
    if document is None:
        issues.append(DataIssue(display, None, "the file is empty"))
    return document


def _plain(text: str, limit: int = 160) -> str:
    """A third party's message, on one line, bounded, with control characters spelled out."""
    flat = re.sub(r"\s+", " ", text).strip()
    flat = re.sub("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]", lambda m: f"U+{ord(m.group(0)):04X}", flat)
    return flat if len(flat) <= limit else flat[:limit] + "…"


def line_of(node: Any, key: Any = None) -> int | None:
    lc = getattr(node, "lc", None)
    if lc is None:
        return None
    if key is not None:
        try:
            return int(lc.value(key)[0]) + 1
        except (KeyError, TypeError, IndexError, AttributeError):
            pass
    return int(lc.line) + 1 if lc.line is not None else None


def key_line(node: Any, key: Any) -> int | None:
    """The line of a mapping's key (where ``line_of`` gives the line of its value)."""
    try:
        return int(node.lc.key(key)[0]) + 1
    except (KeyError, TypeError, IndexError, AttributeError):
        return line_of(node, key)


def line_at(node: Any, *path: str | int) -> int | None:
    """The line of the value reached from ``node`` through mapping keys and list indexes; where the path stops
    (a key or index that is not there), the line of the deepest node reached."""
    line: int | None = line_of(node)
    for step in path:
        lc = getattr(node, "lc", None)
        try:
            if isinstance(step, int):
                if not isinstance(node, list) or not 0 <= step < len(node):
                    break
                if lc is not None:
                    line = int(lc.item(step)[0]) + 1
            else:
                if not isinstance(node, Mapping) or step not in node:
                    break
                if lc is not None:
                    line = int(lc.value(step)[0]) + 1
        except (KeyError, TypeError, IndexError, AttributeError):
            break
        node = node[step]
    return line


# ---------------------------------------------------------------------------------------------------------
# Checking one record against its schema.


class Record:
    """A record's checked values with the line of each field, for later cross-reference checks."""

    def __init__(self, file: str, node: Any, values: dict[str, Any]) -> None:
        self.file = file
        self.node = node
        self.values = values

    def mark(self, key: str | None = None) -> Mark:
        return Mark(self.file, line_of(self.node, key))

    def mark_at(self, *path: str | int) -> Mark:
        """Where a nested value was written: ``mark_at("licences", 0, "provisions", 1)``."""
        return Mark(self.file, line_at(self.node, *path))

    def get(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)


def _blank(raw: Any, spec: Field) -> bool:
    """Nothing, or only white space (a control character is not white space here: it is reported)."""
    return raw is None or (isinstance(raw, str) and not raw.strip() and _text_problem(spec, raw) is None)


def check_record(node: Any, schema: tuple[Field, ...], file: str, what: str, issues: list[DataIssue]) -> Record | None:
    if not isinstance(node, Mapping):
        issues.append(DataIssue(file, line_of(node), f"{what} must be a mapping, got {describe(node)}"))
        return None
    allowed = {f.name: f for f in schema}
    values: dict[str, Any] = {}
    for key in node:
        if key not in allowed:
            hint = nearest(str(key), allowed, 1) if isinstance(key, str) else []
            suggestion = f" (did you mean {hint[0]!r}?)" if hint else ""
            if node[key] is None and _is_flow(node):
                suggestion = " (an unquoted comma inside {…} ends the value before it: put that value in quotes)"
            issues.append(
                DataIssue(
                    file,
                    key_line(node, key),
                    f"unexpected field {brief(key)} in {what}{suggestion}; allowed fields are {sorted(allowed)}",
                )
            )
    for spec in schema:
        if spec.name not in node or _blank(node[spec.name], spec):
            if spec.required:
                lacks = (
                    "cites no provision: every fact must cite what it rests on"
                    if spec.name == "provisions"
                    else f"lacks required field {spec.name!r}"
                )
                issues.append(DataIssue(file, line_of(node), f"{what} {lacks}"))
            continue
        if spec.required and node[spec.name] == []:
            empty = "cites no provision" if spec.name == "provisions" else f"has an empty {spec.name!r}"
            issues.append(DataIssue(file, line_of(node, spec.name), f"{what} {empty}: every fact must cite what it rests on"))
            continue
        value = _convert(node[spec.name], spec, node, file, what, issues)
        if value is not None:
            values[spec.name] = value
    return Record(file, node, values)


def _is_flow(node: Any) -> bool:
    """Whether a mapping was written inline ({a: 1, b: 2}), where a comma in an unquoted value splits it."""
    style = getattr(getattr(node, "fa", None), "flow_style", None)
    return bool(style()) if callable(style) else False


def _text_problem(spec: Field, text: str) -> str | None:
    if spec.name == "id":
        return None  # ids are checked against the id pattern by the loader
    code = control_character(text, prose=spec.name in PROSE_FIELDS)
    return f"holds the control character {code}, which is not allowed here" if code else None


def _convert(raw: Any, spec: Field, parent: Any, file: str, what: str, issues: list[DataIssue]) -> Any:
    line = line_of(parent, spec.name)

    def bad(expected: str) -> None:
        issues.append(DataIssue(file, line, f"field {spec.name!r} of {what} must be {expected}, got {describe(raw)}"))

    def problem(message: str) -> None:
        issues.append(DataIssue(file, line, f"field {spec.name!r} of {what} {message}"))

    kind, _, target_key = spec.type.partition(":")
    if kind == "str":
        if isinstance(raw, (str, int, float)) and not isinstance(raw, bool):
            text = raw if isinstance(raw, str) else str(raw)
            trouble = _text_problem(spec, text)
            return problem(trouble) if trouble else text.strip()
        return bad("text")
    if kind == "strs":
        if isinstance(raw, list) and all(isinstance(x, str) for x in raw):
            for text in raw:
                trouble = _text_problem(spec, text)
                if trouble:
                    return problem(trouble)
            texts = tuple(x.strip() for x in raw)
            if any(not t for t in texts):
                return problem("holds an empty text")
            return texts
        return bad("a list of texts")
    if kind == "bool":
        return raw if isinstance(raw, bool) else bad("true or false")
    if kind == "date":
        return _to_date(raw, bad)
    if kind == "cited":
        return _to_cited(raw, target_key, file, f"{spec.name} of {what}", issues)
    if kind == "citeds":
        if not isinstance(raw, list):
            return bad("a list")
        cited = (_to_cited(item, target_key, file, f"{spec.name} of {what}", issues) for item in raw)
        return tuple(c for c in cited if c is not None)
    if kind == "level":
        if isinstance(raw, str):
            return (raw.strip(),)
        if isinstance(raw, list) and raw and all(isinstance(x, str) for x in raw):
            return tuple(x.strip() for x in raw)
        return bad("a level or a list of levels")
    if kind == "map":
        record = check_record(raw, spec.nested, file, f"{spec.name} of {what}", issues)
        return record.values if record else None
    if kind == "maps":
        if not isinstance(raw, list):
            return bad("a list")
        records = (check_record(item, spec.nested, file, f"{spec.name} #{i + 1} of {what}", issues) for i, item in enumerate(raw))
        return tuple(r for r in records if r is not None)
    raise AssertionError(f"unknown field type {spec.type}")  # pragma: no cover - a schema bug


def _to_date(raw: Any, bad: Callable[[str], None]) -> dt.date | None:
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if isinstance(raw, str) and _ISO_DATE.fullmatch(raw.strip()):
        try:
            return dt.date.fromisoformat(raw.strip())
        except ValueError:
            pass
    bad("a date written YYYY-MM-DD")
    return None


def _to_cited(raw: Any, key: str, file: str, what: str, issues: list[DataIssue]) -> Cited | None:
    schema = (_f(key, required=True), _f("provisions", "strs", True))
    record = check_record(raw, schema, file, what, issues)
    if record is None or key not in record.values:
        return None
    return Cited(record.values[key], record.values.get("provisions", ()))
