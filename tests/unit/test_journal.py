"""The one-line refusals of :mod:`copatent.loader.journal` (the real server: test_consistency)."""

from __future__ import annotations

from copatent.loader.journal import UnfinishedLoad, _refusal

KILLED = UnfinishedLoad(
    key="edebc35b9046" + "0" * 52,
    files=("/data/sample.csv",),
    command="copatent load /data/sample.csv --topic none",
    committed=186,
    batches=392,
    started_at="2025-03-01T10:00:00Z",
    last_commit="2025-03-01T10:02:00Z",
)
OLD = UnfinishedLoad(  # a journal of an earlier copatent: batches, no header
    key="ab" * 32, files=(), command=None, committed=3, batches=None, started_at=None,
    last_commit=None,
)  # fmt: skip


def test_one_unfinished_load_names_it_and_both_ways_out() -> None:
    assert _refusal([KILLED], during=False) == (
        "load edebc35b9046 (/data/sample.csv) is unfinished: 186 of 392 batches committed, the "
        "last at 2025-03-01T10:02:00Z; the graph holds only part of it, so nothing was analysed: "
        "if it is still running, wait for it; if it stopped, finish it with `copatent load "
        "/data/sample.csv --topic none` (the rerun continues from the committed batches), or keep "
        "the graph as it is with `copatent graph discard-load edebc35b9046` (what the committed "
        "batches wrote stays)"
    )


def test_a_journal_without_header_still_gets_a_remedy() -> None:
    text = _refusal([OLD], during=True)
    assert text.startswith(
        f"load {'ab' * 6} is unfinished: 3 batches committed; it was being written while this "
        "analysis read the graph"
    )
    assert "`copatent load FILES` with the options it was started with" in text


def test_several_unfinished_loads_are_one_line() -> None:
    text = _refusal([KILLED, OLD], during=False)
    assert "\n" not in text
    assert text.startswith("2 loads are unfinished, so nothing was analysed. load edebc35b9046 ")
    assert text.count("discard-load") == 2
