"""The inclusion rules and the funnel (DESIGN.md item 1) on hand-made rows."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from copatent.loader import applicants as appl
from copatent.loader import pipeline
from copatent.loader.sources import SourceFile
from tests.rows import raw_rows as raw

BJ = "北京市海淀区学院路1号"
BT = "内蒙古自治区包头市昆都仑区钢铁大街2号"


ROWS = [
    # 1 good: Beijing leads, Baotou participates
    {"pub_no": "P1", "app_date": "2016-05-01", "title": "稀土永磁体", "applicants": "甲公司;乙研究院",
     "applicant_addresses": f"{BJ};{BT}", "applicant_countries": "CN;CN"},
    # 2 duplicate of P1 (merged)
    {"pub_no": "P1", "app_date": "2016-05-01", "title": "稀土永磁体", "applicants": "甲公司;乙研究院",
     "applicant_addresses": f"{BJ};{BT}", "applicant_countries": "CN;CN"},
    # 3 unparseable date (quarantined)
    {"pub_no": "P2", "app_date": "2013-02-30", "title": "稀土", "applicants": "甲公司;乙研究院"},
    # 4 off topic
    {"pub_no": "P3", "app_date": "2017-01-01", "title": "混凝土搅拌装置", "applicants": "甲公司;乙研究院"},
    # 5 a natural person among three applicants
    {"pub_no": "P4", "app_date": "2018-01-01", "title": "钕铁硼", "applicants": "王建国;甲公司;乙研究院",
     "applicant_addresses": f";{BJ};{BT}"},
    # 6 a foreign applicant with a domestic one
    {"pub_no": "P5", "app_date": "2019-01-01", "title": "稀土抛光粉",
     "applicants": "甲公司;日立金属株式会社", "applicant_countries": "CN;JP"},
    # 7 a single applicant
    {"pub_no": "P6", "app_date": "2020-01-01", "title": "稀土催化剂", "applicants": "甲公司",
     "applicant_addresses": BJ},
    # 8 good, dotted date, the leader is Baotou
    {"pub_no": "P7", "app_date": "2020.07.09", "title": "A rare earth magnet",
     "applicants": "乙研究院；甲公司", "applicant_addresses": f"{BT}；{BJ}"},
]  # fmt: skip


def funnel(prepared: pipeline.Prepared) -> dict[str, tuple[int, int]]:
    return {s.step: (s.count, s.removed) for s in prepared.funnel}


def test_funnel_with_the_default_patent_policy() -> None:
    prepared = pipeline.prepare(raw(ROWS), keywords=pipeline.default_keywords())
    assert funnel(prepared) == {
        "rows read": (8, 0),
        "dates parsed": (7, 1),
        "duplicates merged": (6, 1),
        "topic kept": (5, 1),
        "natural-person patents dropped": (4, 1),
        "foreign patents dropped": (3, 1),
        "single-applicant dropped": (2, 1),
        "applicants geocoded": (2, 0),
        "patents loaded": (2, 0),
    }
    assert sorted(prepared.patents["pub_no"]) == ["P1", "P7"]
    q = prepared.quarantine.iloc[0]
    assert (q["source_file"], q["source_row"], q["column"], q["value"]) == (
        "export.csv", 4, "app_date", "2013-02-30",
    )  # fmt: skip


def test_applicant_policy_keeps_patents_with_two_or_more_left() -> None:
    prepared = pipeline.prepare(
        raw(ROWS), keywords=pipeline.default_keywords(), drop_policy="applicant"
    )
    steps = funnel(prepared)
    assert steps["natural-person applicants dropped"] == (5, 1)
    assert steps["foreign applicants dropped"] == (5, 1)
    assert steps["single-applicant dropped"] == (3, 2)  # P5 (one left) and P6
    assert sorted(prepared.patents["pub_no"]) == ["P1", "P4", "P7"]
    p4 = prepared.applied[prepared.applied["pub_no"] == "P4"].sort_values("position")
    # the person is gone, positions are renumbered: 甲公司 now leads
    assert p4[["name", "position"]].values.tolist() == [["甲公司", 0], ["乙研究院", 1]]


def test_order_and_places() -> None:
    prepared = pipeline.prepare(raw(ROWS), keywords=None)
    p7 = prepared.applied[prepared.applied["pub_no"] == "P7"].sort_values("position")
    assert p7["name"].tolist() == ["乙研究院", "甲公司"]
    places = prepared.applicants.set_index("name")
    assert places.loc["甲公司", "city_adcode"] == "110000"
    assert places.loc["乙研究院", "city_adcode"] == "150200"
    assert set(prepared.cities["adcode"]) == {"110000", "150200"}
    assert set(prepared.provinces["adcode"]) == {"110000", "150000"}
    years = prepared.patents.set_index("pub_no")["year"]
    assert (years["P1"], years["P7"]) == (2016, 2020)


def test_topic_none_keeps_off_topic_patents() -> None:
    steps = funnel(pipeline.prepare(raw(ROWS), keywords=None))
    assert steps["topic kept"] == (6, 0)


def test_unresolved_applicants_are_listed_not_dropped() -> None:
    rows = [{"pub_no": "X1", "app_date": "2015-01-01", "title": "稀土",
             "applicants": "华为技术有限公司;甲公司", "applicant_addresses": f";{BJ}"}]  # fmt: skip
    prepared = pipeline.prepare(raw(rows), keywords=None)
    assert prepared.unresolved["name"].tolist() == ["华为技术有限公司"]
    assert len(prepared.applied) == 2
    report = prepared.report()
    assert report["unresolved_applicants"][0]["name"] == "华为技术有限公司"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2015-03-02", "2015-03-02"), ("2015.03.02", "2015-03-02"), ("2015/03/02", "2015-03-02"),
     ("20150302", "2015-03-02"), ("2015-02-30", None), ("未知", None), ("", None)],
    ids=["iso", "dots", "slashes", "compact", "feb30", "text", "empty"],
)  # fmt: skip
def test_dates(text: str, expected: str | None) -> None:
    parsed = pipeline.parse_dates(pd.Series([text]))[0]
    assert (None if pd.isna(parsed) else parsed.strftime("%Y-%m-%d")) == expected


def test_exports_without_any_region_column() -> None:
    """PatSnap-style rows: applicants only; the gazetteer, a place in the name, or nothing."""
    rows = [{"pub_no": "Z1", "app_date": "2021-01-01", "title": "隧道",
             "applicants": "西南交通大学 | 某某隧道工程有限公司 | 成都某某科技有限公司"}]  # fmt: skip
    prepared = pipeline.prepare(raw(rows), keywords=None)
    places = prepared.applicants.set_index("name")
    assert places.loc["西南交通大学", ["city_adcode", "method"]].tolist() == ["510100", "gazetteer"]
    assert places.loc["成都某某科技有限公司", "method"] == "name"
    assert places.loc["某某隧道工程有限公司", "method"] is None
    assert prepared.unresolved["name"].tolist() == ["某某隧道工程有限公司"]
    assert len(prepared.applied) == 3


def _source(path: str, digit: str) -> SourceFile:
    return SourceFile(digit * 64, path, f"/data/{path}", path, 100)


A, B = _source("a.csv", "a"), _source("b.csv", "b")


def test_duplicates_across_files_keep_every_file() -> None:
    """ROWS split into two files, P1 in both (its duplicate row is b.csv's first row)."""
    both = pd.concat([raw(ROWS[:1], "a.csv"), raw(ROWS[1:], "b.csv")], ignore_index=True)
    one = pipeline.prepare(raw(ROWS), keywords=pipeline.default_keywords())
    prepared = pipeline.prepare(both, keywords=pipeline.default_keywords(), sources=[A, B])
    assert prepared.funnel == one.funnel  # the funnel counts rows, whatever file they are in
    assert prepared.patents.equals(one.patents)
    brought = prepared.provenance.groupby("pub_no")["sha256"].agg(list).to_dict()
    # P1: a row in each file (one merged); P7 only in b.csv; the dropped patents have no entry
    assert brought == {"P1": [A.sha256, B.sha256], "P7": [B.sha256]}
    assert prepared.sources["sha256"].tolist() == [A.sha256, B.sha256]
    assert prepared.sources.loc[0].to_dict() == vars(A)


def test_a_row_with_an_unparseable_date_brings_nothing() -> None:
    """P2's only row is quarantined: no file brought a patent the graph does not get."""
    good = {**ROWS[0], "pub_no": "P2"}
    both = pd.concat([raw([ROWS[2]], "a.csv"), raw([good], "b.csv")], ignore_index=True)
    prepared = pipeline.prepare(both, keywords=None, sources=[A, B])
    assert prepared.provenance.values.tolist() == [["P2", B.sha256]]


def test_the_same_bytes_under_two_paths_are_one_source() -> None:
    copy = SourceFile(A.sha256, "copy.csv", "/data/copy.csv", "copy.csv", 100)
    both = pd.concat([raw(ROWS[:1], "a.csv"), raw(ROWS[1:], "copy.csv")], ignore_index=True)
    prepared = pipeline.prepare(both, keywords=pipeline.default_keywords(), sources=[A, copy])
    assert prepared.sources["path"].tolist() == ["a.csv"]
    assert prepared.provenance.values.tolist() == [["P1", A.sha256], ["P7", A.sha256]]


def test_without_sources_no_provenance_and_rows_of_unknown_files_refused() -> None:
    prepared = pipeline.prepare(raw(ROWS), keywords=None)
    assert prepared.provenance.empty
    assert prepared.sources.empty
    with pytest.raises(ValueError, match=r"not among the sources: export\.csv"):
        pipeline.prepare(raw(ROWS), keywords=None, sources=[A])


def test_prepare_files_identifies_each_file(tmp_path: Path) -> None:
    """The hashes are those of the files' bytes (hashlib on the file, independently)."""
    header = "公开（公告）号,申请号,申请日,标题,申请人,申请人地址,申请人国别代码\n"
    row = f'P1,A1,2016-05-01,稀土永磁体,甲公司;乙研究院,"{BJ};{BT}",CN;CN\n'
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    first.write_text(header + row, encoding="utf-8")
    second.write_text(header + row + row.replace("P1", "P9"), encoding="utf-8")
    prepared = pipeline.prepare_files([first, second], keywords=None)
    sha = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in (first, second)}
    assert prepared.sources[["name", "sha256"]].values.tolist() == [
        ["a.csv", sha["a.csv"]],
        ["b.csv", sha["b.csv"]],
    ]
    assert prepared.sources["bytes"].tolist() == [first.stat().st_size, second.stat().st_size]
    assert prepared.provenance.values.tolist() == sorted(
        [["P1", sha["a.csv"]], ["P1", sha["b.csv"]], ["P9", sha["b.csv"]]]
    )


CELLS = st.none() | st.text(alphabet="甲乙丙 ;；|\u3000ＡAa,", max_size=12)
ROW = st.tuples(st.text(alphabet="P1", max_size=2), *[CELLS] * 6)


@given(st.lists(ROW, max_size=12), st.sampled_from([appl.DEFAULT_SEPARATOR, r"\|"]))
def test_explode_splits_each_row_as_the_applicant_functions_do(
    rows: list[tuple[str | None, ...]], separator: str
) -> None:
    """explode works on distinct cells and whole columns; row by row it is the definition."""
    frame = pd.DataFrame(rows, columns=["pub_no", "applicants", *pipeline._ALIGNED])
    expected = []
    for pub_no, cell, *aligned in rows:
        names = appl.split_applicants(cell, separator)
        values = [appl.split_aligned(c, len(names), separator) for c in aligned]
        countries, types, addresses, provinces, cities = values
        for j, name in enumerate(names):
            kind = appl.classify(name, country=countries[j], applicant_type=types[j])
            expected.append([pub_no or "", name, addresses[j], provinces[j], cities[j], kind])
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pipeline, "_EXPLODE_CHUNK", 5)  # batches end inside the frame
        exploded = pipeline.explode(frame.astype(pd.StringDtype("pyarrow")), separator)
    assert exploded.astype(object).values.tolist() == expected
