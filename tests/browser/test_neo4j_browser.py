"""Neo4j Browser as a new user meets it: log in, the guide opens, its first query draws the network.

A real Neo4j Browser (the one Neo4j 5.26 serves) in headless Chromium that can reach 127.0.0.1 and
nothing else, against the session's server after a generated sample was loaded and analysed. The
screenshot of the result is saved in the test's temporary folder.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from copatent import guide, server
from copatent.db import Database
from copatent.loader import pipeline, writer
from copatent.sample import generator as sample
from tests.browser.harness import Browser
from tests.integration.conftest import TEST_QUERIES, run_cli

pytestmark = pytest.mark.neo4j

TIMEOUT_S = 60.0


@pytest.fixture(scope="module")
def analysed(
    neo4j_server: server.LocalServer, db: Database, tmp_path_factory: pytest.TempPathFactory
) -> server.LocalServer:
    """A generated sample loaded into the emptied database and analysed (results published)."""
    folder = tmp_path_factory.mktemp("browser-sample")
    export = sample.write(sample.generate(3_000, seed=11), folder / "sample.csv")
    prepared = pipeline.prepare_files([export], keywords=pipeline.default_keywords())
    with Database(db.settings, queries=TEST_QUERIES) as admin:
        admin.run("fixture/delete_all", write=True)
        writer.write(db, prepared, key="browser-sample")
    proc = run_cli(
        neo4j_server, "analyze", "--scale", "province", "--scale", "city", "--out",
        str(folder / "analysis"),
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    return neo4j_server


def _wait(driver: object, what: str, check: object, timeout: float = TIMEOUT_S) -> object:
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout).until(check, message=what)  # type: ignore[arg-type]


def _frames(driver: object) -> list[tuple[str, object]]:
    from selenium.webdriver.common.by import By

    frames = driver.find_elements(By.CSS_SELECTOR, "[data-testid=frame]")  # type: ignore[attr-defined]
    return [(f.find_element(By.CSS_SELECTOR, "[data-testid=frameCommand]").text, f) for f in frames]


def test_a_new_user_logs_in_the_guide_opens_and_its_first_query_draws_the_network(
    analysed: server.LocalServer,
    db: Database,
    loopback_browser: Browser,
    tmp_path: Path,
) -> None:
    from selenium.webdriver.common.by import By

    status = analysed.status()
    assert status.browser_url is not None
    assert status.guide_url is not None
    driver = loopback_browser.driver
    driver.get(f"{status.browser_url}?dbms={status.uri.replace('://', '://neo4j@')}")
    password = _wait(
        driver,
        "Browser's login form",
        lambda d: d.find_element(By.CSS_SELECTOR, "[data-testid=password]"),
    )
    password.send_keys(analysed.settings().password)  # type: ignore[attr-defined]
    driver.find_element(By.CSS_SELECTOR, "[data-testid=connect]").click()

    # on connect: the parameters, the style and the guide (browser.post_connect_cmd)
    _wait(
        driver,
        "the guide in Browser's guide drawer",
        lambda d: d.find_elements(By.CSS_SELECTOR, "pre.runnable"),
    )
    page = driver.find_element(By.TAG_NAME, "body").text
    assert "copatent: the collaboration networks" in page
    commands = [command for command, _ in _frames(driver)]
    assert any(c.startswith(":params {scale:") for c in commands), commands
    assert any(c == f":style {guide.urls(analysed.guide_port() or 0)[1]}" for c in commands)
    assert not driver.find_elements(By.CSS_SELECTOR, "[data-testid=cypherFrameErrorMessage]")
    assert "not allowed" not in page  # the allowlist let Browser fetch the guide and style

    # the guide's first query, as a user runs it: next slide, click it, run it
    driver.find_element(By.XPATH, "//button[normalize-space()='Next']").click()
    first = guide.guide_queries()[0]
    runnable = _wait(
        driver,
        "the first query's slide",
        lambda d: [
            r
            for r in d.find_elements(By.CSS_SELECTOR, "pre.runnable")
            if not r.text.startswith(":")
        ],
    )[0]  # type: ignore[index]
    assert " ".join(runnable.text.split()) == " ".join(first.text.split())
    runnable.click()
    driver.find_element(By.CSS_SELECTOR, "[data-testid=editor-Run]").click()
    heading = first.text.splitlines()[0]
    frame = _wait(
        driver,
        f"a result frame for {first.name}",
        lambda d: [
            f
            for command, f in _frames(d)
            if command.startswith(heading)
            and f.find_elements(By.CSS_SELECTOR, "[data-testid=frame-loaded-contents]")
        ],
    )[0]  # type: ignore[index]
    time.sleep(2)  # the force layout settles
    shot = loopback_browser.screenshot(tmp_path / "neo4j-browser.png")
    assert shot.stat().st_size > 10_000
    assert not frame.find_elements(By.CSS_SELECTOR, "[data-testid=cypherFrameErrorMessage]")
    drawn = len(frame.find_elements(By.CSS_SELECTOR, "svg g.node"))
    arcs = len(frame.find_elements(By.CSS_SELECTOR, "svg g.relationship"))
    with Database(db.settings, queries=TEST_QUERIES) as admin:
        expected = admin.run("fixture/period_view", dict(guide.GUIDE_PARAMS)).iloc[0]
    assert expected["nodes"] > 10
    assert (drawn, arcs) == (expected["nodes"], expected["arcs"])
    # every position drawn carries a tier label, so the style sizes and colours it
    labels = frame.find_element(By.CSS_SELECTOR, "[data-testid=vizInspector]").text
    assert "Tier" in labels, labels
