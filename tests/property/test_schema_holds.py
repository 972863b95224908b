"""`Schema.holds` answers what `Schema.read` would, without coercing: for any record and
field, it holds something exactly when `read` does not give MISSING (the summary's
missing fields count by it)."""

from __future__ import annotations

import decimal
import math
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

import icpdsl
from icpdsl.records import MISSING

DOCUMENT = icpdsl.loads(
    """
fields {
  revenue: money from "Annual Revenue"
  employees: int from "Number of Employees"
  industry: string
  tier_code: category[a, b, c] from "Tier"
  tools: set[string] from "Tech Stack"
  founded: date from "Founded On"
  active: bool
  hq: { country: string from "HQ Country", city: string }
  score_pct: percent
}

industry in [SaaS]
"""
)
SCHEMA = DOCUMENT.schema
KEYS = [
    "Annual Revenue", "annual_revenue", "revenue", "Revenue ", "Number of Employees",
    "employees", "industry", "Industry", "Tier", "tier_code", "Tech Stack", "tools",
    "Founded On", "founded", "active", "hq", "HQ Country", "hq.city", "score_pct", "other",
]  # fmt: skip
VALUES = st.one_of(
    st.none(),
    st.sampled_from(["", " ", "\t", "n/a", "SaaS", "b", "x", "1,200", "$5M", "12%", "yes"]),
    st.sampled_from(["2020-01-31", "31/01/2020", "AWS; Okta", "-", "0", "NaN"]),
    st.integers(-(10**6), 10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([math.nan, decimal.Decimal("NaN"), decimal.Decimal("1.5"), True, False]),
    st.lists(st.sampled_from(["AWS", "", None, 3]), max_size=3),
    st.dictionaries(st.sampled_from(["country", "city", "Country"]), st.sampled_from(["US", ""])),
)
PATHS = [(name,) for name in SCHEMA.fields] + [("hq", "country"), ("hq", "city"), ("nope",)]


@given(st.dictionaries(st.sampled_from(KEYS), VALUES, max_size=8))
def test_holds_is_read_not_missing(record: dict[str, Any]) -> None:
    for parts in PATHS:
        read = SCHEMA.read(record, parts)
        assert SCHEMA.holds(record, parts) == (read is not MISSING), (parts, read)
