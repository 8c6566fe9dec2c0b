"""Placing the applicants of a real PatSnap export without addresses (the Sichuan-Tibet railway).

``../shared/reference-data/patents/chuanzang_railway/data.csv``: 531 PatSnap rows, no address or
region column (see its SOURCE.txt; MIT). Coverage is measured on its collaborations (first
applicant → each other applicant of a patent with two or more); precision on
``tests/data/places/chuanzang_seats.csv``, the seats of its organisations as checked by hand from
the Ministry of Education's list, the organisations' own sites and registrations (the ``source``
column says which for each), built without looking at the gazetteer.
"""

from __future__ import annotations

import functools
from pathlib import Path

import pandas as pd

from copatent.loader import placed
from copatent.loader.exports import prepare_exports
from copatent.loader.options import ExportOptions
from copatent.loader.pipeline import Prepared
from tests.reference import reference_data

EXPORT = reference_data() / "patents" / "chuanzang_railway" / "data.csv"
SEATS = Path(__file__).parents[1] / "data" / "places" / "chuanzang_seats.csv"


@functools.cache
def prepared() -> Prepared:
    _, result, _ = prepare_exports([EXPORT], ExportOptions(columns="patsnap", topic="none"))
    return result


def test_coverage_of_the_collaborations() -> None:
    """What the shipped gazetteer and the names place: 118 of 158 collaborations at the province
    scale (74.7 %), 100 at the city scale (63.3 %); before the gazetteer, 8 and 3.

    Short of the 80 % and 70 % asked for: the rest needs the seats of 13 railway and mining
    subsidiaries (中铁十一局集团第五工程有限公司, 中交二公局第四工程有限公司, ...) that no source
    reachable here states, and the gazetteer holds only sourced seats. A ``--places`` table of
    those rows is the user's way to the rest.
    """
    found = placed.coverage(prepared())
    placed_province, total = found["province"]
    placed_city, _ = found["city"]
    assert total == 158  # the patents with two or more organisations, persons dropped
    assert placed_province >= 118
    assert placed_city >= 100


def checked() -> pd.DataFrame:
    seats = pd.read_csv(SEATS, dtype=str, keep_default_na=False)
    got = prepared().applicants.set_index("name")
    seats = seats[seats["name"].isin(got.index)]
    return seats.assign(
        got_province=seats["name"].map(got["province_adcode"]),
        got_city=seats["name"].map(got["city_adcode"]),
        method=seats["name"].map(got["method"]),
    )


def test_the_hand_checked_list_covers_the_frequent_applicants() -> None:
    seats = pd.read_csv(SEATS, dtype=str, keep_default_na=False)
    loaded = set(prepared().applicants["name"])
    frequent = prepared().applied["name"].value_counts()
    assert set(frequent[frequent >= 2].index) <= set(seats["name"])
    assert len(set(seats["name"]) & loaded) >= 90


def test_precision_of_the_places() -> None:
    """At least 98 % of the placed checked applicants are placed in their checked province, and
    of those placed in a city, 98 % in their checked city."""
    seats = checked()
    with_province = seats[(seats["province_adcode"] != "") & seats["got_province"].notna()]
    right = with_province["got_province"] == with_province["province_adcode"]
    wrong = with_province.loc[~right, ["name", "province_adcode", "got_province", "method"]]
    assert right.mean() >= 0.98, wrong.to_string()
    with_city = seats[(seats["city_adcode"] != "") & seats["got_city"].notna()]
    right = with_city["got_city"] == with_city["city_adcode"]
    wrong = with_city.loc[~right, ["name", "city_adcode", "got_city", "method"]]
    assert right.mean() >= 0.98, wrong.to_string()
    assert len(with_province) >= 80


def test_every_placed_applicant_says_how_and_why() -> None:
    applicants = prepared().applicants
    placed_rows = applicants[applicants["province_adcode"].notna()]
    assert placed_rows["method"].isin(["gazetteer", "name"]).all()  # no columns, no addresses
    assert placed_rows["evidence"].notna().all()
    unplaced = prepared().unresolved
    assert unplaced["reason"].notna().all()
