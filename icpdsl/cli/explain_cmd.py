"""`icp explain PROFILE`: one account's full explanation, and what would make it fit."""

from __future__ import annotations

import argparse
import datetime
import json
import sys
from collections.abc import Iterable, Sequence
from typing import Any

from ..batch.ids import id_candidates, id_text, present
from ..document import Document, Profile
from ..errors import ICPLoadError
from ..explanation import advice_lines, expected_text, explanation_json, points_text, seen_text
from ..io import Row
from ..io.encodings import is_undecoded
from ..io.table import display_width, shorten
from ..io.writers import json_text
from ..loader import load
from ..records import lookup, loose_key
from ..result import DocumentResult, Result, format_value
from ..schema import ID_COLUMNS, did_you_mean
from ..source import escape
from . import EXIT_OK
from .eval_cmd import as_of_text
from .input_options import add_input_options, header_check, input_options
from .terminal import colour_enabled

EXAMPLES = """\
examples:
  icp explain examples/security.icp examples/accounts.csv --row 2
  icp explain examples/security.icp examples/accounts.csv --id "Tiny Labs"
  icp explain examples/security.icp --record '{"industry": "SaaS", "employees": 150}'

--id matches the id, name or domain columns (id, Record ID, Account ID, name, Company name,
Account Name, domain, Website, ...) or the column named by --id-column.
exit codes: 0 explained; 2 usage error, or the account or a file cannot be found or read
"""

_MARK_STYLES = {"✓": "32", "✗": "31", "?": "33", "·": "2"}
_VERDICT_STYLES = {"fit": "32", "not_fit": "33", "disqualified": "31", "unknown": "36"}
_WIDTHS = (48, 28, 32)  # rule, seen, expected


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "explain",
        help="explain one account: every rule, and the smallest change that would make it fit",
        description="Explain one account against each profile in PROFILE: every rule with\n"
        "its mark (✓ ✗ ? ·), the value seen, what was expected and the points; the verdict\n"
        "and tier; for an account that does not fit, the smallest changes that would make\n"
        "it fit; for an unknown verdict, the missing fields that would decide it.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("profile", help="the .icp file")
    parser.add_argument("data", nargs="?", help="accounts file (with --row or --id), - for stdin")
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--record", metavar="JSON", help="the account as a JSON object")
    which.add_argument("--row", type=int, metavar="N", help="the Nth record of DATA (from 1)")
    which.add_argument("--id", metavar="VALUE", help="the record of DATA with this id")
    parser.add_argument(
        "--profile",
        action="append",
        metavar="NAME",
        dest="profile_names",
        help="explain against this profile only (repeatable)",
    )
    add_input_options(parser, id_flags=("--id-column",))
    parser.add_argument(
        "--format", choices=("text", "json"), default="text", help="text (default) or json"
    )
    parser.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="colour marks (default: auto: on a terminal, unless NO_COLOR)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    document = load(args.profile)
    profiles = document.chosen(args.profile_names)
    record, where = _account(args, document)
    chosen = [document.profiles[name] for name in profiles]
    results = [p.evaluate(record, as_of=args.as_of) for p in chosen]
    pairs = list(zip(chosen, results, strict=True))
    together = DocumentResult({r.profile: r for r in results})
    if args.format == "json":
        days = {r.as_of for r in results}
        out = {"account": where, "as_of": days.pop().isoformat() if len(days) == 1 else None,
               "profiles": {
            r.profile: explanation_json(p, r, record, r.as_of) for p, r in pairs
        }}  # fmt: skip
        if len(results) > 1:
            out.update({k: v for k, v in together.to_dict().items() if k != "results"})
        sys.stdout.write(json_text(out, indent=2) + "\n")
        return EXIT_OK
    paint = _Painter(colour_enabled(args.color, sys.stdout))
    blocks = [escape(f"{where} ({as_of_text(chosen, args.as_of)})")]
    blocks += [_text(p, r, record, r.as_of, paint) for p, r in pairs]
    if len(results) > 1:
        blocks.append(escape(best_line(together)))
    sys.stdout.write("\n\n".join(blocks) + "\n")
    return EXIT_OK


def best_line(results: DocumentResult) -> str:
    """`best: Healthcare (tier B)`, or, fitting none, `best: none` and the closest."""
    best, closest = results.best, results.closest
    if best is not None:
        return f"best: {best.profile}" + (f" (tier {best.tier})" if best.tier else "")
    if closest is None:
        return "best: none"
    return (
        f"best: none (fits no profile; closest: {closest.profile}, {closest.verdict.value}, "
        f"score {format_value(closest.score)})"
    )


# ------------------------------------------------------------------ finding the account


def _account(args: argparse.Namespace, document: Document) -> tuple[dict[str, Any], str]:
    """The record to explain and a phrase saying where it came from."""
    if args.record is not None:
        if args.data is not None:
            raise ICPLoadError("give either --record or DATA with --row/--id, not both")
        try:
            record = json.loads(args.record)
        except json.JSONDecodeError as error:
            raise ICPLoadError(f"--record is not valid JSON: {error}") from None
        except RecursionError:
            raise ICPLoadError("--record is nested too deeply to read") from None
        if not isinstance(record, dict):
            raise ICPLoadError('--record must be a JSON object: {"employees": 150, ...}')
        return record, "the account given with --record"
    if args.data is None:
        raise ICPLoadError("--row and --id need a DATA file to look in")
    if args.row is not None and args.row < 1:
        raise ICPLoadError(f"--row counts from 1, not {args.row}")
    candidates = id_candidates(args.id_column, document.schema)
    reader = input_options(args).open(args.data, text_columns=candidates)
    name = reader.source.name
    check = header_check([document], name)  # once the account is found: its fields
    try:
        if args.row is not None:
            row = _by_number(reader, args.row, name)
            check(reader.columns)
            return _readable(row, name, reader.encoding_hint), f"row {row.number} of {name}"
        if reader.columns is not None and not args.id_column:  # only the id columns it has
            candidates = present(candidates, reader.columns)
        elif reader.columns is not None and not present(candidates, reader.columns):
            hint = did_you_mean(args.id_column, reader.columns)
            raise ICPLoadError(f"--id-column {args.id_column!r}: no such column", hint=hint)
        row, column, others = _by_id(reader, args.id, candidates, name)
        text = f"{column} {args.id!r}, row {row.number} of {name}"
        if others:
            more = ", ".join(str(n) for n in others[:5]) + (" …" if len(others) > 5 else "")
            text += f" (also rows {more})"
        check(reader.columns)
        return _readable(row, name, reader.encoding_hint), text
    finally:
        reader.source.close()


def _readable(row: Row, name: str, encoding: str | None) -> dict[str, Any]:
    """The row's record; a row that could not be read is an error (with the encoding
    the file most likely is, when that is why)."""
    if row.record is None:
        raise ICPLoadError(
            f"{row.where} of {name} could not be read: {row.error}",
            hint=encoding if is_undecoded(row.error) else None,
        )
    return row.record


def _by_number(rows: Iterable[Row], number: int, name: str) -> Row:
    count = 0
    for row in rows:
        count = row.number
        if row.number == number:
            return row
    raise ICPLoadError(f"--row {number}: {name} has {count:,} {'row' if count == 1 else 'rows'}")


def _by_id(
    rows: Iterable[Row], wanted: str, candidates: Sequence[str], name: str
) -> tuple[Row, str, list[int]]:
    """The first row whose id column holds `wanted` (exactly, else ignoring case), the
    column it matched, and the numbers of the other rows that match too."""
    folded = wanted.strip().casefold()
    exact: tuple[Row, str] | None = None
    loose: tuple[Row, str] | None = None
    others: list[int] = []
    for row in rows:
        if row.record is None:
            continue
        for column in candidates:
            text = id_text(lookup(row.record, column))
            if text is None:
                continue
            if text == wanted or text.strip().casefold() == folded:
                found = (row, _column_name(row.record, column))
                if text == wanted and exact is None:
                    exact = found
                elif loose is None and text != wanted:
                    loose = found
                else:
                    others.append(row.number)
                break
    match = exact or loose
    if match is None:
        looked = ", ".join(dict.fromkeys(candidates)) or ", ".join(ID_COLUMNS)
        raise ICPLoadError(f"--id {wanted!r}: no row of {name} has it (looked in {looked})")
    if exact is not None and loose is not None:
        others.append(loose[0].number)
    return match[0], match[1], sorted(others)


def _column_name(record: dict[str, Any], wanted: str) -> str:
    key = loose_key(wanted)
    return next((k for k in record if loose_key(k) == key), wanted)


# ------------------------------------------------------------------ rendering


class _Painter:
    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def __call__(self, text: str, style: str | None) -> str:
        return f"\033[{style}m{text}\033[0m" if self.enabled and style else text


def _text(profile: Profile, result: Result, record: Any, as_of: datetime.date,
          paint: _Painter) -> str:  # fmt: skip
    verdict = paint(result.verdict.value, _VERDICT_STYLES.get(result.verdict.value))
    tier = f"tier {result.tier}" if result.tier else "no tier"
    name = paint(escape(profile.name), "1")
    lines = [f"{name}: {verdict} · score {format_value(result.score)} · {escape(tier)}"]
    table = [
        (o.mark, escape(o.rule), escape(seen_text(o)), escape(expected_text(o)), points_text(o))
        for o in result.rules
    ]
    widths = [
        min(cap, max([display_width(h)] + [display_width(row[i + 1]) for row in table]))
        for i, (cap, h) in enumerate(zip(_WIDTHS, ("rule", "seen", "expected"), strict=True))
    ]
    header = ["rule", "seen", "expected", "points"]
    lines.append("     " + _columns(header, widths))
    for mark, *cells in table:
        lines.append(f"  {paint(mark, _MARK_STYLES.get(mark))}  " + _columns(cells, widths))
    lines += (escape(line) for line in advice_lines(profile, result, record, as_of))
    return "\n".join(lines)


def _columns(cells: Sequence[str], widths: Sequence[int]) -> str:
    parts = []
    for index, cell in enumerate(cells):
        if index < len(widths):
            shown = shorten(cell, widths[index])
            parts.append(shown + " " * (widths[index] - display_width(shown)))
        else:
            parts.append(cell)
    return "  ".join(parts).rstrip()
