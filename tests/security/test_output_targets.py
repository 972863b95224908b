"""Output only to what it names (issue 17): `-o` refuses anything but a regular file or
a new path and writes through nothing, keeps an existing file's mode, cleans up on
every signal; `icp check/fmt/test DIR` skip non-regular files and never write outside DIR."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROFILE = str(ROOT / "examples" / "security.icp")
ACCOUNTS = str(ROOT / "examples" / "accounts.csv")
HISTORY = ROOT / "examples" / "history"


def icp(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [sys.executable, "-m", "icpdsl", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
    )
    assert "Traceback" not in done.stderr, done.stderr
    return done


def _leftovers(folder: Path, name: str) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.startswith(f".{name}.")]


# ------------------------------------------------------------------ -o targets


def _symlink(tmp_path: Path) -> tuple[Path, Path]:
    target = tmp_path / "victim.txt"
    target.write_text("precious\n")
    link = tmp_path / "out.csv"
    link.symlink_to(target)
    return link, target


@pytest.mark.parametrize("kind", ["symlink", "fifo", "directory", "char device"])
@pytest.mark.parametrize(
    "command",
    [
        ["eval", PROFILE, ACCOUNTS],
        ["validate", str(HISTORY / "current.icp"), str(HISTORY / "deals.csv"), "--outcome", "won"],
        ["suggest", str(HISTORY / "deals.csv"), "--outcome", "won"],
        ["diff", str(HISTORY / "current.icp"), str(HISTORY / "planted.icp")],
    ],
    ids=["eval", "validate", "suggest", "diff"],
)
def test_o_refuses_what_is_not_a_regular_file(
    tmp_path: Path, kind: str, command: list[str]
) -> None:
    """`-o /dev/full` as root replaced the machine's /dev/full; a link was replaced (or
    written through); a folder gave a traceback and left a temporary file."""
    target: Path | None = None
    if kind == "symlink":
        path, target = _symlink(tmp_path)
    elif kind == "fifo":
        path = tmp_path / "out.csv"
        os.mkfifo(path)
    elif kind == "directory":
        path = tmp_path / "out.csv"
        path.mkdir()
    else:
        path = _char_device(tmp_path)
    done = icp(*command, "-o", str(path), "--as-of", "2025-06-30")
    assert done.returncode == 2
    first, *rest = done.stderr.splitlines()
    assert first.startswith(f"icp {command[0]}: will not write to {path}: it is ")
    assert rest == ["    hint: give a regular file or a new path (leave out -o to write to stdout)"]
    if kind == "symlink":
        assert path.is_symlink() and target is not None
        assert target.read_text() == "precious\n"
    elif kind == "fifo":
        assert stat.S_ISFIFO(path.lstat().st_mode)
    elif kind == "directory":
        assert path.is_dir() and list(path.iterdir()) == []
    else:
        assert stat.S_ISCHR(path.stat().st_mode)
    assert _leftovers(path.parent, path.name) == []


def _char_device(tmp_path: Path) -> Path:
    """A character device to aim `-o` at: a null device made in `tmp_path` when we may
    (root), never the machine's own /dev/null, which a broken `-o` as root replaces."""
    if os.geteuid() == 0:
        path = tmp_path / "null"
        os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
        return path
    return Path("/dev/null")  # others cannot replace it: /dev is not theirs to write


def test_o_keeps_an_existing_file_s_mode(tmp_path: Path) -> None:
    out = tmp_path / "scored.csv"
    out.write_text("old\n")
    out.chmod(0o600)
    assert icp("eval", PROFILE, ACCOUNTS, "-o", str(out), "-q").returncode == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert out.read_text().startswith("row,id,verdict")
    report = tmp_path / "report.txt"
    report.write_text("old\n")
    report.chmod(0o640)
    validate = ["validate", str(HISTORY / "current.icp"), str(HISTORY / "deals.csv")]
    assert icp(*validate, "--outcome", "won", "-o", str(report)).returncode == 0
    assert stat.S_IMODE(report.stat().st_mode) == 0o640


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
def test_a_signal_during_o_leaves_no_temporary_file(tmp_path: Path, signum: int) -> None:
    """SIGTERM/SIGHUP during `-o` left a partial temporary file behind."""
    source = tmp_path / "accounts.csv"
    os.mkfifo(source)
    out = tmp_path / "scored.csv"
    child = subprocess.Popen(
        [sys.executable, "-m", "icpdsl", "eval", PROFILE, str(source), "-o", str(out)],
        stderr=subprocess.PIPE,
        cwd=ROOT,
    )
    with source.open("w") as feed:  # the command reads on, waiting for more rows
        feed.write("id,industry,employees\n" + "".join(f"{i},SaaS,500\n" for i in range(60)))
        feed.flush()
        deadline = time.monotonic() + 30
        while not _leftovers(tmp_path, out.name) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _leftovers(tmp_path, out.name), "the temporary file never appeared"
        child.send_signal(signum)
        _, err = child.communicate(timeout=30)
    assert child.returncode == 128 + signum
    assert b"Traceback" not in err
    assert _leftovers(tmp_path, out.name) == []
    assert not out.exists()


# ------------------------------------------------------------------ folder walks


@pytest.mark.parametrize("command", ["check", "fmt", "test"])
def test_a_fifo_named_icp_in_a_folder_does_not_block(tmp_path: Path, command: str) -> None:
    folder = tmp_path / "profiles"
    folder.mkdir()
    (folder / "good.icp").write_text("employees 200..1000\n")
    os.mkfifo(folder / "x.icp")
    done = icp(command, str(folder), timeout=30)
    assert f"skipped {folder / 'x.icp'}: not a regular file" in done.stderr
    assert done.returncode in (0, 1)


def test_fmt_never_writes_outside_the_folder_through_a_link(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    victim = outside / "victim.icp"
    victim.write_text("employees   200..1000\n")  # not formatted: fmt would rewrite it
    folder = tmp_path / "profiles"
    folder.mkdir()
    (folder / "x.icp").symlink_to(Path("..") / "outside" / "victim.icp")
    (folder / "mine.icp").write_text("industry   in [SaaS]\n")
    done = icp("fmt", str(folder))
    assert done.returncode == 0
    assert victim.read_text() == "employees   200..1000\n"
    assert (folder / "mine.icp").read_text() == "industry in [SaaS]\n"
    assert f"skipped {folder / 'x.icp'}: a symbolic link to {victim}, outside" in done.stderr
    checked = icp("check", str(folder))
    assert "victim" not in checked.stdout


def test_a_link_inside_the_folder_is_formatted_once_through_its_file(tmp_path: Path) -> None:
    folder = tmp_path / "profiles"
    folder.mkdir()
    real = folder / "real.icp"
    real.write_text("industry   in [SaaS]\n")
    real.chmod(0o600)
    (folder / "alias.icp").symlink_to("real.icp")
    done = icp("fmt", str(folder))
    assert done.returncode == 0
    assert (folder / "alias.icp").is_symlink()
    assert real.read_text() == "industry in [SaaS]\n"
    assert stat.S_IMODE(real.stat().st_mode) == 0o600
    assert done.stderr.count("reformatted") == 2  # one file, and the summary line
