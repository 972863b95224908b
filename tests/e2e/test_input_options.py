"""One set of input options for every command that reads account data, and encodings
read as the file is (issue 14, items 2 and 3)."""

from __future__ import annotations

import codecs
import contextlib
import io
import json
from pathlib import Path

import pytest

from icpdsl.cli import build_parser, main

ROOT = Path(__file__).resolve().parents[2]
HISTORY = ROOT / "examples" / "history"
PROFILE = HISTORY / "current.icp"
#: The commands that read account data, with the arguments that make them read FILE.
COMMANDS = {
    "eval": lambda data: ["eval", str(PROFILE), data, "--format", "csv", "-q"],
    "explain": lambda data: ["explain", str(PROFILE), data, "--row", "1", "--format", "json"],
    "validate": lambda data: ["validate", str(PROFILE), data, "--outcome", "won"],
    "suggest": lambda data: ["suggest", data, "--outcome", "won", "--min-support", "2"],
    "diff": lambda data: ["diff", str(PROFILE), str(HISTORY / "planted.icp"), data],
}
INPUT_OPTIONS = ["--input-format", "--encoding", "--delimiter", "--as-of"]


def run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


def _options(command: str) -> dict[str, str | None]:
    subparsers = build_parser(command)._subparsers
    assert subparsers is not None
    parser = next(iter(subparsers._group_actions[0].choices.values()))  # type: ignore[attr-defined]
    return {flag: action.help for action in parser._actions for flag in action.option_strings}


@pytest.mark.parametrize("command", [*COMMANDS, "serve"])
def test_every_data_command_has_the_same_input_options(command: str) -> None:
    options = _options(command)
    reference = _options("eval")
    for flag in INPUT_OPTIONS:
        assert options[flag] == reference[flag], (command, flag)
    id_flag = "--id-column" if command == "explain" else "--id"
    assert options[id_flag] == reference["--id"]
    assert options["--id-column"] == reference["--id"]  # the same spelling works everywhere


def _deals(tmp_path: Path, encoding: str, *, delimiter: str = ",", bom: bool = False) -> Path:
    text = (HISTORY / "deals.csv").read_text(encoding="utf-8")
    if delimiter != ",":
        import csv

        rows = list(csv.reader(io.StringIO(text)))
        buffer = io.StringIO()
        csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
        text = buffer.getvalue()
    data = text.encode(encoding)
    if bom:
        data = {"utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE}.get(
            encoding, codecs.BOM_UTF8
        ) + data
    path = tmp_path / "deals.txt"
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_an_excel_unicode_text_export_is_read_as_it_is(
    tmp_path: Path, command: str, encoding: str
) -> None:
    """Excel's "Unicode text" is UTF-16 with a byte-order mark, tab-delimited (.txt)."""
    (tmp_path / "plain").mkdir()
    plain = _deals(tmp_path / "plain", "utf-8")
    excel = _deals(tmp_path, encoding, delimiter="\t", bom=True)
    expected = run([*COMMANDS[command](str(plain)), "--as-of", "2025-06-30"])
    got = run([*COMMANDS[command](str(excel)), "--as-of", "2025-06-30"])
    assert got[0] == expected[0]
    assert got[1].replace(str(excel), "DATA") == expected[1].replace(str(plain), "DATA")


def test_the_excel_export_scores_one_row_per_record(tmp_path: Path) -> None:
    excel = _deals(tmp_path, "utf-16-le", delimiter="\t", bom=True)
    code, out, _ = run(COMMANDS["eval"](str(excel)))
    records = (HISTORY / "deals.csv").read_text().count("\n") - 1
    assert code == 0 and len(out.splitlines()) == records + 1


@pytest.mark.parametrize("command", list(COMMANDS))
def test_latin1_forced_on_utf16_is_refused_not_four_rows_from_one(
    tmp_path: Path, command: str
) -> None:
    """Following the old hint (`--encoding latin-1`) turned one row into four."""
    excel = _deals(tmp_path, "utf-16-le", delimiter="\t", bom=True)
    code, out, err = run([*COMMANDS[command](str(excel)), "--encoding", "latin-1"])
    assert (code, out) == (2, "")
    assert err == (
        f"icp {command}: {excel}: the file starts with a UTF-16 LE byte-order mark: it is "
        "UTF-16 LE text, not latin-1\n"
        "    hint: leave out --encoding: the byte-order mark is honoured\n"
    )


@pytest.mark.parametrize("encoding", ["latin-1", "cp1252", "utf-8", None])
def test_utf16_without_a_mark_is_named_by_its_nul_bytes(
    tmp_path: Path, encoding: str | None
) -> None:
    data = _deals(tmp_path, "utf-16-le", delimiter="\t")
    named = ["--encoding", encoding] if encoding else []
    code, out, err = run([*COMMANDS["eval"](str(data)), *named])
    assert (code, out) == (2, "")
    assert "looks like UTF-16-LE text without a byte-order mark" in err
    assert "hint: name its encoding: --encoding utf-16-le" in err
    code, out, _ = run([*COMMANDS["eval"](str(data)), "--encoding", "utf-16-le"])
    assert code == 0 and out.startswith("row,id,verdict")


def test_an_encoding_that_reads_line_breaks_otherwise_is_refused(tmp_path: Path) -> None:
    data = _deals(tmp_path, "utf-8")
    code, _, err = run([*COMMANDS["eval"](str(data)), "--encoding", "cp037"])
    assert code == 2
    assert "cp037 reads this file's line breaks as other characters" in err
    code, _, err = run([*COMMANDS["eval"](str(data)), "--encoding", "utf-16"])
    assert code == 2 and "not utf-16 text: it has no NUL bytes" in err


@pytest.mark.parametrize(
    ("data", "named"),
    [
        ("id,name\n1,Caf\xe9 \x93Quoted\x94\n".encode("latin-1"), "cp1252 (Windows; bytes"),
        ("id,name\n1,Café\n".encode("latin-1"), "cp1252 (Windows) or latin-1"),
    ],
    ids=["cp1252", "latin-1"],
)
@pytest.mark.parametrize("command", list(COMMANDS))
def test_a_non_utf8_file_gets_a_hint_naming_what_it_likely_is(
    tmp_path: Path, command: str, data: bytes, named: str
) -> None:
    path = tmp_path / "deals.csv"
    path.write_bytes(data)
    code, _, err = run(COMMANDS[command](str(path)))
    assert code == 2
    assert f"icp {command}: {path}: not UTF-8 text near line 2" in err
    assert f"    hint: most likely {named}" in err
    assert "--encoding cp1252" in err  # an option every one of these commands has


@pytest.mark.parametrize("command", list(COMMANDS))
def test_delimiter_and_id_column_are_honoured_everywhere(tmp_path: Path, command: str) -> None:
    data = _deals(tmp_path, "utf-8", delimiter="|")
    base = COMMANDS[command](str(data))
    expected = run([*COMMANDS[command](str(HISTORY / "deals.csv")), "--as-of", "2025-06-30"])
    got = run([*base, "--delimiter", "|", "--as-of", "2025-06-30"])
    assert got[0] == expected[0]
    assert run([*base, "--delimiter", "ab"])[2].startswith(f"icp {command}: the delimiter must")
    if command == "explain":  # its --id picks the account; --id-column names the column
        base = ["explain", str(PROFILE), str(data), "--delimiter", "|", "--id", "Acme"]
    id_flag = "--id-column" if command == "explain" else "--id"
    code, _, err = run([*base, id_flag, "nmae", "--as-of", "2025-06-30"])
    assert code == 2
    assert err.startswith(f"icp {command}: {id_flag} 'nmae': no such column\n")
    assert "hint: did you mean 'name'?" in err


def test_json_lines_with_a_utf16_mark_is_read(tmp_path: Path) -> None:
    """PowerShell writes UTF-16 with a byte-order mark by default."""
    lines = '{"id": "a", "industry": "SaaS", "employees": 500}\n{"id": "b"}\n'
    path = tmp_path / "a.jsonl"
    path.write_bytes(codecs.BOM_UTF16_LE + lines.encode("utf-16-le"))
    code, out, _ = run(["eval", str(ROOT / "examples" / "security.icp"), str(path),
                        "--format", "jsonl", "-q"])  # fmt: skip
    assert code == 0
    assert [json.loads(line)["id"] for line in out.splitlines()] == ["a", "b"]


def test_utf16_in_the_other_byte_order_is_named(tmp_path: Path) -> None:
    data = _deals(tmp_path, "utf-16-be", delimiter="\t")
    code, out, err = run([*COMMANDS["eval"](str(data)), "--encoding", "utf-16-le"])
    assert (code, out) == (2, "")
    assert "looks like UTF-16-BE text, not UTF-16-LE" in err
    assert "hint: name its byte order: --encoding utf-16-be" in err
    assert run([*COMMANDS["eval"](str(data)), "--encoding", "utf-16-be"])[0] == 0
