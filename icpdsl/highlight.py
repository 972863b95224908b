"""The Pygments lexer for ICP files, registered as `icp` (pygmentize, Sphinx, MkDocs).

Needs the `docs` extra (Pygments); nothing else in icpdsl imports this module.  The
grammar's lexer is contextual (a field may be called `tier`), so the statement keywords
are recognised by the shape that follows them, and `fields { }` and `examples { }`
blocks get states of their own: type names and verdicts are coloured only there.
"""

from __future__ import annotations

from typing import ClassVar

from pygments.lexer import RegexLexer, bygroups, include, words
from pygments.token import (
    Comment,
    Keyword,
    Literal,
    Name,
    Number,
    Operator,
    Punctuation,
    String,
    Whitespace,
)

from .schema import TYPE_NAMES

#: Patterns shared with grammar.lark's terminals.
NAME = r"[A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)*"
NUMBER = r"-?\$?\d[\d_]*(?:\.\d+)?(?:[kKmMbB]|bn|mn)?%?(?![A-Za-z0-9_])"
DATE = r"\d{4}-\d{2}-\d{2}(?![A-Za-z0-9_])"
UNIT = r"(?:years?|months?|weeks?|days?)\b"
_END = r"(?![A-Za-z0-9_-])"  # a keyword is a whole word, not the start of a longer name

TYPES = (*TYPE_NAMES, "record")
OPERATOR_WORDS = ("and", "or", "not", "in", "has", "any", "all", "none", "is", "missing",
                  "known", "within")  # fmt: skip
VERDICTS = ("fit", "not_fit", "disqualified", "unknown")


class ICPLexer(RegexLexer):
    """Ideal Customer Profile rules (icpdsl): profiles, rules, fields and examples."""

    name = "ICP"
    aliases: ClassVar[list[str]] = ["icp"]
    filenames: ClassVar[list[str]] = ["*.icp"]
    mimetypes: ClassVar[list[str]] = ["text/x-icp"]

    tokens = {  # noqa: RUF012 - the table RegexLexer compiles, as every Pygments lexer has
        "root": [
            include("space"),
            (r"(fields)(\s*)(\{)", bygroups(Keyword.Declaration, Whitespace, Punctuation),
             "fields"),
            (r"(examples)(\s*)(\{)", bygroups(Keyword.Declaration, Whitespace, Punctuation),
             "examples"),
            (r"(profile)(\s+)", bygroups(Keyword.Declaration, Whitespace)),
            (rf"(as)(\s+)(of)(\s+)({DATE})",
             bygroups(Keyword.Declaration, Whitespace, Keyword.Declaration, Whitespace,
                      Literal.Date)),
            (r"(extends)(\s+)(?=[\"'])", bygroups(Keyword.Declaration, Whitespace)),
            (r"(import)(\s+)(?=[\"'])", bygroups(Keyword.Namespace, Whitespace)),
            (rf"(define)(\s+)({NAME})", bygroups(Keyword.Declaration, Whitespace, Name.Function)),
            (rf"(tier)(\s+)({NAME})(?=\s+(?:if|otherwise){_END})",
             bygroups(Keyword, Whitespace, Name.Label)),
            (r"(tier)(\s+)(?=[\"'])", bygroups(Keyword, Whitespace)),
            (rf"(disqualify)(\s+)(if){_END}", bygroups(Keyword, Whitespace, Keyword)),
            (rf"([+-]\d+(?:\.\d+)?)(\s+)(if){_END}", bygroups(Number, Whitespace, Keyword)),
            (r"[+-]\d+(?:\.\d+)?", Number),  # points still being written
            (rf"(require|otherwise|if){_END}", Keyword),
            include("condition"),
        ],
        "space": [
            (r"[ \t\f\r\n]+", Whitespace),
            (r"\\[ \t]*\r?\n", Whitespace),  # a backslash continues the line
            (r"#[^\n]*", Comment.Single),
        ],
        "condition": [
            include("values"),
            (words(OPERATOR_WORDS, suffix=_END), Operator.Word),
            (r"==|!=|<=|>=|<|>|\.\.|=", Operator),
            (r"`[^`\n]+`", Name.Variable),
            (NAME, Name),
            (r"[{}\[\](),:;.]", Punctuation),
        ],
        "values": [
            (DATE, Literal.Date),
            (rf"({NUMBER})(\s+)({UNIT})", bygroups(Number, Whitespace, Name.Builtin)),
            (NUMBER, Number),
            (words(("true", "false", "null"), suffix=_END), Keyword.Constant),
            (r'"', String.Double, "double-quoted"),
            (r"'", String.Single, "single-quoted"),
        ],
        "double-quoted": [
            (r'[^"\\\n]+', String.Double),
            (r"\\.", String.Escape),
            (r'"', String.Double, "#pop"),
            (r"\n", Whitespace, "#pop"),  # unterminated: `icp check` reports it
        ],
        "single-quoted": [
            (r"[^'\\\n]+", String.Single),
            (r"\\.", String.Escape),
            (r"'", String.Single, "#pop"),
            (r"\n", Whitespace, "#pop"),
        ],
        # `fields { name: type [from "Column"] }`, with `{ ... }` record types inside.
        "fields": [
            include("space"),
            (r"\{", Punctuation, "#push"),
            (r"\}", Punctuation, "#pop"),
            (rf"({NAME})(\s*)(:)", bygroups(Name.Attribute, Whitespace, Punctuation)),
            (rf"(from){_END}", Keyword),
            (words(TYPES, suffix=_END), Keyword.Type),
            include("condition"),
        ],
        # `examples { fit "name" { field: value } because field score 10 tier A }`
        "examples": [
            include("space"),
            (r"\{", Punctuation, "record"),
            (r"\}", Punctuation, "#pop"),
            (words(VERDICTS, suffix=_END), Name.Constant),
            (rf"(tier)(\s+)({NAME})", bygroups(Keyword, Whitespace, Name.Label)),
            (rf"(because|score|tier){_END}", Keyword),
            include("condition"),
        ],
        "record": [
            include("space"),
            (r"\{", Punctuation, "#push"),
            (r"\}", Punctuation, "#pop"),
            (rf"({NAME}|`[^`\n]+`)(\s*)(:)", bygroups(Name.Attribute, Whitespace, Punctuation)),
            (r"(\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*')(\s*)(:)",
             bygroups(Name.Attribute, Whitespace, Punctuation)),
            include("condition"),
        ],
    }  # fmt: skip
