"""The synthetic incoPat sample: format, determinism, geography, network shape and noise.

The inclusion rules are re-implemented here on the generated columns (not through the loader), so
that the sample is checked against the paper's rules independently of the code it feeds. The
headers are checked against the loader's incoPat column map: they are the format the sample is for.
"""

from __future__ import annotations

import json
import re
import sys
import tomllib
from collections import Counter
from importlib import resources
from pathlib import Path

import numpy as np
import openpyxl  # type: ignore[import-untyped]
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal
from typer.testing import CliRunner

from copatent import cli, regions
from copatent._errors import InputError
from copatent.loader.readers import builtin_column_map
from copatent.sample import DEFAULT_PATENTS, generator, statistics

SEED = 0
# the loader's incoPat column map: canonical column -> header spellings, the preferred first
INCOPAT = builtin_column_map("incopat").columns
SERIAL = "序号"  # incoPat's row number, which the loader does not read
# the cells that hold one value per applicant, aligned with the applicants
PER_APPLICANT = [
    spellings[0] for column, spellings in INCOPAT.items() if column.startswith("applicant")
]
PAPER_KEPT = 6_400  # patents the paper analyses after its inclusion rules


def keywords() -> list[str]:
    text = resources.files("copatent.loader.data").joinpath("topic_rare_earth.txt").read_text()
    lines = (line.split("#", 1)[0].strip().lower() for line in text.splitlines())
    return [line for line in lines if line]


def has_keyword(texts: pd.Series) -> pd.Series:
    lowered = texts.str.lower()
    found = pd.Series(False, index=texts.index)
    for word in keywords():
        found |= lowered.str.contains(word, regex=False)
    return found


def split(frame: pd.DataFrame, column: str) -> pd.Series:
    return frame[column].str.split(";")


def paper_filter(frame: pd.DataFrame) -> pd.DataFrame:
    """DESIGN.md item 1 on the raw columns: merge duplicates, topic, person, foreign, >= 2."""
    patents = frame.drop_duplicates("公开（公告）号")
    on_topic = has_keyword(patents["标题"] + " " + patents["摘要"])
    person = split(patents, "申请人类型").map(lambda types: "个人" in types)
    foreign = split(patents, "申请人国别代码").map(lambda codes: any(c != "CN" for c in codes))
    several = split(patents, "申请人").map(len) >= 2
    return patents[on_topic & ~person & ~foreign & several]


def entries(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per (patent row, applicant) with the aligned per-applicant cells."""
    parts = {c: split(frame, c) for c in PER_APPLICANT}
    exploded = pd.DataFrame(parts).explode(PER_APPLICANT, ignore_index=False)
    exploded["year"] = frame["申请号"].map(application_year)
    return exploded


def application_year(number: str) -> int:
    """The year in a CN application number: CN2015... (from 10/2003) or CN01... (before)."""
    return int(number[2:6]) if len(number) == 16 else 2000 + int(number[2:4])


def collaborations(kept: pd.DataFrame, first: int, last: int) -> Counter[tuple[str, str]]:
    """Inter-city arcs by the paper's rule: the first applicant -> each other applicant."""
    dates = pd.to_datetime(kept["申请日"], format="%Y-%m-%d", errors="coerce")
    period = kept[(dates.dt.year >= first) & (dates.dt.year <= last)]
    arcs: Counter[tuple[str, str]] = Counter()
    for cell in period["中国申请人地市"]:
        cities = [regions.ALIASES.get(c, c) for c in cell.split(";")]
        for other in cities[1:]:
            if cities[0] and other and other != cities[0]:
                arcs[(cities[0], other)] += 1
    return arcs


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    return generator.generate(seed=SEED)


@pytest.fixture(scope="module")
def kept(frame: pd.DataFrame) -> pd.DataFrame:
    return paper_filter(frame)


# -- format


def test_headers_are_incopat_export_headers(frame: pd.DataFrame) -> None:
    """Every column of the loader's incoPat map once, under the map's first (Chinese export)
    spelling; besides them only 序号 (first) and the publication date, which the loader skips."""
    assert frame.columns[0] == SERIAL
    assert frame[SERIAL].dtype == np.int64
    preferred = {spellings[0]: column for column, spellings in INCOPAT.items()}
    assert [h for h in frame.columns if h not in preferred] == [SERIAL, "公开（公告）日"]
    columns = [preferred[h] for h in frame.columns if h in preferred]
    assert sorted(columns) == sorted(INCOPAT)  # each once, none missing


def test_per_applicant_cells_are_aligned(frame: pd.DataFrame) -> None:
    counts = pd.DataFrame({c: split(frame, c).map(len) for c in PER_APPLICANT})
    assert (counts.eq(counts["申请人"], axis=0)).all().all()
    assert counts["申请人"].between(1, 4).all()


def test_applicants_are_distinct_within_a_patent(frame: pd.DataFrame) -> None:
    names = split(frame, "申请人")
    assert (names.map(len) == names.map(lambda n: len(set(n)))).all()


def test_numbers_and_kinds(frame: pd.DataFrame) -> None:
    patents = frame.drop_duplicates("公开（公告）号")
    assert len(patents) == DEFAULT_PATENTS
    letter = patents["公开（公告）号"].str[-1]
    expected = patents["专利类型"].map({"发明申请": "A", "发明授权": "B", "实用新型": "U"})
    assert (letter == expected).all()
    assert patents["公开（公告）号"].str.fullmatch(r"CN[12]\d{8}[ABU]").all()
    assert patents["申请号"].is_unique
    assert patents["申请号"].str.fullmatch(r"CN(\d{12}|\d{8})\.[\dX]").all()
    utility = patents["专利类型"] == "实用新型"
    type_digit = patents["申请号"].map(lambda a: a[6] if len(a) == 16 else a[4])
    assert (type_digit == np.where(utility, "2", "1")).all()
    assert patents["公开（公告）日"].str.fullmatch(r"\d{4}-\d{2}-\d{2}").all()


def check_digit_ok(number: str) -> bool:
    """CNIPA's rule: digits weighted 2..9, 2..5 from the left, sum mod 11, 10 written X."""
    digits, check = number[2:].split(".")
    total = sum(
        int(d) * w for d, w in zip(digits, [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5], strict=False)
    )
    return check == ("X" if total % 11 == 10 else str(total % 11))


def test_application_numbers_carry_valid_check_digits(frame: pd.DataFrame) -> None:
    assert frame["申请号"].map(check_digit_ok).all()


def test_application_number_matches_application_year(frame: pd.DataFrame) -> None:
    dates = pd.to_datetime(frame["申请日"], format="%Y-%m-%d", errors="coerce")
    ok = dates.notna()
    year = frame["申请号"].map(application_year)
    assert (year[ok] == dates[ok].dt.year).all()
    old_format = frame["申请号"].str.len() == 12
    assert (dates[ok & old_format] < "2003-10-01").all()


# -- determinism


def test_same_seed_same_frame_other_seed_other_frame() -> None:
    first = generator.generate(3_000, seed=5)
    assert_frame_equal(first, generator.generate(3_000, seed=5))
    assert not first.equals(generator.generate(3_000, seed=6))


def test_same_seed_same_csv_bytes(tmp_path: Path) -> None:
    a = generator.write(generator.generate(3_000, seed=5), tmp_path / "a.csv")
    b = generator.write(generator.generate(3_000, seed=5), tmp_path / "b.csv")
    assert a.read_bytes() == b.read_bytes()
    readme_a = (tmp_path / "a.README.txt").read_text(encoding="utf-8")
    readme_b = (tmp_path / "b.README.txt").read_text(encoding="utf-8")
    assert readme_a.replace("a.csv", "b.csv") == readme_b


# -- geography


def test_chinese_applicants_are_in_real_cities_and_districts(frame: pd.DataFrame) -> None:
    cn = entries(frame)
    cn = cn[cn["申请人国别代码"] == "CN"]
    cities = regions.cities()
    city_code = dict(zip(cities["name"], cities["adcode"], strict=True))
    districts = regions.districts()
    district_names = districts.groupby("city_adcode")["name"].agg(set)
    provinces = set(regions.provinces()["short"])
    placed = cn[cn["中国申请人地市"] != ""]
    assert len(placed) > 0.95 * len(cn)
    assert set(placed["申请人省市代码"]) <= provinces
    resolved = placed["中国申请人地市"].map(lambda c: regions.ALIASES.get(c, c))
    assert set(resolved) <= set(city_code)
    for city, district in zip(resolved, placed["中国申请人区县"], strict=True):
        assert district in district_names[city_code[city]], (city, district)
    # the address names the city (or its old name) and the district, in that order
    with_address = placed[placed["申请人地址"] != ""]
    assert all(
        re.search(f"{c}{d}", a)
        for c, d, a in zip(
            with_address["中国申请人地市"],
            with_address["中国申请人区县"],
            with_address["申请人地址"],
            strict=True,
        )
    )


def test_foreign_entries_have_no_chinese_region(frame: pd.DataFrame) -> None:
    foreign = entries(frame)
    foreign = foreign[foreign["申请人国别代码"] != "CN"]
    assert len(foreign) > 0
    assert set(foreign["申请人国别代码"]) <= {"JP", "US", "AU", "FR", "DE", "KR", "GB"}
    assert (foreign[["申请人省市代码", "中国申请人地市", "中国申请人区县"]] == "").all().all()
    assert (foreign["申请人地址"] != "").all()


def test_old_city_names_appear_only_before_the_change(frame: pd.DataFrame) -> None:
    cn = entries(frame)
    laiwu = cn[cn["中国申请人地市"] == "莱芜市"]
    xiangfan = cn[cn["中国申请人地市"] == "襄樊市"]
    assert len(laiwu) > 0
    assert len(xiangfan) > 0
    assert laiwu["申请人地址"].map(lambda a: a == "" or "莱芜市" in a).all()
    # 莱芜 merged into 济南 in 2019, 襄樊 became 襄阳 in 2010; the year is in the application number
    assert laiwu["year"].max() <= 2018
    assert xiangfan["year"].max() <= 2010
    assert laiwu["year"].min() >= generator.FIRST_YEAR
    assert {"莱芜市", "襄樊市"} <= set(regions.ALIASES)


# -- the paper's shape


def test_default_size_keeps_about_the_papers_patents(kept: pd.DataFrame) -> None:
    # the paper analyses about 6,400 collaborative patents; the default reproduces that within 5 %
    assert abs(len(kept) - PAPER_KEPT) <= 0.05 * PAPER_KEPT


def test_years_span_2001_to_2020_and_grow(frame: pd.DataFrame, kept: pd.DataFrame) -> None:
    dates = pd.to_datetime(frame["申请日"], format="%Y-%m-%d", errors="coerce").dropna()
    assert dates.dt.year.min() == generator.FIRST_YEAR
    assert dates.dt.year.max() == generator.LAST_YEAR
    years = pd.to_datetime(kept["申请日"], format="%Y-%m-%d", errors="coerce").dt.year
    per_period = [years.between(a, b).sum() for a, b in generator.PERIODS]
    assert per_period == sorted(per_period)
    assert per_period[-1] > 0.5 * len(kept)
    assert per_period[0] < 0.08 * len(kept)


def test_beijing_leads_and_beijing_shanghai_is_the_strongest_pair(kept: pd.DataFrame) -> None:
    arcs = collaborations(kept, 2016, 2020)
    degree: Counter[str] = Counter()
    pairs: Counter[frozenset[str]] = Counter()
    for (a, b), weight in arcs.items():
        degree[a] += weight
        degree[b] += weight
        pairs[frozenset((a, b))] += weight
    ranked = [city for city, _ in degree.most_common()]
    assert ranked[:2] == ["北京市", "上海市"]
    assert set(ranked[2:4]) == {"厦门市", "龙岩市"}  # the study's Table 2 (city scale)
    assert pairs.most_common(1)[0][0] == frozenset(("北京市", "上海市"))
    assert arcs.most_common(1)[0][0] == ("北京市", "上海市")
    # the magnitude of the paper's Beijing (weighted degree 578 in 2016-2020), loosely
    assert 400 <= degree["北京市"] <= 900


# -- noise the loader must remove


def test_noise_shares(frame: pd.DataFrame) -> None:
    patents = frame.drop_duplicates("公开（公告）号")
    n = len(patents)
    count = split(patents, "申请人").map(len)
    single, multi = patents[count == 1], patents[count > 1]
    off_topic = ~has_keyword(patents["标题"] + " " + patents["摘要"])
    assert off_topic.mean() == pytest.approx(generator.P_OFF_TOPIC, abs=0.01)
    assert (count == 1).mean() == pytest.approx(generator.APPLICANT_COUNT_SHARES[1], abs=0.015)

    def share(part: pd.DataFrame, column: str, value: str) -> float:
        """Share of patents with an applicant whose cell is ``value`` ("!CN": is not CN)."""
        cells = split(part, column)
        if value == "!CN":
            return float(cells.map(lambda codes: any(c != "CN" for c in codes)).mean())
        return float(cells.map(lambda values: value in values).mean())

    assert share(single, "申请人类型", "个人") == pytest.approx(
        generator.P_PERSON_SINGLE, abs=0.015
    )
    assert share(multi, "申请人类型", "个人") == pytest.approx(generator.P_PERSON_MULTI, abs=0.015)
    assert share(single, "申请人国别代码", "!CN") == pytest.approx(
        generator.P_FOREIGN_SINGLE, abs=0.012
    )
    assert share(multi, "申请人国别代码", "!CN") == pytest.approx(
        generator.P_FOREIGN_MULTI, abs=0.012
    )

    # duplicates: the same patent again, exactly or with another 序号
    extra = frame[frame.duplicated("公开（公告）号", keep=False)]
    assert len(frame) - n == round(generator.P_DUPLICATE * n)
    rest = [c for c in frame.columns if c != SERIAL]
    assert (extra.groupby("公开（公告）号")[rest].nunique() == 1).all().all()
    serials = extra.groupby("公开（公告）号")["序号"].nunique()
    assert (serials == 1).any()
    assert (serials == 2).any()

    # unparseable application dates: a few, fewer than 0.5 %
    bad = pd.to_datetime(patents["申请日"], format="%Y-%m-%d", errors="coerce").isna()
    assert 0 < bad.mean() < 0.005
    assert {"未知"} <= set(patents.loc[bad, "申请日"])

    # missing addresses among Chinese applicants, some with the region cells empty too
    cn = entries(patents)
    cn = cn[cn["申请人国别代码"] == "CN"]
    no_address = cn["申请人地址"] == ""
    assert no_address.mean() == pytest.approx(generator.P_MISSING_ADDRESS, abs=0.005)
    assert (no_address & (cn["中国申请人地市"] == "")).any()
    assert (no_address & (cn["中国申请人地市"] != "")).any()


def test_natural_persons_and_organisations_look_the_part(frame: pd.DataFrame) -> None:
    every = entries(frame)
    persons = every[every["申请人类型"] == "个人"]["申请人"]
    assert persons.str.fullmatch(r"[\u4e00-\u9fff]{2,3}").all()
    organisations = every[every["申请人类型"].isin(["企业", "大专院校", "科研单位", "机关团体"])]
    domestic = organisations[organisations["申请人国别代码"] == "CN"]["申请人"]
    suffix = r".*(有限公司|有限责任公司|研究院|研究所|大学|学院|中心|实验室|协会|局|中心站)"
    assert domestic.str.fullmatch(suffix).all()
    # the same organisation recurs; a few are very active
    counts = domestic.value_counts()
    assert counts.median() >= 2
    assert counts.iloc[0] >= 100


def test_word_lists_respect_the_topic_rule() -> None:
    words = keywords()
    text = resources.files("copatent.sample.data").joinpath("sample_vocabulary.toml").read_text()
    voc = tomllib.loads(text)

    def hit(s: str) -> bool:
        return any(w in s.lower() for w in words)

    assert all(hit(m["term"]) for m in voc["topic"]["materials"])
    assert all(hit(t) for t in voc["topic"]["targets"])
    off = [m["term"] for m in voc["offtopic"]["materials"]]
    generic = [w for values in voc["generic"].values() for w in values]
    assert not any(hit(s) for s in off + generic)


# -- files


def test_gbk_csv_round_trips(frame: pd.DataFrame, tmp_path: Path) -> None:
    out = generator.write(frame, tmp_path / "export.csv", encoding="gbk")
    with pytest.raises(UnicodeDecodeError):
        out.read_bytes().decode("utf-8")
    back = pd.read_csv(out, encoding="gbk", dtype={"序号": np.int64}, keep_default_na=False)
    back = back.astype({c: frame[c].dtype for c in frame.columns})
    assert_frame_equal(back, frame)


def test_utf8_csv_round_trips_and_says_it_is_synthetic(tmp_path: Path) -> None:
    frame = generator.generate(500, seed=3)
    out = generator.write(frame, tmp_path / "export.csv")
    back = pd.read_csv(out, encoding="utf-8", keep_default_na=False)
    back = back.astype({c: frame[c].dtype for c in frame.columns})
    assert_frame_equal(back, frame)
    readme = (tmp_path / "export.README.txt").read_text(encoding="utf-8")
    assert readme.startswith(generator.notice(3))
    assert "SYNTHETIC" in readme
    assert "seed 3" in readme
    assert "copatent" in readme


def test_xlsx_says_it_is_synthetic(tmp_path: Path) -> None:
    frame = generator.generate(300, seed=2)
    out = generator.write(frame, tmp_path / "export.xlsx")
    book = openpyxl.load_workbook(out, read_only=True)
    try:
        statement = generator.notice(2)
        assert statement.startswith("SYNTHETIC sample data generated by copatent ")
        assert "(seed 2)" in statement
        assert "not real patents" in statement
        props = book.properties
        assert props.title == props.subject == props.description == statement
        assert book.sheetnames == ["专利", "说明"]
        rows = list(book["专利"].iter_rows(values_only=True))
        assert list(rows[0]) == list(frame.columns)
        assert len(rows) == len(frame) + 1
        assert next(book["说明"].iter_rows(values_only=True))[0] == statement
    finally:
        book.close()


@pytest.mark.parametrize(
    ("name", "encoding"),
    [("out.txt", "utf-8"), ("out", "utf-8"), ("out.xlsx", "gbk"), ("out.csv", "latin-1")],
    ids=["txt-suffix", "no-suffix", "xlsx-with-encoding", "unknown-encoding"],
)
def test_bad_targets_are_input_errors(tmp_path: Path, name: str, encoding: str) -> None:
    with pytest.raises(InputError, match=re.escape(str(tmp_path / name))):
        generator.write(generator.generate(50), tmp_path / name, encoding=encoding)


def test_bad_sizes_are_value_errors() -> None:
    with pytest.raises(ValueError, match="n_patents"):
        generator.generate(0)
    with pytest.raises(ValueError, match="seed"):
        generator.generate(10, seed=-1)


# -- command line


def test_cli_writes_csv_and_reports_json(tmp_path: Path) -> None:
    out = tmp_path / "demo.csv"
    args = ["sample", "--patents", "400", "--seed", "9", "--out", str(out), "--json"]
    result = CliRunner().invoke(cli.app, args)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["rows"] == len(pd.read_csv(out)) == 400 + round(400 * generator.P_DUPLICATE)
    assert report["synthetic"] is True
    assert report["readme"] == str(tmp_path / "demo.README.txt")
    assert report["patents"] == 400


def test_cli_prints_one_line_per_file(tmp_path: Path) -> None:
    out = tmp_path / "demo.xlsx"
    result = CliRunner().invoke(cli.app, ["sample", "--patents", "100", "--out", str(out)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 3  # the export, then the province and city statistics
    assert all("SYNTHETIC" in line for line in lines)
    assert out.exists()
    for scale in ("province", "city"):
        assert (tmp_path / f"demo-statistics-{scale}.csv").exists()
    alone = tmp_path / "alone.xlsx"
    result = CliRunner().invoke(
        cli.app, ["sample", "--patents", "100", "--out", str(alone), "--no-statistics"]
    )
    assert len(result.stdout.strip().splitlines()) == 1
    assert not (tmp_path / "alone-statistics-city.csv").exists()


def test_statistics_are_synthetic_deterministic_and_follow_activity() -> None:
    provinces = statistics.statistics("province", seed=3)
    assert len(provinces) == 31  # mainland provinces, no Hong Kong, Macao, Taiwan
    assert provinces.equals(statistics.statistics("province", seed=3))
    assert not provinces.equals(statistics.statistics("province", seed=4))
    assert provinces["source"].str.startswith("SYNTHETIC").all()
    cities = statistics.statistics("city")
    assert cities["region"].is_unique
    assert set(cities["region"]) <= set(regions.cities()["name"])
    # the hubs the generator weights most lead the patents granted
    top = set(cities.nlargest(10, "patents_granted")["region"])
    assert {"北京市", "上海市", "包头市"} <= top


def test_cli_bad_suffix_is_one_line_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "demo.json"
    monkeypatch.setattr(sys, "argv", ["copatent", "sample", "--out", str(out)])
    with pytest.raises(SystemExit) as caught:
        cli.main()
    assert caught.value.code == InputError.exit_code
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith(f"copatent: error: {out}")
    assert not out.exists()
