"""`icp lsp` driven by a real LSP client over stdio: diagnostics as `icp check` reports
them, quick fixes, hover, completion, navigation, outline, formatting and code lenses."""

from __future__ import annotations

import datetime
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("pygls", reason="the language server needs pip install 'icpdsl[lsp]'")

from lsprotocol import types

import icpdsl
from icpdsl.io import read_records
from tests.lsp.client import Session, apply, icp_command

FIELDS = """\
fields {
  employees: int from "Number of Employees"
  industry: category [SaaS, Fintech, "B2B Software"]
  tech: set[string] from "Technologies"
}
"""

MAIN = """\
import "fields.icp"

define modern = tech has any [AWS, GCP]

profile "Base" {
  employees 50..5000

  disqualify if industry == Fintech: "regulated"
}

profile "Mid" extends "Base" {
  emplyees >= 200
  require modern

  +10 if industry in [SaaS, "B2B Software"]

  tier A if score >= 10
  tier B otherwise

  examples {
    fit "typical" { employees: 300, industry: SaaS, tech: [AWS] }
    not_fit "small" { employees: 100, industry: SaaS, tech: [AWS] }
  }
}
"""

ACCOUNTS = """\
Name,Number of Employees,industry,Technologies
Acme,300,SaaS,AWS
Beta,20,SaaS,AWS
Gamma,900,Fintech,GCP
Delta,400,SaaS,
"""

AS_OF = "2025-06-15"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("project")
    (root / "fields.icp").write_text(FIELDS, encoding="utf-8")
    (root / "main.icp").write_text(MAIN, encoding="utf-8")
    (root / "accounts.csv").write_text(ACCOUNTS, encoding="utf-8")
    (root / "pyproject.toml").write_text(
        f'[tool.icpdsl]\nsample = "accounts.csv"\nas-of = "{AS_OF}"\n', encoding="utf-8"
    )
    return root


@pytest.fixture(scope="module")
def session(project: Path) -> Iterator[Session]:
    started = Session(project)
    yield started
    started.close()


def _fixed(text: str) -> str:
    return text.replace("emplyees >= 200", "employees >= 200")


def _position(text: str, needle: str, offset: int = 0) -> types.Position:
    index = text.index(needle) + offset
    line = text.count("\n", 0, index)
    return types.Position(line, index - (text.rfind("\n", 0, index) + 1))


def _document(uri: str) -> types.TextDocumentIdentifier:
    return types.TextDocumentIdentifier(uri)


# ---------------------------------------------------------------------- diagnostics


def test_a_typo_is_reported_as_icp_check_reports_it_and_fixed_by_its_code_action(
    session: Session, project: Path
) -> None:
    uri = session.open(project / "main.icp", MAIN)
    published = session.wait_for(uri, lambda found: any(d.code == "ICP010" for d in found))
    (typo,) = [d for d in published if d.code == "ICP010"]
    assert typo.range == types.Range(types.Position(11, 2), types.Position(11, 10))
    assert typo.severity == types.DiagnosticSeverity.Error and typo.source == "icp"
    expected = icpdsl.check(MAIN, filename=str(project / "main.icp"), root=project)
    assert [(d.code, d.line, d.column, d.message) for d in expected] == [
        (d.code, d.range.start.line + 1, d.range.start.character + 1, d.message.split("\n")[0])
        for d in published
    ]
    assert typo.message == "unknown field 'emplyees'\nhint: did you mean 'employees'?"

    actions = session.run(
        session.client.text_document_code_action_async(
            types.CodeActionParams(
                _document(uri), typo.range, types.CodeActionContext(diagnostics=[typo])
            )
        )
    )
    assert actions is not None
    (action,) = actions
    assert isinstance(action, types.CodeAction) and action.title == "Replace with employees"
    assert action.kind == types.CodeActionKind.QuickFix and action.edit is not None
    fixed = apply(MAIN, list((action.edit.changes or {})[uri]))
    assert fixed == _fixed(MAIN)
    session.change(uri, fixed)
    assert session.wait_for(uri, lambda found: not any(d.code == "ICP010" for d in found)) == []


def test_typing_inside_one_statement_gives_the_diagnostics_of_the_whole_file(
    session: Session, project: Path
) -> None:
    """Edits are parsed one statement at a time (`icpdsl.incremental`): a typo typed
    into a line, a line that grows, then the typo fixed, each get `icp check`'s
    diagnostics for the whole text, at their place."""
    uri = session.open(project / "main.icp", _fixed(MAIN))
    assert session.wait_for(uri) == []
    text = _fixed(MAIN)
    for edited in (
        text.replace("employees >= 200", "employees >= 200 and countr == US", 1),
        text.replace("employees >= 200", "employees >= 2000 and countr == US", 1),
        text,
    ):
        session.change(uri, edited)
        expected = icpdsl.check(edited, filename=str(project / "main.icp"), root=project)
        count = len(expected)
        published = session.wait_for(uri, lambda found, n=count: len(found) == n)
        assert [(d.code, d.line, d.column, d.message) for d in expected] == [
            (d.code, d.range.start.line + 1, d.range.start.character + 1,
             d.message.split("\n")[0])
            for d in published
        ]  # fmt: skip


def test_a_syntax_hint_s_corrected_line_is_a_quick_fix(session: Session, project: Path) -> None:
    path = project / "hinted.icp"
    text = "employees = 200\n"
    uri = session.open(path, text)
    (error,) = session.wait_for(uri)
    assert (error.code, error.range.start) == ("ICP000", types.Position(0, 10))
    assert error.message.endswith("hint: use '==' to compare")
    actions = session.run(
        session.client.text_document_code_action_async(
            types.CodeActionParams(
                _document(uri), error.range, types.CodeActionContext(diagnostics=[error])
            )
        )
    )
    assert actions is not None and len(actions) == 1
    action = actions[0]
    assert isinstance(action, types.CodeAction) and action.edit is not None
    assert action.title == "Fix: use '==' to compare"
    assert apply(text, list((action.edit.changes or {})[uri])) == "employees == 200\n"


def test_a_problem_in_an_imported_file_shows_on_the_import(session: Session, project: Path) -> None:
    broken = project / "broken_fields.icp"
    broken.write_text("fields {\n  employees: intt\n}\n", encoding="utf-8")
    text = 'import "broken_fields.icp"\nemployees > 10\n'
    uri = session.open(project / "importer.icp", text)
    (shown,) = session.wait_for(uri, lambda found: bool(found))
    assert shown.code == "ICP014" and shown.range.start == types.Position(0, 7)
    assert shown.message.startswith("in broken_fields.icp:2:14: unknown type 'intt'")
    assert shown.related_information is not None
    assert shown.related_information[0].location.uri == broken.as_uri()


def test_only_the_newest_of_quick_changes_is_published_last(
    session: Session, project: Path
) -> None:
    uri = session.open(project / "typing.icp", "employees > 1\n")
    session.wait_for(uri)
    for count in range(2, 12):
        session.change(uri, "".join(f"employees > {n}\n" for n in range(count)) + "x = 1\n")
    (error,) = session.wait_for(uri, lambda found: bool(found))
    assert error.range.start.line == 11
    mine = [p for _, p in session.published if p.uri == uri]
    assert mine[-1].version == 11
    assert len(mine) < 2 + 2 * 10  # stale versions were skipped, not all published


# ---------------------------------------------------------------------- hover


@pytest.mark.parametrize(
    ("needle", "offset", "expected"),
    [
        ("employees 50", 2, '**employees**: `int`\n\nField, read from the CRM column "Number of'),
        ("require modern", 10, "```icp\ndefine modern = tech has any [AWS, GCP]\n```"),
        (
            'profile "Mid"',
            10,
            "**profile Mid** extends **Base**\n\n3 criteria, 1 disqualifier, 1 points rule, "
            "2 tiers, 2 examples, 1 define (2 of the 7 rules inherited).",
        ),
        ("+10 if", 1, "Scoring: +10 points if industry is one of SaaS"),
        ("disqualify if", 3, 'Disqualifier: an account is disqualified ("regulated") if'),
    ],
)
def test_hover(session: Session, project: Path, needle: str, offset: int, expected: str) -> None:
    uri = session.open(project / "main.icp", _fixed(MAIN))
    session.wait_for(uri)
    hovered = session.run(
        session.client.text_document_hover_async(
            types.HoverParams(_document(uri), _position(_fixed(MAIN), needle, offset))
        )
    )
    assert hovered is not None and isinstance(hovered.contents, types.MarkupContent)
    assert hovered.contents.value.startswith(expected), hovered.contents.value


# ---------------------------------------------------------------------- completion


def _labels(session: Session, uri: str, text: str, needle: str) -> dict[str, types.CompletionItem]:
    session.change(uri, text)
    found = session.run(
        session.client.text_document_completion_async(
            types.CompletionParams(_document(uri), _position(text, needle, len(needle)))
        )
    )
    assert isinstance(found, types.CompletionList)
    return {item.label: item for item in found.items}


def test_completion_offers_field_names_keywords_and_values(session: Session, project: Path) -> None:
    uri = session.open(project / "main.icp", _fixed(MAIN))
    session.wait_for(uri)
    typing = _fixed(MAIN).replace("  require modern\n", "  require modern\n  emp\n")
    items = _labels(session, uri, typing, "  emp")
    employees = items["employees"]
    assert employees.kind == types.CompletionItemKind.Field
    assert employees.detail == 'int from "Number of Employees"'
    assert isinstance(employees.text_edit, types.TextEdit)
    assert employees.text_edit.range.start == _position(typing, "  emp", 2)
    assert "modern" in items and "tier" in items and "profile" not in items

    listing = _fixed(MAIN).replace("  require modern\n", "  require modern\n  industry in [\n")
    values = _labels(session, uri, listing, "industry in [")
    assert {"SaaS", '"B2B Software"', "Fintech"} <= set(values)

    operators = _labels(session, uri, listing.replace("industry in [", "tech "), "  tech ")
    assert {"has", "in", "is", "==", "within"} <= set(operators)

    bases = _labels(session, uri, _fixed(MAIN) + 'profile "X" extends \n', "extends ")
    assert set(bases) == {'"Base"', '"Mid"'}


# ---------------------------------------------------------------------- navigation


def _definition(session: Session, uri: str, position: types.Position) -> types.Location:
    found = session.run(
        session.client.text_document_definition_async(
            types.DefinitionParams(_document(uri), position)
        )
    )
    assert isinstance(found, list) and len(found) == 1
    location = found[0]
    assert isinstance(location, types.Location)
    return location


def test_go_to_definition_of_a_define_a_field_a_base_profile_and_an_import(
    session: Session, project: Path
) -> None:
    text = _fixed(MAIN)
    uri = session.open(project / "main.icp", text)
    session.wait_for(uri)
    define = _definition(session, uri, _position(text, "require modern", 9))
    assert define.uri == uri and define.range.start == types.Position(2, 7)
    field = _definition(session, uri, _position(text, "employees 50", 3))
    assert field.uri == (project / "fields.icp").as_uri()
    assert field.range.start == types.Position(1, 2)
    base = _definition(session, uri, _position(text, 'extends "Base"', 10))
    assert base.uri == uri and base.range.start == types.Position(4, 8)
    imported = _definition(session, uri, _position(text, '"fields.icp"', 3))
    assert imported.uri == (project / "fields.icp").as_uri()


def test_find_references_of_a_define(session: Session, project: Path) -> None:
    text = _fixed(MAIN).replace("+10 if industry", "+10 if modern and industry")
    uri = session.open(project / "main.icp", text)
    session.wait_for(uri)
    found = session.run(
        session.client.text_document_references_async(
            types.ReferenceParams(
                context=types.ReferenceContext(include_declaration=True),
                text_document=_document(uri),
                position=_position(text, "define modern", 8),
            )
        )
    )
    assert found is not None
    assert [location.range.start.line for location in found] == [2, 12, 14]


# ---------------------------------------------------------------------- outline


def test_document_symbols_and_folding_ranges(session: Session, project: Path) -> None:
    text = _fixed(MAIN)
    uri = session.open(project / "main.icp", text)
    session.wait_for(uri)
    symbols = session.run(
        session.client.text_document_document_symbol_async(
            types.DocumentSymbolParams(_document(uri))
        )
    )
    assert symbols is not None
    names = [(s.name, s.kind) for s in symbols if isinstance(s, types.DocumentSymbol)]
    assert names == [
        ("import fields.icp", types.SymbolKind.File),
        ("modern", types.SymbolKind.Function),
        ("Base", types.SymbolKind.Class),
        ("Mid", types.SymbolKind.Class),
    ]
    mid = symbols[-1]
    assert isinstance(mid, types.DocumentSymbol) and mid.children is not None
    assert [c.name for c in mid.children] == ["tier A", "tier B", "examples"]
    folds = session.run(
        session.client.text_document_folding_range_async(types.FoldingRangeParams(_document(uri)))
    )
    assert folds is not None
    assert {(f.start_line, f.end_line) for f in folds} >= {(4, 8), (10, 23), (19, 22)}


# ---------------------------------------------------------------------- formatting


def test_formatting_gives_icp_fmt_s_layout_and_a_range_changes_only_its_lines(
    session: Session, project: Path
) -> None:
    untidy = (
        _fixed(MAIN)
        .replace("employees 50..5000", "employees   50 .. 5000")
        .replace("tier B otherwise", "tier   B    otherwise")
    )
    uri = session.open(project / "main.icp", untidy)
    edits = session.run(
        session.client.text_document_formatting_async(
            types.DocumentFormattingParams(_document(uri), types.FormattingOptions(2, True))
        )
    )
    assert edits is not None
    assert apply(untidy, list(edits)) == icpdsl.format(untidy) == _fixed(MAIN)
    only_first = types.Range(types.Position(5, 0), types.Position(6, 0))
    ranged = session.run(
        session.client.text_document_range_formatting_async(
            types.DocumentRangeFormattingParams(
                _document(uri), only_first, types.FormattingOptions(2, True)
            )
        )
    )
    assert ranged is not None
    result = apply(untidy, list(ranged))
    assert "  employees 50..5000\n" in result and "tier   B    otherwise" in result


# ---------------------------------------------------------------------- code lenses


def test_code_lenses_count_verdicts_on_the_sample_and_report_examples(
    session: Session, project: Path
) -> None:
    text = _fixed(MAIN)
    uri = session.open(project / "main.icp", text)
    session.wait_for(uri)
    lenses = session.run(
        session.client.text_document_code_lens_async(types.CodeLensParams(_document(uri)))
    )
    assert lenses is not None
    titles = {lens.range.start.line: lens.command.title for lens in lenses if lens.command}
    document = icpdsl.loads(text, str(project / "main.icp"), root=project)
    rows = list(read_records(project / "accounts.csv"))
    day = datetime.date.fromisoformat(AS_OF)
    for name, line in (("Base", 4), ("Mid", 10)):
        results = document.profiles[name].evaluate_many([r.record for r in rows], as_of=day)
        counted = Counter(str(r.verdict) for r in results)
        expected = " · ".join(
            f"{counted[v]} {v}" for v in ("fit", "not_fit", "unknown", "disqualified")
        )
        assert titles[line] == f"accounts.csv (4 rows): {expected}"
    assert titles[19] == "✓ 2 examples pass"

    failing = text.replace('not_fit "small"', 'fit "small"')
    session.change(uri, failing)
    session.wait_for(uri)
    lenses = session.run(
        session.client.text_document_code_lens_async(types.CodeLensParams(_document(uri)))
    )
    assert lenses is not None
    titles = {lens.range.start.line: lens.command.title for lens in lenses if lens.command}
    assert titles[19] == "✗ 1 of 2 examples fail"
    assert titles[21].startswith('✗ "small": ')


def test_editor_settings_name_the_sample_and_a_change_refreshes_the_lenses(
    project: Path, tmp_path: Path
) -> None:
    (tmp_path / "main.icp").write_text("employees > 100\n", encoding="utf-8")
    (tmp_path / "one.csv").write_text("employees\n500\n50\n", encoding="utf-8")
    (tmp_path / "two.csv").write_text("employees\n500\n", encoding="utf-8")
    session = Session(tmp_path, {"icpdsl": {"sample": "one.csv"}})
    try:
        uri = session.open(tmp_path / "main.icp")
        session.wait_for(uri)
        params = types.CodeLensParams(_document(uri))
        (lens,) = session.run(session.client.text_document_code_lens_async(params)) or []
        assert lens.command is not None
        counts = "1 fit · 1 not_fit · 0 unknown · 0 disqualified"
        assert lens.command.title == f"one.csv (2 rows): {counts}"
        session.client.workspace_did_change_configuration(
            types.DidChangeConfigurationParams(settings={"icpdsl": {"sample": "two.csv"}})
        )
        session.wait_for(uri)
        (lens,) = session.run(session.client.text_document_code_lens_async(params)) or []
        assert lens.command is not None and lens.command.title.startswith("two.csv (1 rows)")
        assert session.lens_refreshes >= 1
    finally:
        session.close()


# ---------------------------------------------------------------------- the command


def test_without_pygls_icp_lsp_names_the_extra_and_exits_2() -> None:
    blocked = (
        "import sys; sys.modules['pygls'] = None\n"
        "from icpdsl.cli import main\nsys.exit(main(['lsp']))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", blocked], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2
    assert done.stderr == ("icp lsp: the language server needs pygls: pip install 'icpdsl[lsp]'\n")


def test_icp_lsp_is_an_icp_command() -> None:
    done = subprocess.run([*icp_command(), "--help"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and "language server" in done.stdout
