"""The browser for the browser tests: one headless Chromium per test session (marker ``browser``).

Without ``chromium`` and ``chromedriver`` on the machine the tests skip and say why, unless
``COPATENT_REQUIRE_BROWSER=1`` (``.ci/run`` sets it, after installing both with apt): then they
fail. A browser that is installed but does not start is an error, never a skip.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.harness import REQUIRE_ENV, Browser, find_chromium, require_browser

_STARTED: list[Browser] = []


@pytest.fixture(scope="session")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    found = find_chromium()
    if isinstance(found, str):
        if require_browser():
            pytest.fail(f"{found}, and {REQUIRE_ENV}=1 requires the browser tests", pytrace=False)
        pytest.skip(f"{found}; set {REQUIRE_ENV}=1 to fail instead of skipping")
    chromium, chromedriver = found
    with Browser(
        chromium=chromium, chromedriver=chromedriver, profile=tmp_path_factory.mktemp("chromium")
    ) as started:
        _STARTED.append(started)
        yield started


_FONTS_CONF = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <dir>{fonts}</dir>
  <cachedir>{cache}</cachedir>
</fontconfig>
"""


@pytest.fixture(scope="session")
def loopback_browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    """A headless Chromium that may reach 127.0.0.1 (Neo4j Browser), and nothing else.

    It draws CJK with the Noto Sans CJK font of the ``noto-cjk-sans-otc`` wheel (a dependency),
    through its own fontconfig file: Debian's chromium brings no CJK font, and the graph's names
    are Chinese.
    """
    from noto_cjk_sans_otc import FONT_PATH

    found = find_chromium()
    if isinstance(found, str):
        if require_browser():
            pytest.fail(f"{found}, and {REQUIRE_ENV}=1 requires the browser tests", pytrace=False)
        pytest.skip(f"{found}; set {REQUIRE_ENV}=1 to fail instead of skipping")
    chromium, chromedriver = found
    profile = tmp_path_factory.mktemp("chromium-loopback")
    conf = profile / "fonts.conf"
    conf.write_text(
        _FONTS_CONF.format(fonts=Path(FONT_PATH).parent, cache=profile / "fontconfig"),
        encoding="utf-8",
    )
    with Browser(
        chromium=chromium,
        chromedriver=chromedriver,
        profile=profile,
        loopback=True,
        window=(1400, 950),
        env={**os.environ, "FONTCONFIG_FILE": str(conf)},
    ) as started:
        _STARTED.append(started)
        yield started


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.path).parents:
            item.add_marker(pytest.mark.browser)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    for started in _STARTED:
        opened = started.open_seconds
        mean = sum(opened) / len(opened) if opened else 0.0
        terminalreporter.write_line(
            f"browser tests ran in headless {started.version}: started in "
            f"{started.start_seconds:.2f} s, {len(opened)} pages opened in {mean:.2f} s on average"
        )
