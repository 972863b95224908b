"""Draft an ICP from outcomes: per field, the range or values where the good outcome
concentrates, with support, lift and intervals, written as a commented .icp file.

Numbers: the contiguous range (over up to 40 quantile bins) that maximises weighted
relative accuracy, coverage × (rate inside − base rate), a standard subgroup-discovery
measure that balances support against lift.  Categories: the values whose own rate is
above the base rate.  Lists (`tech`): each item on its own.  A finding is kept only when
its segment holds at least `min_support` accounts and its rate differs from the rest's
(accounts with a known, different value) beyond chance: Newcombe's interval for the
difference excludes 0 at 95% after a Bonferroni correction for every segment the search
could have picked on that field (each range of bins; each split of the values; each
item).  Small samples and lucky picks do not become rules.
"""

from __future__ import annotations

import datetime
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from statistics import NormalDist
from typing import Any, Literal

import attrs

from .. import ast
from ..formatter import RESERVED, quote, writable_field
from ..formatter import field as field_name
from ..formatter import format as format_icp
from ..loader import loads
from ..records import MISSING, lookup
from ..result import Verdict
from ..semantics.cells import as_date, is_number, split_items, text_key
from ..semantics.compare import subtract
from ..source import escape
from .history import History
from .stats import rate_difference, wilson

FieldKind = Literal["number", "date", "category", "list", "bool"]
Decision = Literal["criterion", "points", "none"]
SKIPPED_COLUMNS = ("id", "name", "domain", "website", "url", "email")
MAX_BINS = 40
#: A bin of sorted values: lowest, highest, accounts, good outcomes.
Bin = tuple[float, float, int, int]
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(-[A-Za-z0-9_]+)*\Z")
#: Why a column is left out whose name cannot be written in ICP.
UNWRITABLE = (
    "its name holds a line break, a backtick or a control character, so it cannot be "
    "written as a field: rename the column to use it"
)
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]*\Z")


@attrs.frozen
class Finding:
    """What one field says about the outcome."""

    field: str
    kind: FieldKind | None
    #: The condition a rule would test (`employees 200..1000`), or None: no pattern.
    condition: str | None
    accounts: int = 0
    good: int = 0
    rate: float | None = None
    rate_interval: tuple[float, float] = (0.0, 1.0)
    lift: float | None = None
    lift_interval: tuple[float, float] | None = None
    #: The share of all good outcomes inside the segment.
    recall: float | None = None
    decision: Decision = "none"
    points: int | None = None
    #: Accounts with a known value outside the segment, and how many were good.
    rest_accounts: int = 0
    rest_good: int = 0
    #: How many segments the search tried on this field (the Bonferroni factor).
    tests: int = 1
    #: Why there is no rule, or what else to know.
    note: str = ""
    missing: int = 0

    @property
    def rest_rate(self) -> float | None:
        return self.rest_good / self.rest_accounts if self.rest_accounts else None


@attrs.frozen
class Suggestion:
    """The findings, and the drafted profile as .icp text (it loads)."""

    history: History
    min_support: int
    findings: tuple[Finding, ...]
    text: str
    #: The drafted profile's fit accounts on the same history: accounts, rate, lift.
    fit_accounts: int
    fit_rate: float | None
    fit_lift: float | None


def default_min_support(accounts: int) -> int:
    """At least 30 accounts, or 2% of them on larger histories."""
    return max(30, math.ceil(accounts * 0.02))


def suggest(
    history: History,
    *,
    fields: Sequence[str] | None = None,
    min_support: int | None = None,
    name: str = "Suggested",
    command: str = "icp suggest",
    as_of: datetime.date | None = None,
) -> Suggestion:
    """Look for where the good outcome concentrates, field by field, and draft a profile."""
    accounts = history.accounts
    support = min_support if min_support is not None else default_min_support(len(accounts))
    chosen = list(fields) if fields else _candidate_fields(history)
    day = as_of or datetime.date.today()
    findings = tuple(_finding(history, f, support, day) for f in chosen)
    draft = _draft(history, findings, support, name, command, day, None)
    profile = loads(draft, f"{name}.icp").profile
    results = [profile.evaluate(a.record, as_of=day) for a in accounts]
    fit = [a for a, r in zip(accounts, results, strict=True) if r.verdict is Verdict.FIT]
    rate = sum(a.good for a in fit) / len(fit) if fit else None
    lift = rate / history.base_rate if rate is not None and history.base_rate else None
    text = _draft(history, findings, support, name, command, day, (len(fit), rate, lift))
    return Suggestion(history, support, findings, text, len(fit), rate, lift)


# ---------------------------------------------------------------- fields


def _candidate_fields(history: History) -> list[str]:
    skipped = {text_key(c) for c in (*SKIPPED_COLUMNS, history.outcome)}
    if history.value_column:
        skipped.add(text_key(history.value_column))
    return [c for c in history.columns if text_key(c) not in skipped]


def field_kind(values: Sequence[Any]) -> FieldKind | None:
    """How a column's known values read: numbers, dates, booleans, lists, categories, or
    None (text with too many distinct values to be a category)."""
    if not values:
        return None
    if sum(isinstance(v, bool) for v in values) >= 0.9 * len(values):
        return "bool"
    if sum(is_number(v) for v in values) >= 0.9 * len(values):
        return "number"
    if sum(as_date(v) is not None for v in values) >= 0.9 * len(values):
        return "date"
    texts = [v for v in values if isinstance(v, str)]
    if sum(isinstance(v, (list, tuple, set, frozenset)) for v in values) >= 0.5 * len(values):
        return "list"
    if len(texts) < 0.9 * len(values):
        return None
    if sum(any(sep in t for sep in ";|") for t in texts) >= 0.1 * len(texts):
        return "list"
    distinct = len({text_key(t) for t in texts})
    if distinct > 60 or (len(texts) >= 20 and distinct > 0.5 * len(texts)):
        return None
    return "category"


def _finding(history: History, field: str, support: int, day: datetime.date) -> Finding:
    if not writable_field(field):  # refused, never written: data must not become code
        return Finding(field, None, None, note=UNWRITABLE)
    values = [lookup(a.record, field) for a in history.accounts]
    known = [v for v in values if v is not MISSING and v is not None and v != ""]
    missing = len(values) - len(known)
    kind = field_kind(known)
    if kind is None:
        note = "no values" if not known else "not a number, date, category or list (skipped)"
        return Finding(field, None, None, note=note, missing=missing)
    if kind == "date":
        finding = _date_finding(history, field, values, support, day)
    else:
        finder = {
            "number": _number_finding,
            "category": _category_finding,
            "bool": _category_finding,
            "list": _list_finding,
        }[kind]
        finding = finder(history, field, values, support)
    return attrs.evolve(finding, kind=kind, missing=missing)


def _segment(history: History, field: str, condition: str, inside: Sequence[bool | None],
             tests: int, note: str = "") -> Finding:  # fmt: skip
    """The figures of the accounts where `inside` is True (None: the value is unknown)."""
    members = [a for a, keep in zip(history.accounts, inside, strict=True) if keep]
    rest = [a for a, keep in zip(history.accounts, inside, strict=True) if keep is False]
    n, good = len(members), sum(a.good for a in members)
    low, high = wilson(good, n)
    base = history.base_rate
    rate = good / n if n else None
    return Finding(
        field=field,
        kind=None,
        condition=condition,
        accounts=n,
        good=good,
        rate=rate,
        rate_interval=(low, high),
        lift=rate / base if rate is not None and base else None,
        lift_interval=(low / base, high / base) if base else None,
        recall=good / history.good if history.good else None,
        rest_accounts=len(rest),
        rest_good=sum(a.good for a in rest),
        tests=tests,
        note=note,
    )


def _decide(finding: Finding, history: History, support: int) -> Finding:
    """Criterion, points or nothing: only a segment with support whose rate differs from
    the rest's beyond chance becomes a rule; a criterion when it holds half the good
    outcomes and at least twice the rest's rate, else points."""
    if finding.accounts < support:
        return attrs.evolve(finding, decision="none", note=f"fewer than {support} accounts")
    if not significant(finding):
        return attrs.evolve(finding, decision="none", note="no clear difference (could be chance)")
    rest = finding.rest_rate
    twofold = finding.rate is not None and rest is not None and finding.rate >= 2 * rest
    if (finding.recall or 0) >= 0.5 and twofold:
        return attrs.evolve(finding, decision="criterion")
    versus_rest = finding.rate / rest if finding.rate is not None and rest else 1.0
    return attrs.evolve(finding, decision="points", points=_points(versus_rest))


def significant(finding: Finding) -> bool:
    """Whether the segment's rate differs from the rest's at 95%, Bonferroni-corrected."""
    z = NormalDist().inv_cdf(1 - 0.05 / (2 * max(1, finding.tests)))
    low, high = rate_difference(
        finding.good, finding.accounts, finding.rest_good, finding.rest_accounts, z
    )
    return low > 0 or high < 0


def _points(lift: float) -> int:
    """Points in steps of 5, about 20 per doubling of the outcome rate over the rest's
    (at least 5 either way)."""
    steps = round(4 * math.log2(lift))
    return 5 * (steps if steps else (1 if lift >= 1 else -1))


# ---------------------------------------------------------------- numbers


def _number_finding(history: History, field: str, values: Sequence[Any],
                    support: int) -> Finding:  # fmt: skip
    pairs = sorted(
        (float(v), a.good) for v, a in zip(values, history.accounts, strict=True) if is_number(v)
    )
    found = _best_range(pairs, history, support)
    if isinstance(found, str):
        return Finding(field, None, None, note=found)
    bins, i, j = found
    low = None if i == 0 else _nice(bins[i][0], "down")
    high = None if j == len(bins) - 1 else _nice(bins[j][1], "up")
    condition = f"{_field(field)} {_number(low) if low is not None else ''}.."
    condition += _number(high) if high is not None else ""
    inside = [
        ((low is None or v >= low) and (high is None or v <= high)) if is_number(v) else None
        for v in values
    ]
    finding = _segment(history, field, condition, inside, tests=_ranges(bins))
    return _decide(finding, history, support)


def _date_finding(history: History, field: str, values: Sequence[Any], support: int,
                  day: datetime.date) -> Finding:  # fmt: skip
    """A recency window (`last_funding within 18 months`) when the good outcome
    concentrates in the most recent dates, else a date range."""
    dates = [as_date(v) for v in values]
    pairs = sorted(
        (float((day - d).days), a.good)
        for d, a in zip(dates, history.accounts, strict=True)
        if d is not None
    )
    found = _best_range(pairs, history, support)
    if isinstance(found, str):
        return Finding(field, None, None, note=found)
    bins, i, j = found
    newest = day - datetime.timedelta(days=int(bins[i][0]))
    oldest = day - datetime.timedelta(days=int(bins[j][1]))
    if i == 0 and bins[0][0] >= 0 and j < len(bins) - 1:
        months = max(1, math.ceil(bins[j][1] / 30.4375))
        since = subtract(day, ast.Duration(months, "months"))
        condition = f"{_field(field)} within {months} month{'s' if months != 1 else ''}"
        inside = [None if d is None else since <= d <= day for d in dates]
    else:
        low = None if j == len(bins) - 1 else oldest
        high = None if i == 0 else newest
        text = f"{low.isoformat() if low else ''}..{high.isoformat() if high else ''}"
        condition = f"{_field(field)} {text}"
        inside = [
            None if d is None else (low is None or d >= low) and (high is None or d <= high)
            for d in dates
        ]
    finding = _segment(history, field, condition, inside, tests=_ranges(bins))
    return _decide(finding, history, support)


def _best_range(
    pairs: Sequence[tuple[float, bool]], history: History, support: int
) -> tuple[list[Bin], int, int] | str:
    """The bins and the run of bins (first, last) with the best weighted relative
    accuracy and at least `support` accounts; or why there is none."""
    bins = _bins(pairs)
    total = len(history.accounts)
    base = history.base_rate
    prefix_n = [0]
    prefix_good = [0]
    for bin_ in bins:
        prefix_n.append(prefix_n[-1] + bin_[2])
        prefix_good.append(prefix_good[-1] + bin_[3])
    best: tuple[float, int, int] | None = None
    for i in range(len(bins)):
        for j in range(i, len(bins)):
            n = prefix_n[j + 1] - prefix_n[i]
            if n < support:
                continue
            good = prefix_good[j + 1] - prefix_good[i]
            quality = n / total * (good / n - base)
            if best is None or quality > best[0]:
                best = (quality, i, j)
    if best is None or best[0] <= 0:
        return "no range beats the base rate"
    _, i, j = best
    if i == 0 and j == len(bins) - 1:
        return "the whole range: no pattern"
    return bins, i, j


def _ranges(bins: Sequence[object]) -> int:
    """How many runs of bins the search could have picked (the Bonferroni factor)."""
    return len(bins) * (len(bins) + 1) // 2


def _bins(pairs: Sequence[tuple[float, bool]]) -> list[Bin]:
    """Up to MAX_BINS bins of about equal size (low, high, accounts, good); equal values
    never straddle two bins."""
    size = max(1, math.ceil(len(pairs) / MAX_BINS))
    bins: list[Bin] = []
    start = 0
    while start < len(pairs):
        end = min(len(pairs), start + size)
        while end < len(pairs) and pairs[end][0] == pairs[end - 1][0]:
            end += 1
        chunk = pairs[start:end]
        bins.append((chunk[0][0], chunk[-1][0], len(chunk), sum(g for _, g in chunk)))
        start = end
    return bins


def _nice(value: float, direction: Literal["up", "down"]) -> float:
    """`value` to two significant digits, rounded outwards so the range keeps its
    accounts: 213 → 210 (a lower end), 987 → 990 (an upper end)."""
    if value == 0 or not math.isfinite(value):
        return value
    scale = 10 ** (math.floor(math.log10(abs(value))) - 1)
    rounded = (math.floor if direction == "down" else math.ceil)(value / scale) * scale
    return float(int(rounded)) if abs(rounded) >= 1 else round(rounded, 6)


def _number(value: float) -> str:
    """How a number reads in a profile: `990`, `12_500`, `15M`, `2.5`."""
    if value.is_integer():
        whole = int(value)
        for size, suffix in ((1_000_000_000, "B"), (1_000_000, "M")):
            if abs(whole) >= size and whole % (size // 10) == 0:
                return f"{whole / size:g}{suffix}"
        return f"{whole:_}" if abs(whole) >= 10_000 else str(whole)
    return f"{value:g}"


# ---------------------------------------------------------------- categories and lists


def _category_finding(history: History, field: str, values: Sequence[Any],
                      support: int) -> Finding:  # fmt: skip
    keys = [_key(v) for v in values]
    counts: Counter[str] = Counter()
    goods: Counter[str] = Counter()
    shown: dict[str, str] = {}
    for key, value, account in zip(keys, values, history.accounts, strict=True):
        if key is None:
            continue
        counts[key] += 1
        goods[key] += account.good
        shown.setdefault(key, value if isinstance(value, str) else _bool_text(value))
    floor = min(support, max(5, support // 3))  # a value judged on its own
    chosen = [k for k in counts if counts[k] >= floor and goods[k] / counts[k] > history.base_rate]
    chosen = [k for k in chosen if shown[k].isprintable()]  # a string cannot escape them
    small = sorted(k for k in counts if counts[k] < floor)
    note = f"{len(small)} values with fewer than {floor} accounts not judged" if small else ""
    if not chosen or len(chosen) == len(counts):
        return Finding(field, None, None, note=note or "no value stands out")
    chosen.sort(key=lambda k: (-counts[k], k))
    if chosen in (["true"], ["false"]):
        condition = _field(field) if chosen == ["true"] else f"not {_field(field)}"
    else:
        condition = f"{_field(field)} in [{', '.join(_word(shown[k]) for k in chosen)}]"
    inside = [None if k is None else k in chosen for k in keys]
    judged = sum(counts[k] >= floor for k in counts)
    tests = 2 ** (min(judged, 20) - 1) - 1  # every split of the values it could have picked
    finding = _segment(history, field, condition, inside, tests=max(1, tests), note=note)
    return _decide(finding, history, support)


def _list_finding(history: History, field: str, values: Sequence[Any],
                  support: int) -> Finding:  # fmt: skip
    """The list item whose presence moves the outcome most (both ways are reported by
    running once per item and keeping the strongest)."""
    items = [_items(v) for v in values]
    counts: defaultdict[str, int] = defaultdict(int)
    shown: dict[str, str] = {}
    for row in items:
        for key, text in (row or {}).items():
            counts[key] += 1
            shown.setdefault(key, text)
    best: Finding | None = None
    judged = [k for k in sorted(counts, key=lambda k: (-counts[k], k)) if counts[k] >= support]
    judged = [k for k in judged if shown[k].isprintable()]  # a string cannot escape them
    for key in judged:
        inside = [None if row is None else key in row for row in items]
        condition = f"{_field(field)} has {_word(shown[key])}"
        finding = _segment(history, field, condition, inside, tests=len(judged))
        if not significant(finding):
            continue
        if best is None or _strength(finding) > _strength(best):
            best = finding
    if best is None:
        return Finding(field, None, None, note="no item moves the outcome beyond chance")
    if best.lift is not None and best.lift < 1:  # it lowers the outcome: negative points
        versus_rest = (best.rate or 0.0) / best.rest_rate if best.rest_rate else 1.0
        return attrs.evolve(best, decision="points", points=_points(max(versus_rest, 1e-3)))
    return _decide(best, history, support)


def _strength(finding: Finding) -> float:
    """How far a segment's lift is from 1 either way (an item only bad accounts have,
    lift 0, is the strongest)."""
    lift = finding.lift if finding.lift is not None else 1.0
    return abs(math.log(lift)) if lift > 0 else math.inf


def _items(value: Any) -> dict[str, str] | None:
    if value is MISSING or value is None:
        return None
    if isinstance(value, str):
        parts: Iterable[Any] = split_items(value)
    elif isinstance(value, (list, tuple, set, frozenset)):
        parts = value
    else:
        parts = [value]
    return {text_key(str(p)): str(p).strip() for p in parts if str(p).strip()}


def _key(value: Any) -> str | None:
    if value is MISSING or value is None:
        return None
    if isinstance(value, bool):
        return _bool_text(value)
    return text_key(str(value)) or None


def _bool_text(value: Any) -> str:
    return "true" if value is True else "false" if value is False else str(value)


def _field(name: str) -> str:
    return field_name(name)  # `_finding` refused the names it cannot write


def _word(text: str) -> str:
    """A list value: bare when it reads back as a word, else quoted."""
    bare = _WORD.match(text) and text_key(text) not in RESERVED
    return text if bare else quote(text)


# ---------------------------------------------------------------- the draft


def _draft(
    history: History,
    findings: Sequence[Finding],
    support: int,
    name: str,
    command: str,
    day: datetime.date,
    fit: tuple[int, float | None, float | None] | None,
) -> str:
    base = history.base_rate
    lines = [
        f"# Drafted on {day.isoformat()} by:",
        f"#   {escape(command)}",  # comments hold text from data and the command line:
        f"# from {escape(history.source)}:",  # escaped, each stays on its line
        f"# {len(history.accounts):,} accounts, {history.good:,} with a good {history.outcome!r} "
        f"outcome (base rate {_pct(base)}).",
        f"# A rule needs at least {support:,} accounts and an outcome rate that differs from "
        "the rest's",
        "# beyond chance (95%, Bonferroni-corrected for the segments tried on each field).",
        "# Each rule's comment: accounts in the segment, their outcome rate [95% interval],",
        "# lift over the base rate, and recall (the share of all good outcomes inside).",
        "# Patterns are associations in past data, not causes: review before you use it.",
    ]
    if fit is not None:
        count, rate, lift = fit
        lifted = f", lift {lift:.2f}×" if lift is not None else ""
        lines.append(
            f"# Together the criteria fit {count:,} of these accounts, {_pct(rate)} of them "
            f"good{lifted}."
        )
    lines += ["", f"profile {quote(name)} {{"]
    criteria = [f for f in findings if f.decision == "criterion"]
    points = [f for f in findings if f.decision == "points"]
    for group in (criteria, points):
        for finding in group:
            lines.append(f"  # {_describe(finding)}")
            rule = finding.condition or ""
            if finding.decision == "points":
                rule = f"{'+' if (finding.points or 0) > 0 else ''}{finding.points} if {rule}"
            lines.append(f"  {rule}")
        if group:
            lines.append("")
    rest = [f for f in findings if f.decision == "none"]
    if rest:
        lines.append("  # No rule:")
        for finding in rest:
            why = finding.note or "no pattern"
            lines.append(f"  #   {escape(finding.field)}: {why}")
            if finding.condition:
                lines.append(f"  #     best tried: {escape(finding.condition)}")
                lines.append(f"  #     {_describe(finding)}")
    if not criteria:
        lines.append("  # no criterion found: every account fits; the points rank them")
    lines.append("}")
    return format_icp("\n".join(lines) + "\n", f"{name}.icp")


def _describe(finding: Finding) -> str:
    low, high = finding.rate_interval
    lift = f"lift {finding.lift:.2f}×" if finding.lift is not None else "lift –"
    missing = f", {finding.missing:,} blank" if finding.missing else ""
    return (
        f"{finding.accounts:,} accounts, {_pct(finding.rate)} good [{_pct(low)}–{_pct(high)}], "
        f"{lift}, recall {_pct(finding.recall, 0)}{missing}"
    )


def _pct(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else f"{value * 100:.{digits}f}%"
