"""The embedded font: a real WOFF subset of Noto Sans CJK SC, covering what was asked, small, stable."""

from __future__ import annotations

import base64
import io
import re

import pytest
from fontTools.ttLib import TTFont

from copatent._errors import ConfigError
from copatent.report import fonts
from copatent.report.page import CONTENT_SECURITY_POLICY, CSP_META

SRC = re.compile(r'src:url\(data:font/woff;base64,([A-Za-z0-9+/]+=*)\) format\("woff"\)')


def common_characters(n: int) -> str:
    """The first ``n`` characters of GB 2312 level 1 (the 3,755 most common, rows 16-55)."""
    out = []
    for row in range(0xB0, 0xD8):
        for cell in range(0xA1, 0xFF):
            try:
                out.append(bytes([row, cell]).decode("gb2312"))
            except UnicodeDecodeError:  # the five empty cells at the end of row 55
                continue
    return "".join(out[:n])


def embedded_font(css: str) -> tuple[TTFont, int]:
    match = SRC.search(css)
    assert match, css[:200]
    data = base64.b64decode(match.group(1), validate=True)
    return TTFont(io.BytesIO(data)), len(data)


@pytest.fixture(scope="module")
def report_css() -> str:
    return fonts.font_face_css("copatent 报告：北京市 内蒙古自治区 呼和浩特市 2016–2020")


def test_the_rule_declares_the_family_and_a_woff_font(report_css: str) -> None:
    assert report_css.startswith("/* Noto Sans CJK SC (subset), SIL Open Font License 1.1")
    assert '@font-face{font-family:"copatent-cjk";' in report_css
    assert "\n" not in report_css
    font, _ = embedded_font(report_css)
    assert font.flavor == "woff"
    assert font["name"].getDebugName(6) == "NotoSansCJKsc-Regular"


def test_the_subset_covers_the_text_and_the_basics(report_css: str) -> None:
    font, _ = embedded_font(report_css)
    cmap = font.getBestCmap()
    wanted = set("copatent报告：北京市内蒙古自治区呼和浩特2016–2020A") | set(fonts.BASIC_CHARACTERS)
    assert {c for c in wanted if ord(c) not in cmap} == set()
    assert ord("海") not in cmap  # a subset, not the whole font


def test_the_subset_keeps_the_licence(report_css: str) -> None:
    names = embedded_font(report_css)[0]["name"]
    assert "SIL Open Font License" in names.getDebugName(13)
    assert names.getDebugName(14) == "http://scripts.sil.org/OFL"
    assert "Adobe" in names.getDebugName(0)


def test_the_same_text_gives_the_same_bytes() -> None:
    # the order of the characters does not matter either
    assert fonts.font_face_css("合作网络") == fonts.font_face_css("网络合作")


def test_five_hundred_characters_stay_small() -> None:
    # Measured with fontTools 4.68: 645 glyphs, 125 KB of WOFF, 167 KB of CSS.
    text = common_characters(500)
    assert len(set(text)) == 500
    css = fonts.font_face_css(text)
    font, size = embedded_font(css)
    assert len(font.getGlyphOrder()) < 700  # the characters and their features, no other forms
    assert size < 160_000
    assert len(css) < 215_000


def test_other_family_names(report_css: str) -> None:
    assert 'font-family:"report zh"' in fonts.font_face_css("北", family="report zh")
    with pytest.raises(ValueError, match="font family name"):
        fonts.font_face_css("北", family='x"}body{color:red')


def test_uncovered_characters() -> None:
    assert fonts.uncovered("北京 Beijing\t2016–2020\n") == ""  # white space is not drawn
    assert fonts.uncovered("北京\U0001f600\U00020000") == "\U0001f600\U00020000"


def test_the_font_is_found_in_the_wheel() -> None:
    path = fonts.font_path()
    assert path.name == "NotoSansCJK-Regular.ttc"
    assert path.stat().st_size > 10_000_000


def test_the_policy_allows_only_inline_and_data() -> None:
    directives = dict(d.strip().split(" ", 1) for d in CONTENT_SECURITY_POLICY.split(";"))
    assert directives == {
        "default-src": "'none'",
        "img-src": "data:",
        "font-src": "data:",
        "style-src": "'unsafe-inline'",
        "script-src": "'unsafe-inline'",
        "base-uri": "'none'",
        "form-action": "'none'",
    }
    assert CSP_META.startswith('<meta http-equiv="Content-Security-Policy" content="default-src')


def test_a_missing_font_package_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    def missing(name: str) -> None:
        raise fonts.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(fonts.metadata, "distribution", missing)
    with pytest.raises(ConfigError, match="noto-cjk-sans-otc is not installed"):
        fonts.font_face_css("北")
