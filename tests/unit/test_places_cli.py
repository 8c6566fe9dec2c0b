"""``copatent places`` on exports (``--input``): list, unplaced, explain, variants; bad tables."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from copatent import cli

HEADER = "公开(公告)号,标题,申请日,公开(公告)日,当前申请(专利权)人,发明人,法律状态/事件\n"
ROWS = [
    "CN1A,稀土装置,2019-01-02,2019-06-01,西南交通大学 | 中铁二院工程集团有限责任公司 | 某某公司,张三,授权",
    "CN2A,稀土方法,2019-02-02,2019-06-01,北京某科技有限公司 | 某某公司,李四,授权",
    "CN3A,稀土材料,2019-03-02,2019-06-01,某某公司 | 中山大学,王五,授权",
    "CN4A,稀土工艺,2019-04-02,2019-06-01,北京某科技有限公司 | 北京某科技股份有限公司,赵六,授权",
    "CN5A,稀土系统,2019-05-02,2019-06-01,北京上海联合科技有限公司 | 中山大学,钱七,授权",
]  # fmt: skip


@pytest.fixture
def export(tmp_path: Path) -> Path:
    path = tmp_path / "patsnap.csv"
    path.write_text(HEADER + "\n".join(ROWS) + "\n", encoding="utf-8")
    return path


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli.app, list(args), env={"COLUMNS": "200"})
    return result.exit_code, result.output


def options(export: Path) -> list[str]:
    return ["--input", str(export), "--columns", "patsnap", "--topic", "none"]


def test_list_json_has_the_keys_the_issue_names(export: Path) -> None:
    code, out = invoke("places", "list", *options(export), "--json")
    assert code == 0, out
    rows = {r["name"]: r for r in json.loads(out)}
    assert all(
        set(r) == {"name", "province_adcode", "city_adcode", "method", "evidence"}
        for r in rows.values()
    )
    assert rows["西南交通大学"]["city_adcode"] == "510100"
    assert rows["西南交通大学"]["method"] == "gazetteer"
    assert "moe-" in rows["西南交通大学"]["evidence"]
    assert (rows["北京某科技有限公司"]["method"], rows["北京某科技有限公司"]["evidence"]) == (
        "name",
        "北京",
    )
    assert rows["某某公司"]["method"] is None


def test_unplaced_ranked_by_collaborations(export: Path) -> None:
    code, out = invoke("places", "unplaced", *options(export), "--json", "--top", "2")
    assert code == 0, out
    rows = json.loads(out)
    assert [r["name"] for r in rows] == ["某某公司", "北京上海联合科技有限公司"]
    assert rows[0]["collaborations"] == 3  # led one (1), joined two (2)
    assert rows[1]["candidates"] == "110000;310000"
    code, out = invoke("places", "unplaced", *options(export))
    assert code == 0
    assert "--places FILE.csv" in out


def test_places_table_overrides(export: Path, tmp_path: Path) -> None:
    table = tmp_path / "places.csv"
    table.write_text("name,adcode\n某某公司,620100\n中山大学,440400\n", encoding="utf-8")
    code, out = invoke("places", "list", *options(export), "--places", str(table), "--json")
    assert code == 0, out
    rows = {r["name"]: r for r in json.loads(out)}
    assert (rows["某某公司"]["city_adcode"], rows["某某公司"]["method"]) == ("620100", "places")
    assert rows["中山大学"]["city_adcode"] == "440400"  # over the gazetteer's 广州


def test_explain(export: Path) -> None:
    code, out = invoke("places", "explain", "中山大学", "--json")
    assert code == 0, out
    got = json.loads(out)
    assert (got["city_adcode"], got["method"]) == ("440100", "gazetteer")
    ways = {s["method"]: s for s in got["steps"]}
    assert list(ways) == ["places", "columns", "address", "gazetteer", "name"]
    assert ways["name"]["outcome"] == "no answer"  # 中山 is no place here
    assert ways["columns"]["outcome"] == "not asked"
    code, out = invoke("places", "explain", "北京上海联合科技有限公司", *options(export))
    assert code == 0
    assert "unplaced" in out
    assert "北京市 / 上海市" in out
    code, out = invoke("places", "explain", "某某公司", *options(export), "--json")
    ways = {s["method"]: s for s in json.loads(out)["steps"]}
    assert ways["columns"] == {
        "method": "columns", "outcome": "no answer", "place": "", "evidence": "3 rows, none with a value"
    }  # fmt: skip


def test_variants_suggest_and_never_apply(export: Path, tmp_path: Path) -> None:
    draft = tmp_path / "thesaurus.txt"
    code, out = invoke("places", "variants", *options(export), "--json", "--out", str(draft))
    assert code == 0, out
    pairs = {(r["name"], r["variant"]): r["rule"] for r in json.loads(out)}
    assert pairs[("北京某科技有限公司", "北京某科技股份有限公司")] == "same key"
    assert draft.read_text(encoding="utf-8").splitlines() == [
        "label\treplace by",
        "北京某科技股份有限公司\t北京某科技有限公司",
    ]
    code, out = invoke("places", "list", *options(export), "--json")
    assert "北京某科技股份有限公司" in {r["name"] for r in json.loads(out)}  # not applied
    code, out = invoke("places", "list", *options(export), "--thesaurus", str(draft), "--json")
    assert "北京某科技股份有限公司" not in {r["name"] for r in json.loads(out)}


@pytest.mark.parametrize(
    ("option", "text", "message"),
    [
        ("--places", "name,adcode\n甲,123456\n", "row 2, column adcode: unknown adcode '123456'"),
        ("--places", "name,adcode\n甲,510100\n甲,510100\n",
         ("row 3, column name: '甲' repeats row 2 (names are compared without brackets, widths "
         "and company forms)")),
        ("--thesaurus", "label\treplace by\n甲\t\n", "row 2, column replace by: empty"),
    ],
)  # fmt: skip
def test_bad_tables_are_one_line(
    export: Path, tmp_path: Path, option: str, text: str, message: str
) -> None:
    table = tmp_path / "table.csv"
    table.write_text(text, encoding="utf-8")
    args = ["places", "list", *options(export), option, str(table)]
    result = subprocess.run(
        [sys.executable, "-m", "copatent", *args], capture_output=True, text=True, check=False
    )
    assert result.returncode == 6
    assert result.stdout == ""
    assert result.stderr == f"copatent: error: {table}: {message}\n"
