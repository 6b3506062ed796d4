"""Name resolution: find an entity by id, Chinese name, alias or English name; never guess.

An exact match (case-insensitive, whitespace ignored) on one entity resolves. A name shared by several
entities raises :class:`~dutygraph.errors.AmbiguousNameError`; a name matching nothing raises
:class:`~dutygraph.errors.NameNotFoundError` with the nearest names as candidates.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from msgspec import Struct

from dutygraph.errors import AmbiguousNameError, NameNotFoundError
from dutygraph.model import Activity, Bureau, Dataset, Domain, Licence
from dutygraph.text import clip, nearest, squash

__all__ = ["KINDS", "Entity", "names_of", "resolve"]

Entity = Bureau | Domain | Activity | Licence

KINDS: tuple[str, ...] = ("activity", "domain", "bureau", "licence")


def _pools(dataset: Dataset) -> dict[str, Iterable[Entity]]:
    return {
        "activity": dataset.activities.values(),
        "domain": dataset.domains.values(),
        "bureau": dataset.bureaus.values(),
        "licence": dataset.licences.values(),
    }


def names_of(entity: Entity) -> Iterator[str]:
    """Every name an entity answers to: id, name, aliases, English name and (for bureaus) full name."""
    yield entity.id
    yield entity.name
    yield from entity.aliases
    if entity.name_en:
        yield entity.name_en
    if isinstance(entity, Bureau) and entity.full_name:
        yield entity.full_name


def _own_names(entity: Entity) -> tuple[str, ...]:
    """The names an entity is known by in its own right: id, name, English and full name (not aliases)."""
    full = entity.full_name if isinstance(entity, Bureau) and entity.full_name else None
    return tuple(n for n in (entity.id, entity.name, entity.name_en, full) if n)


def _key(name: str) -> str:
    return squash(name).casefold()


class _Hit(Struct, frozen=True):
    kind: str
    entity: Entity


def resolve(dataset: Dataset, name: str, kinds: Sequence[str] = KINDS) -> tuple[str, Entity]:
    """Resolve ``name`` among the entities of ``kinds``; returns ``(kind, entity)``.

    Raises :class:`AmbiguousNameError` or :class:`NameNotFoundError`; the latter names entities of other
    kinds that match exactly (``dutygraph lead 市公安局`` hints that 市公安局 is a bureau).
    """
    wanted = _key(name)
    pools = _pools(dataset)
    hits: dict[str, _Hit] = {}
    for kind in kinds:
        for entity in pools[kind]:
            if any(_key(n) == wanted for n in names_of(entity)):
                hits[f"{kind}:{entity.id}"] = _Hit(kind, entity)
    if len(hits) == 1:
        hit = next(iter(hits.values()))
        return hit.kind, hit.entity
    if len(hits) > 1:
        # An id beats a name, and an entity's own name beats another entity's alias.
        for own in (lambda e: (e.id,), _own_names):
            best = [h for h in hits.values() if any(_key(n) == wanted for n in own(h.entity))]
            if len(best) == 1:
                return best[0].kind, best[0].entity
        raise AmbiguousNameError(name, [f"{clip(h.entity.name)} ({h.kind} id {h.entity.id})" for h in hits.values()])
    elsewhere = [
        f"{clip(entity.name)} is {'an' if kind[0] in 'aeiou' else 'a'} {kind}"
        for kind, pool in pools.items()
        if kind not in kinds
        for entity in pool
        if any(_key(n) == wanted for n in names_of(entity))
    ]
    choices = {n for kind in kinds for entity in pools[kind] for n in (entity.name, entity.id, *entity.aliases)}
    raise NameNotFoundError(name, kinds, nearest(name, choices), hint="; ".join(elsewhere))
