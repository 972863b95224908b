"""Resource limits: each one refuses input just over it, with a located ICPLimitError,
and accepts input at it; deep nesting never reaches a RecursionError or a hang."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import attrs
import pytest

import icpdsl
from icpdsl import ICPError, ICPLimitError, Limits
from icpdsl.limits import DEFAULT_LIMITS, LIMIT_CODE

AS_OF = __import__("datetime").date(2025, 1, 1)


def _refused(text: str, limits: Limits | None = None, **kwargs: object) -> ICPLimitError:
    with pytest.raises(ICPLimitError) as caught:
        icpdsl.loads(text, "t.icp", limits=limits, **kwargs)  # type: ignore[arg-type]
    error = caught.value
    assert error.code == LIMIT_CODE
    assert "limits=Limits(" in (error.hint or "")
    return error


def _location(error: ICPError) -> tuple[int | None, int | None]:
    return error.line, error.column


# ------------------------------------------------------------------ the defaults


def test_defaults_are_the_documented_ones() -> None:
    assert attrs.asdict(DEFAULT_LIMITS) == {
        "max_file_bytes": 1_048_576,
        "max_depth": 100,
        "max_list_length": 10_000,
        "max_rules": 10_000,
        "max_profiles": 1_000,
        "max_predicates": 10_000,
        "max_document_size": 50_000,
        "max_extends_depth": 32,
        "max_import_depth": 32,
        "max_record_chars": 4_194_304,
    }


@pytest.mark.parametrize("bad", [0, -1, 1.5, True, "10"])
def test_a_limit_must_be_a_positive_int(bad: object) -> None:
    with pytest.raises(ValueError, match="max_depth must be a positive int"):
        Limits(max_depth=bad)  # type: ignore[arg-type]


# ------------------------------------------------------------------ nesting


@pytest.mark.parametrize(
    "text",
    [
        "(" * 10_000 + "a" + ")" * 10_000,
        "not " * 10_000 + "a",
        "not (" * 5_000 + "a" + ")" * 5_000,
        "(a and " * 10_000 + "b" + ")" * 10_000,
        'profile "p" { a\n examples { fit { x: ' + "[" * 10_000 + "1" + "]" * 10_000 + "} } }",
        "(" * 10_000,  # unbalanced: still refused before the parser gives up
        'profile "p" { a\n examples { fit { x: ' + "{x: " * 10_000 + "1" + "}" * 10_000 + "} } }",
        "fields { x: " + "list[" * 10_000 + "int" + "]" * 10_000 + " }\na",
        "fields { x: " + "{y: " * 10_000 + "int" + "}" * 10_000 + " }\na",
    ],
    ids=["parens", "nots", "not-parens", "and-parens", "lists", "unbalanced", "records", "types",
         "record-types"],
)  # fmt: skip
def test_ten_thousand_levels_of_nesting_are_refused_quickly(text: str) -> None:
    started = time.perf_counter()
    error = _refused(text)
    assert time.perf_counter() - started < 2
    assert "nesting is deeper than the limit of 100" in error.message
    assert error.line == 1 or error.line == 2
    assert error.column is not None and error.column > 1


def test_the_error_points_at_the_first_token_over_the_limit() -> None:
    error = _refused("x == 1 and " + "(" * 101 + "a" + ")" * 101)
    assert _location(error) == (1, len("x == 1 and ") + 101)
    assert error.source_line is not None and error.source_line.startswith("x == 1")


def test_nesting_at_the_limit_loads_and_evaluates() -> None:
    limits = Limits(max_depth=60)
    doc = icpdsl.loads("not " * 59 + "a", limits=limits)
    assert doc.profile.evaluate({"a": True}, as_of=AS_OF).verdict.value == "not_fit"
    doc = icpdsl.loads("(" * 60 + "a" + ")" * 60, limits=limits)
    assert doc.profile.evaluate({"a": True}, as_of=AS_OF).verdict.value == "fit"
    _refused("not " * 61 + "a", limits)
    _refused("(" * 61 + "a" + ")" * 61, limits)


def test_nots_in_sequence_do_not_count_as_nesting() -> None:
    text = " and ".join(f"not f{i}" for i in range(500))
    assert len(icpdsl.loads(text).profile.rules) == 1
    lines = "\n".join(f"not f{i}" for i in range(500))
    assert len(icpdsl.loads(lines).profile.rules) == 500


def test_nots_across_line_breaks_still_count() -> None:
    _refused("not\n" * 200 + "a")


@pytest.mark.parametrize(
    "make",
    [
        lambda n: (
            "define d0 = a\n"
            + "".join(f"define d{i} = not d{i - 1}\n" for i in range(1, n))
            + f"d{n - 1}"
        ),
        lambda n: (
            "define d0 = a\n"
            + "".join(f"define d{i} = d{i - 1} and b{i}\n" for i in range(1, n))
            + f"d{n - 1}"
        ),
    ],
    ids=["not-chain", "and-chain"],
)
def test_chains_of_defines_count_towards_the_depth(make: object) -> None:
    error = _refused(make(300))  # type: ignore[operator]
    assert "once expanded" in error.message or "once its defines" in error.message
    assert error.line is not None and error.line > 1


def test_a_define_chain_within_the_limit_evaluates() -> None:
    n = 40
    text = "define d0 = a\n" + "".join(f"define d{i} = not d{i - 1}\n" for i in range(1, n))
    doc = icpdsl.loads(text + f"d{n - 1}")
    assert doc.profile.evaluate({"a": False}, as_of=AS_OF).verdict.value == "fit"


def test_a_define_used_exponentially_often_is_refused_before_evaluation() -> None:
    # d_i = d_{i-1} or d_{i-1}: 2**40 predicates to evaluate, from a few lines of text.
    text = "define d0 = a\n" + "".join(
        f"define d{i} = d{i - 1} or d{i - 1}\n" for i in range(1, 41)
    )
    error = _refused(text + "d40")
    assert "predicates" in error.message
    assert "max_predicates" in (error.hint or "")


def test_evaluation_stays_off_the_recursion_limit_at_the_default_depth() -> None:
    # The deepest structure the default allows, evaluated from a deep call stack.
    text = "define d0 = a\n" + "".join(f"define d{i} = not (d{i - 1})\n" for i in range(1, 49))
    doc = icpdsl.loads(text + "d48 or b")

    def nested(depth: int) -> str:
        if depth:
            return nested(depth - 1)
        return doc.profile.evaluate({"a": True}, as_of=AS_OF).explain()

    assert "d48" in nested(sys.getrecursionlimit() // 4)


def test_a_raised_depth_limit_still_never_leaks_a_recursion_error() -> None:
    limits = Limits(max_depth=50_000)
    with pytest.raises(ICPLimitError, match="recursion limit"):
        icpdsl.loads("not " * 3_000 + "a", limits=limits)


# ------------------------------------------------------------------ lists


def test_list_length() -> None:
    limits = Limits(max_list_length=3)
    icpdsl.loads("a in [1, 2, 3]", limits=limits)
    icpdsl.loads("a in [1, 2, 3,]", limits=limits)
    error = _refused("a in [1, 2,\n 3, 4]", limits)
    assert _location(error) == (2, 5)
    assert "more than the limit of 3 items" in error.message
    _refused('profile "p" { a\nexamples { fit { a: true, x: [1, 2, 3, 4] } } }', limits)
    _refused("fields { x: category [A, B, C, D] }\nx == A", limits)


def test_nested_lists_count_their_own_items() -> None:
    limits = Limits(max_list_length=2)
    text = 'profile "p" { a\nexamples { fit { a: true, x: [[1, 2], [3, 4]] } } }'
    icpdsl.loads(text, limits=limits)


def test_a_huge_list_at_the_default_limit_is_refused() -> None:
    _refused("a in [" + ", ".join(map(str, range(10_001))) + "]")


# ------------------------------------------------------------------ sizes


def test_file_size_through_loads() -> None:
    text = "a\n" + "# padding\n" * 100
    icpdsl.loads(text, limits=Limits(max_file_bytes=len(text)))
    error = _refused(text, Limits(max_file_bytes=len(text) - 1))
    assert f"{len(text):,} bytes" in error.message


def test_file_size_counts_bytes_not_characters() -> None:
    text = "a # " + "é" * 100  # 104 characters, 204 bytes
    icpdsl.loads(text, limits=Limits(max_file_bytes=204))
    _refused(text, Limits(max_file_bytes=203))


def test_file_size_is_checked_before_a_file_is_read(tmp_path: Path) -> None:
    big = tmp_path / "big.icp"
    with big.open("wb") as handle:
        handle.truncate(2 * 1024 * 1024 * 1024)  # sparse: 2 GiB of NULs, no disk used
    started = time.perf_counter()
    with pytest.raises(ICPLimitError, match="more than the limit of 1,048,576"):
        icpdsl.load(big)
    assert time.perf_counter() - started < 1


def test_an_imported_file_is_size_checked_too(tmp_path: Path) -> None:
    (tmp_path / "big.icp").write_text("define x = a\n" + "#\n" * 1000, encoding="utf-8")
    (tmp_path / "main.icp").write_text('import "big.icp"\nx\n', encoding="utf-8")
    with pytest.raises(ICPLimitError) as caught:
        icpdsl.load(tmp_path / "main.icp", limits=Limits(max_file_bytes=500))
    assert caught.value.filename is not None and caught.value.filename.endswith("big.icp")


def test_rules_per_profile_count_inherited_rules() -> None:
    limits = Limits(max_rules=3)
    icpdsl.loads("a\nb\nc", limits=limits)
    error = _refused("a\nb\nc\nd", limits)
    assert _location(error) == (4, 1)
    text = 'profile "base" { a\nb }\nprofile "child" extends "base" { c\nd }'
    error = _refused(text, limits)
    assert "'child' has more than the limit of 3 rules" in error.message


def test_profiles_per_document() -> None:
    limits = Limits(max_profiles=2)
    icpdsl.loads('profile "a" { x }\nprofile "b" { x }', limits=limits)
    error = _refused('profile "a" { x }\nprofile "b" { x }\nprofile "c" { x }', limits)
    assert _location(error) == (3, 1)


def test_predicates_per_profile() -> None:
    limits = Limits(max_predicates=4)
    icpdsl.loads("define two = a and b\ntwo\ntwo", limits=limits)
    error = _refused("define two = a and b\ntwo\ntwo\nc", limits)
    assert _location(error) == (4, 1)


# ------------------------------------------------------------------ the whole document


def test_the_red_team_fan_out_is_refused_before_the_work() -> None:
    # 9,999 rules and 200 profiles extending them: 10 s and 1.4 GB to load, 477 s to
    # score one record.  Each limit held alone; the document's size now bounds them all.
    base = "\n".join(f"  f{i}" for i in range(9_999))
    extending = "".join(f'profile "P{i}" extends "B" {{}}\n' for i in range(200))
    text = f'profile "B" {{\n{base}\n}}\n{extending}'
    error = _refused(text)
    assert "max_document_size" in (error.hint or "")
    assert "the document expands to more than the limit of 50,000" in error.message
    assert _location(error) == (10_003, 1)  # P1: B and P0 are 2 x 19,998 = 39,996


def _sized(size: int) -> Limits:
    return Limits(max_document_size=size)


def test_the_document_size_counts_rules_predicates_and_defines_of_every_profile() -> None:
    # base: rules a, b and (c and d): 3 rules + 4 predicates = 7, and one define.
    text = (
        "define big = employees > 1000\n"
        'profile "base" { a\nb\nc and d }\n'
        'profile "child" extends "base" { big }\n'  # 7 + 1 rule + 1 predicate, 1 define
    )
    icpdsl.loads(text, limits=_sized(8 + 10))
    error = _refused(text, _sized(8 + 10 - 1))
    assert _location(error) == (5, 1)
    assert "at profile 'child'" in error.message


def test_a_profile_with_tiers_of_its_own_does_not_count_the_ones_it_replaces() -> None:
    text = (
        'profile "base" { a\ntier A if b and c\ntier B otherwise }\n'  # 2 + 3 + 1 = 6 rules+preds
        'profile "child" extends "base" { tier X otherwise }\n'  # a (2) + tier X (1) = 3
    )
    icpdsl.loads(text, limits=_sized(9))
    _refused(text, _sized(8))


def test_an_extended_profile_is_built_once_and_shared() -> None:
    text = 'profile "base" { a\nb }\n' + "".join(
        f'profile "p{i}" extends "base" {{ c{i} }}\n' for i in range(50)
    )
    document = icpdsl.loads(text)
    base_rule = document.profiles["base"].rules[0]
    assert all(document.profiles[f"p{i}"].rules[0] is base_rule for i in range(50))


def test_own_defines_are_applied_to_inherited_rules_and_counted(tmp_path: Path) -> None:
    (tmp_path / "base.icp").write_text(
        'define wide = x\nprofile "base" { wide }\n', encoding="utf-8"
    )
    (tmp_path / "main.icp").write_text(
        'import "base.icp"\nprofile "child" extends "base" {\n  define wide = x or y or z\n}\n',
        encoding="utf-8",
    )
    document = icpdsl.load(tmp_path / "main.icp")
    record = {"x": False, "y": False, "z": True}
    assert document.profiles["child"].evaluate(record, as_of=AS_OF).verdict.value == "fit"
    with pytest.raises(ICPLimitError) as caught:
        icpdsl.load(tmp_path / "main.icp", limits=Limits(max_predicates=2))
    assert "'child' expands to more than the limit of 2 predicates" in caught.value.message


def test_a_lattice_of_defines_is_checked_once_per_define(monkeypatch: pytest.MonkeyPatch) -> None:
    # a_k = a_{k-1} or b_{k-1}; b_k = a_{k-1} and b_{k-1}: 80 lines the cycle check used
    # to walk 2**40 times (a 1 KB file that never finished loading).
    import icpdsl.loader as loader

    lines = ["define a0 = x > 1", "define b0 = y > 1"]
    for k in range(1, 40):
        lines += [f"define a{k} = a{k - 1} or b{k - 1}", f"define b{k} = a{k - 1} and b{k - 1}"]
    calls = 0
    refs = loader._refs

    def counted(condition: object) -> list[str]:
        nonlocal calls
        calls += 1
        assert calls < 1_000, "the define graph is walked more than once per define"
        return refs(condition)  # type: ignore[arg-type]

    monkeypatch.setattr(loader, "_refs", counted)
    assert icpdsl.loads("\n".join([*lines, "z > 1"]))
    error = _refused("\n".join([*lines, "a39"]))  # used: 2**39 predicates
    assert "max_predicates" in (error.hint or "")


# ------------------------------------------------------------------ chains


def test_extends_depth() -> None:
    def chain(n: int) -> str:
        lines = ['profile "p0" { a }']
        lines += [f'profile "p{i}" extends "p{i - 1}" {{ a{i} }}' for i in range(1, n)]
        return "\n".join(lines)

    limits = Limits(max_extends_depth=4)
    icpdsl.loads(chain(5), limits=limits)  # p4 → p3 → p2 → p1 → p0: four steps
    error = _refused(chain(6), limits)
    assert "`extends` chains deeper than the limit of 4" in error.message


def test_a_long_extends_chain_at_the_default_is_refused_not_a_recursion_error() -> None:
    lines = ['profile "p0" { a }']
    lines += [f'profile "p{i}" extends "p{i - 1}" {{ a }}' for i in range(1, 900)]
    _refused("\n".join(lines))


def test_import_depth(tmp_path: Path) -> None:
    for i in range(6):
        text = f'import "f{i + 1}.icp"\n' if i < 5 else ""
        (tmp_path / f"f{i}.icp").write_text(text + f"define d{i} = a\n", encoding="utf-8")
    (tmp_path / "main.icp").write_text('import "f0.icp"\nd5\n', encoding="utf-8")
    assert icpdsl.load(tmp_path / "main.icp", limits=Limits(max_import_depth=6))
    with pytest.raises(ICPLimitError, match="imports nest deeper than the limit of 5") as caught:
        icpdsl.load(tmp_path / "main.icp", limits=Limits(max_import_depth=5))
    assert caught.value.filename is not None and caught.value.filename.endswith("f4.icp")
    assert caught.value.line == 1


def test_parse_takes_limits_too() -> None:
    with pytest.raises(ICPLimitError):
        icpdsl.parse("not not not a", limits=Limits(max_depth=2))
    assert icpdsl.parse("not not a", limits=Limits(max_depth=2))


# ------------------------------------------------------------------ no quadratic loading


def test_loading_is_not_quadratic_in_rules_times_comments() -> None:
    # Found by bench/fuzz.py: each rule's text was cut out of the file by scanning every
    # comment in it, so 2,000 rules under 20,000 comment lines took ~15 s.
    text = "#\n" * 20_000 + "".join(f"f{i} > 1  # why\n" for i in range(2_000))
    started = time.perf_counter()
    document = icpdsl.loads(text)
    assert time.perf_counter() - started < 10
    assert document.profile.rules[-1].text == "f1999 > 1"


def test_an_error_on_a_huge_line_quotes_only_the_part_around_it() -> None:
    error = _refused("x == 1 and " + "(" * 200_000 + "a")
    assert len(str(error)) < 600
    line, caret = str(error).splitlines()[1:3]
    assert line.strip().startswith("...(((") and line.endswith("...")
    assert caret.index("^") == len("    ...") + 80  # 80 characters of context before it
