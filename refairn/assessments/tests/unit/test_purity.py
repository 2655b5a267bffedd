import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2]
PURE = [*sorted((PACKAGE / "domain").glob("*.py")), *sorted((PACKAGE / "gift").glob("*.py"))]


@pytest.mark.parametrize("path", PURE, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_pure_modules_do_not_import_django(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported = [
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    ]
    imported += [node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]

    assert not [name for name in imported if name.split(".")[0] == "django"]
    assert not [name for name in imported if name.startswith("refairn.core")]  # core needs Django
