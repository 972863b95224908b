"""Polars' text predicates decide what trimming, lower-casing and splitting decides.

`icpdsl.polars` finds ASCII values with regular expressions on the column as it is
(each letter spelled in both cases, white space allowed around, items found between
separators), and other values on the column trimmed and lower-cased.  Both must give
what the plain formulation gives: the cell trimmed and lower-cased by Polars (blank is
missing), a text cell split on `;`, `,` and `|` with the white space around them, and
the items compared with the values.  Cells and values are drawn to be awkward: case
variants, the Kelvin sign and the long s, a dotted capital I, sharp s, sigma, every kind
of white space, separators and regular expression syntax inside values.  On plain ASCII
cells the reference evaluator must agree too.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import icpdsl
from icpdsl.evaluator import evaluate_profile
from icpdsl.semantics.cells import text_key

pl = pytest.importorskip("polars")
import icpdsl.polars  # noqa: E402

AS_OF = datetime.date(2025, 6, 15)
#: Values written in profiles (no `"` or backslash: they are quoted as ICP strings).
VALUES = ["saas", "SaaS", "k8s", "s", "ks", "b2b software", "c++", "a.b", "(x)", "x|y",
          "a;b", "a, b", "[k]", "café", "straße", "ss", "σοφια", "i̇", "ok", "x$", "^a"]  # fmt: skip
#: Pieces of cells: case variants, look-alikes, white space, separators, syntax.
PIECES = ["saas", "SAAS", "SaaS", "ſaas", "K8S", "\u212a8s", "k8s", "s", "S", "ks", "KS",
          "b2b software", "B2B  Software", "c++", "C++", "a.b", "axb", "(x)", "x|y", "a;b",
          "CAFÉ", "café", "STRASSE", "Straße", "ΣΟΦΙΑ", "σοφια", "İ", "i", "OK", "x$", "^a", " ",
          "  ", "\t", "\n", "\u00a0", "\u2003", ";", ",", "|", "; ", " | ", ",,", ""]  # fmt: skip
PLAIN = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 +.()|;,$^[]")


def _quoted(values: list[str]) -> str:
    return "[" + ", ".join(f'"{v}"' for v in values) + "]"


@st.composite
def predicates(draw: st.DrawFn) -> str:
    value = draw(st.sampled_from(VALUES))
    values = _quoted(draw(st.lists(st.sampled_from(VALUES), min_size=1, max_size=3)))
    field = draw(st.sampled_from(["industry", "tech", "stack"]))
    forms = [f"{field} has {draw(st.sampled_from(['any', 'all', 'none']))} {values}",
             f'{field} "{value}"', f"{field} is known", f"{field} is missing"]  # fmt: skip
    if field == "industry":
        forms += [f"industry in {values}", f"industry not in {values}",
                  f'industry == "{value}"', f'industry != "{value}"']  # fmt: skip
    return draw(st.sampled_from(forms))


cells = st.one_of(st.none(), st.lists(st.sampled_from(PIECES), max_size=5).map("".join))
stacks = st.one_of(st.none(), st.lists(st.one_of(st.none(), cells), max_size=3))


def _folded(column: pl.Expr) -> pl.Expr:
    folded = column.str.strip_chars().str.to_lowercase()
    return pl.when(folded == "").then(None).otherwise(folded)


def _plainly(predicate: str) -> pl.Expr:
    """The predicate as trimming, lower-casing and splitting decide it (the oracle)."""
    field = predicate.split()[0]
    column = pl.col(field)
    if predicate.endswith(("is known", "is missing")):
        present = column.is_not_null()
        if field != "stack":
            present = present & (column.str.strip_chars() != "")
        return present if predicate.endswith("known") else ~present
    rest = predicate[len(field) + 1 :]
    if rest.startswith(("in ", "not in ", "== ", "!= ")):
        found = _folded(column).is_in(_values(rest))
        return ~found if rest.startswith(("not", "!")) else found
    if field == "stack":
        items = column.list.eval(pl.element().str.strip_chars().str.to_lowercase())
    else:
        items = _folded(column).str.replace_all(r"\s*[;,|]\s*", "|").str.split("|")
    targets = sorted(set(_values(rest)))
    shared = items.list.set_intersection(pl.lit(targets)).list.len()
    if rest.startswith(("has any", "has none")):
        return shared > 0 if rest.startswith("has any") else shared == 0
    return shared == len(targets)  # has all, or a bare value


def _values(text: str) -> list[str]:
    return [text_key(v) for v in text.split('"')[1::2]]


def _truth(verdicts: list[str]) -> list[bool | None]:
    return [{"fit": True, "not_fit": False, "unknown": None}[v] for v in verdicts]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    predicate=predicates(),
    rows=st.lists(st.tuples(cells, cells, stacks), min_size=1, max_size=10),
)
def test_text_predicates_decide_like_trimmed_lower_cased_split_text(
    predicate: str, rows: list[tuple[Any, ...]]
) -> None:
    schema = {"industry": pl.String, "tech": pl.String, "stack": pl.List(pl.String)}
    frame = pl.DataFrame(rows, schema=schema, orient="row")
    profile = icpdsl.loads(predicate + "\n").profile
    scored = icpdsl.polars.score(frame, profile, as_of=AS_OF)
    expected = frame.select(_plainly(predicate)).to_series().to_list()
    assert _truth(scored["verdict"].to_list()) == expected, predicate
    for row, verdict in zip(frame.iter_rows(named=True), scored["verdict"], strict=True):
        cell = row[predicate.split()[0]]
        texts = cell if isinstance(cell, list) else [cell]
        if set(predicate) <= PLAIN | set('"=!') and all(t and set(t) <= PLAIN for t in texts):
            assert verdict == evaluate_profile(profile, row, AS_OF).verdict.value, (predicate, row)


@pytest.mark.parametrize("value", VALUES)
def test_every_pair_of_pieces_against_every_value(value: str) -> None:
    pairs = [a + b for a in PIECES for b in PIECES]
    frame = pl.DataFrame(
        {"industry": pairs, "tech": pairs, "stack": [[a, b] for a in PIECES for b in PIECES]}
    )
    other = VALUES[(VALUES.index(value) + 1) % len(VALUES)]
    for predicate in [f'industry in ["{value}", "{other}"]', f'industry != "{value}"',
                      f'tech has all ["{value}", "{other}"]', f'tech has none ["{value}"]',
                      f'stack has any ["{value}", "{other}"]', f'stack "{value}"',
                      f'industry "{value}"', "industry is known"]:  # fmt: skip
        profile = icpdsl.loads(predicate + "\n").profile
        scored = icpdsl.polars.score(frame, profile, as_of=AS_OF)
        expected = frame.select(_plainly(predicate)).to_series().to_list()
        assert _truth(scored["verdict"].to_list()) == expected, predicate
