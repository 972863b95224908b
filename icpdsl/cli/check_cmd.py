"""`icp check FILES...`: report every error and warning as `file:line:col: CODE message`."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path

import attrs

from ..batch.columns import column_findings
from ..document import Document
from ..errors import Diagnostic
from ..findings import check
from ..io import FORMATS, Row, open_records
from ..loader import load
from ..survey import ColumnSurvey
from .icp_paths import find_icp_files


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "check",
        help="find errors and lint warnings in ICP files",
        description="Load each ICP file (folders are searched for *.icp), report every error "
        "and lint warning, and exit 1 if there are errors (or warnings, with --strict).",
        epilog="example: icp check examples/ --strict   (codes: docs/checks.md)",
    )
    parser.add_argument(
        "paths", nargs="+", metavar="FILE", help="ICP files or folders, or - for stdin"
    )
    parser.add_argument(
        "--format",
        choices=("text", "concise", "json"),
        default="text",
        help="text: with the source line, a caret and a hint (default); concise: one line "
        "each; json: for tools",
    )
    parser.add_argument("--strict", action="store_true", help="exit 1 on warnings too")
    parser.add_argument(
        "--ignore",
        default="",
        metavar="CODES",
        help="comma-separated warning codes not to report, e.g. ICP109,ICP110",
    )
    parser.add_argument(
        "--root", metavar="DIR", help="project root imports may not leave (default: the folder)"
    )
    data = parser.add_argument_group(
        "data", "hold the profiles' fields against a data file, without scoring it"
    )
    data.add_argument(
        "--data",
        metavar="FILE",
        help="also report mapped columns FILE lacks (ICP202), fields no column of it holds "
        "(ICP203) and columns whose cells do not read as their declared type (ICP201)",
    )
    data.add_argument("--input-format", choices=FORMATS, help="FILE's format (default: its name)")
    data.add_argument("--encoding", metavar="NAME", help="FILE's text encoding (default: UTF-8)")
    data.add_argument("--delimiter", metavar="CHAR", help="FILE's CSV delimiter (default: sniffed)")
    parser.add_argument(
        "--stdin-filename",
        metavar="NAME",
        help="with FILE `-`, the name (and folder, for imports) of the text read from stdin",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    ignored = {code.strip().upper() for code in args.ignore.split(",") if code.strip()}
    findings: list[Diagnostic] = []
    files = 0
    for found in _check_each(args):
        files += 1
        kept = [_shown(d) for d in found if d.severity == "error" or d.code not in ignored]
        findings += [d for d in kept if d not in findings]  # an imported file's, once
    if not files:
        print(f"icp check: no .icp files in {' '.join(args.paths)}", file=sys.stderr)
        return 2
    errors = sum(d.severity == "error" for d in findings)
    warnings = len(findings) - errors
    if args.format == "json":
        report = {
            "files": files,
            "errors": errors,
            "warnings": warnings,
            "diagnostics": [d.to_dict() for d in findings],
        }
        print(json.dumps(report, indent=2))
    else:
        for diagnostic in findings:
            text = diagnostic.format()
            print(text if args.format == "text" else text.splitlines()[0])
        print(_summary(files, errors, warnings), file=sys.stderr)
    return 1 if errors or (warnings and args.strict) else 0


def _check_each(args: argparse.Namespace) -> Iterator[list[Diagnostic]]:
    """The findings of each file named (or of standard input for `-`)."""
    root = Path(args.root) if args.root else None
    if args.paths == ["-"]:
        name = args.stdin_filename or "<stdin>"
        folder = Path(name).resolve().parent if args.stdin_filename else Path.cwd()
        yield check(sys.stdin.read(), filename=name, root=root or folder)
        return
    found = find_icp_files(args.paths)
    for note in found.skipped:
        print(f"icp check: {note}", file=sys.stderr)
    for file in found.files:
        diagnostics = check(file.path, root=root or file.root)
        if args.data is not None and not any(d.severity == "error" for d in diagnostics):
            document = load(file.path, root=root or file.root)
            diagnostics = sorted(
                diagnostics + _data_findings(document, args), key=Diagnostic.sort_key
            )
        yield diagnostics


def _data_findings(document: Document, args: argparse.Namespace) -> list[Diagnostic]:
    """The profiles' fields held against `--data`: its header, then every cell of the
    declared fields' columns (read, not scored)."""
    reader = open_records(
        args.data, format=args.input_format, encoding=args.encoding, delimiter=args.delimiter
    )
    try:
        name = reader.source.name
        profiles = document.profiles.values()
        columns = reader.columns  # None: JSON, with no header to hold the fields against
        findings = (
            column_findings(profiles, document.schema, columns, name, document.modules)
            if columns
            else []
        )
        survey = ColumnSurvey(document.schema)
        first: Row | None = None
        rows = unreadable = 0
        for row in reader:
            rows += 1
            if row.record is not None:
                survey.add(row.record, row.number)
                continue
            unreadable += 1
            first = first or row
    finally:
        reader.source.close()
    findings += [finding.to_diagnostic() for finding in survey.findings()]
    if first is not None:
        findings.append(_unreadable(name, first, unreadable, rows, reader.encoding_hint))
    return findings


#: Rows of the data that cannot be read (a warning: scoring writes them as error rows).
UNREADABLE_ROWS = "ICP204"


def _unreadable(name: str, first: Row, count: int, rows: int, encoding: str | None) -> Diagnostic:
    """ICP204 at the first row that cannot be read, with the encoding the file most
    likely is as the hint when that is why."""
    return Diagnostic(
        UNREADABLE_ROWS,
        f"{count:,} of {rows:,} {'row' if rows == 1 else 'rows'} cannot be read "
        f"(the first: {first.where}: {first.error})",
        name,
        first.line or 0,
        1,
        severity="warning",
        hint=encoding or "scoring writes each as an error row with its reason",
    )


def _shown(diagnostic: Diagnostic) -> Diagnostic:
    """Imported files are named by absolute path; show them relative to here if inside."""
    path = Path(diagnostic.filename)
    if path.is_absolute() and path.is_relative_to(Path.cwd()):
        return attrs.evolve(diagnostic, filename=str(path.relative_to(Path.cwd())))
    return diagnostic


def _summary(files: int, errors: int, warnings: int) -> str:
    checked = f"checked {files} file{'s' if files != 1 else ''}"
    if not errors and not warnings:
        return f"{checked}: no problems"
    parts = [f"{errors} error{'s' if errors != 1 else ''}"] if errors else []
    if warnings:
        parts.append(f"{warnings} warning{'s' if warnings != 1 else ''}")
    return f"{checked}: {', '.join(parts)}"
