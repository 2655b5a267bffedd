import ast
from pathlib import Path

DOMAIN = Path(__file__).resolve().parents[2] / "domain"


def imported_roots(source: str) -> set[str]:
    roots: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            roots.add(node.module.split(".")[0])
    return roots


def test_routing_domain_never_imports_django() -> None:
    modules = sorted(DOMAIN.glob("*.py"))
    assert [m.name for m in modules] == ["__init__.py", "choose.py", "defaults.py", "rules.py"]
    offenders = [m.name for m in modules if "django" in imported_roots(m.read_text())]
    assert offenders == []


def test_import_scanner_sees_django_imports() -> None:
    assert "django" in imported_roots("from django.db import models\n")
    assert "django" in imported_roots("import django.utils.timezone\n")
