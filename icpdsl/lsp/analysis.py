"""One version of one open file, analysed: its errors (as `icp check` finds them), the
loaded document, its syntax tree and the names of it and its imports; lint last.

Loading comes first because the errors are what a person waits for; the lint passes
(the contradiction analysis costs as much as loading on a large profile) run after, so
the server publishes errors as soon as they are known.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

import attrs

from .. import ast
from ..document import Document
from ..errors import Diagnostic, ICPError, ICPSyntaxError
from ..incremental import reparse
from ..lint import lint_document
from ..loader import loads
from ..parser import parse
from ..schema import Schema
from .index import Index, build_index
from .settings import Settings, load_schema


@attrs.frozen
class Target:
    """What to analyse: a file's text at one version, with its settings."""

    uri: str
    path: Path | None
    text: str
    version: int | None
    settings: Settings = attrs.field(factory=Settings)

    @property
    def filename(self) -> str:
        """The name diagnostics carry: the file's path, as `icp check FILE` names it."""
        return str(self.path) if self.path is not None else self.uri

    @property
    def folder(self) -> Path:
        """Where imports are resolved from and may not leave (`icp check FILE`'s root)."""
        return self.path.parent if self.path is not None else Path.cwd()


@attrs.frozen
class Analysis:
    """A Target with what is known about it: errors, then (when it loads) warnings."""

    target: Target
    errors: tuple[Diagnostic, ...]
    document: Document | None
    module: ast.Module | None
    index: Index
    #: Lint warnings; None until the lint stage ran (or when the file does not load).
    warnings: tuple[Diagnostic, ...] | None = None
    #: Problems with the settings (a schema that does not import), for the editor.
    notes: tuple[str, ...] = ()

    @property
    def diagnostics(self) -> list[Diagnostic]:
        """Everything found so far, sorted as `icp check` sorts it."""
        return sorted([*self.errors, *(self.warnings or ())], key=Diagnostic.sort_key)


def analyse(target: Target, previous: ast.Module | None = None) -> Analysis:
    """Load the file (errors, document, tree, names); lint is `with_warnings`' stage.
    `previous` is the file's last tree: an edit inside one statement is parsed alone."""
    notes = list(target.settings.problems)
    schema: Schema | None = None
    try:
        schema = load_schema(target.settings)
    except ICPError as error:
        notes.append(error.message)
    try:
        document: Document | None = loads(
            target.text, target.filename, root=target.folder, schema=schema, previous=previous
        )
        errors: list[Diagnostic] = []
    except ICPError as error:
        document, errors = None, sorted(error.diagnostics, key=Diagnostic.sort_key)
    if document is not None:
        module: ast.Module | None = document.modules[0]
    elif any(e.code == ICPSyntaxError.CODE and e.filename == target.filename for e in errors):
        module = None  # it does not parse: parsing it again (a whole file) would only fail
    else:
        module = _parsed(target, previous)
    modules = list(document.modules) if document is not None else _with_imports(module, target)
    imports = _imports(modules, target)
    index = build_index(modules, imports)
    return Analysis(target, tuple(errors), document, module, index, None, tuple(notes))


def with_warnings(analysis: Analysis) -> Analysis:
    """The analysis with its lint warnings (none for a file that does not load)."""
    warnings = lint_document(analysis.document) if analysis.document is not None else []
    return attrs.evolve(analysis, warnings=tuple(warnings))


def _parsed(target: Target, previous: ast.Module | None) -> ast.Module | None:
    """The file's tree when it parses but does not load (a type error, say)."""
    try:
        if previous is not None and previous.filename == target.filename:
            again = reparse(previous, target.text)
            if isinstance(again, ast.Module):
                return again
        return parse(target.text, target.filename)
    except ICPError:
        return None


def _with_imports(module: ast.Module | None, target: Target) -> list[ast.Module]:
    """The module and the modules it imports, read from disk (each parse cached until
    the file changes), for a file that does not load."""
    if module is None:
        return []
    modules, seen = [module], {target.filename}
    queue = [(module, target.folder)]
    while queue:
        current, folder = queue.pop()
        for item in current.items:
            if not isinstance(item, ast.Import):
                continue
            path = (folder / item.path).resolve()
            if str(path) in seen or not path.is_relative_to(target.folder):
                continue
            seen.add(str(path))
            imported = _parse_file(path)
            if imported is not None:
                modules.append(imported)
                queue.append((imported, path.parent))
    return modules


def _parse_file(path: Path) -> ast.Module | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return _parse_cached(path, stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=64)
def _parse_cached(path: Path, mtime: int, size: int) -> ast.Module | None:
    try:
        return parse(path.read_text(encoding="utf-8-sig"), str(path))
    except (OSError, UnicodeDecodeError, ICPError):
        return None


def _imports(modules: list[ast.Module], target: Target) -> dict[str, Path]:
    """Each `import "x"` as written → the file it names (relative to the importing file)."""
    found: dict[str, Path] = {}
    for module in modules:
        is_target = module.filename == target.filename
        folder = target.folder if is_target else Path(module.filename).parent
        for item in module.items:
            if isinstance(item, ast.Import):
                path = Path(os.path.normpath(folder / item.path))
                found.setdefault(item.path, path.resolve() if path.exists() else path)
    return found
