"""The documentation site builds with `mkdocs build --strict`, ICP highlighted by icpdsl's
lexer; a broken link or a code block in an unknown language fails the build."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_docs import ROOT

pytest.importorskip("mkdocs", reason="the site needs pip install 'icpdsl[docs]'")


def _build(config: Path, site: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), "-d", str(site)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=config.parent,
    )


def test_the_site_builds_strictly_with_icp_highlighted(tmp_path: Path) -> None:
    done = _build(ROOT / "mkdocs.yml", tmp_path)
    assert done.returncode == 0, done.stderr
    pages = sorted((ROOT / "docs").glob("*.md"))
    assert {p.stem for p in pages} <= {p.stem for p in tmp_path.glob("*.html")}
    language = (tmp_path / "language.html").read_text(encoding="utf-8")
    assert '<span class="kd">profile</span>' in language  # icpdsl.highlight's Keyword.Declaration
    assert '<span class="nl">A</span>' in language  # a tier name
    assert "language-icp" not in language  # no block left for a browser script to colour
    assert ".highlight .kd" in (tmp_path / "css" / "pygments.css").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("page", "complaint"),
    [
        ("```nosuchlang\nx\n```\n", "no Pygments lexer for ```nosuchlang"),
        ("[gone](missing.md)\n", "missing.md"),
        ("[gone](#no-such-heading)\n", "no-such-heading"),
    ],
    ids=["unknown language", "broken link", "broken anchor"],
)
def test_a_strict_build_fails_on(tmp_path: Path, page: str, complaint: str) -> None:
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config = re.sub(r"(?ms)^nav:.*?^\n", "", config)  # this site has one page
    config = config.replace("tools/mkdocs_hooks.py", str(ROOT / "tools" / "mkdocs_hooks.py"))
    (tmp_path / "mkdocs.yml").write_text(config, encoding="utf-8")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text(f"# A page\n\n{page}", encoding="utf-8")
    done = _build(tmp_path / "mkdocs.yml", tmp_path / "site")
    assert done.returncode != 0
    assert complaint in done.stderr
