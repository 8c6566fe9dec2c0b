"""The browser harness on small pages written here: a clean page passes, every kind of leak shows.

Also: Chinese text is drawn with the embedded font subset (with ink, at full-width advances), and
the report's Content-Security-Policy makes the browser itself refuse a request.
"""

from __future__ import annotations

import base64
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from copatent.report.fonts import font_face_css
from copatent.report.page import CSP_META
from tests.browser.harness import REQUIRE_ENV, Browser
from tests.reference import ROOT

TEXT = "copatent 报告：北京市 内蒙古自治区 合作网络 中心性 2016–2020"
SVG = (
    '<svg id="fig" xmlns="http://www.w3.org/2000/svg" width="120" height="60" viewBox="0 0 120 60">'
    '<rect width="120" height="60" fill="#eef"/><path class="arc" d="M10 50 Q60 0 110 50" '
    'stroke="#c0392b" fill="none" stroke-width="3"/></svg>'
)


def png_data_url(width: int = 4, height: int = 3) -> str:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (192, 57, 43)).save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def write_page(path: Path, body: str, *, head: str = "", title: str = "copatent 报告") -> Path:
    path.write_text(
        f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">{head}'
        f"<title>{title}</title></head><body>{body}</body></html>",
        encoding="utf-8",
    )
    return path


def ink(png: bytes) -> int:
    """Dark pixels of a screenshot: text drawn black on white has some, blank text none."""
    with Image.open(io.BytesIO(png)) as image:
        return sum(image.convert("L").histogram()[:128])


def test_clean_page_passes(browser: Browser, tmp_path: Path) -> None:
    style = (
        f"<style>{font_face_css(TEXT + '脚本已运行')}"
        "body{font-family:'copatent-cjk',sans-serif} .tall{height:2400px}</style>"
    )
    body = (
        f"<h1>{TEXT}</h1>{SVG}"
        f'<img id="chart" alt="加权度" src="{png_data_url()}">'
        '<p id="status">script not run</p><div class="tall"></div><p>end</p>'
        '<script>document.getElementById("status").textContent = "脚本已运行";</script>'
    )
    page = browser.open_page(write_page(tmp_path / "clean.html", body, head=CSP_META + style))

    assert page.problems == []
    assert page.title == "copatent 报告"
    assert page.shows("北京市 内蒙古自治区 合作网络")
    assert page.shows("脚本已运行")  # the inline script ran under the policy
    assert not page.shows("script not run")
    assert [(i.name, i.width) for i in page.images] == [("chart", 4)]
    shot = page.screenshot(tmp_path / "clean.png")
    with Image.open(shot) as image:
        assert image.format == "PNG"
        assert image.height >= 2400  # the whole page, not the 900-pixel window


def test_requests_and_broken_images_are_reported(browser: Browser, tmp_path: Path) -> None:
    body = (
        '<p>离线</p><img id="leak" src="https://example.com/x.png" alt="leak">'
        '<script>fetch("https://example.org/beacon").catch(() => {});</script>'
    )
    page = browser.open_page(write_page(tmp_path / "leak.html", body))

    urls = {request.url: request.failure for request in page.requests}
    assert set(urls) == {"https://example.com/x.png", "https://example.org/beacon"}
    assert all(urls.values()), "every request was refused"  # the harness blocks them
    assert [image.name for image in page.broken_images] == ["leak"]
    assert any("example.com/x.png" in line for line in page.problems)
    assert any("example.org/beacon" in line for line in page.problems)
    page.screenshot(tmp_path / "leak.png")


def test_console_errors_are_reported(browser: Browser, tmp_path: Path) -> None:
    body = "<p>ok</p><script>console.error('boom'); notAFunction();</script>"
    page = browser.open_page(write_page(tmp_path / "error.html", body))

    assert page.requests == ()
    assert len(page.console_errors) == 2
    assert "boom" in page.console_errors[0]
    assert "notAFunction is not defined" in page.console_errors[1]


def test_late_script_errors_are_caught(browser: Browser, tmp_path: Path) -> None:
    body = "<script>setTimeout(() => { throw new Error('late'); }, 50);</script>"
    page = browser.open_page(write_page(tmp_path / "late.html", body))

    assert any("late" in message for message in page.console_errors)


def test_policy_makes_the_browser_refuse(browser: Browser, tmp_path: Path) -> None:
    body = (
        "<p>policy</p>"
        '<script>fetch("https://example.org/beacon").catch(() => {});'
        'new WebSocket("wss://example.org/socket");</script>'
    )
    page = browser.open_page(write_page(tmp_path / "csp.html", body, head=CSP_META))

    refused = {(v.url, v.directive, v.disposition) for v in page.violations}
    assert refused == {
        ("https://example.org/beacon", "connect-src", "enforce"),
        ("wss://example.org/socket", "connect-src", "enforce"),
    }
    # refused by the page's policy before any request was made: the network never saw them
    assert page.requests == ()
    assert any("Content Security Policy" in message for message in page.console_errors)


def test_chinese_is_drawn_with_the_embedded_font(browser: Browser, tmp_path: Path) -> None:
    zh = "北京上海"
    head = (
        f"<style>{font_face_css(zh)} .zh{{font:48px/1 'copatent-cjk';color:#000}}"
        ".none{font:48px/1 'no-such-family';color:#000} body{background:#fff}</style>"
    )
    body = f'<span id="zh" class="zh">{zh}</span><br><span id="none" class="none">{zh}</span>'
    page = browser.open_page(write_page(tmp_path / "font.html", body, head=head))
    assert page.problems == []

    facts = page.run(
        """
        const done = arguments[arguments.length - 1];
        document.fonts.load('48px "copatent-cjk"', arguments[0]).then(() => {
          const face = Array.from(document.fonts).find((f) => f.family.includes("copatent-cjk"));
          const canvas = document.createElement("canvas");
          canvas.width = 220; canvas.height = 60;
          const g = canvas.getContext("2d");
          g.font = '48px "copatent-cjk"'; g.textBaseline = "top"; g.fillText(arguments[0], 0, 4);
          const pixels = g.getImageData(0, 0, canvas.width, canvas.height).data;
          let ink = 0;
          for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 128) ink++;
          done({status: face && face.status, canvasInk: ink,
                width: document.getElementById("zh").getBoundingClientRect().width});
        });
        """,
        zh,
        asynchronous=True,
    )
    assert facts["status"] == "loaded"  # the base64 font parsed
    assert facts["width"] == pytest.approx(4 * 48, abs=1)  # four full-width advances of 1 em
    assert facts["canvasInk"] > 500  # drawn, not blank
    assert ink(page.element_png("zh")) > 500  # and in the page itself
    # The second line asks for a family that does not exist: this CI's chromium, which has no
    # CJK font, draws it as four empty boxes (see font.png); with a CJK font installed it draws
    # it in that font. Neither is asserted: the embedded font is what drew the first line.
    page.screenshot(tmp_path / "font.png")


def test_screenshot_only_of_the_current_page(browser: Browser, tmp_path: Path) -> None:
    first = browser.open_page(write_page(tmp_path / "a.html", "<p>a</p>"))
    browser.open_page(write_page(tmp_path / "b.html", "<p>b</p>"))
    with pytest.raises(RuntimeError, match="no longer the browser's page"):
        first.screenshot(tmp_path / "a.png")


@pytest.mark.parametrize(
    ("require", "outcome"), [("", "1 skipped"), ("1", "1 error")], ids=["local-skip", "ci-fails"]
)
def test_missing_browser_skips_or_fails(tmp_path: Path, require: str, outcome: str) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    env = {**os.environ, "PATH": str(empty), REQUIRE_ENV: require}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q",
         f"--basetemp={tmp_path / 'run'}",
         "tests/browser/test_harness.py::test_console_errors_are_reported"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert outcome in result.stdout, result.stdout
    assert "chromium and chromedriver not found" in result.stdout
    assert result.returncode == (0 if not require else 1)
