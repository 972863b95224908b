"""A Python schema (`module:Class`) read from its source with `ast`, never imported.

Opening a project in an editor must not run the project's code, so the server reads the
class's annotations as text: a dataclass, attrs class or TypedDict of `int`, `float`,
`Decimal`, `str`, `bool`, `date`, `set[...]`, `list[...]`, `Literal[...]`, `X | None`,
`Annotated[X, "ICP type"]`, an ICP type as a string (`"money"`), or another class of the
same module (a record); `metadata={"column": "..."}` names the CRM column.  What cannot
be read statically is `any`.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from ..errors import ICPError
from ..schema import Schema, from_python

_PLAIN = {
    "int": "int", "float": "number", "Decimal": "number", "str": "string", "bool": "bool",
    "date": "date", "datetime": "date", "Any": "any",
}  # fmt: skip
_SETS = frozenset({"set", "frozenset", "Set", "FrozenSet", "AbstractSet"})
_LISTS = frozenset({"list", "tuple", "List", "Tuple", "Sequence", "Iterable"})
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_DEPTH = 4


def read_schema(spec: str, base: Path) -> Schema:
    """The schema of class `Class` in `module` (a file under `base`, or `base/src`)."""
    module_name, _, class_name = spec.partition(":")
    if not module_name or not class_name:
        raise ICPError(f"schema {spec!r}: write it as module:Class")
    source = _module_file(module_name, base)
    if source is None:
        raise ICPError(f"schema {spec!r}: no {module_name.replace('.', '/')}.py under {base}")
    try:
        tree = ast.parse(source.read_text(encoding="utf-8"), str(source))
    except (OSError, UnicodeDecodeError, SyntaxError, ValueError) as error:
        raise ICPError(f"schema {spec!r}: cannot read {source}: {error}") from None
    classes = {node.name: node for node in tree.body if isinstance(node, ast.ClassDef)}
    if class_name not in classes:
        raise ICPError(f"schema {spec!r}: {source.name} has no class {class_name}")
    fields = _Reader(classes).fields(classes[class_name], _DEPTH)
    try:
        return from_python({name: (t, c) if c else t for name, (t, c) in fields.items()})
    except ICPError as error:
        raise ICPError(f"schema {spec!r}: {error.message}") from None


def _module_file(name: str, base: Path) -> Path | None:
    relative = Path(*name.split("."))
    for root in (base, base / "src"):
        for candidate in (root / relative.with_suffix(".py"), root / relative / "__init__.py"):
            if candidate.is_file():
                return candidate
    return None


class _Reader:
    """Annotations → ICP type text, for the classes of one module."""

    def __init__(self, classes: dict[str, ast.ClassDef]) -> None:
        self.classes = classes

    def fields(self, node: ast.ClassDef, depth: int) -> dict[str, tuple[str, str | None]]:
        found: dict[str, tuple[str, str | None]] = {}
        for base in node.bases:  # a subclass of another class of the module keeps its fields
            if isinstance(base, ast.Name) and base.id in self.classes and depth > 0:
                found.update(self.fields(self.classes[base.id], depth - 1))
        for statement in node.body:
            if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
                type_text = self.type(statement.annotation, depth)
                found[statement.target.id] = (type_text, _column(statement.value))
        return found

    def type(self, node: ast.expr, depth: int) -> str:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value  # ICP type text, e.g. "money" or 'category [A, B]'
        if isinstance(node, ast.Name | ast.Attribute):
            name = node.id if isinstance(node, ast.Name) else node.attr
            if name in _PLAIN:
                return _PLAIN[name]
            if name in self.classes and depth > 0:
                inner = self.fields(self.classes[name], depth - 1)
                return "{ " + ", ".join(f"{n}: {t}" for n, (t, _) in inner.items()) + " }"
            return "any"
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
            rest = [side for side in (node.left, node.right) if not _is_none(side)]
            return self.type(rest[0], depth) if len(rest) == 1 else "any"
        if isinstance(node, ast.Subscript):
            return self._generic(node, depth)
        return "any"

    def _generic(self, node: ast.Subscript, depth: int) -> str:
        outer = (
            node.value.id if isinstance(node.value, ast.Name) else getattr(node.value, "attr", "")
        )
        args = list(node.slice.elts) if isinstance(node.slice, ast.Tuple) else [node.slice]
        if outer == "Optional":
            return self.type(args[0], depth)
        if outer == "Annotated":
            texts = [
                a.value
                for a in args[1:]
                if isinstance(a, ast.Constant) and isinstance(a.value, str)
            ]
            return texts[0] if texts else self.type(args[0], depth)
        if outer == "Literal":
            values = [str(a.value) for a in args if isinstance(a, ast.Constant)]
            return "category [" + ", ".join(v if _NAME.match(v) else f'"{v}"' for v in values) + "]"
        if outer in _SETS or outer in _LISTS:
            kind = "set" if outer in _SETS else "list"
            return f"{kind}[{self.type(args[0], depth)}]"
        return "any"


def _is_none(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value is None


def _column(value: ast.expr | None) -> str | None:
    """`field(metadata={"column": "Annual Revenue"})` (dataclasses or attrs) → the column."""
    if not isinstance(value, ast.Call):
        return None
    for keyword in value.keywords:
        if keyword.arg == "metadata" and isinstance(keyword.value, ast.Dict):
            for key, item in zip(keyword.value.keys, keyword.value.values, strict=True):
                is_column = isinstance(key, ast.Constant) and key.value == "column"
                if is_column and isinstance(item, ast.Constant) and isinstance(item.value, str):
                    return item.value
    return None
