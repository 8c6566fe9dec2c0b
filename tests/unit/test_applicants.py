"""Applicant splitting, normalisation and classification (loader/data/applicant_rules.toml)."""

from __future__ import annotations

import pytest

from copatent.loader import applicants as appl


def test_split_keeps_order_and_drops_repeats() -> None:
    cell = "包头稀土研究院 ; 北京科技大学；包头稀土研究院|Santoku Corporation"
    assert appl.split_applicants(cell) == ["包头稀土研究院", "北京科技大学", "Santoku Corporation"]


def test_patsnap_separator() -> None:
    assert appl.split_applicants("中铁二院工程集团有限责任公司 | 西南交通大学") == [
        "中铁二院工程集团有限责任公司",
        "西南交通大学",
    ]


@pytest.mark.parametrize(
    ("raw", "key"),
    [("（株）日立", "(株)日立"), ("北京 科技 大学", "北京科技大学"), ("ＡＢＣ公司", "ABC公司"),
     ("a\x00b公司", "ab公司"), ("  Foo   Bar Inc. ", "Foo Bar Inc.")],
    ids=["brackets", "cjk-spaces", "fullwidth", "nul", "latin-spaces"],
)  # fmt: skip
def test_normalise(raw: str, key: str) -> None:
    assert appl.normalise_name(raw) == key


@pytest.mark.parametrize(
    ("name", "country", "kind_of", "expected"),
    [
        ("赣州稀土矿业有限公司", "", "", "organisation"),
        ("中国科学院长春应用化学研究所", "", "", "organisation"),
        ("内蒙古科技大学", "", "", "organisation"),
        ("国家电网公司", "", "", "organisation"),
        ("王建国", "", "", "person"),
        ("欧阳明华", "", "", "person"),
        ("买买提·艾力", "", "", "person"),
        ("信越化学工业株式会社", "", "", "foreign"),
        ("Lynas Corporation Ltd.", "", "", "foreign"),
        ("北京某某", "US", "", "foreign"),  # the country code decides first
        ("张三", "CN", "企业", "organisation"),  # then the export's applicant type
        ("某某某某某某某某", "", "", "unknown"),
    ],
    ids=lambda v: v if isinstance(v, str) and v else "-",
)
def test_classify(name: str, country: str, kind_of: str, expected: str) -> None:
    assert appl.classify(name, country=country, applicant_type=kind_of) == expected


def test_rules_are_data() -> None:
    rules = appl.default_rules()
    assert rules.domestic_countries == frozenset({"CN"})
    assert {r.kind for r in rules.rules} == {"foreign", "organisation", "person"}
