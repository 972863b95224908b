"""`icp fmt [--check] [--diff] FILES...`: rewrite ICP files in the canonical layout."""

from __future__ import annotations

import argparse
import difflib
import sys

from ..errors import ICPError
from ..formatter import format as format_icp
from .icp_paths import IcpFile, find_icp_files
from .output import atomic_file


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "fmt",
        help="format ICP files in the canonical layout",
        description="Rewrite each ICP file (folders are searched for *.icp) in the one "
        "canonical layout, keeping comments. `-` formats standard input to standard output.",
        epilog="example: icp fmt --check examples/   (layout rules: docs/formatting.md)",
    )
    parser.add_argument("paths", nargs="+", metavar="FILE", help="ICP files, folders or -")
    parser.add_argument(
        "--check", action="store_true", help="change nothing; exit 1 if a file would change"
    )
    parser.add_argument(
        "--diff", action="store_true", help="change nothing; print a diff of what would change"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.paths == ["-"]:
        sys.stdout.write(format_icp(sys.stdin.read(), "<stdin>"))
        return 0
    changed = unchanged = failed = 0
    found = find_icp_files(args.paths)
    for note in found.skipped:
        print(f"icp fmt: {note}", file=sys.stderr)
    for file in found.files:
        path = file.path
        try:
            original = file.real.read_text(encoding="utf-8-sig")
            formatted = format_icp(original, str(path))
        except (OSError, UnicodeDecodeError) as error:
            print(f"icp fmt: cannot read {path}: {error}", file=sys.stderr)
            failed += 1
            continue
        except ICPError as error:
            print(error, file=sys.stderr)
            failed += 1
            continue
        if formatted == original:
            unchanged += 1
            continue
        changed += 1
        _report(file, original, formatted, args)
    print(
        _summary(changed, unchanged, failed, write=not (args.check or args.diff)), file=sys.stderr
    )
    if failed:
        return 2
    return 1 if changed and (args.check or args.diff) else 0


def _report(file: IcpFile, original: str, formatted: str, args: argparse.Namespace) -> None:
    path = file.path
    if args.diff:
        sys.stdout.writelines(
            difflib.unified_diff(
                original.splitlines(keepends=True),
                formatted.splitlines(keepends=True),
                f"{path} (original)",
                f"{path} (formatted)",
            )
        )
    if args.check and not args.diff:
        print(f"would reformat {path}")
    if not (args.check or args.diff):
        with atomic_file(str(file.real)) as stream:  # the file's mode kept, no link followed
            stream.write(formatted)
        print(f"reformatted {path}", file=sys.stderr)


def _summary(changed: int, unchanged: int, failed: int, *, write: bool) -> str:
    verb = "reformatted" if write else "would be reformatted"
    parts = [f"{changed} file{'s' if changed != 1 else ''} {verb}"]
    parts.append(f"{unchanged} left unchanged")
    if failed:
        parts.append(f"{failed} could not be formatted")
    return ", ".join(parts)
