"""The playground's state and what each API call does to it, with no HTTP in sight.

One `Playground` holds the profile file it was opened on (the only file it ever writes),
the text as last edited, the last version of it that loaded, the accounts in memory and
their scores under that version and under the file on disk.
"""

from __future__ import annotations

import datetime
import hashlib
import os
import tempfile
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any, cast

from ..document import Document
from ..errors import Diagnostic, ICPError
from ..findings import check
from ..formatter import format as format_icp
from ..loader import loads
from ..testing import ExampleRun, run_examples
from ..validate.diff import diff_documents
from ..validate.diff_report import to_dict
from . import impact
from .accounts import Accounts
from .explanation import explain_account
from .scoreboard import SORTS, VERDICTS, Scoreboard, Sort, View

#: The text the editor starts with when `icp serve` is given no profile file.
STARTER = """\
# A scratch profile: `icp serve PROFILE.icp DATA` opens a file to edit and save.
profile "Scratch" {
  industry in [SaaS, "B2B Software"]
  employees 200..1000

  +10 if revenue >= $20M

  tier A if score >= 10
  tier B otherwise
}
"""

MAX_PAGE_SIZE = 500


class PlaygroundError(ICPError):
    """A request the playground refuses: an HTTP status, a message, and details (an
    ICPError, so one raised while starting is reported as `icp serve: message`)."""

    def __init__(self, status: int, message: str, **details: Any) -> None:
        super().__init__(message)
        self.status = status
        self.details = details


def digest(text: str) -> str:
    """What identifies a version of the file: the client sends it back when saving."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


class Playground:
    """The profile being edited, the accounts, and their scores; every call holds `lock`."""

    def __init__(
        self,
        path: Path | None,
        accounts: Accounts | None,
        *,
        as_of: datetime.date,
        profile_names: list[str] | None = None,
    ) -> None:
        self.lock = threading.Lock()
        self.display = str(path) if path is not None else "scratch.icp"
        #: Where Save writes: the file itself, through any symlink.
        self.target = path.resolve() if path is not None else None
        self.root = self.target.parent if self.target is not None else Path.cwd()
        self.accounts = accounts
        self.baselines = impact.Baselines(accounts, as_of) if accounts is not None else None
        self.as_of = as_of
        self.profile_names = profile_names
        self.disk_text = self._read_disk() if self.target is not None else STARTER
        self.disk = self._load_quietly(self.disk_text)
        self.baseline: Scoreboard | None = self._board(self.disk)
        self.document: Document | None = None
        self.board: Scoreboard | None = None
        self.problem: str | None = None
        self.loaded_text: str | None = None
        self.text = self.disk_text
        self._analyse(self.disk_text)

    # ------------------------------------------------------------------ loading

    def _read_disk(self) -> str:
        assert self.target is not None
        try:
            return self.target.read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            return ""
        except UnicodeDecodeError as error:
            raise PlaygroundError(
                409, f"{self.display} is not UTF-8 text (byte {error.start}): save it as UTF-8"
            ) from None
        except OSError as error:
            raise PlaygroundError(409, f"cannot read {self.display}: {error.strerror}") from None

    def _load_quietly(self, text: str) -> Document | None:
        try:
            return loads(text, self.display, root=self.root)
        except ICPError:
            return None

    def _board(self, document: Document | None) -> Scoreboard | None:
        if document is None or self.accounts is None:
            return None
        try:
            profiles = document.chosen(self.profile_names)
        except ICPError:
            return None
        board = Scoreboard(document, profiles, self.accounts, self.as_of)
        self._share_states(board)
        return board

    def _analyse(self, text: str) -> dict[str, Any]:
        """Check `text`; when it loads, run its examples and score the accounts with it."""
        self.text = text
        diagnostics = check(text, filename=self.display, root=self.root)
        out: dict[str, Any] = {"diagnostics": [_diagnostic(d, self.display) for d in diagnostics]}
        if any(d.severity == "error" for d in diagnostics):
            out["loaded"] = False
            return out
        document = loads(text, self.display, root=self.root)
        out["loaded"] = True
        out["examples"] = [_example(run) for run in run_examples(document, as_of=self.as_of)]
        try:
            profiles = document.chosen(self.profile_names)
        except ICPError as error:
            self.problem = str(error)
            return out
        self.problem = None
        self.loaded_text = text
        self.document = document
        self.board = None
        if self.accounts is not None:
            self.board = Scoreboard(document, profiles, self.accounts, self.as_of)
            self._share_states(self.board)
        return out

    def _share_states(self, board: Scoreboard) -> None:
        """Give the impact the table's scores: without what-ifs they are the file's."""
        if self.baselines is not None and self.accounts is not None and not self.accounts.edits:
            for index, name in enumerate(board.profiles):
                self.baselines.remember(board.document.profiles[name], board.column(index))

    # ------------------------------------------------------------------ calls

    def state(self) -> dict[str, Any]:
        """What the page needs to start: the file, its text, the data, the options."""
        accounts = self.accounts
        data = None
        if accounts is not None:
            data = {
                "name": accounts.name,
                "rows": len(accounts),
                "unreadable": accounts.unreadable,
                "columns": accounts.columns,
                "id_column": accounts.id_name,
                "warnings": accounts.warnings,
            }
        return {
            "file": self.display if self.target is not None else None,
            "text": self.text,
            "disk_text": self.disk_text,
            "base": digest(self.disk_text),
            "as_of": self.as_of.isoformat(),
            "profile_names": self.profile_names or [],
            "data": data,
            "verdicts": list(VERDICTS),
        }

    def edit(self, text: str, view: View) -> dict[str, Any]:
        """The edited text's diagnostics, examples, scores and impact."""
        out = self._analyse(text)
        out["scores"] = self.scores(view)
        out["impact"] = self.impact(1)
        return out

    def scores(self, view: View) -> dict[str, Any]:
        """The counts and one page of the table, from the last version that loaded."""
        out: dict[str, Any] = {"stale": self.text != self.loaded_text, "problem": self.problem}
        board = self.board
        if board is None:
            return out
        out["profiles"] = list(board.profiles)
        out["counts"] = board.counts()
        out.update(board.page(view, self.baseline))
        return out

    def explain(self, number: int) -> dict[str, Any]:
        """One account: its cells (with what-if edits) and its explanation per profile."""
        accounts, board = self._accounts(), self._scored()
        position = accounts.position(number)
        row = accounts.rows[position]
        record = accounts.record(position)
        out: dict[str, Any] = {
            "row": number,
            "id": accounts.ids[position],
            "where": f"row {number} of {accounts.name}",
            "cells": accounts.cells(position),
        }
        if record is None:
            return {**out, "error": f"{row.where} could not be read: {row.error}"}
        out["profiles"] = explain_account(board.document, board.profiles, record, self.as_of)
        return out

    def what_if(self, number: int, column: str, text: str) -> dict[str, Any]:
        """Set one cell of one account (in memory only) and explain it again."""
        accounts = self._accounts()
        position = accounts.position(number)
        accounts.edit(position, column, text)
        self._rescore(position)
        return self.explain(number)

    def reset(self, number: int | None) -> dict[str, Any]:
        """Drop the what-if cells of one account, or of all of them."""
        accounts = self._accounts()
        if number is None:
            positions = list(accounts.edits)
            accounts.reset()
        else:
            positions = [accounts.position(number)]
            accounts.reset(positions[0])
        for position in positions:
            self._rescore(position)
        return self.explain(number) if number is not None else {"reset": len(positions)}

    def _rescore(self, position: int) -> None:
        for board in (self.board, self.baseline):
            if board is not None:
                board.rescore(position)

    def impact(self, page: int) -> dict[str, Any]:
        """The edit against the file on disk: rule changes and, with data, accounts moved."""
        if self.disk is None:
            return {"baseline": None, "reason": f"{self.display} on disk does not load"}
        if self.document is None or self.problem is not None or self.text != self.loaded_text:
            return {"baseline": None, "reason": "the edited profile does not load"}
        if self.baselines is None:
            report = to_dict(diff_documents(self.disk, self.document))
        else:
            report = impact.measure(self.disk, self.document, self.baselines, page=page)
        return {"baseline": self.display, **report}

    def format(self, text: str) -> dict[str, Any]:
        """`icp fmt`'s layout of `text`; an error when it does not parse."""
        try:
            return {"text": format_icp(text, self.display)}
        except ICPError as error:
            diagnostics = [_diagnostic(d, self.display) for d in error.diagnostics]
            raise PlaygroundError(422, "cannot format: the text does not parse",
                                  diagnostics=diagnostics) from None  # fmt: skip

    def save(self, text: str, base: str, *, force: bool = False) -> dict[str, Any]:
        """Write `text`, formatted, to the file the playground was opened on, only when it
        loads without errors and the file has not changed since `base` (unless `force`)."""
        if self.target is None:
            raise PlaygroundError(409, "opened without a profile file: there is nothing to "
                                  "save to (start `icp serve PROFILE.icp`)")  # fmt: skip
        found = check(text, filename=self.display, root=self.root)
        errors = [_diagnostic(d, self.display) for d in found if d.severity == "error"]
        if errors:
            count = f"{len(errors)} error{'s' if len(errors) != 1 else ''}"
            raise PlaygroundError(422, f"not saved: the profile has {count}", diagnostics=errors)
        formatted = format_icp(text, self.display)
        if not force and digest(self._read_disk()) != base:
            raise PlaygroundError(409, f"not saved: {self.display} changed on disk since it "
                                  "was opened or saved here", conflict=True)  # fmt: skip
        try:
            _write_atomically(self.target, formatted)
        except OSError as error:
            raise PlaygroundError(500, f"not saved: cannot write {self.display}: "
                                  f"{error.strerror or error}") from None  # fmt: skip
        self.disk_text = formatted
        self.disk = self._load_quietly(formatted)
        self.baseline = self._board(self.disk)
        found = self._analyse(formatted)["diagnostics"]
        return {"text": formatted, "base": digest(formatted), "diagnostics": found}

    def revert(self) -> dict[str, Any]:
        """The file as it is on disk now (it may have been edited elsewhere)."""
        if self.target is not None:
            self.disk_text = self._read_disk()
            self.disk = self._load_quietly(self.disk_text)
            self.baseline = self._board(self.disk)
        return {"text": self.disk_text, "base": digest(self.disk_text)}

    def _accounts(self) -> Accounts:
        if self.accounts is None:
            raise PlaygroundError(409, "no accounts: start `icp serve PROFILE.icp DATA`")
        return self.accounts

    def _scored(self) -> Scoreboard:
        if self.board is None:
            raise PlaygroundError(409, "the profile has not loaded yet: fix its errors first")
        return self.board


# ---------------------------------------------------------------------- requests


def view_from(data: Mapping[str, Any]) -> View:
    """A View from the request's JSON, checked."""
    verdict = data.get("verdict") or ""
    if verdict not in ("", "error", *VERDICTS):
        raise PlaygroundError(400, f"unknown verdict {verdict!r}")
    sort = data.get("sort") or "row"
    if sort not in SORTS:
        raise PlaygroundError(400, f"unknown order {sort!r}; one of {', '.join(SORTS)}")
    search = data.get("search") or ""
    page, size = data.get("page", 1), data.get("size", 50)
    if not isinstance(search, str) or len(search) > 200:
        raise PlaygroundError(400, "search: text of at most 200 characters")
    if not _whole(page, 1, 10**9) or not _whole(size, 1, MAX_PAGE_SIZE):
        raise PlaygroundError(400, f"page from 1, size from 1 to {MAX_PAGE_SIZE}")
    return View(verdict, search, cast(Sort, sort), page, size)


def _whole(value: Any, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def _diagnostic(diagnostic: Diagnostic, filename: str) -> dict[str, Any]:
    """A diagnostic for the page; `here` when it is in the edited text (not an import)."""
    data = diagnostic.to_dict()
    data["here"] = diagnostic.filename == filename
    data["text"] = diagnostic.format()
    return data


def _example(run: ExampleRun) -> dict[str, Any]:
    return {
        "id": run.test_id,
        "profile": run.profile.name,
        "name": run.name,
        "line": run.line,
        "file": run.filename,
        "passed": run.passed,
        "failures": list(run.failures),
        "report": "" if run.passed else run.report(),
    }


def _write_atomically(path: Path, text: str) -> None:
    """Write beside the file and move over it: a crash never leaves half a profile."""
    try:
        mode = path.stat().st_mode & 0o777
    except FileNotFoundError:
        mode = 0o644
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise
