"""PRODUCT.md §10: "No support-side action can ever change the referral ledger", made
structural and checked here by walking the import graph of the source (no import is executed).

- No module of the support, certification, training or assessments apps, and no rating code,
  can reach the referral ledger's writer or ``ReferralEntry``, directly or through any chain of
  imports.
- The support ledger's writer never reaches ``ReferralEntry``.
- The referral ledger's writer takes customer facts and referral terms only, and cannot even
  read support facts.
"""

from __future__ import annotations

import ast
import inspect
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[3]  # .../refairn
ROOT = PACKAGE.name

REFERRAL_WRITER = "refairn.commissions.referral_ledger"
SUPPORT_WRITER = "refairn.commissions.support_ledger"
# Where ReferralEntry is defined: importing that module alone gives no write path, naming
# ReferralEntry (or the writer) does.
DEFINITION = "refairn.commissions.models"
PROTECTED_APPS = ("support", "certification", "training", "assessments")
REFERRAL_NAMES = {"ReferralEntry", "referralentry", "referral_ledger"}


@cache
def module_file(name: str) -> Path | None:
    parts = name.split(".")
    if parts[0] != ROOT:
        return None
    base = PACKAGE.joinpath(*parts[1:])
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def all_modules() -> Iterator[str]:
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        yield ".".join(parts)


def app_of(module: str) -> str:
    """refairn.support.models → "support"; the package itself → ""."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _with_parents(name: str) -> set[str]:
    """Importing a.b.c runs a, a.b and a.b.c."""
    parts = name.split(".")
    return {".".join(parts[:n]) for n in range(1, len(parts) + 1)}


@cache
def nodes(module: str) -> tuple[ast.AST, ...]:
    """Every syntax node of a module, parsed and walked once."""
    path = module_file(module)
    assert path is not None
    return tuple(ast.walk(ast.parse(path.read_text())))


@cache
def direct_imports(name: str) -> frozenset[str]:
    """Every refairn module ``name`` imports, anywhere in its body (function-level imports
    included)."""
    path = module_file(name)
    if path is None:
        return frozenset()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in nodes(name):
        if isinstance(node, ast.Import):
            for alias in node.names:
                found |= _with_parents(alias.name)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{node.module}" if node.module else anchor
            else:
                base = node.module or ""
            found |= _with_parents(base)
            for alias in node.names:
                if module_file(f"{base}.{alias.name}") is not None:
                    found.add(f"{base}.{alias.name}")
    return frozenset(m for m in found if m.split(".")[0] == ROOT and module_file(m))


def reachable(start: str) -> set[str]:
    seen, todo = {start}, [start]
    while todo:
        for imported in direct_imports(todo.pop()):
            if imported not in seen:
                seen.add(imported)
                todo.append(imported)
    return seen


def names_used(tree: Iterable[ast.AST]) -> set[str]:
    """Identifiers, attribute names, imported names and string constants (for
    ``apps.get_model("commissions", "ReferralEntry")``) among syntax nodes."""
    names: set[str] = set()
    for node in tree:
        if isinstance(node, ast.Name):
            names.add(node.id)
        elif isinstance(node, ast.Attribute):
            names.add(node.attr)
        elif isinstance(node, ast.alias):
            names.add(node.name.rpartition(".")[2])
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            names.add(node.value)
    return names


@cache
def names_in_module(module: str) -> frozenset[str]:
    return frozenset(names_used(nodes(module)))


def referral_paths(start: str) -> list[str]:
    """The modules reachable from ``start`` that are, or name, the referral ledger's writer."""
    return [
        module
        for module in sorted(reachable(start))
        if module == REFERRAL_WRITER
        or (module != DEFINITION and names_in_module(module) & REFERRAL_NAMES)
    ]


def protected_modules() -> list[str]:
    modules = []
    for module in all_modules():
        parts = module.split(".")
        if "tests" in parts:
            continue  # tests may inspect the referral ledger; they are no code path of the app
        if app_of(module) in PROTECTED_APPS or "rating" in module:
            modules.append(module)
    return modules


def test_support_certification_training_assessments_and_ratings_cannot_reach_referral_ledger() -> (
    None
):
    modules = protected_modules()
    assert {app_of(m) for m in modules} >= set(PROTECTED_APPS)
    assert "refairn.support.domain.ratings" in modules
    offenders = {m: paths for m in modules if (paths := referral_paths(m))}
    assert offenders == {}


def test_the_support_writer_never_reaches_referral_entry() -> None:
    assert referral_paths(SUPPORT_WRITER) == []
    assert "ReferralEntry" not in names_in_module(SUPPORT_WRITER)


def test_the_referral_writer_cannot_read_support_facts() -> None:
    reached = reachable(REFERRAL_WRITER)
    support_side = {
        m
        for m in reached
        if app_of(m) in PROTECTED_APPS or m in {SUPPORT_WRITER, "refairn.commissions.selectors"}
    }
    assert support_side == set()


def test_the_referral_writer_takes_customer_facts_and_referral_terms_only() -> None:
    from refairn.commissions import referral_ledger

    parameters = inspect.signature(referral_ledger.referral_ledger_append).parameters
    assert set(parameters) == {"business_id", "period", "customers", "terms", "currency", "run_id"}
    annotations = " ".join(str(p.annotation) for p in parameters.values())
    assert "CustomerFacts" in annotations and "ReferralTerms" in annotations
    assert "Assignment" not in annotations and "SupportAccess" not in annotations


def source_names(source: str) -> set[str]:
    return names_used(ast.walk(ast.parse(source)))


def test_the_scanner_sees_imports_and_names() -> None:
    """Guards the guard: it finds a known path and a name hidden in a string."""
    assert REFERRAL_WRITER in reachable("refairn.commissions.services")
    assert "refairn.commissions.services" in referral_paths("refairn.commissions.api")
    assert "ReferralEntry" in source_names('apps.get_model("commissions", "ReferralEntry")')
    assert "referral_ledger" in source_names("from refairn.commissions import referral_ledger")
    assert "refairn.support.models" in direct_imports("refairn.commissions.selectors")
