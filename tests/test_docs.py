"""Every example in README.md and docs/*.md runs, so the documentation cannot rot.

Conventions for fenced blocks:
- ```python   executed in order; blocks of one file share a namespace; cwd is the repo root.
- ```icp      must load with icpdsl.loads and be in `icp fmt`'s layout, unless the fence
              reads ```icp as-written (a block showing syntax the formatter rewrites, such
              as `;` between statements); ```icp-error must raise an ICPError.
- ```console  each `$ command` line runs in bash from the repo root with the venv's `icp`
              on PATH; it must exit 0 unless the line ends with `# exit N`.  The lines
              after it, up to the next `$ `, are what it prints (standard output, then
              standard error): a line `...` (indented or not) stands for any number of
              lines, a line ending in `…` for any line starting with the text before it;
              timings (`0.04 s`, `336 rows/s`) and today's date are not compared.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import icpdsl

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
FENCE = re.compile(r"^```([\w-]*)([^\n]*)\n(.*?)^```", re.MULTILINE | re.DOTALL)
EXIT = re.compile(r"#\s*exit\s+(\d+)\s*$")


def _blocks(page: Path, kind: str, *, as_written: bool = True) -> list[tuple[int, str]]:
    """The fenced blocks of one kind: their first line and text; `as_written=False`
    leaves out the blocks marked `as-written`."""
    text = page.read_text(encoding="utf-8")
    return [
        (text.count("\n", 0, m.start()) + 1, m.group(3))
        for m in FENCE.finditer(text)
        if m.group(1) == kind and (as_written or "as-written" not in m.group(2).split())
    ]


def _ids(pages: list[Path]) -> list[str]:
    return [str(p.relative_to(ROOT)) for p in pages]


@pytest.mark.parametrize("page", PAGES, ids=_ids(PAGES))
def test_python_examples_run(page: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    namespace: dict[str, object] = {"__name__": f"docs_{page.stem}"}
    for line, code in _blocks(page, "python"):
        try:
            exec(compile(code, f"{page.name}:{line}", "exec", dont_inherit=True), namespace)
        except Exception as error:  # pragma: no cover - the failure message is the point
            pytest.fail(f"{page.name}:{line}: python example failed: {error!r}")


@pytest.mark.parametrize("page", PAGES, ids=_ids(PAGES))
def test_icp_examples_load(page: Path) -> None:
    for line, text in _blocks(page, "icp"):
        try:
            icpdsl.loads(text, f"{page.name}:{line}", root=ROOT)
        except icpdsl.ICPError as error:  # pragma: no cover
            pytest.fail(f"{page.name}:{line}: icp example does not load:\n{error}")
    for line, text in _blocks(page, "icp-error"):
        with pytest.raises(icpdsl.ICPError):
            icpdsl.loads(text, f"{page.name}:{line}", root=ROOT)


@pytest.mark.parametrize("page", PAGES, ids=_ids(PAGES))
def test_icp_examples_are_formatted(page: Path) -> None:
    """What the docs show is what `icp fmt` writes, so a copied example passes `--check`."""
    for line, text in _blocks(page, "icp", as_written=False):
        formatted = icpdsl.format(text)
        assert formatted == text, (
            f"{page.name}:{line}: icp example is not formatted (run it through `icp fmt -`, "
            f"or mark the fence ```icp as-written)\n{formatted}"
        )


@pytest.mark.parametrize("page", PAGES, ids=_ids(PAGES))
def test_console_examples_run(page: Path) -> None:
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["NO_COLOR"] = "1"
    for line, block in _blocks(page, "console"):
        for command, shown in _commands(block):
            match = EXIT.search(command)
            expected = int(match.group(1)) if match else 0
            done = subprocess.run(
                ["bash", "-c", command],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                timeout=120,
                stdin=subprocess.DEVNULL,
            )
            assert "Traceback" not in done.stderr, f"{page.name}:{line}: {command}\n{done.stderr}"
            assert done.returncode == expected, (
                f"{page.name}:{line}: `{command}` exited {done.returncode}, expected {expected}\n"
                f"{done.stdout}\n{done.stderr}"
            )
            if shown:
                printed = (done.stdout + done.stderr).splitlines()
                assert _matches(shown, printed), (
                    f"{page.name}:{line}: `{command}` printed\n" + "\n".join(printed)
                )


def _commands(block: str) -> list[tuple[str, list[str]]]:
    """Each `$ command` of a console block with the lines shown after it."""
    found: list[tuple[str, list[str]]] = []
    for text in block.splitlines():
        if text.startswith("$ "):
            found.append((text[2:], []))
        elif found:
            found[-1][1].append(text)
    return found


#: What is not compared: timings and rates, and today's date.
_VARYING = [
    (re.compile(r"\b\d[\d,]*(\.\d+)? s\b"), "T s"),
    (re.compile(r"\b\d[\d,]* rows/s\b"), "R rows/s"),
    (re.compile(r"\d{4}-\d\d-\d\d, today"), "TODAY, today"),
]


def _plain(line: str) -> str:
    line = line.rstrip()
    for pattern, replacement in _VARYING:
        line = pattern.sub(replacement, line)
    return line


def _matches(shown: list[str], printed: list[str]) -> bool:
    """Whether the printed lines are the shown ones (`...` any lines, a line ending in
    `…` any line starting with its text)."""
    if not shown:
        return not printed
    first, rest = _plain(shown[0]), shown[1:]
    if first.strip() in ("...", "…"):
        return any(_matches(rest, printed[i:]) for i in range(len(printed) + 1))
    if not printed:
        return False
    line = _plain(printed[0])
    same = line.startswith(first[:-1]) if first.endswith("…") else line == first
    return same and _matches(rest, printed[1:])
