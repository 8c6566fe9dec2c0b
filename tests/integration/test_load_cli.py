"""`copatent load` end to end on real files and the real server."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from copatent import server
from copatent.db import Database
from copatent.loader import pipeline, readers, writer
from tests.integration.conftest import dump_graph, kill_load, run_cli
from tests.reference import reference_data

PATSNAP = reference_data() / "patents/chuanzang_railway/data.csv"
HEADER = ["公开（公告）号", "申请号", "申请日", "标题", "申请人", "申请人地址", "申请人国别代码"]
BJ, BT, GZ = (
    "北京市海淀区学院路1号",
    "内蒙古自治区包头市昆都仑区钢铁大街2号",
    "江西省赣州市章贡区红旗大道3号",
)
# the applicants the rules classify as natural persons in that file (2-3 character names)
PERSONS = {"张昆", "何满潮", "鲁飞", "张国强", "郑超", "陈海峰", "朱纯", "章和高", "崔凯"}


def test_patsnap_reference_loads_in_applicant_order(fixture_db: Database, db: Database) -> None:
    # what the file says, read independently with the csv module: " | " separates applicants
    with PATSNAP.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 531
    expected = {
        r["公开(公告)号"]: r["当前申请(专利权)人"].split(" | ")
        for r in rows
        if " | " in r["当前申请(专利权)人"]
    }
    expected = {k: v for k, v in expected.items() if not PERSONS & set(v)}

    column_map = readers.builtin_column_map("patsnap")
    raw = readers.read_exports([PATSNAP], columns=column_map)
    prepared = pipeline.prepare(raw, keywords=None)
    writer.write(db, prepared, key="patsnap")

    loaded = fixture_db.run("fixture/patent_applicants")
    got = dict(zip(loaded["pub_no"], loaded["applicants"], strict=True))
    assert got == expected
    assert all(p == list(range(len(p))) for p in loaded["positions"])


def test_cli_load_twice_changes_nothing(
    neo4j_server: server.LocalServer, fixture_db: Database, tmp_path: Path
) -> None:
    report = tmp_path / "report.json"
    first = run_cli(neo4j_server, "load", str(PATSNAP), "--columns", "patsnap", "--topic", "none",
                 "--report", str(report))  # fmt: skip
    assert first.returncode == 0, first.stderr
    assert "load funnel" in first.stdout
    body = json.loads(report.read_text("utf-8"))
    assert body["funnel"][0] == {"step": "rows read", "count": 531, "removed": 0, "note": ""}
    stats = run_cli(neo4j_server, "graph", "stats", "--json")
    second = run_cli(neo4j_server, "load", str(PATSNAP), "--columns", "patsnap", "--topic", "none",
                  "--json")  # fmt: skip
    assert second.returncode == 0, second.stderr
    assert json.loads(second.stdout)["already_loaded"] is True
    forced = run_cli(neo4j_server, "load", str(PATSNAP), "--columns", "patsnap", "--topic", "none",
                  "--force", "--json")  # fmt: skip
    assert forced.returncode == 0, forced.stderr
    assert run_cli(neo4j_server, "graph", "stats", "--json").stdout == stats.stdout


def test_cli_bad_input_is_one_line(neo4j_server: server.LocalServer, tmp_path: Path) -> None:
    bad = tmp_path / "export.csv"
    bad.write_text("序号,标题\n1,稀土\n", encoding="utf-8")
    proc = run_cli(neo4j_server, "load", str(bad))
    assert proc.returncode == 6
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"copatent: error: {bad}: missing required columns")


def _export(path: Path, rows: list[list[str]]) -> Path:
    """An incoPat CSV export of ``rows`` (HEADER's columns)."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([HEADER, *rows])
    return path


def test_cli_bad_names_are_refused_alike_by_both_engines(
    neo4j_server: server.LocalServer, fixture_db: Database, tmp_path: Path
) -> None:
    """The issue's probe names: one line naming file, row, column and applicant; nothing written.

    Before, the names after the first applicant, the full-width ones and ``-A1*10`` were loaded
    (and written into the applicant tables), and the 2,800-character name ended the load with
    exit 5 after the regions were written, while the memory engine accepted it.
    """
    long_name = "北京" + "稀" * 2796 + "公司"  # 2,800 characters, 8,400 bytes
    cases = {
        '=HYPERLINK("http://x","y")': "applicant 2: '=HYPERLINK(\"http://x\",\"y\")' begins with '='",
        "＝HYPERLINK(＂http://x＂,＂y＂)": "applicant 2: '＝HYPERLINK(＂http://x＂,＂y＂)' begins with "
        "'=' once normalised",
        "＋cmd｜' /C calc'!A0": "applicant 2: \"＋cmd｜' /C calc'!A0\" begins with '+' once",
        "＠SUM(1)": "applicant 2: '＠SUM(1)' begins with '@' once normalised",
        "-A1*10": "applicant 2: '-A1*10' begins with '-': a spreadsheet formula, not a name",
        long_name: "applicant 2: name of 2,800 characters and 8,400 bytes (UTF-8), over the 8,164",
    }
    for number, (name, expected) in enumerate(cases.items()):
        export = _export(
            tmp_path / f"export-{number}.csv",
            [
                [
                    "CN1A",
                    "CN2",
                    "2017-03-01",
                    "稀土永磁",
                    "北京稀土甲公司;包头稀土乙研究院",
                    f"{BJ};{BT}",
                    "",
                ],
                [
                    "CN3A",
                    "CN4",
                    "2017-03-01",
                    "稀土永磁",
                    f"北京稀土甲公司;{name}",
                    f"{BJ};{BT}",
                    "",
                ],
            ],
        )
        loaded = run_cli(neo4j_server, "load", str(export), "--topic", "none")
        memory = run_cli(
            neo4j_server, "analyze", "--engine", "memory", "--input", str(export),
            "--topic", "none", "--out", str(tmp_path / "out"),
        )  # fmt: skip
        for proc in (loaded, memory):
            assert proc.returncode == 6, proc.stderr
            assert "Traceback" not in proc.stderr
        line = f"copatent: error: {export}: row 3, column applicants (申请人), "
        assert loaded.stderr.startswith(line + expected), loaded.stderr
        assert loaded.stderr == memory.stderr
        assert len(loaded.stderr.strip().splitlines()) == 1
        # before, the cities and provinces were written when the long name failed the load
        assert int(fixture_db.run("graph/count_nodes").iloc[0]["nodes"]) == 0
    assert not list((tmp_path / "out").glob("*.csv"))  # no table written


def test_cli_corrected_export_replaces_the_applicants(
    neo4j_server: server.LocalServer, fixture_db: Database, tmp_path: Path
) -> None:
    """A corrected export, as a new file or the same file with --force: a clean load's graph."""
    rows = [
        ["CN300A", "CN400", "2017-03-01", "稀土永磁", "北京稀土甲公司;包头稀土乙研究院", f"{BJ};{BT}", ""],
        ["CN301A", "CN401", "2017-04-01", "稀土永磁", "北京稀土甲公司;赣州稀土丙有限公司", f"{BJ};{GZ}", ""],
        ["CN302A", "CN402", "2018-04-01", "稀土永磁", "错录丁公司;包头稀土乙研究院;北京稀土甲公司",
         f"{GZ};{BT};{BJ}", ""],
    ]  # fmt: skip
    fixed = [list(row) for row in rows]
    # CN302A: the wrong leader replaced, and the order of the other two changed
    fixed[2][4:6] = ["赣州稀土丙有限公司;北京稀土甲公司;包头稀土乙研究院", f"{GZ};{BJ};{BT}"]
    original = _export(tmp_path / "A.csv", rows)
    corrected = _export(tmp_path / "A-corrected.csv", fixed)
    options = ("--topic", "none", "--json")

    assert run_cli(neo4j_server, "load", str(original), *options).returncode == 0
    as_new_file = run_cli(neo4j_server, "load", str(corrected), *options)
    assert as_new_file.returncode == 0, as_new_file.stderr
    body = json.loads(as_new_file.stdout)
    assert (body["patents_updated"], body["applicants_deleted"]) == (1, 1)
    loaded = fixture_db.run("fixture/patent_applicants")
    # before, CN302A had two applicants at position 0 (错录丁公司 and 赣州稀土丙有限公司)
    assert all(p == list(range(len(p))) for p in loaded["positions"])
    reloaded = dump_graph(fixture_db)

    fixture_db.run("fixture/delete_all", write=True)
    assert run_cli(neo4j_server, "load", str(corrected), *options).returncode == 0
    assert dump_graph(fixture_db) == reloaded

    # the same file, corrected in place and loaded again with --force
    fixture_db.run("fixture/delete_all", write=True)
    same = _export(tmp_path / "export.csv", rows)
    assert run_cli(neo4j_server, "load", str(same), *options).returncode == 0
    _export(same, fixed)
    forced = run_cli(neo4j_server, "load", str(same), "--force", *options)
    assert forced.returncode == 0, forced.stderr
    assert json.loads(forced.stdout)["patents_updated"] == 1
    assert dump_graph(fixture_db) == reloaded


def test_sample_killed_midway_resumes_to_the_clean_graph(
    neo4j_server: server.LocalServer, fixture_db: Database, tmp_path: Path
) -> None:
    """SIGKILL `copatent load` after some batches; the rerun equals one clean load, twice over."""
    export = tmp_path / "sample.csv"
    made = run_cli(neo4j_server, "sample", "--patents", "8000", "--seed", "3", "--out", str(export))
    assert made.returncode == 0, made.stderr
    kill_load(neo4j_server, fixture_db, export, batch_size=20)
    state = fixture_db.run("fixture/count_batches").iloc[0]
    committed = int(state["batches"])
    assert int(state["patent_batches"]) >= 5
    # whole batches only: nothing half-written
    assert int(state["patents"]) == 20 * int(state["patent_batches"])

    rerun = run_cli(neo4j_server, "load", str(export), "--batch-size", "20", "--json")
    assert rerun.returncode == 0, rerun.stderr
    assert json.loads(rerun.stdout)["batches_resumed"] == committed
    resumed = dump_graph(fixture_db)
    stats = run_cli(neo4j_server, "graph", "stats", "--json").stdout

    again = run_cli(neo4j_server, "load", str(export), "--json")
    assert json.loads(again.stdout)["already_loaded"] is True
    assert run_cli(neo4j_server, "graph", "stats", "--json").stdout == stats

    fixture_db.run("fixture/delete_all", write=True)
    clean = run_cli(neo4j_server, "load", str(export), "--json")
    assert clean.returncode == 0, clean.stderr
    assert dump_graph(fixture_db) == resumed
