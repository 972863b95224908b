"""Static checks at load time: field names, operators and literal types → diagnostics.

With a schema every field a rule reads must be declared (`age` needs a `founded` date,
`score` is the computed score inside tiers) and every literal must suit the field's type.
Without one, the checker infers what it can from the file: a field used as a number in one
rule and compared with text in another is an error.  Codes are ICP01x; docs/checks.md.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Literal

import attrs

from . import ast, formatter
from .errors import Diagnostic
from .records import Invalid
from .schema import ANY, FieldType, Schema, closest, did_you_mean_hint
from .semantics.cells import parse_field_date
from .semantics.compare import AGE_SOURCES
from .source import Source, Span
from .visitor import predicates

if TYPE_CHECKING:
    from .program import BoundProfile

UNKNOWN_FIELD = "ICP010"
TYPE_MISMATCH = "ICP011"
BAD_OPERATOR = "ICP012"
NOT_IN_CATEGORY = "ICP013"
INCONSISTENT_USE = "ICP016"
BAD_RANGE = "ICP017"

#: The special type of `age`: years (or months, days) since a founding date.
AGE = FieldType("any", values=("age",))
SCORE = FieldType("number")
_ORDERED = frozenset({"<", "<=", ">", ">="})
_UNITS = frozenset({"years", "year", "months", "month", "weeks", "week", "days", "day"})
_KIND_TEXT = {
    "number": "a number",
    "string": "text",
    "bool": "true or false",
    "date": "a date",
    "duration": "a length of time",
}

Use = Literal["number", "date", "text", "bool", "set"]


@attrs.frozen
class _Seen:
    """The first place an undeclared field was used in a way that fixes its type."""

    use: Use
    filename: str
    line: int


class Checker:
    """Checks conditions and example records against a schema (or inferred uses)."""

    def __init__(self, schema: Schema, sources: Mapping[str, Source]) -> None:
        self.schema = schema
        self.sources = sources
        self.diagnostics: dict[tuple[str, str, int, int, str], Diagnostic] = {}
        self.seen: dict[str, _Seen] = {}
        self.defines: frozenset[str] = frozenset()

    # ------------------------------------------------------------------ entry points
    def check_profiles(self, profiles: Iterable[BoundProfile]) -> list[Diagnostic]:
        """Every diagnostic for these profiles' rules, defines and examples, in order."""
        for profile in profiles:
            self.defines = frozenset(profile.defines)
            for define in profile.defines.values():
                self.condition(define.condition, define.filename, in_tier=True)
            for rule in profile.rules:
                condition = getattr(rule.node, "condition", None)
                if condition is not None:
                    self.condition(condition, rule.filename, isinstance(rule.node, ast.Tier))
            for example in profile.examples:
                self.example(example.record, profile.filename, ())
                self.check_because(example, profile.filename)
        return sorted(self.diagnostics.values(), key=Diagnostic.sort_key)

    def report(
        self,
        code: str,
        message: str,
        filename: str,
        span: Span,
        hint: str | None = None,
        fix: str | None = None,
    ) -> None:
        source = self.sources.get(filename)
        diagnostic = Diagnostic.at(code, message, filename, span, source, hint=hint, fix=fix)
        self.diagnostics.setdefault((code, filename, span.line, span.column, message), diagnostic)

    # ------------------------------------------------------------------ conditions
    def condition(self, node: ast.Condition, filename: str, in_tier: bool) -> None:
        for predicate in predicates(node):
            self.predicate(predicate, filename, in_tier)

    def predicate(self, node: ast.Predicate, filename: str, in_tier: bool) -> None:
        if isinstance(node, ast.Range) and self._intrinsic(node, filename):
            return
        if not self.schema:
            self._infer(node, filename)
            return
        type_ = self.field_type(node.field, filename, in_tier)
        if type_ is None:
            return
        if type_ is AGE:
            self._age(node, filename)
        elif type_.kind == "any":
            return
        elif type_.kind == "record":
            if not isinstance(node, ast.IsKnown):
                first = next(iter(type_.fields), "FIELD")
                self.report(
                    BAD_OPERATOR,
                    f"{node.field.name} is a record; test one of its fields",
                    filename,
                    node.span,
                    f"e.g. {node.field.name}.{first}",
                )
        elif type_.is_collection:
            self._collection(node, type_, filename)
        else:
            self._scalar(node, type_, filename)

    def field_type(self, path: ast.Path, filename: str, in_tier: bool) -> FieldType | None:
        """The declared type of `path`; reports ICP010 (with a suggestion) when undeclared."""
        name = path.parts[0]
        if name == "score" and in_tier and "score" not in self.schema:
            return SCORE
        if name == "age" and len(path.parts) == 1 and "age" not in self.schema:
            if any(source in self.schema for source in AGE_SOURCES):
                return AGE
            self.report(
                UNKNOWN_FIELD,
                "unknown field 'age'",
                filename,
                path.span,
                "age is counted from a founding date: declare `founded: date`",
            )
            return None
        type_ = self.schema.field_type(path.parts)
        if type_ is not None:
            return type_
        self._unknown(path, filename, in_tier)
        return None

    def _unknown(self, path: ast.Path, filename: str, in_tier: bool) -> None:
        known: list[str] = []
        parent = self.schema.field_type(path.parts[:1]) if len(path.parts) > 1 else None
        for depth in range(1, len(path.parts)):
            parent = self.schema.field_type(path.parts[:depth])
            if parent is None:
                break
            known = list(path.parts[:depth])
        if known and parent is not None:
            owner = ".".join(known)
            missing = path.parts[len(known)]
            if parent.kind != "record":
                self.report(
                    UNKNOWN_FIELD,
                    f"{owner} is {parent}; it has no field {missing!r}",
                    filename,
                    path.span,
                )
                return
            close = closest(missing, parent.fields)
            self.report(
                UNKNOWN_FIELD,
                f"{owner} has no field {missing!r}",
                filename,
                path.span,
                did_you_mean_hint(close),
                _renamed(path, len(known), close),
            )
            return
        candidates = [*self.schema, *self.defines, *(["score"] if in_tier else [])]
        close = closest(path.parts[0], candidates)
        self.report(
            UNKNOWN_FIELD,
            f"unknown field {path.parts[0]!r}",
            filename,
            path.span,
            did_you_mean_hint(close) or "declare it in the fields block",
            _renamed(path, 0, close),
        )

    # ------------------------------------------------------------------ by type
    def _age(self, node: ast.Predicate, filename: str) -> None:
        """`age` counts time since a founding date: it compares with lengths of time."""
        if isinstance(node, (ast.Truthy, ast.Has)):
            self.report(
                BAD_OPERATOR,
                f"age is a length of time; {_operator(node)} does not apply to it",
                filename,
                node.span,
                "compare it: age 3..5 years, age >= 2 years",
            )
            return
        for value in _values(node):
            if value.kind not in ("duration", "date"):
                what = "age is a length of time (counted from the founding date)"
                self._mismatch("age", "a length of time (3 years)", value, filename, what)

    def _collection(self, node: ast.Predicate, type_: FieldType, filename: str) -> None:
        name = node.field.name
        item = type_.item or ANY
        if isinstance(node, (ast.Range, ast.Within, ast.Truthy)) or (
            isinstance(node, ast.Compare) and node.op in _ORDERED
        ):
            self.report(
                BAD_OPERATOR,
                f"{name} is {type_}; {_operator(node)} does not apply to it",
                filename,
                node.span,
                f"test its items: {name} has X, {name} has any [X, Y]",
            )
            return
        if isinstance(node, ast.Compare):
            self.report(
                BAD_OPERATOR,
                f"{name} is {type_}; compare its items with `has`",
                filename,
                node.span,
                f"{name} has {node.value.text}",
            )
            return
        for value in _values(node):
            self._value(name, item, value, filename, item_of=type_)

    def _scalar(self, node: ast.Predicate, type_: FieldType, filename: str) -> None:
        name = node.field.name
        kind = type_.kind
        if isinstance(node, ast.Has):
            self.report(
                BAD_OPERATOR,
                f"{name} is {type_}, not a set; `has` tests set items",
                filename,
                node.span,
                f"declare it `{name}: set[string]` or use `in`",
            )
            return
        if isinstance(node, ast.Truthy) and kind != "bool":
            self.report(
                TYPE_MISMATCH,
                f"{name} is {type_}; a bare field must be bool",
                filename,
                node.span,
                f"compare it, e.g. `{name} is known`",
            )
            return
        if isinstance(node, ast.Within) and kind != "date":
            self.report(
                BAD_OPERATOR, f"{name} is {type_}; `within` needs a date field", filename, node.span
            )
            return
        ordered = isinstance(node, ast.Range) or (
            isinstance(node, ast.Compare) and node.op in _ORDERED
        )
        if ordered and kind in ("category", "bool"):
            self.report(
                BAD_OPERATOR,
                f"{name} is {type_}; {_operator(node)} does not apply to it",
                filename,
                node.span,
                f"test its values: {name} in [...]",
            )
            return
        for value in _values(node):
            self._value(name, type_, value, filename)

    def _value(
        self,
        name: str,
        type_: FieldType,
        value: ast.Value,
        filename: str,
        item_of: FieldType | None = None,
    ) -> None:
        kind = type_.kind
        what = f"{name} holds {type_} items" if item_of is not None else f"{name} is {type_}"
        if kind == "any":
            return
        if kind == "category":
            if value.kind not in ("string", "number"):
                self._mismatch(name, str(type_), value, filename, what)
                return
            text = value.text if value.kind == "number" else str(value.value)
            if text not in type_.values:
                close = closest(text, type_.values)
                self.report(
                    NOT_IN_CATEGORY,
                    f"{value.text} is not a value of {name}: {type_}",
                    filename,
                    value.span,
                    did_you_mean_hint(close),
                    formatter.name(close) if close else None,
                )
            return
        allowed = {
            "string": ("string",),
            "bool": ("bool",),
            "date": ("date", "duration"),
        }.get(kind, ("number",))
        if value.kind not in allowed:
            self._mismatch(name, _KIND_TEXT[allowed[0]], value, filename, what)

    def _mismatch(
        self, name: str, wanted: str, value: ast.Value, filename: str, what: str | None = None
    ) -> None:
        found = _KIND_TEXT[value.kind]
        message = f"type mismatch: {what or name} but {value.text} is {found}"
        written = _as_iso_date(value) if wanted == _KIND_TEXT["date"] else None
        if written is not None:  # `founded >= "31.12.2015"`: the ISO date it reads as
            hint = f"write the date as YYYY-MM-DD, unquoted: {written}"
            self.report(TYPE_MISMATCH, message, filename, value.span, hint, written)
            return
        self.report(TYPE_MISMATCH, message, filename, value.span, f"use {wanted} here")

    # ------------------------------------------------------------------ without a schema
    def _intrinsic(self, node: ast.Range, filename: str) -> bool:
        """Checks that need no schema (a range's ends must be comparable); True if one failed."""
        ends = [v for v in (node.low, node.high) if v is not None]
        kinds = {v.kind for v in ends}
        if "string" in kinds or "bool" in kinds:
            unit = next((v.text for v in ends if v.text in _UNITS), None)
            hint = "test text with `in [A, B]`"
            if unit is not None and node.low is not None:
                hint = f"the unit follows the number: {node.low.text} {unit}.."
            message = "a range needs numbers, dates or lengths of time"
            self.report(BAD_RANGE, message, filename, node.span, hint)
            return True
        if len(kinds) > 1:
            self.report(
                BAD_RANGE,
                "the two ends of this range have different types",
                filename,
                node.span,
                f"{ends[0].text} is {_KIND_TEXT[ends[0].kind]}, "
                f"{ends[1].text} is {_KIND_TEXT[ends[1].kind]}",
            )
            return True
        return False

    def _infer(self, node: ast.Predicate, filename: str) -> None:
        use = _use_of(node)
        if use is None:
            return
        name = node.field.name
        if name in ("age", "score"):
            return
        first = self.seen.get(name)
        if first is None:
            self.seen[name] = _Seen(use, filename, node.span.line)
            return
        if first.use != use and frozenset({first.use, use}) in _CLASHES:
            where = (
                f"line {first.line}"
                if first.filename == filename
                else (f"{first.filename}:{first.line}")
            )
            self.report(
                INCONSISTENT_USE,
                f"{name} is used as {_USE_TEXT[use]} here but as {_USE_TEXT[first.use]} at {where}",
                filename,
                node.span,
                "declare its type in a fields block to say which is meant",
            )

    # ------------------------------------------------------------------ examples
    def example(self, record: ast.RecordLiteral, filename: str, prefix: tuple[str, ...]) -> None:
        """Example record keys must be declared fields and values must suit their types."""
        if not self.schema:
            return
        owner = self.schema.field_type(prefix) if prefix else None
        if prefix and (owner is None or owner.kind != "record"):
            return
        names = list(owner.fields) if owner is not None else list(self.schema)
        for key, value in record.pairs:
            parts = (*prefix, key)
            type_ = self.schema.field_type(parts)
            if type_ is None:
                close = closest(key, names)
                span = self._key_span(record, key, filename)
                self.report(
                    UNKNOWN_FIELD,
                    f"unknown field {'.'.join(parts)!r} in this example",
                    filename,
                    span,
                    did_you_mean_hint(close),
                    formatter.key(close) if close and span is not record.span else None,
                )
            elif isinstance(value, ast.RecordLiteral):
                self.example(value, filename, parts)
            elif isinstance(value, ast.Value):
                self._example_value(".".join(parts), type_, value, filename)

    def _key_span(self, record: ast.RecordLiteral, key: str, filename: str) -> Span:
        """Where `key:` is written inside a record literal (the record if not found)."""
        source = self.sources.get(filename)
        if source is None:
            return record.span
        text = source.text[record.span.start : record.span.end]
        written = "|".join(re.escape(k) for k in (key, f"`{key}`", f'"{key}"', f"'{key}'"))
        match = re.search(rf"(?<![\w`\"'])(?:{written})\s*:", text)
        if match is None:
            return record.span
        start = record.span.start + match.start()
        return source.span(start, start + len(match.group(0).rstrip(": \t")))

    def check_because(self, example: ast.Example, filename: str) -> None:
        """`because` names fields (or defines) the profile can read."""
        if not self.schema:
            return
        for path in example.because:
            if path.name in self.defines or path.parts[0] in ("score", "age"):
                continue
            if self.schema.field_type(path.parts) is None:
                close = closest(path.parts[0], [*self.schema, *self.defines])
                self.report(
                    UNKNOWN_FIELD,
                    f"unknown field {path.name!r} after `because`",
                    filename,
                    path.span,
                    did_you_mean_hint(close),
                    _renamed(path, 0, close),
                )

    def _example_value(self, name: str, type_: FieldType, value: ast.Value, filename: str) -> None:
        if value.kind == "duration":  # `6 months` in an example means that long ago
            if type_.kind not in ("date", "any"):
                self._mismatch(name, "a date", value, filename, f"{name} is {type_}")
            return
        if isinstance(type_.coerce(value.value), Invalid):
            wanted = "a date" if type_.kind == "date" else f"a valid {type_}"
            self._mismatch(name, wanted, value, filename, f"{name} is {type_}")


_USE_TEXT: dict[Use, str] = {
    "number": "a number",
    "date": "a date",
    "text": "text",
    "bool": "true/false",
    "set": "a set (`has`)",
}
_CLASHES = frozenset(
    frozenset(pair)
    for pair in [
        ("number", "text"),
        ("date", "text"),
        ("number", "bool"),
        ("date", "bool"),
        ("set", "number"),
        ("set", "date"),
        ("set", "bool"),
    ]
)


def _use_of(node: ast.Predicate) -> Use | None:
    """How a predicate uses its field, when that fixes the field's type."""
    if isinstance(node, ast.Has):
        return "set"
    if isinstance(node, ast.Within):
        return "date"
    if isinstance(node, ast.Truthy):
        return "bool"
    values = _values(node)
    if len(values) == 1:
        kind = values[0].kind
    else:
        kinds = {v.kind for v in values}
        if len(kinds) != 1:
            return None
        kind = kinds.pop()
    if isinstance(node, ast.Matches) and kind == "string":
        return None  # `requires on_prem` may test a list's items
    return _USE_OF_KIND.get(kind)


_USE_OF_KIND: dict[str, Use] = {
    "number": "number",
    "date": "date",
    "string": "text",
    "bool": "bool",
}


def _values(node: ast.Predicate) -> tuple[ast.Value, ...]:
    if isinstance(node, (ast.InList, ast.Has)):
        return node.values
    if isinstance(node, ast.Range):  # one end: mixed ends are reported as ICP017
        end = node.high if node.high is not None else node.low
        return (end,) if end is not None else ()
    if isinstance(node, (ast.Compare, ast.Matches)):
        return (node.value,)
    return ()


def _operator(node: ast.Predicate) -> str:
    if isinstance(node, ast.Range):
        return "a range"
    if isinstance(node, ast.Compare):
        return f"`{node.op}`"
    if isinstance(node, ast.Within):
        return "`within`"
    if isinstance(node, ast.Has):
        return "`has`"
    return "a bare field test"


def _renamed(path: ast.Path, index: int, name: str | None) -> str | None:
    """`path` as written with part `index` replaced by `name`: a did-you-mean's fix."""
    if name is None:
        return None
    return formatter.path(
        attrs.evolve(path, parts=(*path.parts[:index], name, *path.parts[index + 1 :]))
    )


def _as_iso_date(value: ast.Value) -> str | None:
    """A quoted date (`"31.12.2015"`, `"2015-12-31"`) as the ISO date the kernel reads it."""
    if value.kind != "string":
        return None
    day = parse_field_date(str(value.value))
    return day.isoformat() if day is not None else None


def check_profiles(
    profiles: Iterable[BoundProfile], schema: Schema, sources: Mapping[str, Source]
) -> list[Diagnostic]:
    """All static-check diagnostics for loaded profiles, sorted by location."""
    return Checker(schema, sources).check_profiles(profiles)
