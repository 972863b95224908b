"""Loading: ICP text and files, with their imports, into a Document of bound profiles.

Parses each file, follows `import`s (never outside the project root), builds every
profile (`extends` and `define`s resolved), binds the schema's field reader, checks
names and types, and enforces the resource limits; every problem found is collected
and raised together (`ICPCheckError`).
"""

from __future__ import annotations

import bisect
import datetime
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, cast

import attrs

from . import ast
from .checker import check_profiles
from .document import Document, Profile
from .errors import Diagnostic, ICPCheckError, ICPLoadError
from .incremental import Broken, reparse
from .limits import DEFAULT_LIMITS, Cost, Limits, check_file_size, limit_error, measure
from .parser import parse
from .program import BoundDefine, BoundRule
from .schema import Schema, SchemaSource, did_you_mean, from_decls, from_python
from .source import Source, Span
from .visitor import ConditionVisitor, references


def loads(
    text: str,
    filename: str = "<string>",
    *,
    root: str | os.PathLike[str] | None = None,
    schema: SchemaSource | None = None,
    limits: Limits | None = None,
    previous: ast.Module | None = None,
) -> Document:
    """Load ICP text; its imports resolve against `root` and may not leave it.

    Without `root` the text may import nothing: text from a form, a request or a
    database never reads the server's files (docs/security.md).  `schema` (a dataclass,
    attrs class, TypedDict or dict of name → type) declares fields in addition to the
    file's `fields` blocks (docs/schema.md).  `limits` bounds sizes, nesting, chains and
    the whole document's size (default: `icpdsl.limits.DEFAULT_LIMITS`).  `previous`,
    the file's module from its last load (`Document.modules[0]`), lets an edit inside
    one statement be parsed alone (`icpdsl.incremental`), as an editor needs.
    """
    if root is None:
        return _Loader(None, schema, limits, previous).load_text(text, filename, None)
    base = Path(root).resolve()
    return _Loader(base, schema, limits, previous).load_text(text, filename, base)


def load(
    path: str | os.PathLike[str],
    *,
    root: str | os.PathLike[str] | None = None,
    schema: SchemaSource | None = None,
    limits: Limits | None = None,
) -> Document:
    """Load an ICP file; imports may not leave `root` (default: the file's folder)."""
    file = Path(path)
    base = Path(root).resolve() if root is not None else file.resolve().parent
    check_file_size(file, limits or DEFAULT_LIMITS)
    try:
        text = file.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ICPLoadError(f"no such file: {path}", filename=str(path)) from None
    except UnicodeDecodeError as error:
        raise ICPLoadError(
            f"not UTF-8 text (byte {error.start}): {path}", filename=str(path)
        ) from None
    except OSError as error:
        raise ICPLoadError(f"cannot read {path}: {error.strerror}", filename=str(path)) from None
    return _Loader(base, schema, limits).load_text(text, str(path), file.resolve().parent)


class _Loader:
    """Parses a file and its imports, then builds profiles; collects every problem."""

    def __init__(
        self,
        root: Path | None,
        schema: SchemaSource | None = None,
        limits: Limits | None = None,
        previous: ast.Module | None = None,
    ) -> None:
        self.root = root
        self.limits = limits or DEFAULT_LIMITS
        self.previous = previous  # a file's last parse, to parse an edit of it again
        self.python_schema = from_python(schema) if schema is not None else None
        self.field_decls: list[tuple[ast.FieldDecl, str]] = []
        self.diagnostics: list[Diagnostic] = []
        self.modules: list[ast.Module] = []
        self.sources: dict[str, Source] = {}
        self._importing: list[Path] = []
        self._imported: set[Path] = set()
        #: Each file's `as of` date, from a statement at its top.
        self.file_pins: dict[str, datetime.date | None] = {}
        #: Profiles built so far (by their declaration's id), with their sizes.
        self._built: dict[int, tuple[Profile, _Size]] = {}
        #: The expanded size of the profiles built so far (Limits.max_document_size).
        self._document_size = 0

    # -- diagnostics ----------------------------------------------------------
    def error(
        self, code: str, message: str, filename: str, span: Span, hint: str | None = None
    ) -> None:
        source = self.sources.get(filename)
        self.diagnostics.append(Diagnostic.at(code, message, filename, span, source, hint=hint))

    def limit(self, message: str, setting: str, filename: str, line: int, column: int) -> Exception:
        source = self.sources.get(filename)
        return limit_error(
            message,
            setting,
            filename=filename,
            line=line,
            column=column,
            source_line=source.line_text(line) if source else None,
        )

    # -- files ----------------------------------------------------------------
    def load_text(self, text: str, filename: str, folder: Path | None) -> Document:
        try:
            return self._load_text(text, filename, folder)
        except RecursionError:  # only with a max_depth set far above the default
            raise limit_error(
                "the file nests too deeply to load (Python's recursion limit was reached)",
                "max_depth",
                filename=filename,
            ) from None

    def _load_text(self, text: str, filename: str, folder: Path | None) -> Document:
        module = self._parse(text, filename)
        top_defines: dict[str, BoundDefine] = {}
        fields: list[ast.FieldDecl] = []
        profiles: dict[str, tuple[ast.ProfileDecl, ast.Module]] = {}
        self._collect(module, folder, top_defines, fields, profiles, imported=False)
        built = self._build_profiles(module, top_defines, profiles, tuple(fields))
        schema = self._schema()
        if schema:
            built = {n: attrs.evolve(p, reader=schema.read) for n, p in built.items()}
        self.diagnostics.extend(check_profiles(built.values(), schema, self.sources))
        if self.diagnostics:
            raise ICPCheckError(self.diagnostics)
        pinned = self.file_pins.get(filename)
        return Document(built, filename, tuple(self.modules), tuple(fields), schema, pinned)

    def _schema(self) -> Schema:
        schema, problems = from_decls(self.field_decls, self.python_schema)
        for problem in problems:
            source = self.sources.get(problem.filename)
            line = source.line_text(problem.line) if source else None
            self.diagnostics.append(attrs.evolve(problem, source_line=line))
        return schema

    def _parse(self, text: str, filename: str) -> ast.Module:
        self.sources[filename] = Source(text, filename)
        previous = self.previous
        again = None
        if previous is not None and previous.filename == filename:
            again = reparse(previous, text, limits=self.limits)
        if isinstance(again, ast.Module):
            module = again
        else:
            module = parse(text, filename, limits=self.limits, suspect=again is Broken.STATEMENT)
        self.modules.append(module)
        self.file_pins[filename] = self._pinned(module.items, filename)
        return module

    def _collect(
        self,
        module: ast.Module,
        folder: Path | None,
        defines: dict[str, BoundDefine],
        fields: list[ast.FieldDecl],
        profiles: dict[str, tuple[ast.ProfileDecl, ast.Module]],
        imported: bool,
    ) -> None:
        for item in module.items:
            if isinstance(item, ast.Import):
                self._import(item, module, folder, defines, fields, profiles)
            elif isinstance(item, ast.Fields):
                fields.extend(item.decls)
                self.field_decls.extend((d, module.filename) for d in item.decls)
            elif isinstance(item, ast.Define):
                self._add_define(item, module, defines)
            elif isinstance(item, ast.AsOf):
                continue  # read by `_pinned`
            elif isinstance(item, ast.ProfileDecl):
                if item.name in profiles:
                    self.error(
                        "ICP003",
                        f"profile {item.name!r} is defined twice",
                        module.filename,
                        item.span,
                    )
                else:
                    if len(profiles) >= self.limits.max_profiles:
                        raise self.limit(
                            f"more than the limit of {self.limits.max_profiles:,} profiles",
                            "max_profiles",
                            module.filename,
                            item.span.line,
                            item.span.column,
                        )
                    profiles[item.name] = (item, module)
            elif imported:
                self.error(
                    "ICP007",
                    "an imported file may hold only fields, defines and profiles",
                    module.filename,
                    item.span,
                    "move these statements into a profile block",
                )

    def _pinned(self, items: Iterable[object], filename: str) -> datetime.date | None:
        """The date an `as of` among `items` pins; a second one is an error."""
        pins = [item for item in items if isinstance(item, ast.AsOf)]
        for extra in pins[1:]:
            self.error(
                "ICP018",
                f"`as of` is given twice (first `as of {pins[0].date.text}` at line "
                f"{pins[0].span.line})",
                filename,
                extra.span,
                "keep one `as of` per file and one per profile",
            )
        return cast(datetime.date, pins[0].date.value) if pins else None

    def _add_define(
        self, item: ast.Define, module: ast.Module, defines: dict[str, BoundDefine]
    ) -> None:
        if item.name in defines and defines[item.name].filename == module.filename:
            self.error("ICP004", f"{item.name!r} is defined twice", module.filename, item.span)
            return
        source = self.sources[module.filename]
        text = _text_without_comments(source, item.condition.span, module.comments)
        defines[item.name] = BoundDefine(
            item.name, item.condition, text, module.filename, item.span.line
        )

    def _import(
        self,
        item: ast.Import,
        module: ast.Module,
        folder: Path | None,
        defines: dict[str, BoundDefine],
        fields: list[ast.FieldDecl],
        profiles: dict[str, tuple[ast.ProfileDecl, ast.Module]],
    ) -> None:
        target = self._resolve_import(item, module, folder)
        if target is None or target in self._imported:
            return
        if target in self._importing:
            chain = " → ".join(p.name for p in [*self._importing, target])
            self.error("ICP006", f"import cycle: {chain}", module.filename, item.span)
            return
        if len(self._importing) >= self.limits.max_import_depth:
            raise self.limit(
                f"imports nest deeper than the limit of {self.limits.max_import_depth}",
                "max_import_depth",
                module.filename,
                item.span.line,
                item.span.column,
            )
        check_file_size(target, self.limits)
        try:
            text = target.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            self.error(
                "ICP005", f"cannot import {item.path!r}: {error}", module.filename, item.span
            )
            return
        self._importing.append(target)
        try:
            imported = self._parse(text, str(target))
            self._collect(imported, target.parent, defines, fields, profiles, imported=True)
        finally:
            self._importing.pop()
        self._imported.add(target)

    def _resolve_import(
        self, item: ast.Import, module: ast.Module, folder: Path | None
    ) -> Path | None:
        """The file an import names, or None after reporting why it may not be read.

        Only `.icp` files under the root are read: a file that is not ICP is never
        opened, so no error can quote a line of it (`import ".env"`).
        """
        raw = Path(item.path)
        if folder is None or self.root is None:
            self.error(
                "ICP005",
                f"import {item.path!r}: text loaded without a root folder may not import",
                module.filename,
                item.span,
                "load the file with icpdsl.load(path), or pass loads(text, root=FOLDER)",
            )
            return None
        if raw.suffix != ".icp":
            self.error(
                "ICP005",
                f"import {item.path!r} is not an .icp file",
                module.filename,
                item.span,
                "only ICP files (ending in .icp) can be imported",
            )
            return None
        if raw.is_absolute():
            self.error(
                "ICP005",
                f"import {item.path!r} is an absolute path",
                module.filename,
                item.span,
                "import files by a path relative to the importing file",
            )
            return None
        try:
            target = (folder / raw).resolve()
            inside = target.is_relative_to(self.root)
            is_file = inside and target.is_file()
        except (OSError, ValueError, RuntimeError) as error:  # a NUL, too long, a symlink loop
            reason = getattr(error, "strerror", None) or str(error)
            self.error("ICP005", f"import {item.path!r}: {reason}", module.filename, item.span)
            return None
        if not inside:
            self.error(
                "ICP005",
                f"import {item.path!r} leaves the project root {self.root}",
                module.filename,
                item.span,
                "keep imported files inside the project root",
            )
            return None
        if not is_file:
            self.error("ICP005", f"import {item.path!r}: no such file", module.filename, item.span)
            return None
        if target.suffix != ".icp":  # a link `x.icp` to a file that is not ICP
            self.error(
                "ICP005",
                f"import {item.path!r} leads to {target.name!r}, which is not an .icp file",
                module.filename,
                item.span,
                "only ICP files (ending in .icp) can be imported",
            )
            return None
        return target

    # -- profiles -------------------------------------------------------------
    def _build_profiles(
        self,
        module: ast.Module,
        top_defines: dict[str, BoundDefine],
        declared: dict[str, tuple[ast.ProfileDecl, ast.Module]],
        fields: tuple[ast.FieldDecl, ...],
    ) -> dict[str, Profile]:
        bare = [
            i for i in module.items
            if not isinstance(i, (ast.Import, ast.Fields, ast.Define, ast.ProfileDecl, ast.AsOf))
        ]  # fmt: skip
        own = [d for d, m in declared.values() if m is module]
        if bare and own:
            self.error(
                "ICP008",
                "statements outside a profile block in a file with named profiles",
                module.filename,
                bare[0].span,
                'move them into a `profile "Name" { ... }` block',
            )
        if bare or not own:
            name = _anonymous_name(module.filename)
            anonymous = ast.ProfileDecl(
                name,
                None,
                tuple(bare),
                module.items[0].span if module.items else Span(0, 0, 1, 1, 1, 1),
            )
            return {name: self._build(anonymous, module, top_defines, declared, fields, [])}
        return {
            decl.name: self._build(decl, module, top_defines, declared, fields, []) for decl in own
        }

    def _build(
        self,
        decl: ast.ProfileDecl,
        module: ast.Module,
        top_defines: dict[str, BoundDefine],
        declared: dict[str, tuple[ast.ProfileDecl, ast.Module]],
        fields: tuple[ast.FieldDecl, ...],
        chain: list[str],
    ) -> Profile:
        """The profile `decl` declares, built once however many profiles extend it."""
        built = self._built.get(id(decl))
        if built is not None:
            return built[0]
        base: Profile | None = None
        base_size = _Size(0, 0, 0)
        defines = dict(top_defines)
        if decl.extends is not None:
            if decl.extends in chain or decl.extends == decl.name:
                cycle = " → ".join([*chain, decl.name, decl.extends])
                self.error("ICP006", f"extends cycle: {cycle}", module.filename, decl.span)
            elif decl.extends not in declared:
                hint = did_you_mean(decl.extends, declared)
                self.error(
                    "ICP002",
                    f"profile {decl.name!r} extends unknown profile {decl.extends!r}",
                    module.filename,
                    decl.span,
                    hint,
                )
            else:
                base_decl, base_module = declared[decl.extends]
                base = self._build(
                    base_decl, base_module, top_defines, declared, fields, [*chain, decl.name]
                )
                base_size = self._built[id(base_decl)][1]
                if base_size.links >= self.limits.max_extends_depth:
                    raise self.limit(
                        f"`extends` chains deeper than the limit of "
                        f"{self.limits.max_extends_depth}",
                        "max_extends_depth",
                        module.filename,
                        decl.span.line,
                        decl.span.column,
                    )
                defines.update(base.defines)
        own_defines = [s for s in decl.body if isinstance(s, ast.Define)]
        for item in own_defines:
            self._add_define(item, module, defines)
        own_rules = [s for s in decl.body if isinstance(s, _RULES)]
        replaces_tiers = any(isinstance(s, ast.Tier) for s in own_rules)
        inherited = [
            r for r in (base.rules if base is not None else ())
            if not (replaces_tiers and isinstance(r.node, ast.Tier))
        ]  # fmt: skip
        # The document's size grows by this profile's: first by what is known without
        # expanding anything, so that no work is done past the limit.
        known = len(defines) + base_size.weight(replaces_tiers) + len(own_rules)
        self._grow(known, decl, module)
        costs: dict[str, Cost] = {}
        self._check_define_costs(defines, costs)
        self._check_define_cycles(defines)
        # Own defines may change what an inherited rule expands to: measure those again.
        again = inherited if own_defines else None
        size = self._rule_sizes(decl, module, own_rules, again, base_size, replaces_tiers,
                                defines, costs)  # fmt: skip
        self._grow(len(defines) + size.weight(False) - known, decl, module)
        rules = inherited + [self._bind(s, module, decl.name, defines) for s in own_rules]
        examples = tuple(e for s in decl.body if isinstance(s, ast.Examples) for e in s.examples)
        resolved = {
            n: attrs.evolve(d, condition=_resolve(d.condition, defines)) for n, d in defines.items()
        }
        profile = Profile(
            name=decl.name,
            rules=tuple(rules),
            defines=resolved,
            examples=examples,
            extends=decl.extends,
            filename=module.filename,
            line=decl.span.line,
            fields=fields,
            as_of=(
                self._pinned(decl.body, module.filename)
                or self.file_pins.get(module.filename)
                or (base.as_of if base is not None else None)
            ),
        )
        links = base_size.links + 1 if base is not None else 0
        self._built[id(decl)] = (profile, attrs.evolve(size, links=links))
        return profile

    def _grow(self, amount: int, decl: ast.ProfileDecl, module: ast.Module) -> None:
        """Add `amount` to the document's expanded size; refuse it past the limit."""
        self._document_size += amount
        limit = self.limits.max_document_size
        if self._document_size > limit:
            raise self.limit(
                f"the document expands to more than the limit of {limit:,} "
                f"(rules, predicates and defines of every profile, inherited ones counted "
                f"in each profile that inherits them) at profile {decl.name!r}",
                "max_document_size",
                module.filename,
                decl.span.line,
                decl.span.column,
            )

    def _bind(
        self, node: ast.Rule, module: ast.Module, profile: str, defines: Mapping[str, BoundDefine]
    ) -> BoundRule:
        source = self.sources[module.filename]
        text = _text_without_comments(source, node.span, module.comments)
        condition = getattr(node, "condition", None)
        expansions = None
        if condition is not None:
            condition = _resolve(condition, defines)
            if condition is not node.condition:
                node = attrs.evolve(node, condition=condition)
            if condition.span == node.span:  # a criterion without `require`
                condition_text = text
            else:
                condition_text = _text_without_comments(source, condition.span, module.comments)
            used = _refs_deep(condition, defines)
            if used:
                expansions = "; ".join(f"{n} = {defines[n].text}" for n in used)
                condition_text = f"{condition_text} (where {expansions})"
        else:
            condition_text = "otherwise"
        return BoundRule(
            node,
            text,
            condition_text,
            module.filename,
            node.span.line,
            node.span.column,
            profile,
            expansions,
        )

    def _check_define_costs(
        self, defines: Mapping[str, BoundDefine], costs: dict[str, Cost]
    ) -> None:
        """Refuse a define that nests too deeply once the defines it uses are expanded."""
        conditions = {n: d.condition for n, d in defines.items()}
        for define in defines.values():
            depth = measure(define.condition, conditions, costs).depth
            if depth > self.limits.max_depth:
                span = define.condition.span
                raise self.limit(
                    f"define {define.name!r} nests {depth} levels deep once expanded, "
                    f"more than the limit of {self.limits.max_depth}",
                    "max_depth",
                    define.filename,
                    span.line,
                    span.column,
                )

    def _rule_sizes(
        self,
        decl: ast.ProfileDecl,
        module: ast.Module,
        own_rules: list[ast.Rule],
        inherited: list[BoundRule] | None,
        base: _Size,
        replaces_tiers: bool,
        defines: Mapping[str, BoundDefine],
        costs: dict[str, Cost],
    ) -> _Size:
        """The size of a profile's rules; refuses one with too many rules or predicates,
        or a condition nested too deeply once its defines are expanded.

        Inherited rules count as the base measured them (`base`), unless `inherited`
        is given: they are measured again under this profile's defines.
        """
        limits = self.limits
        conditions = {n: d.condition for n, d in defines.items()}
        rules = base.rules - (base.tiers if replaces_tiers else 0)
        predicates = base.predicates - (base.tier_predicates if replaces_tiers else 0)
        tiers = 0 if replaces_tiers else base.tiers
        tier_predicates = 0 if replaces_tiers else base.tier_predicates
        if inherited is not None:
            rules = predicates = tiers = tier_predicates = 0
        placed = [(r.node, r.filename) for r in inherited or ()]
        for node, filename in [*placed, *((n, module.filename) for n in own_rules)]:
            rules += 1
            if rules > limits.max_rules:
                raise self.limit(
                    f"profile {decl.name!r} has more than the limit of {limits.max_rules:,} rules",
                    "max_rules",
                    filename,
                    node.span.line,
                    node.span.column,
                )
            condition = getattr(node, "condition", None)
            cost = measure(condition, conditions, costs) if condition is not None else _NOTHING
            if cost.depth > limits.max_depth:
                raise self.limit(
                    f"the condition nests {cost.depth} levels deep once its defines "
                    f"are expanded, more than the limit of {limits.max_depth}",
                    "max_depth",
                    filename,
                    node.span.line,
                    node.span.column,
                )
            predicates += cost.predicates
            if isinstance(node, ast.Tier):
                tiers += 1
                tier_predicates += cost.predicates
            if predicates > limits.max_predicates:
                raise self.limit(
                    f"profile {decl.name!r} expands to more than the limit of "
                    f"{limits.max_predicates:,} predicates",
                    "max_predicates",
                    filename,
                    node.span.line,
                    node.span.column,
                )
        return _Size(rules, predicates, 0, tiers, tier_predicates)

    def _check_define_cycles(self, defines: Mapping[str, BoundDefine]) -> None:
        """Report the first define cycle, visiting each define once (a lattice of
        defines that use each other twice would be visited exponentially often)."""
        done: set[str] = set()
        for first in defines:
            if first in done:
                continue
            trail = [first]
            pending = [iter(_refs(_resolve(defines[first].condition, defines)))]
            while pending:
                used = next(pending[-1], None)
                if used is None:
                    done.add(trail.pop())
                    pending.pop()
                elif used in trail:
                    cycle = " → ".join([*trail[trail.index(used) :], used])
                    define = defines[used]
                    self.error(
                        "ICP006", f"define cycle: {cycle}", define.filename, define.condition.span
                    )
                    return
                elif used not in done:
                    trail.append(used)
                    pending.append(iter(_refs(_resolve(defines[used].condition, defines))))


@attrs.frozen
class _Size:
    """What a built profile weighs: its rules (inherited ones included), their
    predicates once defines are expanded, the part of both its tiers take (an extending
    profile with tiers of its own drops them), and its `extends` links."""

    rules: int
    predicates: int
    links: int
    tiers: int = 0
    tier_predicates: int = 0

    def weight(self, without_tiers: bool) -> int:
        """Rules and predicates, as the document's size counts them."""
        if without_tiers:
            return self.rules - self.tiers + self.predicates - self.tier_predicates
        return self.rules + self.predicates


_RULES = (ast.Criterion, ast.Disqualifier, ast.Points, ast.Tier)
#: The cost of a rule without a condition (`tier X otherwise`).
_NOTHING = Cost(0, 0)


def _anonymous_name(filename: str) -> str:
    if filename.startswith("<"):
        return "default"
    return Path(filename).stem


def _text_without_comments(source: Source, span: Span, comments: tuple[ast.Comment, ...]) -> str:
    if not comments:
        return " ".join(source.text[span.start : span.end].replace("\\\n", " ").split())
    pieces: list[str] = []
    cursor = span.start
    # Comments are in file order: jump to the first inside the span (linear scans made
    # loading quadratic in rules × comments).
    first = bisect.bisect_left(comments, span.start, key=lambda c: c.span.start)
    for index in range(first, len(comments)):
        comment = comments[index]
        if comment.span.start >= span.end:
            break
        pieces.append(source.text[cursor : comment.span.start])
        cursor = comment.span.end
    pieces.append(source.text[cursor : span.end])
    return " ".join("".join(pieces).replace("\\\n", " ").split())


def _resolve(condition: ast.Condition, defines: Mapping[str, Any]) -> ast.Condition:
    """Bare names that match a `define` become references to it (and a condition that
    names none comes back as it is, not copied)."""
    return _ResolveNames(defines).visit(condition)


class _ResolveNames(ConditionVisitor[ast.Condition]):
    """A bare field named like a define (`require good`) is a reference to the define."""

    def __init__(self, defines: Mapping[str, Any]) -> None:
        self.defines = defines

    def visit_Truthy(self, node: ast.Truthy) -> ast.Condition:
        if len(node.field.parts) == 1 and node.field.parts[0] in self.defines:
            return ast.Ref(node.field.parts[0], node.span)
        return node

    def visit_predicate(self, node: ast.Condition) -> ast.Condition:
        return node

    visit_Ref = visit_predicate

    def visit_Not(self, node: ast.Not) -> ast.Condition:
        operand = self.visit(node.operand)
        return node if operand is node.operand else attrs.evolve(node, operand=operand)

    def visit_And(self, node: ast.And | ast.Or) -> ast.Condition:
        operands = tuple(self.visit(o) for o in node.operands)
        if all(new is old for new, old in zip(operands, node.operands, strict=True)):
            return node
        return attrs.evolve(node, operands=operands)

    visit_Or = visit_And


def _refs_deep(condition: ast.Condition, defines: Mapping[str, BoundDefine]) -> list[str]:
    """The defines a condition uses, and the ones those use, in order, once each."""
    if not defines:
        return []
    found: dict[str, None] = {}
    pending = _refs(condition)
    while pending:
        name = pending.pop(0)
        if name not in found:
            found[name] = None
            pending += _refs(_resolve(defines[name].condition, defines))
    return list(found)


def _refs(condition: ast.Condition) -> list[str]:
    """The define names a condition uses, in order, once each."""
    return list(dict.fromkeys(ref.name for ref in references(condition)))
