"""Fuzzing the readers in the suite: any bytes, named as any data file icpdsl reads, give
numbered Rows (or one ICPLoadError) and one output row per Row in every format; every
data file in corpus/ (each once a failure, or a finding of issue 17) is replayed."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings

from . import readers
from .test_fuzz import FUZZ


@settings(FUZZ, max_examples=40)
@given(readers.data_files())
def test_any_data_file_is_read_row_by_row(file: tuple[str, bytes]) -> None:
    readers.check_data(*file)


CASES = list(readers.load_data_cases())


@pytest.mark.parametrize("path", CASES, ids=[p.name for p in CASES])
def test_data_corpus_case(path: Path) -> None:
    readers.replay_data(path)


def test_the_data_corpus_covers_every_reader() -> None:
    kinds = {"".join(p.suffixes).removeprefix(".data") for p in CASES}
    assert {".csv", ".jsonl", ".json", ".parquet", ".csv.gz", ".jsonl.gz"} <= kinds


def test_the_property_rejects_a_row_count_that_differs(tmp_path: Path) -> None:
    assert [r.number for r in readers.check_data("a.csv", b"id,name\n1,a\n2,b\n")] == [1, 2]
    path = tmp_path / "a.csv"
    path.write_bytes(b"id,name\n1,a\n")
    with pytest.raises(readers.PropertyFailure, match="1 csv rows written for 2 rows read"):
        readers._score(path, "csv", 2)
