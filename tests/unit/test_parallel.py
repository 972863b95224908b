"""Scoring in worker processes gives the same ScoredRows, in input order, as one process."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

import icpdsl
from icpdsl.batch.engine import EngineOptions, python_engine
from icpdsl.batch.parallel import CHUNK, Job, jobs_count, score_in_processes
from icpdsl.batch.summary import Summary
from icpdsl.io.rows import Row

AS_OF = datetime.date(2025, 6, 15)


def _rows(count: int) -> list[Row]:
    rows = []
    for number in range(1, count + 1):
        if number % 997 == 0:
            rows.append(Row(number, None, error="a ragged row", line=number + 1))
            continue
        record = {"employees": number % 1500, "industry": ["SaaS", "Retail", None][number % 3]}
        rows.append(Row(number, record, line=number + 1))
    return rows


def test_workers_give_what_one_process_gives_in_input_order() -> None:
    document = icpdsl.loads("industry in [SaaS]\nemployees 200..1000\n+5 if employees > 700\n")
    options = EngineOptions(profiles=tuple(document.profiles), as_of=AS_OF)
    rows = _rows(2 * CHUNK + 123)
    expected = list(python_engine(document, rows, options))
    job = Job(python_engine, options, lambda: document)
    got = list(score_in_processes(document, rows, job, jobs=2))
    assert got == expected
    assert [r.number for r in got] == list(range(1, len(rows) + 1))


@pytest.mark.parametrize(
    "tiers",
    ["tier A if score >= 5\n", "tier A if industry in [SaaS]\n"],  # by cells; by records
)
def test_workers_given_a_csv_file_s_cells_give_what_one_process_gives(tiers: str) -> None:
    """A CSV reader's rows go to the workers as cell text, typed there (`CellChunk`) and
    scored by the cell memo, or as records where the memo does not apply."""
    import io

    from icpdsl.batch.ids import IdColumn
    from icpdsl.io import open_records

    text = "industry in [SaaS]\nemployees 200..1000\n+5 if employees > 700\n" + tiers
    document = icpdsl.loads(text)
    lines = ["id,industry,employees"]
    for number in range(1, 2 * CHUNK + 124):
        lines.append(f"{number},only two" if number % 997 == 0 else
                     f"{number},{['SaaS', 'Retail', ''][number % 3]},{number % 1500}")  # fmt: skip
    data = ("\n".join(lines) + "\n").encode()

    def reader() -> Any:
        return open_records("-", stdin=io.BytesIO(data), format="csv", text_columns=["id"])

    ids = IdColumn(["id"], ["id", "industry", "employees"], explicit=False)
    options = EngineOptions(profiles=tuple(document.profiles), as_of=AS_OF, id_of=ids)
    expected = list(python_engine(document, list(reader()), options))  # records, one process
    job = Job(python_engine, options, lambda: document)
    got = [row._replace(tally=None) for row in score_in_processes(document, reader(), job, 2)]
    assert got == expected
    assert sum(row.error is not None for row in got) == 4


def test_jobs_count() -> None:
    assert jobs_count("3") == 3
    assert jobs_count("auto") >= 1
    with pytest.raises(ValueError):
        jobs_count("0")


def test_chunk_summaries_merged_in_order_are_the_whole_run_s_summary() -> None:
    """`Summary.merge` of consecutive chunks' summaries counts what one summary of every
    row counts, down to the order of ties and the first errors shown."""
    document = icpdsl.loads(
        'profile "A" {\n  industry in [SaaS]\n  employees 200..1000\n}\n'
        'profile "B" {\n  employees > 50\n  tier Top if score >= 0\n}\n'
    )
    options = EngineOptions(profiles=tuple(document.profiles), as_of=AS_OF)
    rows = list(python_engine(document, _rows(7 * 997 + 5), options))
    whole = Summary(list(document.profiles))
    for row in rows:
        whole.add(row)
    merged = Summary(list(document.profiles))
    for start in range(0, len(rows), 1000):
        part = Summary(list(document.profiles))
        for row in rows[start : start + 1000]:
            part.add(row)
        merged.merge(part)
    assert merged.to_dict() == whole.to_dict()
    assert list(merged.failing) == list(whole.failing)  # first seen first, for ties
    assert merged.errors == whole.errors and len(merged.errors) == 5
    assert merged.render(1.0) == whole.render(1.0)


def test_a_summary_of_tallied_rows_counts_what_one_of_single_rows_counts() -> None:
    """Rows with a tally (`ScoredRow.tally`, the cell memo's) are counted once per tally
    and added up when read: the same counts, ties in input order, and a summary pickled
    to the command with tallies pending counts them."""
    import pickle

    document = icpdsl.loads(
        'profile "A" {\n  industry in [SaaS]\n  employees 200..1000\n}\n'
        'profile "B" {\n  employees > 50\n  tier Top if score >= 0\n}\n'
    )
    options = EngineOptions(profiles=tuple(document.profiles), as_of=AS_OF)
    rows = list(python_engine(document, _rows(3 * 997 + 5), options))
    tallies: dict[Any, object] = {}
    tallied = [
        row if row.error is not None else row._replace(tally=tallies.setdefault(
            (*((s.verdict, s.tier, s.failed) for s in row.scores), row.missing), object()
        ))
        for row in rows
    ]  # fmt: skip
    single, by_tally = Summary(list(document.profiles)), Summary(list(document.profiles))
    for row, same in zip(rows, tallied, strict=True):
        single.add(row)
        by_tally.add(same)
    sent = pickle.loads(pickle.dumps(by_tally))
    for summary in (by_tally, sent):
        assert summary.to_dict() == single.to_dict()
        assert list(summary.failing) == list(single.failing)
        assert summary.render(1.0) == single.render(1.0)
