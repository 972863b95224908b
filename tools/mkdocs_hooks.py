"""MkDocs hooks for the documentation site: ICP code highlighted by icpdsl's own lexer.

- The test suite's fence markers (```icp-error, ```icp as-written, ...) become plain
  ```icp, so the site highlights them as ICP.
- A fence whose language Pygments does not know is a warning, which `mkdocs build
  --strict` turns into a failure: a misspelt language never ships unhighlighted.
- The Pygments stylesheet is written beside the pages (css/pygments.css).
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

log = logging.getLogger("mkdocs.plugins.icpdsl")

FENCE = re.compile(r"^(?P<indent> {0,3})```(?P<lang>[\w+-]*)(?P<rest>[^\n`]*)$", re.MULTILINE)
#: The test suite's kinds of ICP block (tests/test_docs.py), all highlighted as ICP.
ICP_KINDS = frozenset({"icp", "icp-error", "icp-formatted", "icp-unformatted"})
PLAIN = frozenset({"", "text"})
STYLESHEET = "css/pygments.css"


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    inside = False

    def fence(match: re.Match[str]) -> str:
        nonlocal inside
        inside = not inside
        if not inside:  # a closing fence
            return match.group(0)
        lang = match.group("lang")
        if lang in ICP_KINDS:
            return f"{match.group('indent')}```icp"
        if lang not in PLAIN:
            try:
                get_lexer_by_name(lang)
            except ClassNotFound:
                line = markdown.count("\n", 0, match.start()) + 1
                log.warning(f"{page.file.src_path}:{line}: no Pygments lexer for ```{lang}")
        return match.group(0)

    return FENCE.sub(fence, markdown)


def on_post_build(config: Any) -> None:
    css = HtmlFormatter(style="default").get_style_defs(".highlight")
    target = Path(config["site_dir"]) / STYLESHEET
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(css + "\n", encoding="utf-8")
