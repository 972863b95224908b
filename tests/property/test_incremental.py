"""Re-parsing an edit from the last parse (`icpdsl.incremental`) gives what parsing the new
text whole gives, spans and comments included, or declines: on the shipped examples and
generated programs, with random edits inside and around their statements."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import icpdsl
from icpdsl.errors import ICPError
from icpdsl.incremental import Broken, reparse
from icpdsl.parser import parse
from icpdsl.source import Span
from tests.property.strategies_icp import programs

ROOT = Path(__file__).resolve().parents[2]
FILES = sorted((ROOT / "examples").rglob("*.icp"))
TEXTS = {path.name: path.read_text(encoding="utf-8") for path in FILES}
#: What an edit types: pieces of statements, separators and the characters that change
#: how a line is read (a quote, a comment, a bracket, a backslash, a line break).
PIECES = ["1", "0", " ", "x", "employees", ">=", "==", "=", "and", "or", "not", "in", "[",
          "]", "(", ")", ",", '"', "'", "#", "\\", "\n", ";", "..", "$", "M", "%", "if",
          "+5 if ", "tier", "disqualify if ", "require ", "{", "}", "examples", ":",
          "`", "# a note\n", "\n\n"]  # fmt: skip


def same(a: Any, b: Any, where: str = "module") -> None:
    """Equal nodes with equal spans (the AST's own equality leaves spans out)."""
    if isinstance(a, Span) or isinstance(b, Span):
        assert a == b, where
    elif isinstance(a, tuple):
        assert isinstance(b, tuple) and len(a) == len(b), where
        for index, (x, y) in enumerate(zip(a, b, strict=True)):
            same(x, y, f"{where}[{index}]")
    elif attrs.has(a.__class__):
        assert a.__class__ is b.__class__, where
        for field in attrs.fields(a.__class__):
            same(getattr(a, field.name), getattr(b, field.name), f"{where}.{field.name}")
    else:
        assert type(a) is type(b) and a == b, where


@st.composite
def edits(draw: st.DrawFn) -> tuple[str, str]:
    """A shipped file and the same file with one edit, mostly inside a statement."""
    name = draw(st.sampled_from(sorted(TEXTS)))
    text = TEXTS[name]
    spans = [s.span for s in _statements(parse(text, name))]
    if spans and draw(st.booleans()):
        span = draw(st.sampled_from(spans))
        start = draw(st.integers(span.start, span.end))
        end = draw(st.integers(start, span.end))
    elif draw(st.booleans()):  # lines put in or taken out at a line's start
        starts = [0, *(index + 1 for index, c in enumerate(text) if c == "\n")]
        start = draw(st.sampled_from(starts))
        end = draw(st.sampled_from([start, *(s for s in starts if start < s <= start + 80)]))
    else:
        start = draw(st.integers(0, len(text)))
        end = draw(st.integers(start, min(len(text), start + 40)))
    typed = "".join(draw(st.lists(st.sampled_from(PIECES), max_size=4)))
    return name, text[:start] + typed + text[end:]


def _statements(module: icpdsl.ast.Module) -> list[Any]:
    found: list[Any] = []
    for item in module.items:
        found.extend(item.body if isinstance(item, icpdsl.ast.ProfileDecl) else [item])
    return found


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits())
def test_an_edit_parsed_again_is_the_new_text_parsed_whole(edit: tuple[str, str]) -> None:
    name, new = edit
    previous = parse(TEXTS[name], name)
    try:
        whole = parse(new, name)
    except ICPError:
        whole = None
    again = reparse(previous, new)
    if not isinstance(again, icpdsl.ast.Module):
        return  # declined: the caller parses the whole text
    assert whole is not None, f"re-parsed text the whole parse refuses:\n{new}"
    same(again, whole)
    assert again.text == new


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits())
def test_a_suspect_parse_gives_what_a_parse_gives(edit: tuple[str, str]) -> None:
    """`parse(..., suspect=True)` (the explaining parser first) gives the same module, or
    the same error, as `parse`."""
    name, new = edit
    try:
        expected: Any = parse(new, name)
    except ICPError as error:
        expected = str(error)
    try:
        got: Any = parse(new, name, suspect=True)
    except ICPError as error:
        got = str(error)
    if isinstance(expected, str) or isinstance(got, str):
        assert got == expected
    else:
        same(got, expected)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(programs(), st.randoms(use_true_random=False))
def test_an_edit_of_a_generated_program_parsed_again_is_it_parsed_whole(
    text: str, rng: random.Random
) -> None:
    previous = parse(text, "g.icp")
    start = rng.randint(0, len(text))
    end = min(len(text), start + rng.choice([0, 1, 2, 5, 20]))
    new = text[:start] + "".join(rng.choices(PIECES, k=rng.randint(0, 3))) + text[end:]
    again = reparse(previous, new)
    if isinstance(again, icpdsl.ast.Module):
        same(again, parse(new, "g.icp"))  # raises if the whole parse refuses it


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("  employees 200..1000", "  employees 200..2000"),
        ("  employees 200..1000", "  employees 200..1000  # grown"),
        ("  employees 200..1000", "  require employees 200..1000"),
        ("  employees 200..1000", "  disqualify if employees > 5000"),
    ],
)
def test_an_edit_inside_one_statement_is_parsed_alone(before: str, after: str) -> None:
    text = TEXTS["security.icp"]
    assert before in text
    new = text.replace(before, after, 1)
    again = reparse(parse(text, "security.icp"), new)
    assert isinstance(again, icpdsl.ast.Module)
    same(again, parse(new, "security.icp"))


@pytest.mark.parametrize(
    "after",
    [
        "  employees >=",  # no longer a statement: the whole parse says why
        "  employees 200..1000 and",  # joins the next line
        "  employees 200..1000; country == US",  # two statements
        "  employees [200,",  # an open bracket runs on
    ],
)
def test_an_edit_that_is_not_one_whole_statement_is_declined(after: str) -> None:
    """Declined as a broken statement: the whole parse runs its explaining parser first."""
    text = TEXTS["security.icp"]
    new = text.replace("  employees 200..1000", after, 1)
    assert reparse(parse(text, "security.icp"), new) is Broken.STATEMENT


@pytest.mark.parametrize(
    ("anchor", "typed"),
    [
        ("  employees 200..1000", "  # a comment typed on a line of its own\n"),
        ("  employees 200..1000", "\n\n"),
        ("profile ", "# before a profile\n"),
    ],
)
def test_blank_and_comment_lines_between_statements_only_move_what_follows(
    anchor: str, typed: str
) -> None:
    text = TEXTS["security.icp"]
    at = text.index(anchor)
    new = text[:at] + typed + text[at:]
    again = reparse(parse(text, "security.icp"), new)
    assert isinstance(again, icpdsl.ast.Module)
    same(again, parse(new, "security.icp"))


def test_loads_with_the_last_parse_loads_what_loads_alone_does() -> None:
    text = TEXTS["segments.icp"]
    before = icpdsl.loads(text, "segments.icp")
    new = text.replace("employees 50..200", "employees 50..250", 1)
    assert new != text
    again = icpdsl.loads(new, "segments.icp", previous=before.modules[0])
    alone = icpdsl.loads(new, "segments.icp")
    same(again.modules[0], alone.modules[0])
    assert again.profiles == alone.profiles
