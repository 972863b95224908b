"""CSV cells as exports hold them, and the file they make: shared by the tests that hold
an engine reading a CSV file to the default engine reading typed records."""

from __future__ import annotations

import csv
import io

from hypothesis import strategies as st

HEADER = ["id", "employees", "revenue", "industry", "country", "tech", "active",
          "competitor", "last_seen", "founded", "Employees "]  # fmt: skip
#: Cells as CSV exports hold them: numbers in every spelling, bands, words, blanks, odd text.
CELLS = st.sampled_from([
    "", " ", "0", "200", "1,200", "$12.5M", "3.6e-05", "1E3", "-5", "250 to 499", "51-200",
    "10,001+", "n/a", "SaaS", " saas ", "B2B Software", "US", "de", "AWS; Okta", "gcp,azure",
    "okta", "true", "FALSE", "yes", "No", "1", "2024-12-15", "2019", "2025-06-16", "x\ty",
    "Ünïcode", "=SUM(A1)", '"quoted"', "a,b", "line\nbreak", "00123",
])  # fmt: skip


def csv_bytes(rows: list[list[str]], header: list[str] = HEADER) -> bytes:
    """A CSV file of `header` and `rows`, each row's id (its index) put first."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for index, row in enumerate(rows):
        writer.writerow([str(index), *row])
    return buffer.getvalue().encode()
