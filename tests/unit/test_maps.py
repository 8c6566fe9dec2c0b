"""The study's maps, checked as data: what the SVG holds, the legends, the labels, the inset."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
import pytest
from matplotlib.figure import Figure
from PIL import Image

from copatent import engines
from copatent.analytics import analysis, centrality, community, subgroups
from copatent.analytics.network import Network
from copatent.analytics.periods import PeriodGraph
from copatent.engines.base import sorted_edges
from copatent.engines.memory import MemoryEngine
from copatent.geo import names
from copatent.loader import pipeline
from copatent.report import maps
from copatent.sample import generator as sample

SEED = 3
BASE = "2016-2020"


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> analysis.Analysis:
    path = sample.write(
        sample.generate(4_000, seed=SEED), tmp_path_factory.mktemp("maps") / "s.csv"
    )
    prepared = pipeline.prepare_files([path], keywords=pipeline.default_keywords())
    return engines.analyze(MemoryEngine(prepared, restarts=2), scales=["province", "city"])


@pytest.fixture(scope="module")
def concor(result: analysis.Analysis) -> list[subgroups.PeriodSubgroups]:
    return subgroups.of_analysis(result, ["concor"])


def _svg(fig: Figure, folder: Path, stem: str) -> str:
    written = maps.save(fig, folder, stem)
    assert [p.name for p in written] == [f"{stem}.png", f"{stem}.svg", f"{stem}.pdf"]
    return (folder / f"{stem}.svg").read_text("utf-8")


def _texts(svg: str, prefix: str) -> dict[str, str]:
    """``{id: text}`` of the groups whose id starts with ``prefix``.

    Text is drawn as glyph outlines; matplotlib writes the text in a comment before them.
    """
    pattern = rf'<g id="({re.escape(prefix)}[^"]*)">\s*<!-- (.*?) -->'
    return {k: html.unescape(v) for k, v in re.findall(pattern, svg, flags=re.DOTALL)}


@pytest.mark.parametrize("scale", ["province", "city"])
def test_the_connection_map_draws_one_arc_per_arc_of_each_period(
    result: analysis.Analysis, scale: analysis.Scale, tmp_path: Path
) -> None:
    svg = _svg(maps.connection_map(result, scale), tmp_path, f"fig_{scale}")
    drawn = re.findall(r'<g id="arc-(\d{4}-\d{4})-(\d{6})-(\d{6})">', svg)
    assert len(drawn) == len(set(drawn)), "an arc drawn twice"
    for period in result.periods:
        edges = result.tables[(scale, period.label)].edges
        expected = set(zip(edges["source"], edges["target"], strict=True))
        found = {(s, t) for p, s, t in drawn if p == period.label}
        assert found == expected, period.label
    # the legend gives each tier's range as the baseline breaks print it
    breaks = result.edge_breaks[scale]
    assert breaks is not None
    legend = _texts(svg, "legend-")
    assert legend == {f"legend-{t}": breaks.label(t, open_ends=True) for t in range(1, 5)}


@pytest.mark.parametrize("scale", ["province", "city"])
def test_the_centrality_legend_is_the_tables_tier_ranges(
    result: analysis.Analysis, scale: analysis.Scale, tmp_path: Path
) -> None:
    svg = _svg(maps.centrality_map(result, scale), tmp_path, "fig3")
    table = result.tables[(scale, BASE)].centrality
    ranges = dict(zip(table["tier"].astype(int), table["tier_range"], strict=True))
    legend = _texts(svg, "legend-")
    legend.pop("legend-absent", None)  # provinces outside the network
    assert legend == {f"legend-{t}": text for t, text in ranges.items()}


def test_the_flow_legend_splits_outflow_and_inflow(
    result: analysis.Analysis, tmp_path: Path
) -> None:
    svg = _svg(maps.flow_map(result, "province", lang="en"), tmp_path, "fig4")
    flows = result.tables[("province", BASE)].flow
    keys = {k.removeprefix("legend-") for k in _texts(svg, "legend-")}
    expected = {f"outflow-{t}" for t in flows.loc[flows["role"] == "leader", "tier"]}
    expected |= {f"inflow-{t}" for t in flows.loc[flows["role"] == "participant", "tier"]}
    if (flows["role"] == "balanced").any():
        expected.add("balanced")
    expected |= {"absent"} if len(flows) < 34 else set()
    assert keys == expected


@pytest.mark.parametrize("scale", ["province", "city"])
def test_fig5_names_the_top_ten_by_weighted_degree(
    result: analysis.Analysis,
    concor: list[subgroups.PeriodSubgroups],
    scale: analysis.Scale,
    tmp_path: Path,
) -> None:
    part = next(p for p in concor if p.scale == scale and p.period == BASE)
    svg = _svg(maps.subgroup_map(result, part), tmp_path, "fig5")
    members = part.subgroups.members.sort_values(
        ["weighted_degree", "node"], ascending=[False, True]
    )
    top = members["node"].head(10).tolist()
    labels = _texts(svg, "label-")
    assert set(labels) == {f"label-{n}" for n in top}
    assert all(labels[f"label-{n}"] == names.chinese_name(n, scale) for n in top)
    blocks = _texts(svg, "legend-block-")
    assert len(blocks) == len(part.subgroups.blocks)


def test_english_maps_have_english_text_only(
    result: analysis.Analysis, concor: list[subgroups.PeriodSubgroups], tmp_path: Path
) -> None:
    part = next(p for p in concor if p.scale == "province" and p.period == BASE)
    for stem, fig in [
        ("fig5", maps.subgroup_map(result, part, lang="en")),
        ("fig1", maps.connection_map(result, "province", lang="en")),
    ]:
        svg = _svg(fig, tmp_path, stem)
        labels = _texts(svg, "label-")
        assert labels
        for key, text in labels.items():
            assert text == names.english_name(key.rsplit("-", 1)[-1], "province")
        assert "Beijing" in labels.values()
        comments = re.findall(r"<!-- (.*?) -->", svg, flags=re.DOTALL)
        cjk = [c for c in comments if re.search(r"[\u4e00-\u9fff]", c)]
        assert not cjk, cjk
    assert names.english_name("150000", "province") == "Inner Mongolia"


def test_nothing_of_the_main_map_is_inside_the_inset(result: analysis.Analysis) -> None:
    fig = maps.connection_map(result, "city", periods=[BASE])
    main, inset = fig.axes[0], fig.axes[1]
    x0, y0, x1, y1 = maps._inset_box()
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    box = inset.get_window_extent(renderer)
    for artist in main.get_children():
        path = getattr(artist, "get_path", None)
        if artist.get_gid() and str(artist.get_gid()).startswith("arc-"):
            continue  # arcs are clipped when they reach the box (none does here)
        if path is not None and artist.get_transform() == main.transData:
            vertices = path().vertices
            inside = (
                (vertices[:, 0] > x0 + 1)
                & (vertices[:, 0] < x1 - 1)
                & (vertices[:, 1] > y0 + 1)
                & (vertices[:, 1] < y1 - 1)
            )
            assert not inside.any(), artist
    for text in main.texts:
        assert not text.get_window_extent(renderer).overlaps(box), text.get_text()


def test_png_is_300_dpi_and_svg_and_pdf_are_whole(
    result: analysis.Analysis, tmp_path: Path
) -> None:
    fig = maps.centrality_map(result, "province")
    maps.save(fig, tmp_path, "fig3")
    width, height = fig.get_size_inches()
    with Image.open(tmp_path / "fig3.png") as png:
        assert png.size == (round(width * 300), round(height * 300))
    assert (tmp_path / "fig3.svg").read_text("utf-8").rstrip().endswith("</svg>")
    assert (tmp_path / "fig3.pdf").read_bytes().rstrip().endswith(b"%%EOF")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fig3.pdf", "fig3.png", "fig3.svg"]


def test_study_maps_gives_every_figure(
    result: analysis.Analysis, concor: list[subgroups.PeriodSubgroups]
) -> None:
    stems = [stem for stem, _ in maps.study_maps(result, concor)]
    assert stems == [
        "fig1_connections_province",
        "fig2_connections_city",
        "fig3_centrality_province",
        "fig3_centrality_city",
        "fig4_flow_province",
        "fig4_flow_city",
        "fig5_subgroups_province",
        "fig5_subgroups_city",
    ]


def test_bad_requests_say_what_is_wrong(result: analysis.Analysis) -> None:
    with pytest.raises(ValueError, match="applicant scale has no places"):
        maps.centrality_map(result, "applicant")
    with pytest.raises(ValueError, match="period 1990-1995 is not in the analysis"):
        maps.flow_map(result, "city", "1990-1995")


def test_the_same_figure_gives_the_same_svg_and_pdf(
    result: analysis.Analysis, tmp_path: Path
) -> None:
    for folder in ("a", "b"):
        maps.save(maps.flow_map(result, "province"), tmp_path / folder, "fig4")
    for ext in ("svg", "pdf"):
        a = (tmp_path / "a" / f"fig4.{ext}").read_bytes()
        assert a == (tmp_path / "b" / f"fig4.{ext}").read_bytes(), ext


class _OneNetwork:
    """An engine stand-in with one small fixed network of provinces in every period."""

    name = "fixed"

    def __init__(self, edges: pd.DataFrame) -> None:
        self.edges = sorted_edges(edges)

    def period_graphs(
        self, scale: analysis.Scale, periods: Sequence[tuple[int, int]]
    ) -> list[PeriodGraph]:
        keys = sorted(set(self.edges["source"]) | set(self.edges["target"]))
        net = Network.from_edges(self.edges, keys)
        nodes = pd.DataFrame({"node": keys, "name": keys, "internal": 0})
        measures = centrality.node_measures(net)
        return [
            PeriodGraph(scale, p, self.edges, nodes, measures, community.louvain(net), 1.0, 1, 0)
            for p in periods
        ]


def test_a_network_too_small_for_tiers_is_mapped_without_them(tmp_path: Path) -> None:
    # Beijing -> Tianjin, Beijing -> Shanghai, Shanghai -> Beijing, one collaboration each:
    # fewer distinct values than the 4 classes, so no tiers (the analysis notes why)
    edges = pd.DataFrame(
        {
            "source": ["110000", "110000", "310000"],
            "target": ["120000", "310000", "110000"],
            "weight": [1.0, 1.0, 1.0],
        }
    )
    small = engines.analyze(_OneNetwork(edges), scales=["province"], periods=[(2016, 2020)])
    svg = _svg(maps.connection_map(small, "province", lang="en"), tmp_path, "fig1")
    assert len(re.findall(r'<g id="arc-2016-2020-', svg)) == 3
    assert _texts(svg, "legend-") == {"legend-all": "all arcs (no tiers)"}
    svg = _svg(maps.flow_map(small, "province", lang="en"), tmp_path, "fig4")
    assert set(_texts(svg, "legend-")) >= {"legend-outflow", "legend-inflow"}
    svg = _svg(maps.centrality_map(small, "province", lang="en"), tmp_path, "fig3")
    assert _texts(svg, "legend-")["legend-all"] == "in the network (no tiers)"
