"""Rules and conditions in words, one line each: what hover says a rule means."""

from __future__ import annotations

from collections.abc import Callable

from .. import ast

#: How each comparison reads after a field's name.
_COMPARISONS = {
    "==": "is",
    "!=": "is not",
    "<": "is below",
    "<=": "is at most",
    ">": "is above",
    ">=": "is at least",
}
_HAS = {"one": "includes", "any": "includes any of", "all": "includes all of",
        "none": "includes none of"}  # fmt: skip


def condition(node: ast.Condition, is_define: Callable[[str], bool] = lambda _: False) -> str:
    """`employees is between 200 and 1000 and tech includes any of Okta, CrowdStrike`;
    a bare name that `is_define` knows reads as that define holding."""
    if isinstance(node, ast.And | ast.Or):
        word = " and " if isinstance(node, ast.And) else " or "
        parts = [_operand(o, node, is_define) for o in node.operands]
        return word.join(parts)
    if isinstance(node, ast.Not):
        return "not " + _operand(node.operand, node, is_define)
    if isinstance(node, ast.Ref) or (isinstance(node, ast.Truthy) and is_define(node.field.name)):
        name = node.name if isinstance(node, ast.Ref) else node.field.name
        return f"`{name}` holds"
    return predicate(node)


def _operand(node: ast.Condition, parent: ast.Condition, is_define: Callable[[str], bool]) -> str:
    text = condition(node, is_define)
    nested = isinstance(node, ast.And | ast.Or) and type(node) is not type(parent)
    return f"({text})" if nested or (isinstance(parent, ast.Not) and " " in text) else text


def predicate(node: ast.Predicate) -> str:
    field = node.field.name
    if isinstance(node, ast.InList):
        return f"{field} is {'none' if node.negated else 'one'} of {_listed(node.values)}"
    if isinstance(node, ast.Range):
        if node.low is not None and node.high is not None:
            return f"{field} is between {node.low.text} and {node.high.text}"
        if node.low is not None:
            return f"{field} is at least {node.low.text}"
        return f"{field} is at most {node.high.text if node.high else ''}"
    if isinstance(node, ast.Compare):
        return f"{field} {_COMPARISONS[node.op]} {node.value.text}"
    if isinstance(node, ast.Has):
        return f"{field} {_HAS[node.mode]} {_listed(node.values)}"
    if isinstance(node, ast.IsKnown):
        return f"{field} is {'known' if node.known else 'missing'}"
    if isinstance(node, ast.Within):
        return f"{field} is within the last {node.duration.text}"
    if isinstance(node, ast.Matches):
        return f"{field} is {node.value.text} (or, if a list, includes it)"
    return f"{field} is true"


def _listed(values: tuple[ast.Value, ...]) -> str:
    return ", ".join(value.text for value in values)


def statement(node: ast.Statement, is_define: Callable[[str], bool] = lambda _: False) -> str:
    """What a rule (or define, or examples block) does, in one line."""
    if isinstance(node, ast.Criterion):
        said = condition(node.condition, is_define)
        return f"Criterion: an account fits only if {said}; if that cannot be told, unknown."
    if isinstance(node, ast.Disqualifier):
        reason = f' ("{node.reason}")' if node.reason else ""
        said = condition(node.condition, is_define)
        return f"Disqualifier: an account is disqualified{reason} if {said}, whatever else holds."
    if isinstance(node, ast.Points):
        said = condition(node.condition, is_define)
        return f"Scoring: {node.text} points if {said}."
    if isinstance(node, ast.Tier):
        if node.condition is None:
            return f"Tier {node.name}: every fitting account that no earlier tier took."
        said = condition(node.condition, is_define)
        return f"Tier {node.name}: a fitting account no earlier tier took, if {said}."
    if isinstance(node, ast.Define):
        return f"Define `{node.name}`: true when {condition(node.condition, is_define)}."
    if isinstance(node, ast.AsOf):
        return (
            f"As of {node.date.text}: `within` and ages are measured from this date "
            "unless --as-of or as_of= gives another."
        )
    count = len(node.examples)
    return f"Examples: {count} account{'s' if count != 1 else ''} the profile must judge as stated."
