"""editors/vscode: the manifest, language configuration and TextMate grammar are what VS
Code needs, and the grammar classifies ICP (with vscode-textmate itself when its npm
packages are installed: `npm install` in editors/vscode)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from icpdsl.lsp.settings import EDITOR_KEYS as SERVER_SETTINGS
from tests.test_docs import ROOT

EXTENSION = ROOT / "editors" / "vscode"
GRAMMAR = EXTENSION / "syntaxes" / "icp.tmLanguage.json"


def _json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def _patterns(node: Any) -> list[str]:
    """Every regex of a TextMate grammar (match, begin, end), wherever it is nested."""
    found: list[str] = []
    if isinstance(node, dict):
        found += [node[key] for key in ("match", "begin", "end") if key in node]
        for value in node.values():
            found += _patterns(value)
    elif isinstance(node, list):
        for value in node:
            found += _patterns(value)
    return found


def test_the_manifest_contributes_the_language_grammar_and_every_server_setting() -> None:
    manifest = _json(EXTENSION / "package.json")
    (language,) = manifest["contributes"]["languages"]
    assert language["id"] == "icp" and language["extensions"] == [".icp"]
    assert (EXTENSION / language["configuration"]).is_file()
    (grammar,) = manifest["contributes"]["grammars"]
    assert (EXTENSION / grammar["path"]) == GRAMMAR
    assert grammar["scopeName"] == _json(GRAMMAR)["scopeName"] == "source.icp"
    assert (EXTENSION / manifest["main"]).is_file()
    assert "vscode-languageclient" in manifest["dependencies"]
    settings = manifest["contributes"]["configuration"]["properties"]
    assert {"icpdsl.server.path", "icpdsl.server.args"} <= set(settings)
    assert {f"icpdsl.{key}" for key in SERVER_SETTINGS} <= set(settings)
    assert settings["icpdsl.server.args"]["default"] == ["lsp"]


def test_the_client_starts_the_configured_icp_lsp_and_passes_the_settings() -> None:
    client = (EXTENSION / "extension.js").read_text(encoding="utf-8")
    assert 'require("vscode-languageclient/node")' in client
    assert 'config.get("server.path")' in client and 'config.get("server.args")' in client
    assert 'configurationSection: "icpdsl"' in client
    for key in SERVER_SETTINGS:
        assert f'{key}: config.get("{key}")' in client


def test_the_language_configuration_has_comments_brackets_and_closing_quotes() -> None:
    config = _json(EXTENSION / "language-configuration.json")
    assert config["comments"] == {"lineComment": "#"}
    assert ["{", "}"] in config["brackets"] and ["[", "]"] in config["brackets"]
    closing = {pair["open"]: pair["close"] for pair in config["autoClosingPairs"]}
    assert closing == {"{": "}", "[": "]", "(": ")", '"': '"', "'": "'", "`": "`"}
    assert re.fullmatch(config["wordPattern"], "on-prem")
    assert re.fullmatch(config["wordPattern"], "$10M")


def test_every_grammar_pattern_compiles_and_the_keywords_are_scoped() -> None:
    grammar = _json(GRAMMAR)
    patterns = _patterns(grammar)
    assert len(patterns) > 20
    for pattern in patterns:
        re.compile(pattern)  # the grammar keeps to what Python and Oniguruma share
    keywords = next(
        p["match"]
        for p in grammar["repository"]["statement-keywords"]["patterns"]
        if p.get("name") == "keyword.control.icp" and "require" in p.get("match", "")
    )
    assert re.search(keywords, "  require x") and not re.search(keywords, "  required")
    includes = re.findall(r'"include": "#([\w-]+)"', GRAMMAR.read_text(encoding="utf-8"))
    assert set(includes) <= set(grammar["repository"])


def _tokenize(paths: list[Path]) -> dict[str, list[tuple[int, str, list[str]]]]:
    node = shutil.which("node")
    if node is None or not (EXTENSION / "node_modules" / "vscode-textmate").is_dir():
        pytest.skip("vscode-textmate is not installed (npm install in editors/vscode)")
    done = subprocess.run(
        [node, str(EXTENSION / "test" / "tokenize.js"), *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    result: dict[str, list[tuple[int, str, list[str]]]] = json.loads(done.stdout)
    return result


def test_vscode_textmate_scopes_every_token_of_the_examples() -> None:
    from tests.unit.test_lexer import VALID

    tokens = _tokenize(VALID)
    for path, found in tokens.items():
        bare = [(line, text) for line, text, scopes in found if text.strip() and len(scopes) < 2]
        assert bare == [], path
    security = {
        (text, scopes[-1]) for _, text, scopes in tokens[str(ROOT / "examples" / "security.icp")]
    }
    assert ("disqualify", "keyword.control.icp") in security
    assert ("define", "keyword.other.declaration.icp") in security
    assert ("not_fit", "constant.language.verdict.icp") in security
    assert ("$20M", "constant.numeric.icp") in security


def test_as_of_is_scoped_as_a_declaration_with_its_date() -> None:
    grammar = _json(GRAMMAR)
    pattern = next(
        p
        for p in grammar["repository"]["statement-keywords"]["patterns"]
        if "(as)" in p.get("match", "")
    )
    found = re.search(pattern["match"], "as of 2013-12-31")
    assert found is not None and found.groups() == ("as", "of", "2013-12-31")
    assert re.search(pattern["match"], "  as >= 3") is None  # a field named `as`
    assert pattern["captures"]["3"]["name"].startswith("constant.numeric")
