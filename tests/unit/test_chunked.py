"""Chunked loading: the same clean tables from chunks of any size, in bounded memory.

The export is the sample generator's (a small one), with hand-made rows that the chunks must get
right: duplicates whose first row is in another chunk (the first row wins), an unparseable date,
and a second file repeating patents of the first (both files brought them: provenance).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from copatent._errors import InputError
from copatent.loader import pipeline, readers, spool
from copatent.loader.readers import delimited
from copatent.places.user import read_thesaurus
from copatent.sample import generator

SEED = 0
PUB_NO, APP_DATE, TITLE = "公开（公告）号", "申请日", "标题"


def _export(size: int) -> pd.DataFrame:
    """The generated rows with the hand-made ones (see the module docstring)."""
    frame = generator.generate(size, seed=SEED)
    first = frame.iloc[[0]].assign(**{TITLE: "a later row of the first patent: merged away"})
    fifth = frame.iloc[[5]].assign(**{TITLE: "a later row of the sixth patent: merged away"})
    undated = frame.iloc[[10]].assign(**{PUB_NO: "CN000000001A", APP_DATE: "2013-02-30"})
    middle = len(frame) // 2
    return pd.concat(
        [frame.iloc[:middle], fifth, undated, frame.iloc[middle:], first], ignore_index=True
    )


def _write(frame: pd.DataFrame, folder: Path, again_rows: int) -> tuple[Path, Path, Path]:
    """A CSV, the same rows as .xlsx, and a second CSV repeating the first's first rows."""
    csv_file = generator.write(frame, folder / "export.csv")
    xlsx_file = generator.write(frame, folder / "export.xlsx")
    again = generator.write(frame.iloc[:again_rows], folder / "again.csv")
    return csv_file, xlsx_file, again


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """The files of 300 generated patents (with the hand-made rows)."""
    return _write(_export(300), tmp_path_factory.mktemp("chunked"), 40)


@pytest.fixture(scope="module")
def small_exports(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """The files of 25 generated patents, for chunks of one row (a chunk costs a few ms)."""
    return _write(_export(25), tmp_path_factory.mktemp("chunked-small"), 10)


def _tables(prepared: pipeline.Prepared) -> dict[str, pd.DataFrame]:
    return {
        "funnel": pd.DataFrame([vars(s) for s in prepared.funnel]),
        "quarantine": prepared.quarantine,
        "applicants": prepared.applicants,
        "unresolved": prepared.unresolved,
        "cities": prepared.cities,
        "provinces": prepared.provinces,
        "patents": prepared.patents,
        "applied": prepared.applied,
        "provenance": prepared.provenance,
        "merges": prepared.merges,
    }


def _assert_same(chunked: pipeline.Prepared, whole: pipeline.Prepared) -> None:
    for (name, got), expected in zip(
        _tables(chunked).items(), _tables(whole).values(), strict=True
    ):
        assert_frame_equal(got, expected, obj=name)
    assert chunked.patent_count == whole.patent_count == len(whole.patents)
    # the writer's batches: the same patents in each, whatever the chunks
    size = 50
    assert [spool.records(b, chunked.spool.extra) for b in chunked.spool.batches(size)] == [
        spool.records(b, whole.spool.extra) for b in whole.spool.batches(size)
    ]


def _prepare(files: list[Path], chunk_rows: int | None, tmp_path: Path) -> pipeline.Prepared:
    return pipeline.prepare_files(
        files, keywords=pipeline.default_keywords(), chunk_rows=chunk_rows, spool_dir=tmp_path
    )


@pytest.mark.parametrize(
    ("chunk_rows", "files"),
    [(1, "small_exports"), (7, "exports"), (333, "exports")],
    ids=["1 row", "7 rows", "333 rows"],
)
def test_chunks_of_any_size_give_the_whole_load(
    chunk_rows: int, files: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    csv_file, _, again = request.getfixturevalue(files)
    whole = _prepare([csv_file, again], None, tmp_path)
    chunked = _prepare([csv_file, again], chunk_rows, tmp_path)
    _assert_same(chunked, whole)
    # the hand-made rows did what they are there for
    steps = {s.step: s for s in whole.funnel}
    undated = whole.quarantine[whole.quarantine["value"] == "2013-02-30"]
    assert len(undated) == 1
    assert steps["duplicates merged"].removed >= 2 + len(pd.read_csv(again))
    titles = set(whole.patents["title"])
    assert not {t for t in titles if t and "merged away" in t}
    provenance = whole.provenance.groupby("pub_no")["sha256"].nunique()
    assert (provenance == 2).sum() > 0  # patents of the first 40 rows that loaded: both files
    assert len(list(tmp_path.iterdir())) == 2  # the two spools, until closed
    whole.close()
    chunked.close()
    assert not list(tmp_path.iterdir())


def test_a_thesaurus_and_the_applicant_policy_in_chunks_give_the_whole_load(
    exports: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    csv_file, _, again = exports
    found = _prepare([csv_file], None, tmp_path).applicants["name"].tolist()
    table = tmp_path / "thesaurus.csv"
    merged = [(found[0], found[1]), (found[2], found[1]), (found[3], "合并后的名称")]
    table.write_text(
        "label,replace by\n" + "".join(f"{a},{b}\n" for a, b in merged), encoding="utf-8"
    )
    thesaurus = read_thesaurus(table)

    def prepare(chunk_rows: int | None) -> pipeline.Prepared:
        return pipeline.prepare_files(
            [csv_file, again],
            keywords=None,
            drop_policy="applicant",
            thesaurus=thesaurus,
            chunk_rows=chunk_rows,
            spool_dir=tmp_path,
        )

    whole = prepare(None)
    _assert_same(prepare(7), whole)
    assert len(whole.merges) >= len(merged)
    assert "thesaurus applied" in {s.step for s in whole.funnel}


def test_a_workbook_read_in_chunks_gives_the_whole_load(
    exports: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    _, xlsx_file, _ = exports
    _assert_same(_prepare([xlsx_file], 7, tmp_path), _prepare([xlsx_file], None, tmp_path))


def test_the_chunks_are_the_rows_of_the_whole_read(exports: tuple[Path, Path, Path]) -> None:
    csv_file, xlsx_file, again = exports
    for files in ([csv_file, again], [xlsx_file]):
        whole = readers.read_exports(files)
        chunks = list(readers.iter_exports(files, chunk_rows=13))
        assert max(len(c) for c in chunks) == 13
        assert_frame_equal(pd.concat(chunks, ignore_index=True), whole)


def test_a_csv_found_to_be_gb18030_after_its_first_chunks_is_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """pyarrow reads a few dozen blocks ahead of the rows handed out, so the first Chinese text
    must lie farther in than that: 30 MB in, with blocks of 64 KB (not 1 MB, where 30 blocks
    were sometimes all read before the first rows were handed out and the test failed)."""
    monkeypatch.setattr(delimited, "_CSV_BLOCK_BYTES", 1 << 16)
    title = "rare earth magnet " + "x" * 20_000
    rows = [f"P{i},2016-05-01,{title},A co;B co" for i in range(1500)]
    rows.append("P-last,2016-05-01,稀土永磁体,甲公司;乙研究院")
    text = "Publication Number,Application Date,Title,Applicant\n" + "\n".join(rows) + "\n"
    path = tmp_path / "late.csv"
    path.write_bytes(text.encode("gb18030"))
    whole = readers.read_exports([path])
    assert whole["title"].iloc[-1] == "稀土永磁体"
    with pytest.raises(readers.RereadError):
        list(readers.iter_exports([path], chunk_rows=10))
    prepared = pipeline.prepare_files([path], keywords=None, chunk_rows=100, spool_dir=tmp_path)
    assert prepared.patent_count == 1501
    assert prepared.patents["title"].iloc[-1] == "稀土永磁体"


def test_a_problem_anywhere_is_the_whole_read_s_one_error(tmp_path: Path) -> None:
    rows = [f"P{i},2016-05-01,magnet,A co;B co" for i in range(50)]
    rows[3] = "P3,2016-05-01,magnet,=HYPERLINK(1);B co"
    rows[45] = "P45,2016-05-01,magnet,A co;-A1*10"
    path = tmp_path / "bad.csv"
    path.write_text("公开号,申请日,标题,申请人\n" + "\n".join(rows) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as whole:
        readers.read_exports([path])
    with pytest.raises(InputError) as chunked:
        list(readers.iter_exports([path], chunk_rows=4))
    assert str(chunked.value) == str(whole.value)
    assert "row 5" in str(whole.value)
    assert "row 47" in str(whole.value)


# --------------------------------------------------------------------------------------------
# memory

_MEASURE = """
import gc, json, re, sys
from pathlib import Path
import pyarrow as pa
from copatent.loader import pipeline
from copatent.loader.readers import delimited

delimited._CSV_BLOCK_BYTES = 64 << 10  # pyarrow's read-ahead, a few dozen blocks, stays small

def memory(field):
    status = Path("/proc/self/status").read_text()
    return int(re.search(field + r":\\s+(\\d+)", status).group(1)) // 1024

def growth(path, chunk_rows):
    gc.collect()
    pa.default_memory_pool().release_unused()
    Path("/proc/self/clear_refs").write_text("5")  # the peak (VmHWM) starts again from here
    start = memory("VmRSS")
    pipeline.prepare_files(
        [Path(path)], keywords=None, chunk_rows=chunk_rows, spool_dir=Path(sys.argv[3])
    ).close()
    return memory("VmHWM") - start

small, big = sys.argv[1], sys.argv[2]
growth(small, None)  # the first load reads the gazetteer and the places' tables
print(json.dumps({
    "small chunked": growth(small, 500), "big chunked": growth(big, 500),
    "small whole": growth(small, None), "big whole": growth(big, None),
}))
"""

SMALL, TIMES = 1_500, 8
"""The small export's patents, and how many times bigger the big one is (the same applicants)."""


@pytest.mark.skipif(
    not os.access("/proc/self/clear_refs", os.W_OK), reason="needs Linux's /proc/self/clear_refs"
)
def test_the_chunked_loader_s_peak_does_not_grow_with_the_export(tmp_path: Path) -> None:
    """8 times the rows (the same applicants) cost the whole read its size, chunks nothing more.

    The big export repeats the small one's rows under new publication numbers, so its distinct
    applicants and observations are the small one's: with chunks, what is left to grow is the
    11 bytes a publication number (``_Seen``), about 100 kB here. In one fresh interpreter, after
    a first load (the gazetteer and tables every load reads), each load's peak resident memory
    above where it started is measured (Linux: ``/proc/self/clear_refs`` resets the peak), with
    pyarrow's CSV blocks made small, so that its read-ahead (a few dozen blocks, a constant) is
    not taken for growth. Measured: 6 and 4 to 8 MB chunked, 12 and 73 MB whole. The bound,
    10 MB, is for the allocator's noise; the whole read must grow by 30 MB or more (so that the
    sizes stay large enough to tell).
    """
    frame = generator.generate(SMALL, seed=SEED)
    small = generator.write(frame, tmp_path / "small.csv")
    copies = [frame.assign(**{PUB_NO: frame[PUB_NO] + f"-{i}"}) for i in range(TIMES)]
    big = generator.write(pd.concat(copies, ignore_index=True), tmp_path / "big.csv")
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(small), str(big), str(tmp_path)],
        capture_output=True,
        text=True,
        check=True,
    )
    mb = json.loads(done.stdout.strip().splitlines()[-1])
    assert mb["big chunked"] - mb["small chunked"] <= 10, mb
    assert mb["big whole"] - mb["small whole"] >= 30, mb


def test_a_new_spool_removes_the_folders_of_ended_loads(tmp_path: Path) -> None:
    # a load killed outright leaves its folder; the next spool in the same place removes it
    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                           capture_output=True, text=True, check=True)  # fmt: skip
    dead = tmp_path / f"{spool._prefix(int(ended.stdout))}abc"
    running = tmp_path / f"{spool._prefix()}def"  # this process: still loading
    elsewhere = tmp_path / "copatent-spool-otherhost-1-ghi"  # a shared home, another host
    unrelated = tmp_path / "notes"
    for folder in (dead, running, elsewhere, unrelated):
        (folder / "chunk-000000.parquet").parent.mkdir()
        (folder / "chunk-000000.parquet").write_bytes(b"x")
    made = spool.Spool(tmp_path)
    left = sorted(p.name for p in tmp_path.iterdir())
    assert dead.name not in left
    assert {running.name, elsewhere.name, unrelated.name} <= set(left)
    made.close()
