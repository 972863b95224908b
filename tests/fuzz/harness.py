"""What the fuzzers check and how they make input; shared by tests/fuzz and bench/fuzz.py.

Two properties:

- `check_text(text)`: loading any text gives a Document or an ICPError whose every
  location is inside the text (1 <= line <= lines, 1 <= column <= line length + 1);
  anything else (another exception, a location outside the text) is a failure.  A
  document that loads is also evaluated, explained and serialized on a few records.
- `check_record(profile, record)`: evaluating any record gives one outcome per rule, an
  explanation and a dict, never an exception; the compiled evaluator agrees with it, and
  NaN-like values are judged exactly as None.

Inputs: arbitrary text, grammar-aware mutations of the example files (token-level
delete / duplicate / swap / insert / replace / truncate), and records of hostile values.
Failing inputs are kept in tests/fuzz/corpus/ (see `save_case` and `load_cases`).
"""

from __future__ import annotations

import datetime
import decimal
import hashlib
import json
import math
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import lark
from hypothesis import strategies as st
from hypothesis.extra.lark import from_lark

import icpdsl
from icpdsl import ICPError

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.icp"))
CORPUS = Path(__file__).resolve().parent / "corpus"
AS_OF = datetime.date(2025, 6, 30)
#: Imports resolve here: an empty folder, so fuzzed text never reads the repository.
IMPORT_ROOT = Path(tempfile.gettempdir()) / "icpdsl-fuzz-empty-root"
IMPORT_ROOT.mkdir(exist_ok=True)


class PropertyFailure(AssertionError):
    """An input broke a guarantee; `kind` is "text" or "record"."""


# ------------------------------------------------------------------ properties


def check_text(text: str) -> icpdsl.Document | None:
    """Load `text`; return the Document, or None for a well-located ICPError."""
    try:
        document = icpdsl.loads(text, "fuzz.icp", root=IMPORT_ROOT)
    except ICPError as error:
        _check_locations(error, text)
        return None
    for profile in document.profiles.values():
        for record in SAMPLE_RECORDS:
            check_record(profile, record)
    return document


def _check_locations(error: ICPError, text: str) -> None:
    lines = text.split("\n")
    for diagnostic in error.diagnostics:
        if diagnostic.filename != "fuzz.icp":
            raise PropertyFailure(f"diagnostic for another file: {diagnostic.format()}")
        if diagnostic.line == 0 and diagnostic.code == "ICP009":
            continue  # a limit on the whole file (its size) has no line
        line, column = diagnostic.line, diagnostic.column
        if not 1 <= line <= len(lines):
            raise PropertyFailure(f"line {line} outside 1..{len(lines)}: {diagnostic.format()}")
        if not 1 <= column <= len(lines[line - 1]) + 1:
            raise PropertyFailure(
                f"column {column} outside line {line} "
                f"({len(lines[line - 1])} characters): {diagnostic.format()}"
            )
        diagnostic.format()
    str(error)


def check_record(profile: icpdsl.Profile, record: Any) -> icpdsl.Result:
    """Evaluate one record fully; raise PropertyFailure on anything but a Result, when the
    compiled evaluator disagrees, or when a missing-like value (NaN, Decimal NaN, blank
    text) is judged otherwise than None."""
    result = profile.evaluate(record, as_of=AS_OF)
    if len(result.rules) != len(profile.rules):
        raise PropertyFailure(f"{len(result.rules)} outcomes for {len(profile.rules)} rules")
    result.explain()
    json.dumps(result.to_dict(), default=str)
    compiled = profile.compile(AS_OF)(record)  # the fast path must agree, on anything
    if compiled != (result.verdict, result.score, result.tier):
        raise PropertyFailure(
            f"compiled evaluator disagrees: {compiled} vs "
            f"{(result.verdict, result.score, result.tier)}"
        )
    if isinstance(record, dict) and any(_missing_like(v) for v in record.values()):
        nones = {k: None if _missing_like(v) else v for k, v in record.items()}
        other = profile.evaluate(nones, as_of=AS_OF)
        if (result.verdict, result.score, result.tier) != (other.verdict, other.score, other.tier):
            raise PropertyFailure(
                f"missing-like values judged differently from None: {result.verdict} "
                f"{result.score} {result.tier} vs {other.verdict} {other.score} {other.tier}"
            )
    return result


def _missing_like(value: Any) -> bool:
    if isinstance(value, float | decimal.Decimal) and not isinstance(value, bool):
        return value.is_nan() if isinstance(value, decimal.Decimal) else math.isnan(value)
    return isinstance(value, str) and not value.strip()


SAMPLE_RECORDS: list[Any] = [
    {},
    {"employees": 500, "industry": "SaaS", "tech": ["AWS"], "country": "US", "score": 7},
    {"employees": math.nan, "industry": None, "tech": "AWS; Okta", "founded": "2019-02-03"},
]


# ------------------------------------------------------------------ text inputs

#: One token of ICP text: a string, a `quoted name`, a comment, a word or number, a
#: run of spaces, a line break or one other character.
_TOKEN = re.compile(
    r'"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|`[^`\n]*`|#[^\n]*'
    r"|[$\w.%-]+|[ \t]+|\r?\n|."
)
#: Fragments a mutation may insert: the language's keywords, operators and brackets,
#: and values that have broken parsers before.
VOCABULARY = [
    "profile", "extends", "import", "fields", "define", "require", "disqualify", "if",
    "tier", "otherwise", "examples", "fit", "not_fit", "because", "score", "and", "or",
    "not", "in", "has", "any", "all", "none", "is", "missing", "known", "within", "from",
    "true", "false", "null", "years", "months", "(", ")", "[", "]", "{", "}", ",", ":",
    ";", ".", "..", "=", "==", "!=", "<", "<=", ">", ">=", "+10", "-5", "+", "-", "\n",
    "\\\n", "#", '"', "'", "`", "$", "%", "0", "1_000", "$12.5M", "30%", "1e9", "2024-02-30",
    "9999-99-99", "0000-01-01", "18 months", "99999999999999999999", "-0", "$-5", '""',
    '"\\"', '"\\x00"', "`a.b`", "``", "\x00", "\ufeff", "\u2028", "≥", "“", "é", "\t",
    "\r", "\r\n", "a" * 300, "(" * 50, "not " * 50, "[" * 30, 'import "x.icp"\n',
    'import "../x.icp"\n', 'import "/etc/passwd"\n', 'import "\x00"\n', 'import "."\n',
]  # fmt: skip


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def _seeds() -> list[str]:
    return [path.read_text(encoding="utf-8") for path in EXAMPLES]


@st.composite
def mutated_examples(
    draw: st.DrawFn, max_mutations: int = 6, repeats: tuple[int, ...] = (2, 10, 150)
) -> str:
    """An example file with a few token-level mutations: mostly valid, subtly broken.
    `repeats`: how many times a "repeat" mutation may copy a span (depth, long runs)."""
    seeds = _seeds()
    tokens = _tokens(draw(st.sampled_from(seeds)))
    for _ in range(draw(st.integers(1, max_mutations))):
        if not tokens:
            tokens = [draw(st.sampled_from(VOCABULARY))]
        at = draw(st.integers(0, len(tokens) - 1))
        end = min(len(tokens), at + draw(st.integers(1, 8)))
        action = draw(
            st.sampled_from(
                ["delete", "duplicate", "swap", "insert", "replace", "truncate", "repeat"]
            )
        )
        if action == "delete":
            del tokens[at:end]
        elif action == "repeat":  # deep nesting, long runs: `not not ...`, `((((`, spaces
            tokens[at:end] = tokens[at:end] * draw(st.sampled_from(repeats))
        elif action == "duplicate":
            tokens[at:at] = tokens[at:end]
        elif action == "swap":
            other = draw(st.integers(0, len(tokens) - 1))
            tokens[at], tokens[other] = tokens[other], tokens[at]
        elif action == "insert":
            tokens.insert(at, draw(_fragment()))
        elif action == "replace":
            tokens[at] = draw(_fragment())
        else:
            tokens = tokens[:at]
    return "".join(tokens)


def _fragment() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(VOCABULARY),
        st.sampled_from(VOCABULARY).map(lambda s: f" {s} "),
        st.text(max_size=8),
        st.text(max_size=12).map(lambda path: f'import "{path}"\n'),
    )


def grammar_texts() -> st.SearchStrategy[str]:
    """Text generated from icpdsl/grammar.lark itself (Hypothesis' `from_lark`): every
    statement form, with the comments and line continuations the grammar allows."""
    grammar = (ROOT / "icpdsl" / "grammar.lark").read_text(encoding="utf-8")
    return from_lark(lark.Lark(grammar, parser="lalr", lexer="contextual"))


def icp_texts() -> st.SearchStrategy[str]:
    """Arbitrary text, text made of ICP fragments, grammar-generated text and mutated
    example files."""
    return st.one_of(
        st.text(max_size=200),
        st.lists(_fragment(), max_size=40).map(" ".join),
        grammar_texts(),
        mutated_examples(),
    )


# ------------------------------------------------------------------ records


class Hostile:
    """A value whose every operation raises: comparison, hashing, printing, conversion."""

    def _refuse(self, *args: object, **kwargs: object) -> Any:
        raise RuntimeError("hostile value")

    __eq__ = __ne__ = __lt__ = __le__ = __gt__ = __ge__ = _refuse
    __hash__ = __repr__ = __str__ = __format__ = __bool__ = __len__ = _refuse  # type: ignore[assignment]
    __iter__ = __float__ = __int__ = __index__ = __getattr__ = __getitem__ = _refuse

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:  # how Hypothesis shows it
        printer.text("Hostile()")


#: Text with long runs: the inputs that make backtracking regular expressions explode.
_RUNS = st.builds(
    lambda head, run, count, tail: head + run * count + tail,
    st.sampled_from(["", "1", "$", "+", "a", "2020-01-01T", "-"]),
    st.sampled_from([" ", "1", "_", ",000", " ;", "\t", "9", ".", "a"]),
    st.sampled_from([1_000, 5_000, 20_000]),
    st.sampled_from(["", "x", "%", " ", "B", ";"]),
)

_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=10**300, max_value=10**400),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(
        ["SaaS", "US", "AWS; Okta", "$12.5M", "1,200", "30%", "yes", "no", "2020-01-31",
         "2024-02-30", "nan", "inf", "1e400", " ", "", "\x00", "true"]
    ),
    st.binary(max_size=10),
    _RUNS,
    st.builds(Hostile),
    st.dates(),
    st.datetimes(),
    st.timedeltas(),
    st.complex_numbers(),
)  # fmt: skip

values = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.lists(inner, max_size=4).map(tuple),
        st.frozensets(st.one_of(st.integers(), st.text(max_size=5)), max_size=4),
        st.dictionaries(st.text(max_size=8), inner, max_size=4),
    ),
    max_leaves=8,
)


def field_names(profile: icpdsl.Profile) -> list[str]:
    """The top-level field names a profile's rules read."""
    names: set[str] = set()
    stack: list[Any] = [getattr(rule.node, "condition", None) for rule in profile.rules]
    stack += [define.condition for define in profile.defines.values()]
    while stack:
        node = stack.pop()
        if node is None:
            continue
        field = getattr(node, "field", None)
        if field is not None:
            names.add(field.parts[0])
            names.add(".".join(field.parts))
        stack.extend(getattr(node, "operands", ()))
        stack.append(getattr(node, "operand", None))
    return sorted(names)


def records_for(profile: icpdsl.Profile) -> st.SearchStrategy[dict[str, Any]]:
    """Records with the profile's fields (and some others) holding any value at all."""
    names = field_names(profile) or ["x"]
    known = st.dictionaries(st.sampled_from(names), values, max_size=len(names))
    extra = st.dictionaries(st.text(max_size=6), values, max_size=2)
    return st.tuples(known, extra).map(lambda pair: {**pair[1], **pair[0]})


# ------------------------------------------------------------------ the corpus
#
# corpus/<digest>.icp          text that once broke check_text
# corpus/<digest>.record.json  {"profile": "examples/x.icp", "name": ..., "record": ...}
#                              with values tagged: {"$float": "nan"}, {"$int": "..."},
#                              {"$bytes": "hex"}, {"$decimal": "..."}, {"$date": "..."}, ...


def save_case(kind: str, payload: Any, note: str = "") -> Path:
    """Keep a failing input in the corpus (named by its content); returns its path."""
    CORPUS.mkdir(exist_ok=True)
    if kind == "text":
        data = payload.encode("utf-8", "surrogatepass")
        path = CORPUS / f"{hashlib.sha256(data).hexdigest()[:16]}.icp"
        path.write_bytes(data)
    else:
        text = json.dumps({**payload, "note": note, "record": encode(payload["record"])},
                          indent=1, sort_keys=True)  # fmt: skip
        digest = hashlib.sha256(text.encode()).hexdigest()[:16]
        path = CORPUS / f"{digest}.record.json"
        path.write_text(text + "\n", encoding="utf-8")
    return path


def load_cases() -> Iterator[tuple[str, Path]]:
    """Every corpus case as (kind, path), kind "text" or "record"."""
    for path in sorted(CORPUS.glob("*.icp")):
        yield "text", path
    for path in sorted(CORPUS.glob("*.record.json")):
        yield "record", path


def replay(kind: str, path: Path) -> None:
    """Run the property a corpus case once broke."""
    if kind == "text":
        check_text(path.read_bytes().decode("utf-8", "surrogatepass"))
        return
    case = json.loads(path.read_text(encoding="utf-8"))
    profile_path = ROOT / case["profile"]
    document = icpdsl.load(profile_path)
    check_record(document.profiles[case["name"]], decode(case["record"]))


def encode(value: Any) -> Any:
    """A record value as JSON, keeping what JSON cannot say in tagged objects."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return value if abs(value) < 2**53 else {"$int": str(value)}
    if isinstance(value, float):
        return value if math.isfinite(value) else {"$float": repr(value)}
    if isinstance(value, decimal.Decimal):
        return {"$decimal": str(value)}
    if isinstance(value, (bytes, bytearray)):
        return {"$bytes": bytes(value).hex()}
    if isinstance(value, datetime.datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, datetime.date):
        return {"$date": value.isoformat()}
    if isinstance(value, datetime.timedelta):
        return {"$timedelta": value.total_seconds()}
    if isinstance(value, complex):
        return {"$complex": [value.real, value.imag]}
    if isinstance(value, (list, tuple)):
        return (
            {"$tuple": [encode(v) for v in value]}
            if isinstance(value, tuple)
            else [encode(v) for v in value]
        )
    if isinstance(value, (set, frozenset)):
        return {f"${type(value).__name__}": [encode(v) for v in value]}
    if isinstance(value, dict):
        return {"$dict": [[encode(k), encode(v)] for k, v in value.items()]}
    if isinstance(value, Hostile):
        return {"$hostile": None}
    return {"$repr": repr(value)}


_DECODERS: dict[str, Any] = {
    "$int": int,
    "$float": float,
    "$decimal": decimal.Decimal,
    "$bytes": bytes.fromhex,
    "$datetime": datetime.datetime.fromisoformat,
    "$date": datetime.date.fromisoformat,
    "$timedelta": lambda s: datetime.timedelta(seconds=s),
    "$complex": lambda pair: complex(*pair),
    "$tuple": lambda items: tuple(decode(v) for v in items),
    "$set": lambda items: {decode(v) for v in items},
    "$frozenset": lambda items: frozenset(decode(v) for v in items),
    "$dict": lambda pairs: {decode(k): decode(v) for k, v in pairs},
    "$hostile": lambda _: Hostile(),
    "$repr": str,
}


def decode(value: Any) -> Any:
    """The inverse of `encode`."""
    if isinstance(value, list):
        return [decode(v) for v in value]
    if isinstance(value, dict):
        ((tag, body),) = value.items()
        return _DECODERS[tag](body)
    return value
