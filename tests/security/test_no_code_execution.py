"""No code execution: the package never evals, unpickles or imports what a user names,
opens no network connection, and record lookups never reach Python internals.

The scan reads every module of the package with `ast`; each exception to a rule is listed
below with the reason it is safe, and the scanner is itself tested on bad code.
"""

from __future__ import annotations

import ast
import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest

import icpdsl

PACKAGE = Path(icpdsl.__file__).resolve().parent

#: Builtins that run or load code given as data.
CODE_BUILTINS = frozenset({"eval", "exec", "compile", "__import__", "breakpoint", "input"})
#: Modules that deserialize code, spawn processes or talk to the network.
FORBIDDEN_MODULES = frozenset(
    {
        "pickle", "cPickle", "_pickle", "marshal", "shelve", "dill", "cloudpickle", "joblib",
        "subprocess", "pty", "code", "codeop", "ctypes", "multiprocessing",
        "socket", "ssl", "urllib", "http", "ftplib", "smtplib", "telnetlib", "xmlrpc",
        "requests", "httpx", "aiohttp", "webbrowser",
    }
)  # fmt: skip
#: `module.function` calls that run commands or unsafe loaders.
FORBIDDEN_CALLS = frozenset(
    {"os.system", "os.popen", "os.fork", "os.startfile", "yaml.load", "yaml.unsafe_load"}
)
FORBIDDEN_PREFIXES = ("os.exec", "os.spawn", "os.posix_spawn")
#: Calls that reach a named attribute or module; safe only with a constant name.
DYNAMIC_NAME_CALLS = frozenset(
    {"getattr", "setattr", "delattr", "importlib.import_module", "import_module"}
)

#: (module, function, call) → why it is safe.  Anything else the scan finds fails.
ALLOWED = {
    ("compile/python.py", "build_functions", "compile"): (
        "compiles generated source that holds generated names only; every ICP value is a "
        "namespace constant (tests/security/test_compiled_source.py checks the source)"
    ),
    ("compile/python.py", "build_functions", "exec"): "runs the source compiled just above",
    ("cli/__init__.py", "build_parser", "importlib.import_module"): (
        "imports icpdsl.cli.<name>_cmd for names from the COMMANDS constant"
    ),
    ("cli/diff_cmd.py", "<module>", "subprocess"): (
        "`icp diff REV:path` runs `git show` (an argument list, no shell) on a spec the "
        "command-line user typed; the library itself never starts a process"
    ),
    ("serve/server.py", "<module>", "socket"): (
        "`icp serve` listens on 127.0.0.1 (unless --host) for its own page; it never "
        "connects anywhere (docs/playground.md: token, Host and Origin checks)"
    ),
    ("serve/server.py", "<module>", "http.server"): "the `icp serve` playground's HTTP server",
    ("batch/parallel.py", "chunks_in_processes", "multiprocessing"): (
        "`icp eval --jobs N` scores chunks of rows in worker processes running icpdsl's own "
        "engine (forked, or started afresh), imported only then; no code from a profile or a "
        "record is run"
    ),
    ("cli/serve_cmd.py", "<module>", "webbrowser"): (
        "`icp serve` opens the playground's own URL in the user's browser (not with "
        "--no-browser, nor on a machine without a display)"
    ),
    ("visitor.py", "__init_subclass__", "getattr"): (
        "builds a pass's visit_<ClassName> table from the AST's own condition classes"
    ),
    ("incremental.py", "node", "getattr"): (
        "reads an AST node's own attrs fields (names from attrs.fields of the node's class) "
        "to move their spans after an edit"
    ),
    ("incremental.py", "_rebuilt", "getattr"): (
        "copies an AST node's own attrs fields (names from attrs.fields of its class)"
    ),
    ("records.py", "_read", "getattr"): (
        "reads a record's attribute named by a field path; names starting with '_' are "
        "refused first (test_record_lookups_never_reach_private_attributes)"
    ),
}


@dataclasses.dataclass(frozen=True)
class Finding:
    module: str
    line: int
    function: str
    call: str
    what: str

    def __str__(self) -> str:
        return f"icpdsl/{self.module}:{self.line} in {self.function}(): {self.what}"


def _dotted(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    return ""


class _Scanner(ast.NodeVisitor):
    def __init__(self, module: str) -> None:
        self.module = module
        self.function = "<module>"
        self.findings: list[Finding] = []
        self.constant_names: set[str] = set()  # loop variables over tuples of literals

    def _found(self, node: ast.AST, call: str, what: str) -> None:
        line = getattr(node, "lineno", 0)
        self.findings.append(Finding(self.module, line, self.function, call, what))

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        outer, self.function = self.function, node.name
        self.generic_visit(node)
        self.function = outer

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_For(self, node: ast.For) -> None:
        literals = isinstance(node.iter, (ast.Tuple, ast.List)) and all(
            isinstance(e, ast.Constant) and isinstance(e.value, str) for e in node.iter.elts
        )
        if literals and isinstance(node.target, ast.Name):
            self.constant_names.add(node.target.id)
            self.generic_visit(node)
            self.constant_names.discard(node.target.id)
        else:
            self.generic_visit(node)

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            if alias.name.split(".")[0] in FORBIDDEN_MODULES:
                self._found(node, alias.name, f"imports {alias.name}")

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.level == 0 and (node.module or "").split(".")[0] in FORBIDDEN_MODULES:
            self._found(node, node.module or "", f"imports from {node.module}")

    def visit_Call(self, node: ast.Call) -> None:
        name = _dotted(node.func)
        if name in CODE_BUILTINS | FORBIDDEN_CALLS or name.startswith(FORBIDDEN_PREFIXES):
            self._found(node, name, f"calls {name}()")
        elif name in DYNAMIC_NAME_CALLS and not _visitor_dispatch(node):
            index = 0 if "import" in name else 1
            argument = node.args[index] if len(node.args) > index else None
            constant = isinstance(argument, ast.Constant) and isinstance(argument.value, str)
            constant = constant or (
                isinstance(argument, ast.Name) and argument.id in self.constant_names
            )
            if not constant:
                self._found(node, name, f"calls {name}() with a computed name")
        self.generic_visit(node)


def _visitor_dispatch(node: ast.Call) -> bool:
    """`getattr(self, f"visit_{type(node).__name__}")`: a method named by a class name."""
    if _dotted(node.func) != "getattr" or len(node.args) < 2:
        return False
    target, name = node.args[0], node.args[1]
    if not (isinstance(target, ast.Name) and target.id == "self"):
        return False
    if not isinstance(name, ast.JoinedStr) or len(name.values) != 2:
        return False
    prefix, formatted = name.values
    return (
        isinstance(prefix, ast.Constant)
        and prefix.value == "visit_"
        and isinstance(formatted, ast.FormattedValue)
        and ast.unparse(formatted.value).startswith("type(")
        and ast.unparse(formatted.value).endswith(").__name__")
    )


def scan_source(source: str, module: str) -> list[Finding]:
    scanner = _Scanner(module)
    scanner.visit(ast.parse(source))
    return scanner.findings


def _modules() -> Iterator[Path]:
    yield from sorted(PACKAGE.rglob("*.py"))


def test_the_package_runs_no_code_it_is_given() -> None:
    unexpected = []
    for path in _modules():
        module = path.relative_to(PACKAGE).as_posix()
        for finding in scan_source(path.read_text(encoding="utf-8"), module):
            if (finding.module, finding.function, finding.call) not in ALLOWED:
                unexpected.append(str(finding))
    assert unexpected == [], "\n".join(unexpected)


def test_every_allowed_exception_still_exists() -> None:
    found = {
        (f.module, f.function, f.call)
        for path in _modules()
        for f in scan_source(path.read_text(encoding="utf-8"), path.relative_to(PACKAGE).as_posix())
    }
    stale = [key for key in ALLOWED if key not in found and (PACKAGE / key[0]).exists()]
    assert stale == [], f"remove these from ALLOWED: {stale}"


@pytest.mark.parametrize(
    ("source", "what"),
    [
        ("eval(text)", "calls eval()"),
        ("def f(t):\n    exec(t)", "calls exec()"),
        ("__import__(name)", "calls __import__()"),
        ("import pickle", "imports pickle"),
        ("from pickle import loads", "imports from pickle"),
        ("import urllib.request", "imports urllib.request"),
        ("import socket", "imports socket"),
        ("import subprocess", "imports subprocess"),
        ("os.system(cmd)", "calls os.system()"),
        ("os.execvp(a, b)", "calls os.execvp()"),
        ("yaml.load(text)", "calls yaml.load()"),
        ("importlib.import_module(name)", "calls importlib.import_module() with a computed name"),
        ("getattr(obj, field)", "calls getattr() with a computed name"),
        ("getattr(self, f'visit_{field}')", "calls getattr() with a computed name"),
        ("for f in fields:\n    getattr(rule, f)", "calls getattr() with a computed name"),
        ("for f in ('a', x):\n    getattr(rule, f)", "calls getattr() with a computed name"),
        ("getattr(record, f'visit_{type(x).__name__}')", "calls getattr() with a computed name"),
    ],
)
def test_the_scanner_catches(source: str, what: str) -> None:
    assert [f.what for f in scan_source(source, "x.py")] == [what]


@pytest.mark.parametrize(
    "source",
    [
        "re.compile(pattern)",
        "importlib.import_module('duckdb')",
        "getattr(node, 'condition', None)",
        "getattr(self, f'visit_{type(node).__name__}')",
        "for side in ('a', 'b'):\n    getattr(rule, side)",
        "from .records import get_field",
        "ast.literal_eval(text)",
    ],
)
def test_the_scanner_allows(source: str) -> None:
    assert scan_source(source, "x.py") == []


# ------------------------------------------------------------------ record lookups


class _Account:
    """A record object: its public attributes are fields; its internals are not."""

    secret = "do not show"

    def __init__(self) -> None:
        self.industry = "SaaS"
        self._token = "s3cr3t"


@pytest.mark.parametrize(
    "path",
    [
        "_token",
        "__class__",
        "__class__.__name__",
        "__init__.__globals__.__builtins__",
        "`__dict__`._token",
        "industry.__class__",
    ],
)
def test_record_lookups_never_reach_private_attributes(path: str) -> None:
    profile = icpdsl.loads(f"{path} is known").profile
    result = profile.evaluate(_Account())
    assert result.verdict.value == "not_fit"
    assert result.rules[0].reason.endswith("is missing")


def test_public_attributes_and_underscore_keys_of_mappings_are_fields() -> None:
    assert icpdsl.loads("industry == SaaS").profile.evaluate(_Account()).verdict.value == "fit"
    doc = icpdsl.loads("_id is known")
    assert doc.profile.evaluate({"_id": 7}).verdict.value == "fit"


def test_loading_and_evaluating_needs_no_network_or_subprocess(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import socket
    import subprocess

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("icpdsl tried to open a connection or a process")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(subprocess, "Popen", refuse)
    doc = icpdsl.load(PACKAGE.parent / "examples" / "security.icp")
    for profile in doc.profiles.values():
        profile.evaluate({"industry": "SaaS", "employees": 500}).explain()
