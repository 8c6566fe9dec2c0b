"""The user's places table and thesaurus: reading, one-line errors, overriding, merging."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from copatent._errors import InputError
from copatent.analytics.collab import collaborations
from copatent.loader import geocode, pipeline
from copatent.places.user import read_places, read_thesaurus
from tests.rows import raw_rows


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_places_by_adcode_and_by_address(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "places.csv",
        "name,adcode,address\n"
        "西南交通大学,510100,\n"  # a city
        "某某研究院,510104,\n"  # a district: its city
        "甲公司,330000,\n"  # a province only
        "乙公司,,内蒙古自治区包头市昆都仑区钢铁大街2号\n"
        "北京某所,110000,\n",  # a municipality: the city too
    )
    places = read_places(path)
    assert (places.find("西南交通大学").city_adcode, places.find("某某研究院").city_adcode) == (
        "510100",
        "510100",
    )
    zhejiang = places.find("甲公司有限公司")  # compared without company forms
    assert (zhejiang.city_adcode, zhejiang.province_adcode) == (None, "330000")
    assert places.find("乙公司").city_adcode == "150200"
    assert places.find("北京某所").city_adcode == "110000"
    assert places.find("丙公司") is None
    assert places.find("西南交通大学").evidence == "places.csv row 2: adcode 510100"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name,adcode\n甲,999999\n", "places.csv: row 2, column adcode: unknown adcode '999999'"),
        ("name,adcode\n甲,5101\n", "places.csv: row 2, column adcode: unknown adcode '5101'"),
        ("name,adcode\n甲,510100\n乙,510100\n甲有限公司,110000\n",
         "places.csv: row 4, column name: '甲有限公司' repeats row 2"),
        ("name,adcode\n,510100\n", "places.csv: row 2, column name: empty"),
        ("name,address\n甲,火星基地\n", "places.csv: row 2, column address: no place found in"),
        ("name,city\n甲,成都\n", "places.csv: row 1: expected a name column and an adcode or"),
        ("", "places.csv: empty file"),
    ],
)  # fmt: skip
def test_places_errors_name_file_row_and_column(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, "places.csv", text)
    with pytest.raises(InputError) as error:
        read_places(path)
    assert str(error.value).startswith(str(tmp_path / message.split(":", maxsplit=1)[0]) + ":")
    assert message.split(": ", 1)[1] in str(error.value)
    assert "\n" not in str(error.value)


def test_places_override_every_other_way(tmp_path: Path) -> None:
    """Region columns, an address, the gazetteer and a place in the name all lose to the table."""
    path = write(
        tmp_path,
        "places.csv",
        "name,adcode\nA,620100\n西南交通大学,620100\n北京科技有限公司,620100\nB,620100\n",
    )
    observations = pd.DataFrame(
        [
            ("A", "", "内蒙古", "包头市"),  # columns
            ("B", "北京市海淀区学院路30号", "", ""),  # address
            ("西南交通大学", "", "", ""),  # the gazetteer (成都)
            ("北京科技有限公司", "", "", ""),  # a place in the name
            ("C", "北京市海淀区学院路30号", "", ""),  # not in the table
        ],
        columns=["name", "address", "province_text", "city_text"],
    )
    got = geocode.geocode(observations, read_places(path)).set_index("name")
    for name in ("A", "B", "西南交通大学", "北京科技有限公司"):
        assert (got.loc[name, "city_adcode"], got.loc[name, "method"]) == ("620100", "places")
    assert (got.loc["C", "city_adcode"], got.loc["C", "method"]) == ("110000", "address")


def test_thesaurus_tab_or_comma_and_chains(tmp_path: Path) -> None:
    tab = read_thesaurus(write(tmp_path, "t.txt", "label\treplace by\nA\tB\nB\tC\nＤ\tC\n"))
    assert tab.replace == {"A": "C", "B": "C", "D": "C"}  # chains followed, widths normalised
    comma = read_thesaurus(write(tmp_path, "t.csv", "label,replace by\nA,B\n"))
    assert comma.apply("A") == "B"
    assert comma.apply("X") == "X"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("label\treplace by\nA\t\n", "row 2, column replace by: empty"),
        ("label\treplace by\n\tB\n", "row 2, column label: empty"),
        ("label\treplace by\nA\tB\nA\tC\n", "row 3, column label: 'A' is replaced differently on row 2"),
        ("label\treplace by\nA\tB\nB\tA\n", "a cycle"),
        ("name\tnew\nA\tB\n", "row 1: expected the columns 'label' and 'replace by'"),
    ],
)  # fmt: skip
def test_thesaurus_errors(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, "thesaurus.txt", text)
    with pytest.raises(InputError) as error:
        read_thesaurus(path)
    assert str(error.value).startswith(f"{path}: ")
    assert message in str(error.value)
    assert "\n" not in str(error.value)


ROWS = [
    {"pub_no": "P1", "app_date": "2016-05-01", "title": "稀土", "applicants": "甲研究院;乙公司;丙大学",
     "applicant_addresses": "北京市海淀区;内蒙古自治区包头市;江西省赣州市"},
    {"pub_no": "P2", "app_date": "2017-05-01", "title": "稀土", "applicants": "甲研究院有限公司;丙大学",
     "applicant_addresses": "北京市海淀区;江西省赣州市"},
    {"pub_no": "P3", "app_date": "2018-05-01", "title": "稀土", "applicants": "乙公司;甲研究院;甲研究院有限公司",
     "applicant_addresses": "内蒙古自治区包头市;北京市海淀区;北京市朝阳区"},
    {"pub_no": "P4", "app_date": "2019-05-01", "title": "稀土", "applicants": "丙大学;丁所",
     "applicant_addresses": "江西省赣州市;四川省成都市"},
]  # fmt: skip


def network(prepared: pipeline.Prepared) -> pd.DataFrame:
    pairs = collaborations(prepared.applied, prepared.patents, prepared.applicants)
    return pairs.sort_values(list(pairs.columns), ignore_index=True)


def test_a_thesaurus_merge_changes_the_network_as_merging_by_hand(tmp_path: Path) -> None:
    thesaurus = read_thesaurus(
        write(tmp_path, "t.txt", "label\treplace by\n甲研究院有限公司\t甲研究院\n")
    )
    merged = pipeline.prepare(raw_rows(ROWS), keywords=None, thesaurus=thesaurus)
    by_hand_rows = [
        {**r, "applicants": r["applicants"].replace("甲研究院有限公司", "甲研究院")} for r in ROWS
    ]
    by_hand = pipeline.prepare(raw_rows(by_hand_rows), keywords=None)
    pd.testing.assert_frame_equal(network(merged), network(by_hand))
    pd.testing.assert_frame_equal(merged.applied, by_hand.applied)
    assert "甲研究院有限公司" not in set(merged.applicants["name"])
    # P3 named both variants: one applicant at its first position
    p3 = merged.applied[merged.applied["pub_no"] == "P3"]
    assert p3["name"].tolist() == ["乙公司", "甲研究院"]
    assert [s.step for s in merged.funnel].count("thesaurus applied") == 1


def test_a_merge_of_differently_placed_names_is_reported(tmp_path: Path) -> None:
    rows = [
        *ROWS,
        {"pub_no": "P5", "app_date": "2019-06-01", "title": "稀土", "applicants": "戊公司;乙公司",
         "applicant_addresses": "广东省广州市;内蒙古自治区包头市"},
    ]  # fmt: skip
    thesaurus = read_thesaurus(
        write(tmp_path, "t.txt", "label\treplace by\n甲研究院有限公司\t甲研究院\n戊公司\t丁所\n")
    )
    prepared = pipeline.prepare(raw_rows(rows), keywords=None, thesaurus=thesaurus)
    merges = prepared.merges.set_index("variant")
    assert not merges.loc["甲研究院有限公司", "conflict"]  # both in Beijing
    assert merges.loc["戊公司", "conflict"]  # Guangzhou merged into a Chengdu name
    assert merges.loc["戊公司", "city_adcode"] == "440100"
    conflicts = prepared.conflicting_merges
    assert conflicts["variant"].tolist() == ["戊公司"]
    assert prepared.report()["merged_names"][0]["name"] in {"甲研究院", "丁所"}
