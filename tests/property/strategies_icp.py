"""Hypothesis strategies for ICP source text: whole programs that parse, written untidily.

`programs()` draws files with fields blocks, imports, defines, bare statements or profile
blocks with `extends`, examples, every predicate form, nested and/or/not with redundant
parentheses, and the noise a person leaves: odd spacing, tabs, `;` separators, lists and
conditions broken over lines, backslash continuations, blank lines and comments
everywhere a comment may go.  Reusable by any test that needs realistic ICP text.
"""

from __future__ import annotations

from hypothesis import strategies as st

PLAIN_NAMES = [
    "employees", "industry", "revenue", "tech", "country", "founded", "age", "score",
    "has_security_owner", "requires", "funding_stage", "is_competitor", "hq", "state",
    "fit", "years", "unknown", "because", "b2b-saas", "x1", "_private",
]  # fmt: skip
QUOTED_NAMES = ["`Annual Revenue`", "`in`", "`not`", "`tier`", "`a.b`", "`Number of Employees`"]
NUMBERS = ["0", "200", "1000", "1_000", "2.5", "$10M", "1.5B", "50k", "30%", "-5", "$20M", "7"]
DATES = ["2020-01-01", "2019-12-31", "2024-02-29"]
DURATIONS = ["18 months", "5 years", "1 year", "2 weeks", "30 days", "1 day"]
WORDS = ["SaaS", "Fintech", "US", "DE", "on_prem", "Node.js", "Series_B", "AWS", "Okta"]
STRINGS = [
    '"B2B Software"',
    "'single'",
    '"with \\"quote\\""',
    '"tab\\there"',
    '""',
    '"#not a comment"',
]
COMMENT_TEXT = ["# note", "#", "# TODO: check  spacing", "# a `quoted` name", '# "string"']
RANGES = [
    ("200", "1000"),
    ("", "1000"),
    ("200", ""),
    ("3", "5 years"),
    ("2020-01-01", "2021-01-01"),
]
TYPES = [
    "int", "float", "money", "percent", "string", "bool", "date", "set[string]",
    "list[int]", "category [SaaS, Fintech, \"B2B Software\"]", "{ country: string, state: string }",
    "set[ category [A, B] ]", "number", 'date "DD.MM.YYYY"', "date 'MM/DD/YY'",
    'list[date "D MMM YYYY"]',
    "category [" + ", ".join(f"Industry_{i}" for i in range(16)) + "]",
]  # fmt: skip

spaces = st.sampled_from([" ", " ", " ", "  ", "\t", " \\\n  "])
breaks = st.sampled_from(["\n", "\n", "\n\n", "\n  \n", " ;", ";", "\r\n"])


def _join(draw: st.DrawFn, parts: list[str]) -> str:
    return "".join(p + (draw(spaces) if i < len(parts) - 1 else "") for i, p in enumerate(parts))


@st.composite
def field_paths(draw: st.DrawFn) -> str:
    first = draw(st.sampled_from(PLAIN_NAMES + QUOTED_NAMES))
    if draw(st.booleans()) and draw(st.booleans()):
        return first + "." + draw(st.sampled_from(PLAIN_NAMES + QUOTED_NAMES))
    return first


scalars = st.sampled_from(NUMBERS + DATES + WORDS + STRINGS + ["true", "false"] + DURATIONS)
list_items = st.sampled_from(NUMBERS + WORDS + STRINGS + DATES)


@st.composite
def value_lists(draw: st.DrawFn) -> str:
    size = draw(st.sampled_from([1, 2, 3, 4, 4, 14]))  # sometimes longer than a line
    items = draw(st.lists(list_items, min_size=size, max_size=size))
    separator = draw(st.sampled_from([", ", ",", " , ", ",\n    "]))
    trailing = draw(st.sampled_from(["", "", ","]))
    return "[" + separator.join(items) + trailing + "]"


@st.composite
def predicates(draw: st.DrawFn) -> str:
    field = draw(field_paths())
    kind = draw(st.integers(0, 11))
    if kind == 0:
        return _join(draw, [field, "in", draw(value_lists())])
    if kind == 1:
        return _join(draw, [field, "not", "in", draw(value_lists())])
    if kind == 2:
        low, high = draw(st.sampled_from(RANGES))
        return f"{field} {low}..{high}"
    if kind == 3:
        op = draw(st.sampled_from(["==", "!=", "<", "<=", ">", ">="]))
        return _join(draw, [field, op, draw(scalars)])
    if kind == 4:
        return _join(draw, [field, "has", draw(scalars)])
    if kind == 5:
        mode = draw(st.sampled_from(["any", "all", "none"]))
        return _join(draw, [field, "has", mode, draw(value_lists())])
    if kind == 6:
        return _join(draw, [field, "is", draw(st.sampled_from(["missing", "known"]))])
    if kind == 7:
        return _join(draw, [field, "within", draw(st.sampled_from(DURATIONS))])
    if kind == 8:
        return _join(draw, [field, draw(st.sampled_from(WORDS + NUMBERS))])
    return field


def conditions(depth: int = 2) -> st.SearchStrategy[str]:
    if depth == 0:
        return predicates()
    inner = conditions(depth - 1)

    @st.composite
    def build(draw: st.DrawFn) -> str:
        kind = draw(st.integers(0, 5))
        if kind <= 1:
            return draw(predicates())
        if kind == 2:
            return "not " + draw(_wrapped(inner))
        word = draw(st.sampled_from(["and", "or"]))
        parts = draw(st.lists(_wrapped(inner), min_size=2, max_size=3))
        glue = draw(st.sampled_from([f" {word} ", f" {word}\n    ", f"  {word}\t"]))
        return glue.join(parts)

    return build()


@st.composite
def _wrapped(draw: st.DrawFn, inner: st.SearchStrategy[str]) -> str:
    text = draw(inner)
    if draw(st.booleans()) or " and " in text or " or " in text or "\n" in text:
        return "(" + text + ")"
    return text


def quoted(text: str) -> str:
    return '"' + text + '"'


@st.composite
def statements(draw: st.DrawFn) -> str:
    condition = draw(conditions())
    kind = draw(st.integers(0, 6))
    if kind == 0:
        return condition
    if kind == 1:
        return "require " + condition
    if kind == 2:
        reason = draw(st.sampled_from(["", ': "competitor"', ":'why \\'not\\''"]))
        return f"disqualify if {condition}{reason}"
    if kind == 3:
        return draw(st.sampled_from(["+10", "-5", "+2.5", "+0"])) + " if " + condition
    if kind == 4:
        name = draw(st.sampled_from(["A", "B", '"Tier 1"', "gold", '"in"', "fit"]))
        tail = draw(st.sampled_from([" otherwise", f" if {condition}"]))
        return f"tier {name}{tail}"
    if kind == 5:
        return f"define {draw(st.sampled_from(['modern', 'big', 'x_y']))} = {condition}"
    return draw(examples_blocks())


KEYS = [*PLAIN_NAMES[:8], '"Annual Revenue"', "`in`", '"a\\"b"']
OPTIONS = ["", " because employees", " because a, `b c`", " tier B", " score 10",
           " because x score -5 tier C"]  # fmt: skip
record_values = st.sampled_from(NUMBERS + WORDS + STRINGS + DATES + DURATIONS + ["null", "true"])


@st.composite
def records(draw: st.DrawFn, depth: int = 1) -> str:
    keys = draw(st.lists(st.sampled_from(KEYS), unique=True, max_size=4))
    pairs = []
    for key in keys:
        kind = draw(st.integers(0, 4))
        if kind == 0 and depth:
            value = draw(records(depth - 1))
        elif kind == 1:
            items = draw(st.lists(record_values, max_size=3))
            value = "[" + ", ".join(items) + "]"
        else:
            value = draw(record_values)
        pairs.append(f"{key}: {value}")
    separator = draw(st.sampled_from([", ", ",", "\n      "]))
    return "{" + separator.join(pairs) + "}"


@st.composite
def examples_blocks(draw: st.DrawFn) -> str:
    lines = []
    for _ in range(draw(st.integers(0, 3))):
        head = draw(st.sampled_from(["fit", "not_fit", "disqualified", "unknown", "tier A",
                                     'tier "Tier 1"']))  # fmt: skip
        name = draw(st.sampled_from(["", ' "typical"', " 'odd name'"]))
        options = draw(st.sampled_from(OPTIONS))
        comment = draw(st.sampled_from(["", "  # why"]))
        lines.append(f"  {head}{name} {draw(records())}{options}{comment}")
    body = "\n".join(lines)
    return "examples {\n" + body + "\n}" if body else "examples {}"


@st.composite
def fields_blocks(draw: st.DrawFn) -> str:
    decls = []
    for name in draw(st.lists(st.sampled_from(PLAIN_NAMES[:10]), min_size=0, max_size=4)):
        kind = draw(st.integers(0, 2))
        column = ' from "Number of Employees"' if kind == 1 else ""
        if kind == 2:
            decls.append(f'{name} from "Column {name}"')
        else:
            decls.append(f"{name}: {draw(st.sampled_from(TYPES))}{column}")
        if draw(st.booleans()):
            decls[-1] += "  " + draw(st.sampled_from(COMMENT_TEXT))
    return "fields {\n  " + "\n  ".join(decls) + "\n}" if decls else "fields {}"


def _with_comments(draw: st.DrawFn, items: list[str]) -> list[str]:
    out = []
    for item in items:
        if draw(st.integers(0, 4)) == 0:
            out.append(draw(st.sampled_from(COMMENT_TEXT)))
        if draw(st.integers(0, 3)) == 0 and "\n" not in item.splitlines()[-1]:
            item += draw(st.sampled_from(["  ", " ", "\t"])) + draw(st.sampled_from(COMMENT_TEXT))
        out.append(item)
    return out


def _body(draw: st.DrawFn, items: list[str]) -> str:
    text = ""
    for index, item in enumerate(items):
        if index:
            separator = draw(breaks)
            if separator.strip() == ";" and text.rstrip().split("\n")[-1].lstrip().startswith("#"):
                separator = "\n"
            if separator.strip() == ";" and "#" in text.split("\n")[-1]:
                separator = "\n"
            text += separator
        text += item
    return text


@st.composite
def profiles(draw: st.DrawFn) -> str:
    name = draw(st.sampled_from(['"Mid-market"', "'Enterprise'", '"With \\"quotes\\""']))
    extends = draw(st.sampled_from(["", ' extends "Base"']))
    body = _body(draw, _with_comments(draw, draw(st.lists(statements(), max_size=4))))
    head_comment = draw(st.sampled_from(["", "  # header"]))
    close = draw(st.sampled_from(["}", "}  # end"]))
    if not body:
        return f"profile {name}{extends} {{{head_comment}\n{close}"
    return f"profile {name}{extends} {{{head_comment}\n  {body}\n{close}"


@st.composite
def programs(draw: st.DrawFn) -> str:
    """One ICP file as a person might write it: valid, but untidy."""
    items: list[str] = []
    if draw(st.booleans()):
        items.append('import "shared/fields.icp"')
    if draw(st.booleans()):
        items.append(draw(fields_blocks()))
    if draw(st.integers(0, 3)) == 0:
        items.append("as of" + draw(spaces) + draw(st.sampled_from(["2013-12-31", "2024-02-29"])))
    if draw(st.booleans()):
        items += draw(st.lists(profiles(), min_size=1, max_size=2))
    else:
        items += draw(st.lists(statements(), max_size=5))
    text = _body(draw, _with_comments(draw, items))
    lead = draw(st.sampled_from(["", "# header comment\n", "\n\n", "# a\n\n# b\n"]))
    end = draw(st.sampled_from(["", "\n", "\n\n", "\n# trailing comment\n", "  # eol"]))
    if end == "  # eol" and (not text or "#" in text.split("\n")[-1]):
        end = "\n"
    return lead + text + end
