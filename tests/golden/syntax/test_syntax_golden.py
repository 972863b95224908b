"""Golden syntax errors: each malformed `x.icp` beside `x.expected.txt`, its whole message.

The message is the first line `file:line:column: text`, the offending line with a caret
under the column, a hint and, when the hint knows it, the line corrected (`try:`).
Regenerate after a deliberate wording change with `ICP_UPDATE_GOLDEN=1 pytest
tests/golden/syntax` and review the diff.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

import icpdsl
from icpdsl import ICPSyntaxError

HERE = Path(__file__).resolve().parent
CASES = sorted(HERE.glob("*.icp"))
HEAD = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+):(?P<column>\d+): (?P<text>.+)$")


def test_there_are_at_least_ten_cases() -> None:
    assert len(CASES) >= 10
    assert all(case.with_suffix(".expected.txt").exists() for case in CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_syntax_error_message(case: Path) -> None:
    text = case.read_text(encoding="utf-8")
    with pytest.raises(ICPSyntaxError) as caught:
        icpdsl.loads(text, case.name)
    error = caught.value
    message = str(error) + "\n"
    golden = case.with_suffix(".expected.txt")
    if os.environ.get("ICP_UPDATE_GOLDEN"):
        golden.write_text(message, encoding="utf-8")
    assert message == golden.read_text(encoding="utf-8")

    head, source_line, caret, *rest = message.splitlines()
    match = HEAD.match(head)
    assert match is not None
    where = (match["file"], int(match["line"]), int(match["column"]))
    assert where == (error.filename, error.line, error.column) == (case.name, *where[1:])
    indent = "    "
    assert source_line == indent + text.splitlines()[where[1] - 1]
    assert caret.index("^") == len(indent) + where[2] - 1
    assert rest[0].startswith("    hint: ")
    if error.corrected_line is None:
        assert len(rest) == 1
    else:
        assert rest[1:] == ["    try:  " + error.corrected_line.strip()]


#: Wrong forms people write from habit (issue 14): each hint comes with its corrected line.
COMMON_MISTAKES = [
    "range_with_dash", "money_range_with_dash", "range_with_spaced_dash", "range_with_to",
    "thousands_separator", "thousands_separators_in_a_range", "contains", "contains_a_list",
    "capital_and", "capital_or", "capital_not", "number_word", "number_word_glued",
    "spaced_suffix", "is_a_value", "dotted_date", "as_of_dotted_date", "between",
]  # fmt: skip


@pytest.mark.parametrize("name", COMMON_MISTAKES)
def test_a_common_mistake_is_answered_with_the_line_corrected(name: str) -> None:
    case = HERE / f"{name}.icp"
    with pytest.raises(ICPSyntaxError) as caught:
        icpdsl.loads(case.read_text(encoding="utf-8"), case.name)
    corrected = caught.value.corrected_line
    assert corrected is not None
    lines = case.read_text(encoding="utf-8").split("\n")
    lines[(caught.value.line or 0) - 1] = corrected
    icpdsl.parse("\n".join(lines))  # the corrected file parses
