"""Hostile text for safety tests: every text field of a dataset replaced by injection payloads."""

from __future__ import annotations

from itertools import cycle

from msgspec.structs import replace

from dutygraph.model import Dataset

PAYLOADS = (
    "<script>window.__pwned = 1</script>",
    '"><img src=x onerror="window.__pwned = 2">',
    "javascript:window.__pwned = 3",
    "'}) MATCH (n) DETACH DELETE n //",
    "` DETACH DELETE n //",
    '\\"; DROP CONSTRAINT dutynode_uid; //',
    "$rows {{x}} </textarea><svg onload=window.__pwned=4>",
    "semi;colon;separated",
    "two\nlines\r\nand a CRLF",
    'a "quoted" word, and a comma',
    "tab\tinside\tand trailing tab\t",
    "  leading and trailing spaces  ",
    'back\\slash \\" and \\n',
    "|pipe| U+001F-free 全角；分号",
)


def hostile(dataset: Dataset) -> Dataset:
    """``dataset`` with every name, alias, note, title, path and quote replaced by a payload (ids unchanged)."""
    texts = cycle(PAYLOADS)

    def text() -> str:
        return next(texts)

    return replace(
        dataset,
        info=replace(dataset.info, title=text(), title_en=text(), jurisdiction=text()),
        documents={k: replace(d, title=text(), title_en=text(), number=text(), issuer=text()) for k, d in dataset.documents.items()},
        provisions={k: replace(p, path=text(), quote=text()) for k, p in dataset.provisions.items()},
        bureaus={
            k: replace(b, name=text(), full_name=text(), name_en=text(), system=text(), aliases=(text(), text()), note=text())
            for k, b in dataset.bureaus.items()
        },
        domains={k: replace(d, name=text(), name_en=text(), aliases=(text(),)) for k, d in dataset.domains.items()},
        activities={k: replace(a, name=text(), name_en=text(), aliases=(text(),)) for k, a in dataset.activities.items()},
        licences={k: replace(lic, name=text(), name_en=text(), aliases=(text(),)) for k, lic in dataset.licences.items()},
        leads=tuple(replace(lead, basis=text()) for lead in dataset.leads),
    )
