"""The language server: pygls wiring, the analysis schedule, settings, and one thin
handler per LSP request (the features are the sibling modules).

Analysis runs in a worker thread, one file version at a time, so requests are answered
while a large file is checked.  Only the newest version of a file is analysed: versions
that arrive while one is being checked are skipped, a stale version's lint stage is not
run, and nothing stale is published.  Errors are published as soon as the file is
loaded; lint warnings follow.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import attrs
from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from .. import __version__
from ..errors import ICPError
from .actions import code_actions
from .analysis import Analysis, Target, analyse, with_warnings
from .completion import completions
from .diagnostics import lsp_diagnostics
from .formatting import format_edits
from .hover import hover_text
from .lenses import Sample, code_lenses, read_sample
from .navigation import definition, references
from .outline import document_symbols, folding_ranges
from .positions import Lines
from .settings import Settings, settings_for

#: How long a request waits for the analysis of the text it is about.
WAIT_SECONDS = 5.0


@attrs.define
class FileState:
    """What the server knows about one open file."""

    #: The newest analysis (of the newest version, once it is done).
    analysis: Analysis | None = None
    #: The newest analysis that has a syntax tree: names while the text does not parse.
    named: Analysis | None = None
    task: asyncio.Task[None] | None = None
    changed: asyncio.Event = attrs.field(factory=asyncio.Event)
    #: Whether the diagnostics the editor shows now include errors.
    showing_errors: bool = False


class ICPServer(LanguageServer):
    """`icp lsp`: one server per editor session, speaking LSP over stdio."""

    def __init__(self) -> None:
        super().__init__("icp-lsp", __version__)
        self.files: dict[str, FileState] = {}
        self.editor_settings: dict[str, Any] = {}
        self.analysis_pool = ThreadPoolExecutor(1, thread_name_prefix="icp-analysis")
        self.request_pool = ThreadPoolExecutor(1, thread_name_prefix="icp-requests")
        self.shown: set[str] = set()

    # ------------------------------------------------------------------ files
    def path_of(self, uri: str) -> Path | None:
        path = to_fs_path(uri) if uri.startswith("file:") else None
        return Path(path) if path else None

    def root(self) -> Path | None:
        root = self.workspace.root_path
        return Path(root) if root else None

    def settings(self, uri: str) -> Settings:
        return settings_for(self.path_of(uri), self.editor_settings, self.root())

    def target(self, uri: str) -> Target:
        document = self.workspace.get_text_document(uri)
        return Target(uri, self.path_of(uri), document.source, document.version, self.settings(uri))

    def lines(self, text: str) -> Lines:
        return Lines(text, str(self.workspace.position_encoding or "utf-16"))

    def current_version(self, uri: str) -> int | None:
        return self.workspace.get_text_document(uri).version if uri in self.files else None

    # ------------------------------------------------------------------ analysis
    def schedule(self, uri: str) -> None:
        """Analyse the file's newest version (at once when idle, after the running one
        otherwise)."""
        state = self.files.setdefault(uri, FileState())
        if state.task is None or state.task.done():
            state.task = asyncio.ensure_future(self._analyse(uri, state))

    async def _analyse(self, uri: str, state: FileState) -> None:
        loop = asyncio.get_running_loop()
        while uri in self.files:
            target = self.target(uri)
            previous = state.named.module if state.named is not None else None
            analysis = await loop.run_in_executor(self.analysis_pool, analyse, target, previous)
            if self._store(uri, state, analysis):
                # Errors at once; a file that loads keeps its warnings shown until lint
                # has new ones, unless errors shown must go now.
                if analysis.document is None or state.showing_errors:
                    self._publish(analysis, state)
                if analysis.document is not None:
                    linted = await loop.run_in_executor(self.analysis_pool, with_warnings, analysis)
                    if self._store(uri, state, linted):
                        self._publish(linted, state)
                self._show_notes(analysis.notes)
            if self.current_version(uri) == target.version:
                return

    def _store(self, uri: str, state: FileState, analysis: Analysis) -> bool:
        """Keep an analysis; whether it is of the file's newest version (worth publishing)."""
        if uri not in self.files:
            return False
        state.analysis = analysis
        if analysis.module is not None:
            state.named = analysis
        state.changed.set()
        state.changed = asyncio.Event()
        return self.current_version(uri) == analysis.target.version

    def _publish(self, analysis: Analysis, state: FileState) -> None:
        state.showing_errors = bool(analysis.errors)
        lines = self.lines(analysis.target.text)
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(
                uri=analysis.target.uri,
                version=analysis.target.version,
                diagnostics=lsp_diagnostics(analysis, lines),
            )
        )

    def _show_notes(self, notes: tuple[str, ...]) -> None:
        for note in notes:
            if note not in self.shown:
                self.shown.add(note)
                self.window_show_message(
                    types.ShowMessageParams(type=types.MessageType.Warning, message=f"icp: {note}")
                )

    async def current(self, uri: str) -> Analysis | None:
        """The analysis of the file's current text (waiting for it a little)."""
        state = self.files.get(uri)
        if state is None:
            return None
        deadline = asyncio.get_running_loop().time() + WAIT_SECONDS
        while state.analysis is None or state.analysis.target.version != self.current_version(uri):
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                break
            try:
                await asyncio.wait_for(state.changed.wait(), remaining)
            except TimeoutError:
                break
        return state.analysis

    def newest_named(self, uri: str) -> Analysis | None:
        """The newest analysis with a syntax tree, without waiting: names for completion
        and quick fixes while a large file is being checked."""
        state = self.files.get(uri)
        return state.named if state is not None else None

    async def named(self, uri: str) -> Analysis | None:
        """The current analysis if it has a syntax tree, else the newest one that had."""
        analysis = await self.current(uri)
        if analysis is not None and analysis.module is not None:
            return analysis
        state = self.files.get(uri)
        return state.named if state is not None else None

    async def in_thread(self, function: Any, *args: Any) -> Any:
        """Run slow request work (formatting, the sample) off the protocol's thread."""
        return await asyncio.get_running_loop().run_in_executor(self.request_pool, function, *args)

    # ------------------------------------------------------------------ settings
    def use_settings(self, raw: Any) -> None:
        """Editor settings: `{"icpdsl": {...}}` or the section itself."""
        if isinstance(raw, dict):
            section = raw.get("icpdsl", raw)
            self.editor_settings = section if isinstance(section, dict) else {}

    def sample(self, settings: Settings) -> Sample | None:
        if settings.sample is None:
            return None
        try:
            return read_sample(settings.sample, settings.sample_limit)
        except ICPError as error:
            self._show_notes((error.message,))
            return None


server = ICPServer()


# ---------------------------------------------------------------------- lifecycle


@server.feature(types.INITIALIZE)
def initialize(ls: ICPServer, params: types.InitializeParams) -> None:
    ls.use_settings(params.initialization_options)


@server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
def did_change_configuration(ls: ICPServer, params: types.DidChangeConfigurationParams) -> None:
    ls.use_settings(params.settings)
    for uri in ls.files:
        ls.schedule(uri)
    refresh = ls.client_capabilities.workspace and ls.client_capabilities.workspace.code_lens
    if refresh and refresh.refresh_support:
        ls.workspace_code_lens_refresh(None)


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: ICPServer, params: types.DidOpenTextDocumentParams) -> None:
    ls.schedule(params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
def did_change(ls: ICPServer, params: types.DidChangeTextDocumentParams) -> None:
    ls.schedule(params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_SAVE)
def did_save(ls: ICPServer, params: types.DidSaveTextDocumentParams) -> None:
    for uri in ls.files:  # an imported file may have changed what the others find
        ls.schedule(uri)


@server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
def did_close(ls: ICPServer, params: types.DidCloseTextDocumentParams) -> None:
    uri = params.text_document.uri
    ls.files.pop(uri, None)
    ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))


# ---------------------------------------------------------------------- requests


def _at(ls: ICPServer, uri: str, position: types.Position) -> tuple[int, int]:
    lines = ls.lines(ls.workspace.get_text_document(uri).source)
    return lines.offset_column(position)


@server.feature(types.TEXT_DOCUMENT_HOVER)
async def hover(ls: ICPServer, params: types.HoverParams) -> types.Hover | None:
    uri = params.text_document.uri
    analysis = await ls.named(uri)
    if analysis is None:
        return None
    text = hover_text(analysis, *_at(ls, uri, params.position))
    if text is None:
        return None
    return types.Hover(types.MarkupContent(types.MarkupKind.Markdown, text))


@server.feature(
    types.TEXT_DOCUMENT_COMPLETION, types.CompletionOptions(trigger_characters=["[", '"', "`"])
)
async def complete(ls: ICPServer, params: types.CompletionParams) -> types.CompletionList | None:
    uri = params.text_document.uri
    analysis = ls.newest_named(uri) or await ls.named(uri)
    if analysis is None:
        return None
    lines = ls.lines(ls.workspace.get_text_document(uri).source)
    return completions(analysis, lines, params.position)


@server.feature(types.TEXT_DOCUMENT_DEFINITION)
async def go_to_definition(
    ls: ICPServer, params: types.DefinitionParams
) -> list[types.Location] | None:
    uri = params.text_document.uri
    analysis = await ls.named(uri)
    if analysis is None:
        return None
    lines = ls.lines(analysis.target.text)
    return definition(analysis, lines, *_at(ls, uri, params.position)) or None


@server.feature(types.TEXT_DOCUMENT_REFERENCES)
async def find_references(
    ls: ICPServer, params: types.ReferenceParams
) -> list[types.Location] | None:
    uri = params.text_document.uri
    analysis = await ls.named(uri)
    if analysis is None:
        return None
    lines = ls.lines(analysis.target.text)
    line, column = _at(ls, uri, params.position)
    found = references(analysis, lines, line, column, params.context.include_declaration)
    return found or None


@server.feature(types.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
async def symbols(
    ls: ICPServer, params: types.DocumentSymbolParams
) -> list[types.DocumentSymbol] | None:
    analysis = await ls.named(params.text_document.uri)
    if analysis is None or analysis.module is None:
        return None
    return document_symbols(analysis.module, ls.lines(analysis.target.text))


@server.feature(types.TEXT_DOCUMENT_FOLDING_RANGE)
async def folding(
    ls: ICPServer, params: types.FoldingRangeParams
) -> list[types.FoldingRange] | None:
    analysis = await ls.named(params.text_document.uri)
    if analysis is None or analysis.module is None:
        return None
    return folding_ranges(analysis.module)


@server.feature(types.TEXT_DOCUMENT_FORMATTING)
async def format_document(
    ls: ICPServer, params: types.DocumentFormattingParams
) -> list[types.TextEdit] | None:
    return await _format(ls, params.text_document.uri, None)


@server.feature(types.TEXT_DOCUMENT_RANGE_FORMATTING)
async def format_range(
    ls: ICPServer, params: types.DocumentRangeFormattingParams
) -> list[types.TextEdit] | None:
    return await _format(ls, params.text_document.uri, params.range)


async def _format(ls: ICPServer, uri: str, only: types.Range | None) -> list[types.TextEdit] | None:
    target = ls.target(uri)
    lines = ls.lines(target.text)
    edits: list[types.TextEdit] | None = await ls.in_thread(
        format_edits, target.text, target.filename, lines, only
    )
    return edits


@server.feature(
    types.TEXT_DOCUMENT_CODE_ACTION,
    types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]),
)
async def quick_fixes(ls: ICPServer, params: types.CodeActionParams) -> list[types.CodeAction]:
    uri = params.text_document.uri
    lines = ls.lines(ls.workspace.get_text_document(uri).source)
    return code_actions(uri, params.context.diagnostics, lines, ls.newest_named(uri))


@server.feature(types.TEXT_DOCUMENT_CODE_LENS)
async def lenses(ls: ICPServer, params: types.CodeLensParams) -> list[types.CodeLens] | None:
    uri = params.text_document.uri
    analysis = await ls.current(uri)
    if analysis is None or analysis.document is None:
        return None
    settings = ls.settings(uri)  # the newest: a changed sample setting shows at once

    def compute() -> list[types.CodeLens]:
        lines = ls.lines(analysis.target.text)
        return code_lenses(analysis, lines, ls.sample(settings), settings.as_of)

    found: list[types.CodeLens] = await ls.in_thread(compute)
    return found


def serve() -> None:
    """Speak LSP over standard input and output until the client says exit."""
    server.start_io()
