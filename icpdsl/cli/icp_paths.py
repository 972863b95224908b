"""The `.icp` files a command works on: those named, and those found under named folders.

A folder walk reads regular files only and stays inside the folder: a FIFO named
`x.icp` would block a reader forever, and a link `x.icp -> ../outside/victim.icp`
would let `icp fmt DIR` rewrite a file outside DIR.  Links that resolve inside the
folder are followed (each file once); everything else is skipped with a note saying why.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from pathlib import Path

import attrs

from ..errors import ICPLoadError

#: Folders never searched (besides those starting with a dot).
SKIPPED_FOLDERS = frozenset({"node_modules", "__pycache__", "venv", "site-packages"})


@attrs.frozen
class IcpFile:
    """A file to work on: its name as shown, the real file to read and write, and the
    folder its imports may reach (the folder named, or the file's own folder)."""

    path: Path
    real: Path
    root: Path


@attrs.frozen
class Found:
    """The files found, in order, and a note for each one skipped."""

    files: list[IcpFile]
    skipped: list[str]


def find_icp_files(paths: Iterable[str | os.PathLike[str]]) -> Found:
    """The `.icp` files named, or found under the folders named, each once, in order.

    A path that does not exist, or names something other than a file or a folder,
    raises ICPLoadError.
    """
    files: dict[Path, IcpFile] = {}
    skipped: list[str] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for found in _walk(path, skipped):
                files.setdefault(found.real, found)
        elif path.is_file():
            real = path.resolve()
            files.setdefault(real, IcpFile(path, real, real.parent))
        elif path.exists():
            raise ICPLoadError(f"{raw} is not a regular file or a folder", filename=str(raw))
        else:
            raise ICPLoadError(f"no such file or folder: {raw}", filename=str(raw))
    return Found(list(files.values()), skipped)


def _walk(folder: Path, skipped: list[str]) -> list[IcpFile]:
    root = folder.resolve()
    found: list[IcpFile] = []
    for current, folders, names in os.walk(folder):  # never descends into linked folders
        folders[:] = sorted(f for f in folders if not _skipped_folder(f))
        for name in sorted(names):
            if not name.endswith(".icp"):
                continue
            path = Path(current, name)
            reason = _why_skipped(path, root)
            if reason is not None:
                skipped.append(f"skipped {path}: {reason}")
            else:
                found.append(IcpFile(path, path.resolve(), folder))
    return sorted(found, key=lambda file: file.path)


def _skipped_folder(name: str) -> bool:
    return name.startswith(".") or name in SKIPPED_FOLDERS


def _why_skipped(path: Path, root: Path) -> str | None:
    """Why `path` is not read: a link out of the folder, not a regular file; else None."""
    try:
        real = path.resolve(strict=True)
        mode = os.stat(real).st_mode
    except (OSError, RuntimeError):  # a dangling link, a link loop
        return "a broken symbolic link"
    if path.is_symlink() and not real.is_relative_to(root):
        return f"a symbolic link to {real}, outside {root}"
    if not stat.S_ISREG(mode):
        return "not a regular file"
    return None
