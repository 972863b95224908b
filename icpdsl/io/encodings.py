"""Which text encoding a data file is in: byte-order marks, checks that a named encoding
reads the file's lines as lines, and hints naming what a non-UTF-8 file most likely is.

The rules, in order:

1. A byte-order mark decides: UTF-8, UTF-16 (LE/BE) and UTF-32 (LE/BE) files that start
   with one are read as that, whatever the default.  Naming another encoding for such a
   file is refused, since it would read the mark and every other byte as text.
2. Without a mark the encoding is UTF-8, or the one named (`--encoding`).
3. No encoding may change where lines end: UTF-16 text without a mark (recognised by
   its NUL bytes) is refused under an 8-bit encoding, an encoding that reads the file's
   line-break bytes as something else is refused, and UTF-16 named for a file without
   NUL bytes is refused.  So no choice of encoding turns one record into several.
"""

from __future__ import annotations

import codecs
import re
import sys

from ..errors import ICPLoadError

#: Byte-order marks, longest first (UTF-32 LE starts with UTF-16 LE's mark).
BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_BOM_NAMES = {
    codecs.BOM_UTF32_LE: "UTF-32 LE",
    codecs.BOM_UTF32_BE: "UTF-32 BE",
    codecs.BOM_UTF8: "UTF-8",
    codecs.BOM_UTF16_LE: "UTF-16 LE",
    codecs.BOM_UTF16_BE: "UTF-16 BE",
}
#: Encodings a byte-order mark of each kind agrees with (by codecs' canonical name).
_AGREES = {
    "UTF-8": {"utf-8", "utf-8-sig"},
    "UTF-16 LE": {"utf-16", "utf-16-le"},
    "UTF-16 BE": {"utf-16", "utf-16-be"},
    "UTF-32 LE": {"utf-32", "utf-32-le"},
    "UTF-32 BE": {"utf-32", "utf-32-be"},
}
_WIDE = ("utf-16", "utf-32")


def byte_order_mark(head: bytes) -> bytes | None:
    """The byte-order mark `head` starts with, if any."""
    return next((bom for bom, _ in BOMS if head.startswith(bom)), None)


def choose_encoding(named: str | None, head: bytes, filename: str) -> str:
    """The codec to read a file with, from the encoding `named` (None: the default) and
    the file's first bytes; ICPLoadError when that choice would misread its lines."""
    codec = _codec(named, filename) if named else None
    bom = byte_order_mark(head)
    if bom is not None:
        kind = _BOM_NAMES[bom]
        if codec is not None and codec not in _AGREES[kind]:
            raise ICPLoadError(
                f"the file starts with a {kind} byte-order mark: it is {kind} text, not {named}",
                filename=filename,
                hint="leave out --encoding: the byte-order mark is honoured",
            )
        return dict(BOMS)[bom]
    codec = codec or "utf-8"
    wide = _utf16_pattern(head)
    if codec.startswith(_WIDE):
        if codec.startswith("utf-16") and b"\0" not in head and head:
            raise ICPLoadError(
                f"not {named} text: it has no NUL bytes, which every line of UTF-16 has",
                filename=filename,
                hint="leave out --encoding to read UTF-8",
            )
        order = {"utf-16": f"utf-16-{sys.byteorder[0]}e"}.get(codec, codec)
        if wide is not None and order.startswith("utf-16") and wide != order:
            raise ICPLoadError(  # the other byte order: no line would end where it does
                f"the file looks like {wide.upper()} text, not {order.upper()}",
                filename=filename,
                hint=f"name its byte order: --encoding {wide}",
            )
        return codec
    if wide is not None:
        raise ICPLoadError(
            f"the file looks like {wide.upper()} text without a byte-order mark "
            "(every other byte is NUL), not " + (f"{named}" if named else "UTF-8"),
            filename=filename,
            hint=f"name its encoding: --encoding {wide}",
        )
    _check_line_breaks(codec, head, named or codec, filename)
    return codec


def _codec(named: str, filename: str) -> str:
    try:
        info = codecs.lookup(named)
    except LookupError:
        raise ICPLoadError(
            f"unknown text encoding {named!r}",
            filename=filename,
            hint="for example utf-8, utf-16, cp1252, latin-1",
        ) from None
    if not getattr(info, "_is_text_encoding", True):
        raise ICPLoadError(f"{named!r} is not a text encoding", filename=filename)
    return info.name


def _utf16_pattern(head: bytes) -> str | None:
    """`utf-16-le` or `utf-16-be` when NUL bytes sit at every other position, as in
    UTF-16 text that is mostly ASCII; else None."""
    sample = head[: len(head) - len(head) % 2]
    if len(sample) < 4:
        return None
    pairs = len(sample) // 2
    odd = sample[1::2].count(0)
    even = sample[0::2].count(0)
    if odd >= pairs * 0.3 and even <= pairs * 0.05:
        return "utf-16-le"
    if even >= pairs * 0.3 and odd <= pairs * 0.05:
        return "utf-16-be"
    return None


def _check_line_breaks(codec: str, head: bytes, named: str, filename: str) -> None:
    """Refuse an encoding that reads the file's line-break bytes as something else (or
    other bytes as line breaks): records would be split in other places."""
    text = codecs.getincrementaldecoder(codec)("replace").decode(head, final=False)
    for byte, char in ((b"\n", "\n"), (b"\r", "\r")):
        count = head.count(byte)
        if count and count != text.count(char):
            raise ICPLoadError(
                f"{named} reads this file's line breaks as other characters",
                filename=filename,
                hint="leave out --encoding, or name the file's real encoding",
            )


def likely_encodings(data: bytes) -> list[str]:
    """What bytes that are not UTF-8 most likely are, most likely first."""
    wide = _utf16_pattern(data)
    if wide is not None:
        return [wide]
    high = [b for b in data if b >= 0x80]
    if any(0x80 <= b <= 0x9F for b in high):
        return ["cp1252"]  # latin-1 reads these as invisible control characters
    return ["cp1252", "latin-1"]


def undecoded(encoding: str, byte: str) -> str:
    """The error of a row with a byte its encoding cannot read (`byte` in hex)."""
    return f"not {encoding.removesuffix('-sig').upper()} text (byte 0x{byte})"


def is_undecoded(error: str | None) -> bool:
    """Whether a row's error is `undecoded`'s: the file is likely in another encoding."""
    return error is not None and _UNDECODED.fullmatch(error) is not None


_UNDECODED = re.compile(r"not \S+ text \(byte 0x[0-9a-f]{2}\)")


def encoding_hint(data: bytes) -> str:
    """A hint for text that is not in the encoding it was read with."""
    names = likely_encodings(data)
    if names[0].startswith("utf-16"):
        return f"it looks like {names[0].upper()}: --encoding {names[0]}"
    if len(names) == 1:
        return (
            "most likely cp1252 (Windows; bytes 0x80-0x9f are its quotes, dashes and €): "
            "re-save it as UTF-8, or --encoding cp1252"
        )
    return (
        "most likely cp1252 (Windows) or latin-1, which read these bytes alike: "
        "re-save it as UTF-8, or --encoding cp1252"
    )
