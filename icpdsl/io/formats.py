"""Which reader a data file needs: from its name, or from its first bytes."""

from __future__ import annotations

from pathlib import PurePath

from ..errors import ICPLoadError
from .encodings import BOMS, byte_order_mark

#: Input formats `open_records` reads.
FORMATS = ("csv", "jsonl", "json", "parquet")

_SUFFIXES = {
    ".csv": "csv",
    ".tsv": "csv",
    ".txt": "csv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",
    ".parquet": "parquet",
    ".pq": "parquet",
}
#: Compression read transparently, by suffix.
COMPRESSIONS = (".gz",)


def format_from_name(name: str) -> str | None:
    """`accounts.csv.gz` → `csv`; None when the name does not say."""
    path = PurePath(name)
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] in COMPRESSIONS:
        suffixes.pop()
    return _SUFFIXES.get(suffixes[-1]) if suffixes else None


def format_from_bytes(head: bytes) -> str:
    """Guess from the first bytes: Parquet's magic, a JSON array or object, else CSV.
    Text after a UTF-16 or UTF-32 byte-order mark is looked at as text."""
    if head.startswith(b"PAR1"):
        return "parquet"
    bom = byte_order_mark(head)
    if bom is not None:
        codec = dict(BOMS)[bom]
        text = head.decode(codec, "ignore").lstrip("\ufeff \t\r\n")
    else:
        text = head.decode("latin-1").lstrip(" \t\r\n")
    if text.startswith("["):
        return "json"
    if text.startswith("{"):
        return "jsonl"
    return "csv"


def check_format(name: str) -> str:
    """A format name as given by a user, checked."""
    if name not in FORMATS:
        raise ICPLoadError(f"unknown input format {name!r}", hint="formats: " + ", ".join(FORMATS))
    return name
