"""File access: imports stay inside the root (no `..`, absolute paths or symlinks out of
it), and `import`/`extends`/`define` cycles are errors that name the cycle."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import icpdsl
from icpdsl import ICPCheckError


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """tmp/root/ (the project) beside tmp/outside/secret.icp (what must stay unreadable)."""
    root = tmp_path / "root"
    (root / "sub").mkdir(parents=True)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.icp").write_text("define secret = a\n", encoding="utf-8")
    (root / "shared.icp").write_text("define shared = a\n", encoding="utf-8")
    return root


def _load_main(root: Path, text: str) -> icpdsl.Document:
    (root / "main.icp").write_text(text, encoding="utf-8")
    return icpdsl.load(root / "main.icp")


def _refusal(root: Path, text: str) -> str:
    with pytest.raises(ICPCheckError) as caught:
        _load_main(root, text)
    codes = {d.code for d in caught.value.diagnostics}
    assert "ICP005" in codes
    return str(caught.value)


def test_an_import_inside_the_root_loads(project: Path) -> None:
    doc = _load_main(project, 'import "shared.icp"\nshared\n')
    assert doc.profile.evaluate({"a": True}).verdict.value == "fit"


def test_dot_dot_out_of_the_root_is_refused(project: Path) -> None:
    message = _refusal(project, 'import "../outside/secret.icp"\nsecret\n')
    assert "leaves the project root" in message
    assert "main.icp:1:1" in message


def test_dot_dot_that_stays_inside_the_root_is_allowed(project: Path) -> None:
    (project / "sub" / "inner.icp").write_text('import "../shared.icp"\n', encoding="utf-8")
    doc = _load_main(project, 'import "sub/inner.icp"\nshared\n')
    assert len(doc.modules) == 3


def test_absolute_paths_are_refused(project: Path, tmp_path: Path) -> None:
    secret = tmp_path / "outside" / "secret.icp"
    message = _refusal(project, f'import "{secret.as_posix()}"\nsecret\n')
    assert "absolute path" in message
    message = _refusal(project, f'import "{(project / "shared.icp").as_posix()}"\nshared\n')
    assert "absolute path" in message  # even one that points inside the root


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_a_symlinked_file_pointing_out_of_the_root_is_refused(
    project: Path, tmp_path: Path
) -> None:
    (project / "link.icp").symlink_to(tmp_path / "outside" / "secret.icp")
    assert "leaves the project root" in _refusal(project, 'import "link.icp"\nsecret\n')


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_a_symlinked_folder_pointing_out_of_the_root_is_refused(
    project: Path, tmp_path: Path
) -> None:
    (project / "escape").symlink_to(tmp_path / "outside", target_is_directory=True)
    assert "leaves the project root" in _refusal(project, 'import "escape/secret.icp"\nsecret\n')


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_a_symlink_that_stays_inside_the_root_is_followed(project: Path) -> None:
    (project / "alias.icp").symlink_to(project / "shared.icp")
    assert _load_main(project, 'import "alias.icp"\nshared\n')


def test_loads_resolves_imports_against_the_given_root(project: Path) -> None:
    assert icpdsl.loads('import "shared.icp"\nshared', root=project)
    with pytest.raises(ICPCheckError, match="leaves the project root"):
        icpdsl.loads('import "../outside/secret.icp"\nsecret', root=project)


def test_an_explicit_root_narrower_than_the_file_folder_is_enforced(project: Path) -> None:
    (project / "sub" / "main.icp").write_text('import "../shared.icp"\nshared\n', "utf-8")
    with pytest.raises(ICPCheckError, match="leaves the project root"):
        icpdsl.load(project / "sub" / "main.icp", root=project / "sub")


def test_special_files_are_not_imported(project: Path) -> None:
    (project / "folder.icp").mkdir()
    assert "no such file" in _refusal(project, 'import "folder.icp"\n')
    if hasattr(os, "mkfifo"):
        os.mkfifo(project / "pipe.icp")  # reading it would block forever
        assert "no such file" in _refusal(project, 'import "pipe.icp"\n')


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("shared\0.icp", "embedded null byte"),
        ("x" * 5000 + ".icp", "too long"),
        ("a/" * 3000 + "x.icp", "too long"),
        ("loop.icp", "loop"),
    ],
    ids=["nul", "long-name", "long-path", "symlink-loop"],
)
def test_an_impossible_import_path_is_an_icp_error(project: Path, path: str, reason: str) -> None:
    if reason == "loop":
        (project / "loop.icp").symlink_to(project / "loop2.icp")
        (project / "loop2.icp").symlink_to(project / "loop.icp")
    message = _refusal(project, f'import "{path}"\nshared\n')
    assert reason in message.lower()


# ------------------------------------------------------------------ cycles


def test_an_import_cycle_names_every_file_in_it(project: Path) -> None:
    (project / "a.icp").write_text('import "b.icp"\ndefine x = a\n', encoding="utf-8")
    (project / "b.icp").write_text('import "c.icp"\n', encoding="utf-8")
    (project / "c.icp").write_text('import "a.icp"\n', encoding="utf-8")
    with pytest.raises(ICPCheckError) as caught:
        _load_main(project, 'import "a.icp"\nx\n')
    message = str(caught.value)
    assert "import cycle: a.icp → b.icp → c.icp → a.icp" in message
    assert "c.icp:1:1" in message


def test_a_file_importing_itself_is_a_cycle(project: Path) -> None:
    with pytest.raises(ICPCheckError, match=r"import cycle: main\.icp → main\.icp"):
        _load_main(project, 'import "main.icp"\na\n')


def test_a_diamond_of_imports_is_not_a_cycle(project: Path) -> None:
    (project / "left.icp").write_text('import "shared.icp"\n', encoding="utf-8")
    (project / "right.icp").write_text('import "shared.icp"\n', encoding="utf-8")
    assert _load_main(project, 'import "left.icp"\nimport "right.icp"\nshared\n')


def test_an_extends_cycle_names_the_profiles() -> None:
    text = (
        'profile "a" extends "c" { x }\n'
        'profile "b" extends "a" { y }\n'
        'profile "c" extends "b" { z }'
    )
    with pytest.raises(ICPCheckError) as caught:
        icpdsl.loads(text)
    assert "extends cycle: a → c → b → a" in str(caught.value)
    assert {d.code for d in caught.value.diagnostics} == {"ICP006"}


def test_a_profile_extending_itself_is_a_cycle() -> None:
    with pytest.raises(ICPCheckError, match="extends cycle: a → a"):
        icpdsl.loads('profile "a" extends "a" { x }')


def test_a_define_cycle_names_the_defines() -> None:
    with pytest.raises(ICPCheckError, match="define cycle: p → q → p"):
        icpdsl.loads("define p = q and a\ndefine q = not p\np")


# ------------------------------------------------------------------ what may be read


def test_loads_without_a_root_imports_nothing(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(project)  # shared.icp is right here: still not read
    with pytest.raises(ICPCheckError) as caught:
        icpdsl.loads('import "shared.icp"\nshared\n')
    (diagnostic,) = caught.value.diagnostics
    assert (diagnostic.code, diagnostic.line, diagnostic.column) == ("ICP005", 1, 1)
    assert "without a root folder may not import" in diagnostic.message
    assert diagnostic.hint is not None and "root=" in diagnostic.hint


def test_loads_from_the_file_system_root_never_shows_etc_passwd(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir("/")  # the red team's case: a syntax error quoted `root:x:0:0:...`
    for root in (None, Path("/")):
        with pytest.raises(ICPCheckError) as caught:
            icpdsl.loads('import "etc/passwd"\nemployees > 1\n', root=root)
        assert "root:" not in str(caught.value)
        assert {d.code for d in caught.value.diagnostics} == {"ICP005"}


@pytest.mark.parametrize("name", [".env", "config.txt", "notes", "x.icp.bak", "secret.ICP"])
def test_only_icp_files_are_imported_and_no_other_file_is_quoted(project: Path, name: str) -> None:
    (project / name).write_text("API_KEY=hunter2 and more: never to be shown\n", "utf-8")
    message = _refusal(project, f'import "{name}"\nemployees > 1\n')
    assert "is not an .icp file" in message
    assert "hunter2" not in message


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_an_icp_link_to_a_file_that_is_not_icp_is_refused_unread(project: Path) -> None:
    (project / ".env").write_text("API_KEY=hunter2\n", encoding="utf-8")
    (project / "innocent.icp").symlink_to(project / ".env")
    message = _refusal(project, 'import "innocent.icp"\nemployees > 1\n')
    assert "leads to '.env', which is not an .icp file" in message
    assert "hunter2" not in message
