"""``report.html`` in a real browser: offline, no console error, every image drawn, Chinese shown.

The report is made by ``copatent report --engine memory`` (no server) on a generated sample,
opened in headless Chromium with the network blocked (:mod:`tests.browser.harness`); the test
fails on any request leaving the file, any console error and any image of zero natural width,
and saves a screenshot of the whole page under its temporary directory.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from copatent import cli
from copatent.sample import generator, statistics
from tests.browser.harness import Browser


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("report-page")
    export = generator.write(generator.generate(4_000, seed=9), folder / "export.csv")
    stats = statistics.write_beside(export, seed=9)
    result = CliRunner().invoke(
        cli.app,
        ["report", "--engine", "memory", "--input", str(export), "--factors",
         str(stats["province"]), "--factors", str(stats["city"]), "--out", str(folder / "r")],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return folder / "r" / "report.html"


def test_the_figures_are_written_in_three_formats(report: Path) -> None:
    figures = report.parent / "figures"
    stems = {p.stem for p in figures.iterdir()}
    assert stems == {
        f"fig{n}_{what}_{scale}"
        for n, what in ((3, "centrality"), (4, "flow"), (5, "subgroups"))
        for scale in ("province", "city")
    } | {"fig1_connections_province", "fig2_connections_city"}
    for stem in stems:
        assert {p.suffix for p in figures.glob(f"{stem}.*")} == {".png", ".svg", ".pdf"}


def test_the_report_opens_offline_without_errors(
    browser: Browser, report: Path, tmp_path: Path
) -> None:
    page = browser.open_page(report)
    assert not page.problems, page.problems
    assert not page.requests
    assert not page.console_errors
    assert not page.broken_images
    assert len(page.images) == 8  # Fig. 1, Fig. 2, and Figs. 3-5 at both scales
    shot = page.screenshot(tmp_path / "report.png")
    assert shot.stat().st_size > 10_000
    for text in (
        "Findings",
        "Table 1 · overall indicators, provinces",
        "Table 5",
        "Load funnel",
        "Parameters and versions",
        "Method notes",
        "北京市",
    ):
        assert page.shows(text), text  # fmt: skip


def test_chinese_is_drawn_with_the_embedded_font(browser: Browser, report: Path) -> None:
    page = browser.open_page(report)
    loaded = page.run(
        "const done = arguments[arguments.length - 1];"
        "document.fonts.load('16px \"copatent-cjk\"', '北京市').then("
        "  (faces) => done(faces.length), () => done(-1));",
        asynchronous=True,
    )
    assert loaded >= 1
    family = page.run("return getComputedStyle(document.body).fontFamily;")
    assert family.startswith(('"copatent-cjk"', "copatent-cjk"))
