"""The compiled evaluator's generated Python holds no text from the ICP file.

`icpdsl/compile/python.py` is the one place that calls `compile`/`exec`.  This checks the
claim that makes it safe: field names, literals, labels and tier names are namespace
constants, so the source has no string literals and names only what the code generator
itself chose, whatever the ICP file says.
"""

from __future__ import annotations

import ast as pyast
import builtins
import datetime
import io
import keyword
import tokenize
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import icpdsl

compiled = pytest.importorskip("icpdsl.compile.python")

AS_OF = datetime.date(2025, 6, 30)
#: The attributes the generated code reads: methods it calls on values.
ATTRIBUTES = frozenset({"strip", "casefold", "isdisjoint", "issubset", "get", "__class__"})

HOSTILE_PROFILE = r"""
`a" + __import__("os").system("x") + "` in ["x\"); import os; (\"", y, 'it\'s']
__import__ is known
`exec(open('/etc/passwd').read())` == "\"\"\"; raise SystemExit; \"\"\""
+10 if system >= 5
+5 if `c; DROP TABLE accounts; --` has any ["/* */", "--", "\\", "'; --", "\u0000"]
-3 if os.environ.secret not in [eval, "__builtins__"]
disqualify if `\n` within 3 years: "\"; import os #"
tier "A\n'\"" if score >= 10
tier B otherwise
"""


def _strings(source: str) -> list[str]:
    string_tokens = (tokenize.STRING, getattr(tokenize, "FSTRING_START", -1))
    tokens = tokenize.generate_tokens(io.StringIO(source).readline)
    return [token.string for token in tokens if token.type in string_tokens]


def _check(profile: icpdsl.Profile) -> None:
    """No string literal; every name read is a namespace constant, a builtin or a local the
    source itself assigns; every attribute is one of the generator's few methods."""
    function, _, _, source = compiled.build_functions(profile, AS_OF)
    assert _strings(source) == [], "string literals in generated source"
    tree = pyast.parse(source)
    assigned = {n.id for n in pyast.walk(tree) if isinstance(n, pyast.Name)
                and isinstance(n.ctx, pyast.Store)}  # fmt: skip
    assigned |= {a.arg for n in pyast.walk(tree) if isinstance(n, pyast.FunctionDef)
                 for a in n.args.args}  # fmt: skip
    read = {n.id for n in pyast.walk(tree) if isinstance(n, pyast.Name)}
    known = set(function.__globals__) | set(dir(builtins)) | assigned
    assert read - known == set(), "the source names something the generator did not make"
    attributes = {n.attr for n in pyast.walk(tree) if isinstance(n, pyast.Attribute)}
    assert attributes <= ATTRIBUTES, f"unexpected attributes: {attributes - ATTRIBUTES}"
    assert not any(isinstance(n, pyast.Constant) and isinstance(n.value, str | bytes)
                   for n in pyast.walk(tree))  # fmt: skip


def test_hostile_names_and_values_never_reach_the_source() -> None:
    profile = icpdsl.loads(HOSTILE_PROFILE).profile
    _check(profile)
    function, _, _, source = compiled.build_functions(profile, AS_OF)
    for text in ("__import__", "system", "exec", "environ", "DROP", "passwd", "eval"):
        assert text not in source
    record = {"system": 7, "__import__": 1, "`a": "x"}
    reference = profile.evaluate(record, as_of=AS_OF)
    assert function(record) == (reference.verdict, reference.score, reference.tier)


_names = st.from_regex(r"\A[A-Za-z_][A-Za-z0-9_]{0,12}\Z").filter(
    lambda n: n not in {"score", "age"} and not keyword.iskeyword(n) and n not in
    {"in", "has", "is", "not", "and", "or", "within", "true", "false", "null"}
)  # fmt: skip
_text = st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=12)


def _string_literal(text: str) -> str:
    body = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{body}"'


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(st.sampled_from(["in", "==", "has", "quoted"]), st.one_of(_names, _text), _text),
        min_size=1,
        max_size=5,
    )
)
def test_random_field_names_and_strings_never_reach_the_source(
    rules: list[tuple[str, str, str]],
) -> None:
    lines = []
    for form, field, value in rules:
        path = field if form != "quoted" and field.isidentifier() else _quoted(field)
        literal = _string_literal(value)
        lines.append(
            {"in": f"{path} in [{literal}]", "==": f"{path} == {literal}",
             "has": f"+1 if {path} has {literal}", "quoted": f"{path} != {literal}"}[form]
        )  # fmt: skip
    try:
        profile = icpdsl.loads("\n".join(lines)).profile
    except icpdsl.ICPError:
        return  # a name the language refuses (a backtick, a line break): nothing to compile
    _check(profile)


def _quoted(name: Any) -> str:
    return f"`{name}`"
