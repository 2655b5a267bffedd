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


def test_credentials_domain_never_imports_django() -> None:
    modules = sorted(DOMAIN.glob("*.py"))
    assert len(modules) >= 7
    offenders = [m.name for m in modules if "django" in imported_roots(m.read_text())]
    assert offenders == []
