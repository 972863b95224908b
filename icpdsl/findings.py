"""All findings about ICP files: the errors that stop loading, then the lint warnings.

`check` never raises for a problem in the file itself; it returns every diagnostic,
sorted by location, so tools (`icp check`, editors, CI) can report them all at once.
"""

from __future__ import annotations

import os

from .document import Document
from .errors import Diagnostic, ICPError
from .lint import lint_document
from .loader import load, loads
from .schema import SchemaSource


def check(
    target: str | os.PathLike[str],
    *,
    filename: str = "<string>",
    schema: SchemaSource | None = None,
    root: str | os.PathLike[str] | None = None,
) -> list[Diagnostic]:
    """Errors and warnings for ICP text (a str, named `filename`) or an ICP file (a
    Path), never raised."""
    try:
        if isinstance(target, str):
            document: Document = loads(target, filename, schema=schema, root=root)
        else:
            document = load(target, schema=schema, root=root)
    except ICPError as error:
        return sorted(error.diagnostics, key=Diagnostic.sort_key)
    return lint_document(document)


def lint(target: Document | str | os.PathLike[str]) -> list[Diagnostic]:
    """Warnings for a loaded Document, ICP text, or the path of an ICP file.

    Errors are not warnings: a file that does not load raises as `load` does.
    """
    if isinstance(target, Document):
        document = target
    elif isinstance(target, str):
        document = loads(target)
    else:
        document = load(target)
    return lint_document(document)
