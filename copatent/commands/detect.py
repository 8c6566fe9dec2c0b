"""``copatent detect``: the geographical detector on network centrality or on any table."""

from __future__ import annotations

import contextlib
import math
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Final

import typer
from rich.markup import escape
from rich.table import Table

from copatent._errors import InputError
from copatent.analytics.periods import DEFAULT_BASELINE
from copatent.commands._options import (
    DEFAULT_CONNECTION,
    DEFAULT_ENGINE,
    Connection,
    JsonOption,
    RegionScale,
    chosen_periods,
    chosen_scales,
    grouped,
)
from copatent.engines.settings import EngineSettings

if TYPE_CHECKING:
    import pandas as pd

    from copatent.analytics.detection import Detection, DetectOptions
    from copatent.analytics.discretization import Discretization


class VarianceChoice(StrEnum):
    sample = "sample"
    population = "population"


class SingletonChoice(StrEnum):
    keep = "keep"
    drop = "drop"


DEFAULT_Y = "weighted_degree"

DEFAULT_DISCRETIZATION: Final = "jenks:5"
"""``--discretize`` unless given: :func:`parse_discretization` reads it as the analytics' default
(:data:`copatent.analytics.discretization.DEFAULT_DISCRETIZATION`, the study's Jenks, 5)."""

_CLASSES_HINT: Final = " (name it with --categorical, or choose another method or fewer classes)"


@grouped
def detect(
    data: Annotated[
        Path | None,
        typer.Option(
            exists=True,
            dir_okay=False,
            help="Any table (CSV or XLSX, header on row 1): run on its --y and --x columns.",
        ),
    ] = None,
    factors: Annotated[
        list[Path] | None,
        typer.Option(
            exists=True,
            dir_okay=False,
            help="Regional statistics (CSV or XLSX): first column the region (name or adcode), "
            "then the factors. Joined to the network's nodes of --period at --scale. Repeatable "
            "(one file per scale with --scale all).",
        ),
    ] = None,
    y: Annotated[
        str | None,
        typer.Option(
            "--y",
            help=f"The explained column. With --factors a node measure (default {DEFAULT_Y}: "
            "out- plus in-strength); with --data a numeric column (required).",
        ),
    ] = None,
    x: Annotated[
        list[str] | None,
        typer.Option(
            "--x",
            help="A factor column, repeatable. Default with --factors: every numeric column.",
        ),
    ] = None,
    categorical: Annotated[
        list[str] | None,
        typer.Option(help="A numeric --x column to use as categories, as it is (repeatable)."),
    ] = None,
    discretize: Annotated[
        str,
        typer.Option(
            help="How numeric factors become strata: jenks:K (default jenks:5), quantile:K, "
            "equal:K, geometric:K, sd:K, none (values as categories), optimal[:MIN-MAX] (the "
            "method and K of highest q, K from 3 to 8 by default)."
        ),
    ] = DEFAULT_DISCRETIZATION,
    interaction: Annotated[
        bool, typer.Option("--interaction", help="Add the interaction detector.")
    ] = False,
    risk: Annotated[bool, typer.Option("--risk", help="Add the risk detector.")] = False,
    ecological: Annotated[
        bool, typer.Option("--ecological", help="Add the ecological detector.")
    ] = False,
    lambda_variance: Annotated[
        VarianceChoice,
        typer.Option(
            help="Variance in the p-value's noncentrality: sample (CRAN geodetector, the Excel "
            "tool) or population (GD, gdverse)."
        ),
    ] = VarianceChoice.sample,
    singletons: Annotated[
        SingletonChoice,
        typer.Option(help="Strata of one row: keep (default) or drop their rows."),
    ] = SingletonChoice.keep,
    scale: Annotated[
        list[RegionScale] | None,
        typer.Option(
            help="With --factors: the network scale, repeatable (default province; all = both)."
        ),
    ] = None,
    period: Annotated[
        list[str] | None,
        typer.Option(
            help="With --factors: the period START-END of the network, repeatable. Default: "
            f"{DEFAULT_BASELINE.label}."
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            file_okay=False,
            help="Also write the tables as CSV into this folder: <name>_factor.csv, _strata.csv "
            "and, when run, _interaction.csv, _risk_means.csv, _risk_tests.csv, "
            "_ecological.csv (<name>: the --data file's stem, or <scale>_<period>).",
        ),
    ] = None,
    settings: EngineSettings = DEFAULT_ENGINE,
    connection: Connection = DEFAULT_CONNECTION,
    as_json: JsonOption = False,
) -> None:
    """The geographical detector (Wang et al. 2010): which factors explain y's spatial pattern.

    With --factors, y is a node measure of the collaboration network (default weighted degree of
    2016-2020 at province scale) and the factors come from a regional statistics table matched
    to the nodes by region name or adcode (unmatched rows and nodes are listed). With --data,
    any table. Factor detector always; --interaction, --risk, --ecological on request.

    --json keys: y, n, variance, singletons, discretization; strata (per factor: x, method,
    k (classes made), k_asked, bounds, tried = [{method, k, q}] for optimal); factor (x, q, f,
    df1, df2, noncentrality, p_value, n_strata, n, dropped); interaction (x1, x2, q1, q2, q12,
    n_strata, type: weaken, nonlinear | weaken, uni- | enhance, bi- | independent | enhance,
    nonlinear); risk (x, strata = [{stratum, n, mean}], pairs = [{stratum1, stratum2, mean1,
    mean2, t, df, p_value, significant}]); ecological (x1, x2, f, df1, df2, p_value,
    significant); notes. With --factors the object also has scale and period, and one object
    per scale and period is listed under "detections"; with --out, "files" lists the CSVs.
    """
    from copatent import engines, publish  # noqa: PLC0415
    from copatent.analytics import regional  # noqa: PLC0415
    from copatent.commands import _json  # noqa: PLC0415
    from copatent.commands._output import emit_json  # noqa: PLC0415
    from copatent.commands.analyze import require_edges  # noqa: PLC0415
    from copatent.files import writable_folder  # noqa: PLC0415

    if (data is None) == (not factors):
        raise InputError(
            "give either --data FILE (any table) or --factors FILE (regional statistics)"
        )
    try:
        how = parse_discretization(discretize)
    except ValueError as exc:
        raise InputError(f"--discretize: {exc}") from None
    options: DetectOptions = {
        "discretization": how,
        "categorical": categorical or (),
        "interaction": interaction,
        "risk": risk,
        "ecological": ecological,
        "variance": lambda_variance.value,
        "singletons": singletons.value,
    }
    if out is not None:
        writable_folder(out)
    if data is not None:
        _on_table(data, y, x or [], out, options, as_json=as_json)
        return
    scales = chosen_scales(scale or [RegionScale.province])
    files = list(factors or [])
    if len(files) != len(scales):
        given = " ".join(f"--scale {s.value}" for s in scale or [RegionScale.province])
        raise InputError(f"{given} needs {len(scales)} --factors file(s), got {len(files)}")
    paths = dict(zip(scales, files, strict=True))
    statistics = {s: regional.Statistics(read_table(path), str(path)) for s, path in paths.items()}
    chosen = chosen_periods(period, default=(DEFAULT_BASELINE,))
    with engines.open_engine(settings, connection.settings) as (engine, db):
        computed = engines.analyze(engine, scales=scales, periods=chosen, baseline=chosen[-1])
        if db is not None:
            publish.analysis(db, computed)
    require_edges(computed)
    with named_as_options():
        found = regional.detect_regions(
            computed, statistics, y=y or DEFAULT_Y, xs=x or (), **options
        )
    tables: dict[str, pd.DataFrame] = {}
    for r in found:
        tables |= _tables(f"{r.scale}_{r.period}", r.detection)
    written = _write(out, tables)
    results: list[dict[str, object]] = []
    for r in found:
        if as_json:
            results.append(_json.regional_detection(r))
        else:
            title = f"{r.scale} {r.period}: {r.detection.y} ({paths[r.scale].name})"
            _print(r.detection, title)
    if as_json:
        emit_json({"detections": results} | ({"files": written} if out is not None else {}))
        return
    _say_written(out, written)


def parse_discretization(text: str) -> Discretization:
    """Read ``--discretize``: ``jenks:5``, ``quantile:4``, ``equal:6``, ``geometric:5``, ...

    ... ``sd:4``, ``none``, ``optimal`` or ``optimal:3-8``; a :class:`ValueError` names what is
    wrong.

    >>> parse_discretization("quantile:4"), parse_discretization("optimal:3-5").ks
    (Discretization(scheme='quantile', k=4, ks=(3, 4, 5, 6, 7, 8)), (3, 4, 5))
    >>> from copatent.analytics import discretization
    >>> parse_discretization(DEFAULT_DISCRETIZATION) == discretization.DEFAULT_DISCRETIZATION
    True
    """
    from copatent.analytics.breaks import SCHEMES  # noqa: PLC0415
    from copatent.analytics.discretization import Discretization  # noqa: PLC0415

    name, _, arg = text.strip().casefold().partition(":")
    usage = (
        f"discretisation {text!r}: expected none, optimal[:MIN-MAX] or METHOD:K with METHOD "
        f"one of {', '.join(SCHEMES)} and K ≥ 2"
    )
    if name == "none" and not arg:
        return Discretization("none")
    if name == "optimal":
        if not arg:
            return Discretization("optimal")
        low, dash, high = arg.partition("-")
        if dash and low.isdigit() and high.isdigit() and 2 <= int(low) <= int(high):
            return Discretization("optimal", ks=tuple(range(int(low), int(high) + 1)))
        raise ValueError(usage)
    if name in SCHEMES and arg.isdigit() and int(arg) >= 2:
        return Discretization(name, k=int(arg))
    raise ValueError(usage)


@contextlib.contextmanager
def named_as_options() -> Iterator[None]:
    """The errors whose messages name the analytics' parameters, reworded with the options."""
    from copatent.analytics.discretization import ClassesError  # noqa: PLC0415
    from copatent.analytics.regional import UnknownMeasureError  # noqa: PLC0415
    from copatent.tables.numbers import CategoricalColumnError, RepeatedColumnError  # noqa: PLC0415

    try:
        yield
    except ClassesError as exc:
        raise InputError(f"{exc}{_CLASSES_HINT}") from None
    except UnknownMeasureError as exc:
        raise InputError(f"--y {exc}") from None
    except RepeatedColumnError as exc:
        columns = ", ".join(exc.columns)
        raise InputError(
            f"{exc.source}: a column is named twice in --y and --x: {columns}"
        ) from None
    except CategoricalColumnError as exc:
        named = ", ".join(exc.categorical)
        raise InputError(f"{exc.source}: --categorical {named} must be --x columns") from None


def _on_table(
    data: Path,
    y: str | None,
    xs: list[str],
    out: Path | None,
    options: DetectOptions,
    *,
    as_json: bool,
) -> None:
    """``--data``: the detectors on any table."""
    from copatent.analytics.detection import detect  # noqa: PLC0415
    from copatent.commands import _json  # noqa: PLC0415
    from copatent.commands._output import emit_json  # noqa: PLC0415

    if y is None or not xs:
        raise InputError("--data needs --y COLUMN and at least one --x COLUMN")
    table = read_table(data)
    with named_as_options():
        found = detect(table, y, xs, source=str(data), **options)
    written = _write(out, _tables(data.stem, found))
    if as_json:
        emit_json(_json.detection(found) | ({"files": written} if out is not None else {}))
        return
    _print(found, f"{data.name}: {y}")
    _say_written(out, written)


def _tables(name: str, found: Detection) -> dict[str, pd.DataFrame]:
    """The CSV files of one detection, by file name: ``<name>_factor.csv``, ..."""
    return {f"{name}_{kind}.csv": frame for kind, frame in found.tables().items()}


def _write(out: Path | None, tables: dict[str, pd.DataFrame]) -> list[str]:
    """The tables of the run into ``out``, as one set (all or none); nothing without --out."""
    from copatent.files import write_tables  # noqa: PLC0415

    if out is None:
        return []
    return [str(path) for path in write_tables(out, tables)]


def _say_written(out: Path | None, written: list[str]) -> None:
    from copatent.commands._output import console  # noqa: PLC0415

    if out is not None:
        console.print(f"{len(written)} tables written to {out}/", markup=False, highlight=False)


def read_table(path: Path) -> pd.DataFrame:
    """A CSV or XLSX table as text cells, header on row 1; one line naming the file if not."""
    import pandas as pd  # noqa: PLC0415

    from copatent.tables import one_line, read_table  # noqa: PLC0415

    if path.suffix.lower() in (".xlsx", ".xlsm"):
        try:
            frame = pd.read_excel(path, dtype=str, keep_default_na=False)
        except (OSError, ValueError) as exc:
            raise InputError(f"{path}: cannot read as XLSX: {' '.join(str(exc).split())}") from None
        return frame
    table, problems = read_table(path)
    if problems or table is None:
        raise InputError(one_line([(str(path), problems)]))
    return table


def _print(found: Detection, title: str) -> None:
    from copatent.commands._output import console  # noqa: PLC0415

    table = Table(
        title=f"factor detector · {escape(title)} · n = {found.n}",
        title_justify="left",
        caption=f"strata: {found.discretization}; L = strata made; p: non-central F, λ on the "
        f"{found.variance} variance; * p < 0.05, ** < 0.01, *** < 0.001",
        caption_justify="left",
    )
    for column in ("#", "factor", "strata", "L", "q", "F", "p", ""):
        table.add_column(
            column,
            justify="left" if column in ("factor", "strata", "") else "right",
            no_wrap=column in ("factor", "strata", "p"),
        )
    cut = {s.x: s for s in found.strata}
    ranked = sorted(found.factor, key=lambda f: 1.0 if math.isnan(f.q) else -f.q)
    for rank, f in enumerate(ranked, start=1):
        s = cut[f.x]
        how = "as is" if s.method == "categorical" else f"{s.method}:{s.k_asked}"
        if s.k is not None and s.k != s.k_asked:
            how += f" → {s.k}"  # fewer classes made than asked (tied or outside bounds)
        table.add_row(
            str(rank), escape(f.x), how, str(f.n_strata), _num(f.q, 4), _num(f.f, 2),
            _p(f.p_value), _stars(f.p_value),
        )  # fmt: skip
    console.print(table)
    _print_others(found)
    for note in found.notes:
        console.print(f"note: {note}", markup=False, highlight=False)


def _print_others(found: Detection) -> None:
    """The interaction, risk and ecological tables, those that were asked for."""
    from copatent.commands._output import console  # noqa: PLC0415

    if found.interaction:
        inter = Table(title="interaction detector", title_justify="left")
        for column in ("x1", "x2", "q1", "q2", "q12", "type"):
            inter.add_column(column, justify="right" if column.startswith("q") else "left")
        for i in found.interaction:
            inter.add_row(
                escape(i.x1), escape(i.x2), _num(i.q1, 4), _num(i.q2, 4), _num(i.q12, 4), i.type
            )
        console.print(inter)
    for r in found.risk:
        risk = Table(
            title=f"risk detector · {escape(r.x)}: mean of {escape(found.y)} per stratum",
            title_justify="left",
        )
        for column in ("stratum", "n", "mean", "differs from (Welch t, α = 0.05)"):
            risk.add_column(column, justify="right" if column in ("n", "mean") else "left")
        order = [str(v) for v in r.strata["stratum"]]
        differ: dict[str, set[str]] = {label: set() for label in order}
        significant = r.pairs[r.pairs["significant"]]
        for a, b in zip(significant["stratum1"], significant["stratum2"], strict=True):
            differ[str(a)].add(str(b))
            differ[str(b)].add(str(a))
        for row in r.strata.to_dict("records"):
            label = str(row["stratum"])
            others = ", ".join(o for o in order if o in differ[label]) or "-"
            risk.add_row(escape(label), str(row["n"]), _num(row["mean"], 4), escape(others))
        console.print(risk)
    if found.ecological:
        eco = Table(title="ecological detector (F test, two-sided, α = 0.05)", title_justify="left")
        for column in ("x1", "x2", "F", "p", "differ"):
            eco.add_column(column, justify="left" if column in ("x1", "x2", "differ") else "right")
        for e in found.ecological:
            eco.add_row(
                escape(e.x1), escape(e.x2), _num(e.f, 3), _p(e.p_value),
                "yes" if e.significant else "no",
            )  # fmt: skip
        console.print(eco)


def _num(value: float, digits: int) -> str:
    return "-" if math.isnan(value) else f"{value:.{digits}f}"


def _p(value: float) -> str:
    if math.isnan(value):
        return "-"
    return f"{value:.4f}" if value >= 0.001 else f"{value:.3g}"


def _stars(p: float) -> str:
    if math.isnan(p):
        return ""
    return "***" if p < 0.001 else "**" if p < 0.01 else "*" if p < 0.05 else ""
