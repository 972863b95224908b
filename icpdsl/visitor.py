"""One walk over conditions: a node's children, every node, the predicates, and the
visitor base class every pass over conditions derives from.

Jinja's `Node.iter_child_nodes` and `NodeVisitor` are the model: the structure of
`not`/`and`/`or` is known here only, and a pass says what it does per node class in
`visit_<ClassName>` methods (or `visit_predicate` for every predicate alike), looked
up once per class rather than per node.
"""

from __future__ import annotations

import typing
from collections.abc import Callable, Iterator, Mapping
from typing import Any, ClassVar, Generic, Protocol, TypeVar

from . import ast

T = TypeVar("T")

#: Every class of condition node, and the predicate (leaf) classes among them.
CONDITION_CLASSES: tuple[type, ...] = typing.get_args(ast.Condition)
PREDICATE_CLASSES: tuple[type, ...] = typing.get_args(ast.Predicate)
_PREDICATES = frozenset(PREDICATE_CLASSES)


class Named(Protocol):
    """A named condition: an `ast.Define` or a bound define."""

    @property
    def condition(self) -> ast.Condition: ...


def children(node: ast.Condition) -> tuple[ast.Condition, ...]:
    """The operands of `not`, `and` and `or`; a predicate or a reference has none."""
    kind = node.__class__
    if kind is ast.Not:
        return (node.operand,)  # type: ignore[union-attr]
    if kind is ast.And or kind is ast.Or:
        return node.operands  # type: ignore[union-attr]
    return ()


def is_predicate(node: ast.Condition) -> bool:
    return node.__class__ in _PREDICATES


def walk(
    node: ast.Condition | None, defines: Mapping[str, Named] | None = None
) -> Iterator[ast.Condition]:
    """Every node of a condition, parents before children, in source order.

    With `defines`, a reference is followed into the define's condition (once per
    define, so a define used twice, or a cycle, is walked once).  Iterative: a deeply
    nested condition cannot exhaust Python's recursion limit here.
    """
    if node is None:
        return
    seen: set[str] = set()
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        if defines is not None and isinstance(current, ast.Ref):
            name = current.name
            if name in defines and name not in seen:
                seen.add(name)
                stack.append(defines[name].condition)
            continue
        stack.extend(reversed(children(current)))


def predicates(
    node: ast.Condition | None, defines: Mapping[str, Named] | None = None
) -> Iterator[ast.Predicate]:
    """The predicates (leaves) of a condition, in source order; see `walk`."""
    for found in walk(node, defines):
        if found.__class__ in _PREDICATES:
            yield found  # type: ignore[misc]


def references(node: ast.Condition | None) -> Iterator[ast.Ref]:
    """The define references a condition makes itself (not through other defines)."""
    for found in walk(node):
        if isinstance(found, ast.Ref):
            yield found


class ConditionVisitor(Generic[T]):
    """A pass over conditions: `visit(node)` calls `visit_<ClassName>(node)`.

    A subclass may define `visit_predicate` for the predicates it treats alike; a node
    with no method raises TypeError naming the pass and the class.
    """

    _methods: ClassVar[dict[type, Callable[[Any, Any], Any]]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        methods: dict[type, Callable[[Any, Any], Any]] = {}
        for node_class in CONDITION_CLASSES:
            method = getattr(cls, f"visit_{node_class.__name__}", None)
            if method is None and node_class in _PREDICATES:
                method = getattr(cls, "visit_predicate", None)
            if method is not None:
                methods[node_class] = method
        cls._methods = methods

    def visit(self, node: ast.Condition) -> T:
        try:
            method = self._methods[node.__class__]
        except KeyError:
            name, kind = type(self).__name__, type(node).__name__
            raise TypeError(f"{name} has no visit for {kind}") from None
        result: T = method(self, node)
        return result
