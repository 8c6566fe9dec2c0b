"""The Neo4j Browser guide's one-click queries, the cookbook, and the parameters they share.

``copatent/cypher/guide/NN_name.cypher`` are the guide's queries in guide order;
``copatent/cypher/cookbook/NN_name.cypher`` the ten queries of the README's cookbook. Each begins
with ``//`` lines that say what it shows and how to read it (the guide shows them beside the
query), and uses only the parameters of :data:`GUIDE_PARAMS`, which the guide sets once with
``:params``. They read the shape of ``docs/graph-model.md``; a region is matched by
``$region IN [p.name, p.name_en, p.key]``, so 北京市, Beijing and 110000 all find it.

Nothing heavy is imported here: the files are read with :mod:`importlib.resources`.
"""

from __future__ import annotations

from importlib import resources
from types import MappingProxyType
from typing import Final

GUIDE_PARAMS: Final = MappingProxyType(
    {
        "scale": "province",
        "period": "2016-2020",
        "region": "北京市",
        "other": "上海市",
        "method": "louvain",
    }
)
"""The guide's default parameters: the demo sample's two busiest regions, in the baseline period.

``scale``: province, city or applicant; ``period``: a period label as the analysis named it;
``region`` and ``other``: a Chinese name, an English name or a key (adcode, applicant name);
``method``: concor, louvain or leiden (the blocks ``copatent subgroups`` wrote).
"""

FOLDERS: Final = ("guide", "cookbook")


def queries(folder: str) -> list[str]:
    """The named queries of ``folder`` (``guide`` or ``cookbook``) in order: ``guide/01_network``.

    >>> queries("guide")[0]
    'guide/01_network'
    """
    if folder not in FOLDERS:
        raise ValueError(f"no query folder {folder!r}: {', '.join(FOLDERS)}")
    found = resources.files("copatent.cypher").joinpath(folder)
    return sorted(
        f"{folder}/{p.name.removesuffix('.cypher')}"
        for p in found.iterdir()
        if p.name.endswith(".cypher")
    )


def text(name: str) -> str:
    """The text of the named guide or cookbook query (``guide/01_network``)."""
    folder, _, stem = name.partition("/")
    if folder not in FOLDERS or not stem.replace("_", "").isalnum():
        raise ValueError(f"no guide or cookbook query {name!r}")
    return resources.files("copatent.cypher").joinpath(folder, f"{stem}.cypher").read_text("utf-8")


def explanation(name: str) -> str:
    """The query's leading ``//`` lines without the slashes: what the guide shows beside it.

    >>> explanation("guide/01_network").splitlines()[0]
    'The collaboration network of one period at one scale ($scale, $period), as a graph.'
    """
    lines = []
    for line in text(name).splitlines():
        if not line.startswith("//"):
            break
        lines.append(line.removeprefix("//").strip())
    return "\n".join(lines)
