"""Neo4j Browser's way into copatent: the guide that opens on connect, its queries and its style.

Neo4j Browser 5.24 (the one Neo4j 5.26 ships) runs the server's ``browser.post_connect_cmd`` after
a user connects: each ``;``-separated command as if typed with a leading colon. copatent writes
three there (:func:`post_connect_command`):

1. ``:params {...}``: the guide's parameters (:data:`GUIDE_PARAMS`: the province scale, 2016-2020,
   Beijing and Shanghai, Louvain), so every query answers at once and the user edits one line to
   ask about another region or period;
2. ``:style URL``: the Graph Style Sheet (``copatent.grass``), which sizes and colours a period's
   regions by tier (Browser styles nodes by label only, so the publish step gives each
   ``(:Position)`` its tier as a label, ``:Tier1`` lowest) and captions them by name;
3. ``:guide URL``: this guide, in Browser's guide drawer.

Browser fetches the guide and the style from a host its server allows
(``browser.remote_content_hostname_whitelist``, set to ``localhost,127.0.0.1``) with a
cross-origin request; :mod:`copatent.guide.serve` serves them on 127.0.0.1 next to Neo4j. The
guide's runnable queries are the named files in ``copatent/cypher/guide/`` (their leading ``//``
lines are the explanation shown above each query, the rest is what a click puts into the editor),
so the test suite runs exactly what a user clicks. Browser's page policy allows images only from
its own origin or ``data:`` URIs: the graph model's picture is inline SVG.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Final

GUIDE_FILE: Final = "copatent.html"
STYLE_FILE: Final = "copatent.grass"
FOLDERS: Final = ("guide", "cookbook")
"""Under ``copatent/cypher``: the guide's queries in guide order, and the README's cookbook.

Each file begins with ``//`` lines that say what it shows and how to read it (the guide shows
them above the query) and uses only the parameters of :data:`GUIDE_PARAMS`; a region is matched
by ``$region IN [p.name, p.name_en, p.key]``, so 北京市, Beijing and 110000 all find it. They read
the shape of ``docs/graph-model.md``.
"""

GUIDE_PARAMS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "scale": "province",
        "period": "2016-2020",
        "region": "Beijing",
        "other": "Shanghai",
        "method": "concor",
    }
)
"""The guide's parameters until the user changes them: the sample's two busiest regions in the
baseline period (English names, so that ``neo4j.conf`` stays ASCII).

``scale``: province, city or applicant; ``period``: a period label as the analysis named it;
``region`` and ``other``: a Chinese name, an English name or a key (adcode, applicant name);
``method``: concor, louvain or leiden (the blocks ``copatent subgroups`` wrote).
"""


@dataclass(frozen=True)
class GuideQuery:
    """One named query of the guide: its name, title, explanation and Cypher text."""

    name: str
    title: str
    explanation: str
    text: str
    """The file without its leading comments (shown above it): what goes into Browser's editor."""


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
    path = resources.files("copatent.cypher").joinpath(folder, f"{stem}.cypher")
    return path.read_text(encoding="utf-8")


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


def guide_queries() -> list[GuideQuery]:
    """The guide's queries in order, each with a title (its first sentence) and explanation."""
    found = []
    for name in queries("guide"):
        lines = explanation(name).splitlines()
        first, _, rest = " ".join(lines).partition(". ")
        found.append(
            GuideQuery(
                name=name,
                title=first.rstrip(".:"),
                explanation=rest,
                text="\n".join(
                    line for line in text(name).strip().splitlines() if not line.startswith("//")
                ).strip(),
            )
        )
    return found


def cypher_map(params: Mapping[str, str]) -> str:
    """``{scale: "province", ...}``: a Cypher map literal (JSON strings are Cypher strings)."""
    pairs = (f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in params.items())
    return "{" + ", ".join(pairs) + "}"


def urls(port: int) -> tuple[str, str]:
    """The guide's and the style's URLs on the guide server."""
    base = f"http://127.0.0.1:{port}"
    return f"{base}/{GUIDE_FILE}", f"{base}/{STYLE_FILE}"


def post_connect_command(port: int, params: Mapping[str, str] = GUIDE_PARAMS) -> str:
    """``browser.post_connect_cmd``: parameters, style, guide (Browser adds the colons)."""
    guide, style = urls(port)
    return f"params {cypher_map(params)}; style {style}; guide {guide}"


def render(directory: Path, *, port: int, params: Mapping[str, str] = GUIDE_PARAMS) -> list[Path]:
    """Write the guide and the style sheet into ``directory`` (created); return their paths."""
    import jinja2  # noqa: PLC0415

    templates = resources.files("copatent.guide") / "templates"
    env = jinja2.Environment(autoescape=True, keep_trailing_newline=True)
    page = env.from_string((templates / "copatent.html.j2").read_text(encoding="utf-8"))
    guide_url, style_url = urls(port)
    html = page.render(
        queries=guide_queries(),
        params=f":params {cypher_map(params)}",
        style_command=f"style {style_url}",
        guide_url=guide_url,
        model=(templates / "model.svg").read_text(encoding="utf-8"),
    )
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    written = []
    for name, text in (
        (GUIDE_FILE, html),
        (STYLE_FILE, (templates / STYLE_FILE).read_text(encoding="utf-8")),
    ):
        path = directory / name
        tmp = path.with_suffix(path.suffix + ".tmp")
        tmp.unlink(missing_ok=True)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)  # the instance's: private
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        tmp.replace(path)
        written.append(path)
    return written
