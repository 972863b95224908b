"""A real LSP client (pygls') that starts `icp lsp` as a subprocess and talks to it over
stdio, as an editor does; the tests drive it synchronously."""

from __future__ import annotations

import asyncio
import os
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

from lsprotocol import types
from pygls.lsp.client import LanguageClient

T = TypeVar("T")
TIMEOUT = 30.0


def icp_command() -> list[str]:
    """The `icp` of the environment running the tests."""
    script = Path(sys.executable).parent / "icp"
    base = [str(script)] if script.exists() else [sys.executable, "-m", "icpdsl"]
    log = os.environ.get("ICP_LSP_LOG")  # a file for the server's debug log, when set
    return [*base, "lsp", *(["--log-file", log, "--log-level", "debug"] if log else [])]


class Session:
    """One server process and the client talking to it."""

    def __init__(self, root: Path, options: dict[str, Any] | None = None) -> None:
        self.root = root
        self.loop = asyncio.new_event_loop()
        self.client = LanguageClient("icp-tests", "1")
        self.diagnostics: dict[str, types.PublishDiagnosticsParams] = {}
        #: Every publication with when it arrived (time.perf_counter()), in order.
        self.published: list[tuple[float, types.PublishDiagnosticsParams]] = []
        self.messages: list[str] = []
        self.lens_refreshes = 0
        self._changed = asyncio.Event()
        self.versions: dict[str, int] = {}
        self._listen()
        command = icp_command()
        self.run(self.client.start_io(command[0], *command[1:], cwd=str(root)))
        self.run(
            self.client.initialize_async(
                types.InitializeParams(
                    capabilities=_capabilities(),
                    root_uri=root.as_uri(),
                    initialization_options=options,
                )
            )
        )
        self.client.initialized(types.InitializedParams())

    def _listen(self) -> None:
        client = self.client

        @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def published(params: types.PublishDiagnosticsParams) -> None:
            self.diagnostics[params.uri] = params
            self.published.append((time.perf_counter(), params))
            self._changed.set()

        @client.feature(types.WINDOW_SHOW_MESSAGE)
        def shown(params: types.ShowMessageParams) -> None:
            self.messages.append(params.message)

        @client.feature(types.WORKSPACE_CODE_LENS_REFRESH)
        def refresh(params: None) -> None:
            self.lens_refreshes += 1

    def run(self, awaitable: Awaitable[T]) -> T:
        return self.loop.run_until_complete(asyncio.wait_for(awaitable, TIMEOUT))

    # ------------------------------------------------------------------ documents
    def open(self, path: Path, text: str | None = None) -> str:
        """Open a file (with `text` instead of what is on disk); an open one changes."""
        uri = path.as_uri()
        content = path.read_text(encoding="utf-8") if text is None else text
        if uri in self.versions:
            self.change(uri, content)
            return uri
        self.versions[uri] = 1
        self.client.text_document_did_open(
            types.DidOpenTextDocumentParams(types.TextDocumentItem(uri, "icp", 1, content))
        )
        return uri

    def change(self, uri: str, text: str) -> int:
        """Replace the whole text; returns the new version."""
        self.versions[uri] += 1
        version = self.versions[uri]
        self.client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                types.VersionedTextDocumentIdentifier(version=version, uri=uri),
                [types.TextDocumentContentChangeWholeDocument(text=text)],
            )
        )
        return version

    def wait_for(
        self,
        uri: str,
        done: Callable[[list[types.Diagnostic]], bool] = lambda _: True,
    ) -> list[types.Diagnostic]:
        """The diagnostics of the newest version once they satisfy `done`."""

        async def wait() -> list[types.Diagnostic]:
            while True:
                found = self.diagnostics.get(uri)
                current = found is not None and found.version == self.versions[uri]
                if found is not None and current and done(list(found.diagnostics)):
                    return list(found.diagnostics)
                self._changed.clear()
                await self._changed.wait()

        return self.run(wait())

    def close(self) -> None:
        self.run(self.client.shutdown_async(None))
        self.client.exit(None)
        self.run(self.client.stop())
        self.loop.close()


def _capabilities() -> types.ClientCapabilities:
    return types.ClientCapabilities(
        text_document=types.TextDocumentClientCapabilities(
            publish_diagnostics=types.PublishDiagnosticsClientCapabilities(version_support=True),
            hover=types.HoverClientCapabilities(content_format=[types.MarkupKind.Markdown]),
            code_action=types.CodeActionClientCapabilities(
                code_action_literal_support=types.ClientCodeActionLiteralOptions(
                    code_action_kind=types.ClientCodeActionKindOptions(
                        value_set=[types.CodeActionKind.QuickFix]
                    )
                )
            ),
            document_symbol=types.DocumentSymbolClientCapabilities(
                hierarchical_document_symbol_support=True
            ),
        ),
        workspace=types.WorkspaceClientCapabilities(
            code_lens=types.CodeLensWorkspaceClientCapabilities(refresh_support=True)
        ),
    )


def apply(text: str, edits: list[types.TextEdit]) -> str:
    """`text` with LSP edits made (ASCII text: characters are UTF-16 units)."""
    lines = text.split("\n")
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)

    def offset(position: types.Position) -> int:
        if position.line >= len(lines):
            return len(text)
        return min(offsets[position.line] + position.character, len(text))

    for edit in sorted(edits, key=lambda e: offset(e.range.start), reverse=True):
        text = text[: offset(edit.range.start)] + edit.new_text + text[offset(edit.range.end) :]
    return text
