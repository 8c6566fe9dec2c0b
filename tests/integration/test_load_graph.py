"""Writing the clean tables into the real server: idempotent, resumable, constraints in force."""

from __future__ import annotations

import contextlib
import dataclasses
import secrets
from collections.abc import Callable

import pandas as pd
import pytest

from copatent import server
from copatent._errors import InputError, QueryError
from copatent.db import AuthenticationError, Database, ServerNotReadyError
from copatent.loader import _validate, bulk, pipeline, writer
from tests.integration.conftest import TEST_QUERIES, dump_graph
from tests.rows import raw_rows


def _patents(n: int) -> pd.DataFrame:
    """n two-applicant rare-earth patents between Beijing, Baotou and Ganzhou organisations."""
    firms = [
        ("北京稀土甲公司", "北京市海淀区学院路1号"),
        ("包头稀土乙研究院", "内蒙古自治区包头市昆都仑区钢铁大街2号"),
        ("赣州稀土丙有限公司", "江西省赣州市章贡区红旗大道3号"),
    ]
    rows = []
    for i in range(n):
        lead, part = firms[i % 3], firms[(i + 1) % 3]
        rows.append(
            {
                "pub_no": f"CN1{i:08d}A",
                "app_no": f"CN2015{i:07d}",
                "app_date": f"{2001 + i % 20}-03-0{1 + i % 9}",
                "title": f"一种稀土永磁材料{i}",
                "applicants": f"{lead[0]};{part[0]}",
                "applicant_addresses": f"{lead[1]};{part[1]}",
                "applicant_countries": "CN;CN",
            }
        )
    return raw_rows(rows)


def _counts(db: Database) -> dict[tuple[str, str], int]:
    frame = db.run("graph/count_by_label")
    return {(k, n): int(c) for k, n, c in frame[["kind", "name", "count"]].itertuples(index=False)}


def _after(calls: int, action: Callable[[], object]) -> Callable[[int], None]:
    """An on_batch callback that runs ``action`` once, after ``calls`` patent batches."""
    seen: list[int] = []

    def on_batch(_n: int) -> None:
        seen.append(1)
        if len(seen) == calls:
            action()

    return on_batch


@pytest.fixture
def reference_40(
    fixture_db: Database, db: Database
) -> tuple[pipeline.Prepared, dict[str, list[str]]]:
    """40 patents prepared, and the graph one clean load of them gives (on the session server)."""
    prepared = pipeline.prepare(_patents(40), keywords=None)
    writer.write(db, prepared, key="k-reference", batch_size=10)
    return prepared, dump_graph(fixture_db)


@pytest.fixture
def empty_db(fixture_db: Database, db: Database) -> Database:
    """copatent's runner on a database emptied by the fixture runner."""
    return db


def test_load_writes_the_graph_model(empty_db: Database) -> None:
    prepared = pipeline.prepare(_patents(30), keywords=pipeline.default_keywords())
    result = writer.write(empty_db, prepared, key="k-model", batch_size=7)
    # one batch of applicants (3 <= 2 x 7), then five batches of patents (30 / 7)
    assert (result.batches, result.skipped, result.patents) == (6, 0, 30)
    counts = _counts(empty_db)
    assert counts[("node", "Patent")] == 30
    assert counts[("node", "Applicant")] == 3
    assert counts[("node", "City")] == 3
    assert counts[("node", "Province")] == 3
    assert counts[("relationship", "APPLIED")] == 60
    assert counts[("relationship", "LOCATED_IN")] == 3
    assert counts[("relationship", "IN_PROVINCE")] == 3
    assert counts.get(("node", "LoadBatch"), 0) == 0  # the journal is cleared at the end
    assert counts[("node", "Load")] == 1


def test_loading_twice_changes_no_count(empty_db: Database) -> None:
    prepared = pipeline.prepare(_patents(25), keywords=None)
    writer.write(empty_db, prepared, key="k-twice", batch_size=10)
    first = _counts(empty_db)
    again = writer.write(empty_db, prepared, key="k-twice", batch_size=10)
    assert again.already_loaded
    forced = writer.write(empty_db, prepared, key="k-twice", batch_size=10, force=True)
    assert not forced.already_loaded
    assert _counts(empty_db) == first


def test_a_killed_load_resumes_to_the_same_graph(empty_db: Database, fixture_db: Database) -> None:
    prepared = pipeline.prepare(_patents(40), keywords=None)

    class KilledError(Exception):
        pass

    def die() -> None:
        raise KilledError

    with pytest.raises(KilledError):
        writer.write(empty_db, prepared, key="k-resume", batch_size=10, on_batch=_after(2, die))
    partial = _counts(empty_db)
    assert partial[("node", "Patent")] == 20  # two committed batches of 10
    assert partial[("node", "LoadBatch")] == 3  # and the applicants' batch before them
    resumed = writer.write(empty_db, prepared, key="k-resume", batch_size=10)
    assert (resumed.batches, resumed.skipped) == (5, 3)
    after_resume = _counts(empty_db)

    fixture_db.run("fixture/delete_all", write=True)
    writer.write(empty_db, prepared, key="k-clean", batch_size=10)
    assert after_resume == _counts(empty_db)


def test_constraints_hold(empty_db: Database, fixture_db: Database) -> None:
    prepared = pipeline.prepare(_patents(3), keywords=None)
    writer.write(empty_db, prepared, key="k-constraints")
    with pytest.raises(QueryError, match="ConstraintValidationFailed"):
        fixture_db.run("fixture/create_patent", {"pub_no": "CN100000000A"}, write=True)


def test_key_limit_is_the_servers(empty_db: Database, fixture_db: Database) -> None:
    """The readers' key limit is the server's: keys of KEY_MAX_BYTES pass, one byte more fails.

    Measured on Neo4j 5.26 (RANGE index, range-1.0) with 1-, 2-, 3- and 4-byte characters: the
    limit is in UTF-8 bytes, whatever the characters.
    """
    limit = _validate.KEY_MAX_BYTES
    empty_db.apply_schema()
    for char in ("a", "é", "稀", "𠀀"):
        width = len(char.encode())
        at_limit = char * (limit // width) + "a" * (limit % width)
        assert len(at_limit.encode()) == limit
        for query, key in (
            ("fixture/create_applicant", "name"),
            ("fixture/create_patent", "pub_no"),
        ):
            fixture_db.run(query, {key: at_limit}, write=True)
            with pytest.raises(QueryError, match="Property value is too large to index"):
                fixture_db.run(query, {key: at_limit + "a"}, write=True)
            fixture_db.run("fixture/delete_all", write=True)
    # and the loader writes a name and a publication number at the limit
    raw = _patents(1)
    raw.loc[0, "pub_no"] = "CN" + "1" * (limit - 3) + "A"
    raw.loc[0, "applicants"] = "北京稀土甲公司;北京" + "稀" * ((limit - 13) // 3) + "A公司"
    prepared = pipeline.prepare(raw, keywords=None)
    assert sorted(len(n.encode()) for n in prepared.applicants["name"]) == [21, limit]
    writer.write(empty_db, prepared, key="k-limit")
    counts = _counts(empty_db)
    assert (counts[("node", "Patent")], counts[("relationship", "APPLIED")]) == (1, 2)


def _corrected(raw: pd.DataFrame) -> pd.DataFrame:
    """``raw`` (from _patents) with two patents' applicants corrected, as a new export would be.

    Patent 4 had a misspelt leader (a name of its own) over three applicants: the right leader
    replaces it and the other two change places. Patent 7 had a wrong participant in Tianjin, the
    only applicant there: another firm replaces it.
    """
    corrected = raw.copy()
    corrected.loc[4, ["applicants", "applicant_addresses", "applicant_countries"]] = [
        "赣州稀土丙有限公司;北京稀土甲公司;包头稀土乙研究院",
        "江西省赣州市章贡区红旗大道3号;北京市海淀区学院路1号;内蒙古自治区包头市昆都仑区钢铁大街2号",
        "CN;CN;CN",
    ]
    corrected.loc[7, ["applicants", "applicant_addresses"]] = [
        "包头稀土乙研究院;北京稀土甲公司",
        "内蒙古自治区包头市昆都仑区钢铁大街2号;北京市海淀区学院路1号",
    ]
    return corrected


def _with_errors(raw: pd.DataFrame) -> pd.DataFrame:
    """``raw`` with the errors _corrected corrects."""
    original = raw.copy()
    original.loc[4, ["applicants", "applicant_addresses", "applicant_countries"]] = [
        "北京稀土甲公 司有限;包头稀土乙研究院;赣州稀土丙有限公司",
        "北京市海淀区学院路1号;内蒙古自治区包头市昆都仑区钢铁大街2号;江西省赣州市章贡区红旗大道3号",
        "CN;CN;CN",
    ]
    original.loc[7, ["applicants", "applicant_addresses"]] = [
        "包头稀土乙研究院;天津稀土丁公司",
        "内蒙古自治区包头市昆都仑区钢铁大街2号;天津市南开区卫津路4号",
    ]
    return original


def test_a_corrected_export_replaces_the_applicants(
    empty_db: Database, fixture_db: Database
) -> None:
    """Load, load a corrected export (killed half-way, then resumed): a clean load's graph."""
    raw = _patents(12)
    original, corrected = (
        pipeline.prepare(_with_errors(raw), keywords=None),
        pipeline.prepare(_corrected(raw), keywords=None),
    )
    writer.write(empty_db, original, key="k-original", batch_size=5)
    before = dump_graph(fixture_db)
    assert any("天津稀土丁公司" in a for a in before["applicants"])
    assert any("天津" in c for c in before["cities"])

    class KilledError(Exception):
        pass

    def die() -> None:
        raise KilledError

    # patents 4 and 7 are in the first two batches (5 patents each, by publication number)
    with pytest.raises(KilledError):
        writer.write(empty_db, corrected, key="k-corrected", batch_size=5, on_batch=_after(2, die))
    result = writer.write(empty_db, corrected, key="k-corrected", batch_size=5)
    assert (result.skipped, result.patents_updated, result.applicants_deleted) == (3, 2, 2)
    loaded = fixture_db.run("fixture/patent_applicants")
    assert all(p == list(range(len(p))) for p in loaded["positions"])  # one leader each
    got = dict(zip(loaded["pub_no"], loaded["applicants"], strict=True))
    assert got["CN100000004A"] == ["赣州稀土丙有限公司", "北京稀土甲公司", "包头稀土乙研究院"]
    assert got["CN100000007A"] == ["包头稀土乙研究院", "北京稀土甲公司"]
    reloaded = dump_graph(fixture_db)

    again = writer.write(empty_db, corrected, key="k-corrected", batch_size=5, force=True)
    assert (again.patents_updated, again.applicants_deleted) == (0, 0)
    assert dump_graph(fixture_db) == reloaded

    fixture_db.run("fixture/delete_all", write=True)
    writer.write(empty_db, corrected, key="k-clean", batch_size=5)
    clean = dump_graph(fixture_db)
    assert reloaded == clean
    assert not any("天津" in c for c in clean["cities"])  # Tianjin had only the wrong applicant
    counts = _counts(empty_db)
    assert counts[("node", "Province")] == 3


def test_bulk_import_gives_the_unwind_graph(
    spare_server: server.LocalServer, fixture_db: Database, empty_db: Database
) -> None:
    raw = _patents(50)
    raw.loc[3, "title"] = 'a "quoted", multi-line\ntitle with 稀土'
    raw.loc[4, "applicants"] = "北京稀土甲公司;浙江某公司"
    raw.loc[4, "applicant_addresses"] = "北京市海淀区学院路1号;浙江省"  # a province-only place
    prepared = pipeline.prepare(raw, keywords=None)
    writer.write(empty_db, prepared, key="k-unwind", batch_size=16)
    expected = dump_graph(fixture_db)

    result = bulk.bulk_write(spare_server, prepared, key="k-bulk")
    assert result.patents == 50
    assert spare_server.is_running()
    # the store the offline importer wrote is the owner's only, like the server's own
    store = spare_server.directory / "data" / "databases" / "neo4j"
    assert [p for p in (store, *store.rglob("*")) if p.stat().st_mode & 0o077] == []
    with Database(spare_server.settings(), queries=TEST_QUERIES) as other:
        assert dump_graph(other) == expected
        with pytest.raises(InputError, match="--bulk needs an empty database"):
            bulk.bulk_write(spare_server, prepared, key="k-bulk-again")


def test_server_lost_mid_load_then_rerun_completes(
    spare_server: server.LocalServer,
    reference_40: tuple[pipeline.Prepared, dict[str, list[str]]],
) -> None:
    """The server goes away after two batches: a one-line error; the rerun gives the clean graph."""
    prepared, expected = reference_40
    bolt, http = spare_server.ports()
    stop = _after(2, spare_server.stop)
    with (
        Database(spare_server.settings(), retry_seconds=2.0) as db,
        pytest.raises(ServerNotReadyError, match=r"^cannot reach Neo4j at bolt://127\.0\.0\.1:"),
    ):
        writer.write(db, prepared, key="k-lost", batch_size=10, on_batch=stop)
    spare_server.start(bolt_port=bolt, http_port=http)
    with Database(spare_server.settings(), queries=TEST_QUERIES) as other:
        assert dump_graph(other)["patents"] == expected["patents"][:20]  # two committed batches
        rerun = writer.write(other, prepared, key="k-lost", batch_size=10)
        assert (rerun.batches, rerun.skipped) == (5, 3)
        assert dump_graph(other) == expected


def test_password_changed_mid_load_then_rerun_completes(
    spare_server: server.LocalServer,
    reference_40: tuple[pipeline.Prepared, dict[str, list[str]]],
) -> None:
    """The password changes after two batches: a one-line error; the rerun with it completes."""
    prepared, expected = reference_40
    old = spare_server.settings()
    new = dataclasses.replace(old, password="changed-" + secrets.token_urlsafe(12))

    def change_password() -> None:
        with Database(dataclasses.replace(old, database="system"), queries=TEST_QUERIES) as admin:
            admin.run("db/change_password", {"old": old.password, "new": new.password}, write=True)
            ids = admin.run("fixture/list_connections")["connectionId"].tolist()
            with contextlib.suppress(ServerNotReadyError):  # its own connection goes too
                admin.run("fixture/kill_connections", {"ids": ids}, write=True)

    with (
        Database(old, retry_seconds=2.0) as db,
        pytest.raises(AuthenticationError, match="refused the credentials of user 'neo4j'") as err,
    ):
        writer.write(
            db, prepared, key="k-password", batch_size=10, on_batch=_after(2, change_password)
        )
    assert old.password not in str(err.value)
    assert new.password not in str(err.value)
    with Database(new, queries=TEST_QUERIES) as other:
        rerun = writer.write(other, prepared, key="k-password", batch_size=10)
        assert (rerun.batches, rerun.skipped) == (5, 3)
        assert dump_graph(other) == expected
