"""Field schema: declared types, column mapping, and coercion of raw record values.

A schema comes from a file's `fields { ... }` blocks, from Python (a dataclass, an attrs
class, a TypedDict or a dict of name → type) or both.  `Schema.read` is the field reader
the evaluator uses: it finds a field's value under its mapped column (`employees from
"Number of Employees"`), then coerces it to the declared type.  A value that cannot be
coerced becomes an `Invalid`, which every predicate treats as unknown, with a reason.
"""

from __future__ import annotations

import dataclasses
import datetime
import decimal
import enum
import json
import types
import typing
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Literal, TypeAlias, Union

import attrs

from . import ast
from .errors import Diagnostic, ICPCheckError
from .records import get_field, lookup, loose_key
from .semantics.bands import parse_band
from .semantics.cells import (
    LINE_SEPARATORS,
    DateFormat,
    DateFormatError,
    date_format,
    date_rule,
    is_number,
    likely_date_format,
    read_bool,
    read_date,
    read_int,
    read_money,
    read_number,
    read_percent,
    read_text,
    split_items,
)
from .semantics.missing import MISSING, Invalid, is_missing

TypeKind = Literal[
    "int", "number", "money", "percent", "string", "bool", "date", "category", "set",
    "list", "record", "any",
]  # fmt: skip

#: Type names a `fields` block may use, and the kind each one means.
TYPE_NAMES: dict[str, TypeKind] = {
    "int": "int",
    "integer": "int",
    "float": "number",
    "number": "number",
    "money": "money",
    "percent": "percent",
    "string": "string",
    "text": "string",
    "bool": "bool",
    "boolean": "bool",
    "date": "date",
    "category": "category",
    "set": "set",
    "list": "list",
    "any": "any",
}


@attrs.frozen
class FieldType:
    """A declared type: a kind plus, where the kind needs them, values, item type or fields."""

    kind: TypeKind
    values: tuple[str, ...] = ()  # category
    item: FieldType | None = None  # set, list
    fields: Mapping[str, FieldSpec] = attrs.field(factory=dict)  # record
    #: How a date field's text is written (`date "DD.MM.YYYY"`); None: the default rule.
    format: DateFormat | None = None

    def __str__(self) -> str:
        if self.format is not None:
            return f'{self.kind} "{self.format.text}"'
        if self.kind == "category":
            return "category [" + ", ".join(self.values) + "]"
        if self.kind in ("set", "list") and self.item is not None:
            return f"{self.kind}[{self.item}]"
        if self.kind == "record":
            return "{ " + ", ".join(f"{n}: {f.type}" for n, f in self.fields.items()) + " }"
        return self.kind

    @property
    def is_collection(self) -> bool:
        return self.kind in ("set", "list")

    def coerce(self, raw: Any) -> Any:
        """`raw` as this type: a typed value, MISSING, or an `Invalid` saying why not."""
        if raw is MISSING or is_missing(raw):
            return MISSING
        if isinstance(raw, Invalid):
            return raw
        scalar = _SCALARS.get(self.kind)
        coerced = scalar(raw) if scalar is not None else _COERCERS[self.kind](self, raw)
        if coerced is None and self.kind in _BANDED and isinstance(raw, str):
            coerced = parse_band(raw)  # `250 to 499`: a band the rules compare as a whole
        if coerced is None:
            return Invalid(raw, str(self), _why(self, raw))
        return coerced


@attrs.frozen
class FieldSpec:
    """One declared field: its type, the column it is read from, where it was declared."""

    name: str
    type: FieldType
    column: str | None = None
    filename: str = "<python>"
    line: int = 0
    column_number: int = 0


ANY = FieldType("any")

#: Columns that name an account, in the order `icp eval` and `icp explain` look for them:
#: an id (HubSpot's `Record ID`, Salesforce's `Id` or `Account ID`), then a name, then a
#: domain. Matched loosely: `Record ID`, `record_id` and `record-id` are one column.
ID_COLUMNS = (
    "id", "record id", "account id", "company id",
    "name", "company name", "account name",
    "domain", "company domain name", "website",
    "company", "organization", "organisation", "ticker", "symbol",
)  # fmt: skip
_ID_KEYS = {loose_key(c): rank for rank, c in enumerate(ID_COLUMNS)}


def id_rank(name: str) -> int | None:
    """Where `name` stands in ID_COLUMNS (compared loosely), or None if it is not there."""
    return _ID_KEYS.get(loose_key(name))


@attrs.frozen
class Schema:
    """Declared fields by name; reads and coerces values from any kind of record."""

    fields: Mapping[str, FieldSpec]

    def __bool__(self) -> bool:
        return bool(self.fields)

    def __contains__(self, name: object) -> bool:
        return name in self.fields

    def __iter__(self) -> Iterator[str]:
        return iter(self.fields)

    def field_type(self, parts: tuple[str, ...]) -> FieldType | None:
        """The declared type at a dotted path, or None when the path is not declared."""
        spec = self.fields.get(parts[0])
        for part in parts[1:]:
            if spec is None:
                return None
            if spec.type.kind == "any":
                return ANY
            if spec.type.kind != "record":
                return None
            spec = spec.type.fields.get(part)
        return spec.type if spec is not None else None

    def read(self, record: Any, parts: tuple[str, ...]) -> Any:
        """The field at `parts`, found under its mapped column and coerced to its type."""
        spec = self.fields.get(parts[0])
        if spec is None:
            return get_field(record, parts)
        raw = _raw(record, spec)
        if raw is MISSING and len(parts) == 1 and spec.type.kind == "record":
            return self._assemble(record, parts[0], spec.type)
        for part in parts[1:]:
            if spec is None or spec.type.kind != "record":
                return get_field(record, parts)
            container = raw
            spec = spec.type.fields.get(part)
            if spec is None:
                return get_field(record, parts)
            raw = _raw(record, spec) if spec.column else MISSING
            if raw is MISSING and container is not MISSING:
                raw = _raw(_as_mapping(container), spec)
        if raw is MISSING and len(parts) > 1:
            raw = get_field(record, parts)  # a flat column named `hq.country`
        return spec.type.coerce(raw)

    def holds(self, record: Any, parts: tuple[str, ...]) -> bool:
        """Whether `read(record, parts)` finds something, valid or not: for a declared
        field of one part, from its raw cell without coercing it (what a summary's
        missing fields need, for every field of every row)."""
        spec = self.fields.get(parts[0])
        if spec is None or len(parts) != 1 or spec.type.kind == "record":
            return self.read(record, parts) is not MISSING
        raw = _raw(record, spec)  # `coerce` gives MISSING for exactly these raw values
        return raw is not MISSING and not is_missing(raw)

    def _assemble(self, record: Any, name: str, type_: FieldType) -> Any:
        """A record-typed field whose parts come from flat columns (`HQ State`)."""
        parts = {n: self.read(record, (name, n)) for n in type_.fields}
        found = {n: v for n, v in parts.items() if v is not MISSING}
        return found or MISSING

    def coerce_record(self, record: Mapping[str, Any]) -> dict[str, Any]:
        """Every declared field of `record`, read and coerced (MISSING ones left out)."""
        out: dict[str, Any] = {}
        for name in self.fields:
            value = self.read(record, (name,))
            if value is not MISSING:
                out[name] = value
        return out

    def columns(self) -> dict[str, str]:
        """Field name → the column it is read from, for every mapped field."""
        return {n: s.column for n, s in self.fields.items() if s.column}


def _raw(record: Any, spec: FieldSpec) -> Any:
    if spec.column is not None:
        # A plain dict's own key first (a CSV row): `lookup` finds it the same way.
        value = record.get(spec.column, MISSING) if record.__class__ is dict else MISSING
        if value is MISSING:
            value = lookup(record, spec.column)
        if value is not MISSING and not is_missing(value):
            return value
    return lookup(record, spec.name)


def raw_cell(record: Mapping[str, Any], spec: FieldSpec) -> tuple[str, Any] | None:
    """The key a declared field is read from in a record, and its cell, as `Schema.read`
    finds them (its `from` column, else its own name, matched loosely); None when the
    record has neither."""
    keys = [_key(record, name) for name in (spec.column, spec.name) if name is not None]
    found = [key for key in keys if key is not None]
    for key in found:
        if not is_missing(record[key]):
            return key, record[key]
    return (found[0], record[found[0]]) if found else None


def _key(record: Mapping[str, Any], name: str) -> str | None:
    if name in record:
        return name
    wanted = loose_key(name)
    return next((k for k in record if isinstance(k, str) and loose_key(k) == wanted), None)


def _as_mapping(value: Any) -> Any:
    if isinstance(value, str) and value.strip().startswith("{"):
        try:
            return json.loads(value)
        except ValueError:
            return MISSING
    return value


# ------------------------------------------------------------------ coercion


def _to_category(type_: FieldType, raw: Any) -> str | None:
    text = read_text(raw)
    if text is None:
        return None
    folded = text.casefold()
    for value in type_.values:
        if value.casefold() == folded:
            return value  # the declared spelling
    return text  # a value outside the set matches none of the listed values


def _to_items(type_: FieldType, raw: Any) -> list[Any] | frozenset[Any] | None:
    if isinstance(raw, str):
        items: Iterable[Any] = split_items(raw, LINE_SEPARATORS)
    elif isinstance(raw, (list, tuple, set, frozenset)):
        items = raw
    elif is_number(raw) or isinstance(raw, (bool, datetime.date, decimal.Decimal)):
        items = [raw]  # one code in a cell (`62020` read as a number) is a one-item list
    else:
        return None
    item_type = type_.item or ANY
    coerced: list[Any] = []
    for item in items:
        value = item_type.coerce(item)
        if isinstance(value, Invalid):
            return None
        if value is not MISSING:
            coerced.append(value)
    if type_.kind == "set":
        try:
            return frozenset(coerced)
        except TypeError:
            return None
    return coerced


def _to_record(type_: FieldType, raw: Any) -> dict[str, Any] | None:
    raw = _as_mapping(raw)
    if raw is MISSING:
        return None
    structured = isinstance(raw, Mapping) or attrs.has(type(raw)) or dataclasses.is_dataclass(raw)
    if not structured:
        return None
    out: dict[str, Any] = {}
    for name, spec in type_.fields.items():
        value = spec.type.coerce(_raw(raw, spec))
        if value is not MISSING:
            out[name] = value
    return out


def _to_any(_: FieldType, raw: Any) -> Any:
    return raw


#: Types whose values may come as a band of numbers (`51-200`, `$1M-$10M`).
_BANDED = frozenset({"int", "number", "money"})


#: The types coerced by one of the kernel's cell readers alone (which take the raw value).
_SCALARS: dict[TypeKind, Any] = {
    "int": read_int,
    "number": read_number,
    "money": read_money,
    "percent": read_percent,
    "string": read_text,
    "bool": read_bool,
}

#: The other types' coercers, which need the type too.
_COERCERS: dict[TypeKind, Any] = {
    "date": lambda type_, raw: read_date(raw, type_.format),
    "category": _to_category,
    "set": _to_items,
    "list": _to_items,
    "record": _to_record,
    "any": _to_any,
}


def _why(type_: FieldType, raw: Any) -> str:
    if type_.kind == "int" and read_number(raw) is not None:
        return "not a whole number"
    if type_.kind == "date":
        return _why_not_a_date(type_.format, raw)
    if type_.is_collection:
        return f"not a list of {type_.item or 'values'}"
    hints = {
        "int": "not a number",
        "number": "not a number",
        "money": "not an amount of money",
        "percent": "not a percentage",
        "bool": "not true/false or yes/no",
        "record": "not a record",
        "string": "not text",
        "category": "not text",
    }
    return hints.get(type_.kind, f"not a {type_}")


def _why_not_a_date(form: DateFormat | None, raw: Any) -> str:
    """`not a date as MM/DD/YYYY; ...`: the form the field reads, and the format to
    declare if the cell is written in another."""
    likely = likely_date_format(raw, form) if isinstance(raw, str) else None
    shape = likely.text if likely is not None else raw if isinstance(raw, str) else ""
    why = f"not a date as {date_rule(form, shape.strip())}"
    if likely is not None:
        why += f'; for dates written {likely.text}, declare the field date "{likely.text}"'
    return why


# ------------------------------------------------------------------ from the language


def from_decls(
    decls: Iterable[tuple[ast.FieldDecl, str]],
    base: Schema | None = None,
) -> tuple[Schema, list[Diagnostic]]:
    """A schema from `fields` declarations (each with its file name), on top of `base`.

    Problems (unknown type names, bad type arguments, a field declared twice with
    different types) come back as diagnostics; the rest of the schema is still built.
    """
    builder = _DeclBuilder()
    fields: dict[str, FieldSpec] = dict(base.fields) if base else {}
    python_names = set(fields)
    for decl, filename in decls:
        spec = builder.spec(decl, filename)
        previous = fields.get(decl.name)
        if previous is None:
            fields[decl.name] = spec
            continue
        fields[decl.name] = builder.merge(previous, spec, decl, filename, decl.name in python_names)
    return Schema(fields), builder.diagnostics


class _DeclBuilder:
    """Turns FieldDecl/TypeExpr nodes into specs, collecting the problems it finds."""

    def __init__(self) -> None:
        self.diagnostics: list[Diagnostic] = []

    def error(
        self,
        code: str,
        message: str,
        filename: str,
        node: Any,
        hint: str | None = None,
        fix: str | None = None,
    ) -> None:
        self.diagnostics.append(
            Diagnostic.at(code, message, filename, node.span, hint=hint, fix=fix)
        )

    def spec(self, decl: ast.FieldDecl, filename: str) -> FieldSpec:
        type_ = self.type(decl.type, filename) if decl.type is not None else ANY
        return FieldSpec(decl.name, type_, decl.column, filename, decl.span.line, decl.span.column)

    def merge(
        self, old: FieldSpec, new: FieldSpec, decl: ast.FieldDecl, filename: str, from_python: bool
    ) -> FieldSpec:
        where = "the Python schema" if from_python else f"{old.filename}:{old.line}"
        if new.column and old.column and new.column != old.column:
            self.error(
                "ICP015",
                f"field {decl.name!r} is read from {new.column!r} here but from "
                f"{old.column!r} in {where}",
                filename,
                decl,
                "map each field to one column",
            )
            return old
        if decl.type is None:  # `name from "Column"` only adds a column
            return attrs.evolve(old, column=new.column or old.column)
        if old.type.kind == "any" and not from_python:
            return attrs.evolve(new, column=new.column or old.column)
        if old.type != new.type:
            self.error(
                "ICP015",
                f"field {decl.name!r} is declared as {new.type} here but as {old.type} in {where}",
                filename,
                decl,
                "declare each field once, or give both declarations the same type",
            )
            return old
        return attrs.evolve(old, column=new.column or old.column)

    def type(self, expr: ast.TypeExpr, filename: str) -> FieldType:
        if expr.name == "record":
            fields: dict[str, FieldSpec] = {}
            for decl in expr.fields:
                if decl.name in fields:
                    self.error("ICP015", f"field {decl.name!r} is declared twice in this record",
                               filename, decl)  # fmt: skip
                fields[decl.name] = self.spec(decl, filename)
            return FieldType("record", fields=fields)
        kind = TYPE_NAMES.get(expr.name)
        if expr.format is not None and kind is not None:
            return self._formatted(kind, expr, expr.format, filename)
        if kind is None:
            close = closest(expr.name, [*TYPE_NAMES, "record"])
            fix = close if not expr.args and expr.format is None else None  # the name alone
            self.error("ICP014", f"unknown type {expr.name!r}", filename, expr,
                       did_you_mean_hint(close) or "types: " + ", ".join(sorted(set(TYPE_NAMES))),
                       fix)  # fmt: skip
            return ANY
        if kind == "category":
            return self._category(expr, filename)
        if kind in ("set", "list"):
            return self._collection(kind, expr, filename)
        if expr.args:
            self.error("ICP014", f"type {expr.name!r} takes no arguments", filename, expr)
        return FieldType(kind)

    def _formatted(
        self, kind: TypeKind, expr: ast.TypeExpr, form: ast.Value, filename: str
    ) -> FieldType:
        """`date "DD.MM.YYYY"`: a date whose text is written in that format."""
        if kind != "date":
            self.error("ICP014", f"only a date takes a format, not {expr.name!r}", filename,
                       form, 'write `date "DD.MM.YYYY"`, or remove the format')  # fmt: skip
            return FieldType(kind)
        try:
            return FieldType("date", format=date_format(str(form.value)))
        except DateFormatError as problem:
            self.diagnostics.append(_format_problem(problem, form, filename))
            return FieldType("date")

    def _category(self, expr: ast.TypeExpr, filename: str) -> FieldType:
        values: list[str] = []
        for arg in expr.args:
            text = arg.name if isinstance(arg, ast.TypeExpr) else str(arg.value)
            if isinstance(arg, ast.TypeExpr) and (arg.args or arg.fields):
                self.error("ICP014", "category values are names or quoted strings", filename, arg)
            elif isinstance(arg, ast.Value) and arg.kind == "number":
                text = arg.text
            if text in values:
                self.error("ICP014", f"category value {text!r} is listed twice", filename, arg)
            else:
                values.append(text)
        if not values:
            self.error("ICP014", "a category needs its values: category [A, B]", filename, expr)
            return ANY
        return FieldType("category", values=tuple(values))

    def _collection(self, kind: TypeKind, expr: ast.TypeExpr, filename: str) -> FieldType:
        if len(expr.args) != 1 or not isinstance(expr.args[0], ast.TypeExpr):
            self.error("ICP014", f"{expr.name} takes one item type: {expr.name}[string]",
                       filename, expr)  # fmt: skip
            return FieldType(kind, item=ANY)
        return FieldType(kind, item=self.type(expr.args[0], filename))


_FORMAT_PARTS = (
    "a date format is YYYY or YY, MM or MMM (a month's name) and DD, with - . / , or "
    'spaces between them: "DD.MM.YYYY", "MM/DD/YY", "D MMM YYYY"'
)


def _format_problem(problem: DateFormatError, form: ast.Value, filename: str) -> Diagnostic:
    """ICP014 at the part of the format string that is wrong (the whole string when it
    has escapes, whose offsets differ from the text's, or when the fix replaces it)."""
    span = form.span
    quote = form.text[0]
    exact = form.text[1:-1] == form.value and problem.fix is None
    column = span.column + 1 + problem.start if exact else span.column
    width = problem.end - problem.start if exact else span.end - span.start
    fix = f"{quote}{problem.fix}{quote}" if problem.fix is not None else None
    hint = f"write {fix}" if fix else _FORMAT_PARTS
    return Diagnostic("ICP014", f"bad date format: {problem.message}", filename, span.line,
                      column, hint=hint, width=max(1, width), fix=fix)  # fmt: skip


def did_you_mean(name: str, candidates: Iterable[str]) -> str | None:
    """`did you mean 'employees'?` for the closest candidate, or None."""
    return did_you_mean_hint(closest(name, candidates))


def did_you_mean_hint(close: str | None) -> str | None:
    """`did you mean 'employees'?` for a candidate already picked by `closest`."""
    return f"did you mean {close!r}?" if close else None


def closest(name: str, candidates: Iterable[str]) -> str | None:
    """The candidate `name` is most likely a typo of (or differs from only in case)."""
    import difflib

    pool = list(dict.fromkeys(candidates))
    close = difflib.get_close_matches(name, pool, n=1, cutoff=0.6)
    if not close:
        folded = {c.casefold(): c for c in pool}
        if name.casefold() in folded:
            close = [folded[name.casefold()]]
    return close[0] if close else None


# ------------------------------------------------------------------ from Python

SchemaSource: TypeAlias = Schema | Mapping[str, Any] | type


def from_python(source: SchemaSource) -> Schema:
    """A schema from a dataclass, attrs class, TypedDict or a dict of name → type.

    Types may be Python types (`int`, `float`, `str`, `bool`, `datetime.date`,
    `decimal.Decimal`, `set[str]`, `list[str]`, `Literal["A", "B"]`, an Enum, a nested
    dataclass, `X | None`) or ICP type text (`"money"`, `"category [SaaS, Fintech]"`,
    `'int from "Number of Employees"'`).  Column names come from field metadata
    `{"column": "Annual Revenue"}` on dataclass and attrs fields.
    """
    if isinstance(source, Schema):
        return source
    if isinstance(source, Mapping):
        return Schema({str(n): _python_spec(str(n), t, None) for n, t in source.items()})
    if isinstance(source, type):
        return Schema(_class_fields(source))
    raise TypeError(f"a schema is a dataclass, an attrs class or a dict, not {source!r}")


def _class_fields(cls: type) -> dict[str, FieldSpec]:
    try:
        hints = typing.get_type_hints(cls, include_extras=True)
    except (AttributeError, NameError, TypeError):  # a class outside any importable module
        hints = {}
        for base in reversed(cls.__mro__):
            hints.update(getattr(base, "__annotations__", {}))
    columns: dict[str, str | None] = {}
    if dataclasses.is_dataclass(cls):
        columns = {f.name: f.metadata.get("column") for f in dataclasses.fields(cls)}
    elif attrs.has(cls):
        columns = {f.name: f.metadata.get("column") for f in attrs.fields(cls)}
    elif not typing.is_typeddict(cls):
        raise TypeError(f"{cls.__name__} is not a dataclass, an attrs class or a TypedDict")
    names = columns or dict.fromkeys(hints)
    return {name: _python_spec(name, hints.get(name, Any), columns.get(name)) for name in names}


def _python_spec(name: str, hint: Any, column: str | None) -> FieldSpec:
    if isinstance(hint, str):
        return _text_spec(name, hint, column)
    if isinstance(hint, tuple) and len(hint) == 2 and isinstance(hint[1], str):
        return _python_spec(name, hint[0], hint[1])  # (type, "Column")
    return FieldSpec(name, python_type(hint), column)


def _text_spec(name: str, text: str, column: str | None) -> FieldSpec:
    from .parser import parse

    module = parse(f"fields {{ {name}: {text} }}", f"<schema for {name}>")
    fields_block = module.items[0]
    assert isinstance(fields_block, ast.Fields)
    schema, problems = from_decls([(d, "<python>") for d in fields_block.decls])
    if problems:
        raise ICPCheckError(problems)
    spec = schema.fields[name]
    return attrs.evolve(spec, column=column or spec.column)


def python_type(hint: Any) -> FieldType:
    """A Python type annotation as a FieldType (unknown annotations become `any`)."""
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin is typing.Annotated:
        text = next((a for a in args[1:] if isinstance(a, str)), None)
        return _text_spec("_", text, None).type if text else python_type(args[0])
    if origin in (Union, types.UnionType):
        rest = [a for a in args if a is not type(None)]
        return python_type(rest[0]) if len(rest) == 1 else ANY
    if origin is Literal:
        return FieldType("category", values=tuple(str(a) for a in args))
    if origin in (set, frozenset, list, tuple) or (
        origin is not None
        and isinstance(origin, type)
        and issubclass(origin, Iterable)
        and not issubclass(origin, Mapping)
    ):
        kind: TypeKind = "set" if origin in (set, frozenset) else "list"
        return FieldType(kind, item=python_type(args[0]) if args else ANY)
    return _PLAIN_TYPES.get(hint) or _class_type(hint)


def _class_type(hint: Any) -> FieldType:
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return FieldType("category", values=tuple(str(m.value) for m in hint))
    if isinstance(hint, type) and (
        dataclasses.is_dataclass(hint) or attrs.has(hint) or typing.is_typeddict(hint)
    ):
        return FieldType("record", fields=_class_fields(hint))
    return ANY


_PLAIN_TYPES: dict[Any, FieldType] = {
    int: FieldType("int"),
    float: FieldType("number"),
    decimal.Decimal: FieldType("number"),
    str: FieldType("string"),
    bool: FieldType("bool"),
    datetime.date: FieldType("date"),
    datetime.datetime: FieldType("date"),
    Any: ANY,
}
