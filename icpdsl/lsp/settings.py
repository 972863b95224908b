"""Workspace settings: the editor's (initializationOptions, `icpdsl` configuration) over
the project's (`[tool.icpdsl]` in the nearest pyproject.toml), with paths made absolute.

    [tool.icpdsl]
    sample = "data/accounts.csv"   # verdict counts above each profile
    schema = "crm.models:Account"  # a Python schema: fields for checks and completion
    as-of = "2025-06-30"           # the date `within` and the examples count from
    sample-limit = 10000           # rows of the sample read at most
"""

from __future__ import annotations

import datetime
import functools
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

from ..schema import Schema
from .pyschema import read_schema

DEFAULT_SAMPLE_LIMIT = 10_000

#: Editor setting (camelCase, as VS Code writes them) → pyproject key (kebab-case).
EDITOR_KEYS = {
    "sample": "sample",
    "schema": "schema",
    "asOf": "as-of",
    "sampleLimit": "sample-limit",
}


@attrs.frozen
class Settings:
    """What the server reads from settings for one file."""

    sample: Path | None = None
    schema: str | None = None
    as_of: datetime.date | None = None
    sample_limit: int = DEFAULT_SAMPLE_LIMIT
    #: Where `schema`'s module is imported from (the project's folder).
    base: Path | None = None
    #: Settings that could not be read, said in words for the editor to show.
    problems: tuple[str, ...] = ()


def settings_for(file: Path | None, editor: Mapping[str, Any], root: Path | None) -> Settings:
    """The settings for `file`: each editor setting, else its pyproject.toml value."""
    project = _project_settings(file.parent if file else root, root)
    values: dict[str, Any] = {}
    problems: list[str] = []
    for key, toml_key in EDITOR_KEYS.items():
        if editor.get(key) not in (None, ""):
            values[key] = (editor[key], root or (file.parent if file else Path.cwd()))
        elif project is not None and toml_key in project.values:
            values[key] = (project.values[toml_key], project.folder)
    sample = _path(values.get("sample"), problems)
    schema = values.get("schema")
    return Settings(
        sample=sample,
        schema=str(schema[0]) if schema else None,
        as_of=_date(values.get("asOf"), problems),
        sample_limit=_limit(values.get("sampleLimit"), problems),
        base=schema[1] if schema else None,
        problems=tuple(problems) + (project.problems if project else ()),
    )


@attrs.frozen
class _Project:
    folder: Path
    values: Mapping[str, Any]
    problems: tuple[str, ...] = ()


def _project_settings(start: Path | None, root: Path | None) -> _Project | None:
    """`[tool.icpdsl]` of the nearest pyproject.toml at or above `start` (not above
    `root`)."""
    if start is None:
        return None
    for folder in [start, *start.parents]:
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            try:
                mtime = candidate.stat().st_mtime_ns
            except OSError:
                return None
            return _read_pyproject(candidate, mtime)
        if root is not None and folder == root:
            return None
    return None


@functools.lru_cache(maxsize=16)
def _read_pyproject(path: Path, mtime: int) -> _Project:
    """One pyproject.toml's `[tool.icpdsl]` table (cached until the file changes)."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        return _Project(path.parent, {}, (f"{path}: {error}",))
    table = data.get("tool", {}).get("icpdsl", {})
    if not isinstance(table, dict):
        return _Project(path.parent, {}, (f"{path}: [tool.icpdsl] is not a table",))
    values = {key.replace("_", "-"): value for key, value in table.items()}
    return _Project(path.parent, values)


def _path(value: tuple[Any, Path] | None, problems: list[str]) -> Path | None:
    if value is None:
        return None
    raw, folder = value
    if not isinstance(raw, str):
        problems.append(f"sample: expected a file name, got {raw!r}")
        return None
    return (folder / Path(raw).expanduser()).resolve()


def _date(value: tuple[Any, Path] | None, problems: list[str]) -> datetime.date | None:
    if value is None:
        return None
    raw = value[0]
    if isinstance(raw, datetime.date):
        return raw
    try:
        return datetime.date.fromisoformat(str(raw))
    except ValueError:
        problems.append(f"as-of: not a date (YYYY-MM-DD): {raw!r}")
        return None


def _limit(value: tuple[Any, Path] | None, problems: list[str]) -> int:
    if value is None:
        return DEFAULT_SAMPLE_LIMIT
    raw = value[0]
    if isinstance(raw, int) and not isinstance(raw, bool) and raw > 0:
        return raw
    problems.append(f"sample-limit: expected a positive whole number, got {raw!r}")
    return DEFAULT_SAMPLE_LIMIT


def load_schema(settings: Settings) -> Schema | None:
    """The Python schema named `module:Class`, read from its source in the project's
    folder (icpdsl.lsp.pyschema: the project's code is never run); ICPError if not."""
    if settings.schema is None:
        return None
    return read_schema(settings.schema, settings.base or Path.cwd())
