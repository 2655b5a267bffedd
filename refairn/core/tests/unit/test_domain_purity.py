"""STYLE.md: domain modules are plain Python, so they are tested without Django in milliseconds."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[3]


def domain_modules() -> list[Path]:
    found = list(PACKAGE.glob("*/domain.py")) + list(PACKAGE.glob("*/domain/*.py"))
    return sorted(found)


def imported_roots(path: Path) -> set[str]:
    roots: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def test_there_are_domain_modules_to_check() -> None:
    assert any(p.parent.name == "programs" for p in domain_modules())


def test_domain_modules_never_import_django() -> None:
    offenders = [
        str(p.relative_to(PACKAGE)) for p in domain_modules() if "django" in imported_roots(p)
    ]
    assert offenders == []
