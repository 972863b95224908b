"""Lark's analysis of icpdsl's grammar, kept between processes.

Building the LALR parse tables takes about 0.15 s, at the start of every command that
parses a profile.  Lark can keep them in a file (its `cache` option) and read them back
in milliseconds.  It reads that file with pickle, so the file goes only in a folder this
user owns and nobody else can write: `$ICPDSL_CACHE_DIR`, else `$XDG_CACHE_HOME/icpdsl`,
else `~/.cache/icpdsl` (made with mode 0700); set to nothing, no file is kept.  The
file's name changes with the grammar, the parser's options and the Lark and Python
versions; Lark also checks the grammar's hash inside it and builds afresh from a file it
cannot read (and then writes it again in place).  A new file is written under a
temporary name and renamed when whole, so processes that start together never read
another's half-written file.  Without a home folder, or with a relative
`$XDG_CACHE_HOME`, nothing is made where the command runs.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
import sys
from collections.abc import Iterator
from typing import Any

#: Set to a folder for the file, or to nothing to keep none.
CACHE_VARIABLE = "ICPDSL_CACHE_DIR"


@contextlib.contextmanager
def lark_cache(grammar: str, options: dict[str, Any], lark_version: str) -> Iterator[str | bool]:
    """Lark's `cache` option for a parser of `grammar` with `options`, to pass while the
    parser is built in the block: the kept file (Lark reads it), a temporary name that
    becomes that file after the block (Lark writes it), or False (no safe place)."""
    path = cache_file(grammar, options, lark_version)
    if path is None:
        yield False
        return
    if os.path.exists(path):
        yield path
        return
    written = f"{path}.{os.getpid()}.tmp"
    try:
        yield written
        if os.path.exists(written):  # Lark could not write it: nothing to keep
            os.replace(written, path)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(written)


def cache_file(grammar: str, options: dict[str, Any], lark_version: str) -> str | None:
    """Where the analysis of `grammar` with `options` is kept, or None when there is no
    folder safe for it."""
    folder = cache_folder()
    if folder is None:
        return None
    # An object option (the transformer) is named by its class: its repr holds an address.
    named = sorted(
        (key, value if isinstance(value, (str, bool, int, list)) else type(value).__qualname__)
        for key, value in options.items()
    )
    versions = f"{lark_version} {sys.version_info[:2]}"
    digest = hashlib.sha256(f"{grammar}{named}{versions}".encode()).hexdigest()
    return os.path.join(folder, f"grammar-{digest[:20]}.lark")


def cache_folder() -> str | None:
    """The folder for kept files, made if need be; None when it is set to nothing, cannot
    be made, belongs to another user or others can write it."""
    configured = os.environ.get(CACHE_VARIABLE)
    if configured is not None and not configured.strip():
        return None
    if configured:
        folder = os.path.expanduser(configured)
        if not folder.startswith("~"):  # a `~` with no home stays relative, refused below
            folder = os.path.abspath(folder)
    else:
        base = os.environ.get("XDG_CACHE_HOME", "")
        if not os.path.isabs(base):  # unset, or relative (which the XDG spec ignores)
            base = os.path.expanduser(os.path.join("~", ".cache"))
        folder = os.path.join(base, "icpdsl")
    if not os.path.isabs(folder):
        return None  # no home to expand `~` into: never a `~` folder where the command runs
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
        status = os.stat(folder)
    except OSError:
        return None
    if hasattr(os, "getuid") and status.st_uid != os.getuid():
        return None  # another user's folder: a file planted there would run as this user
    if os.name == "posix" and status.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return None
    return folder
