"""The design's import rules (pyproject.toml ``[tool.importlinter]``): apps import only
downward, the commission ledgers' writers stay apart, domain modules stay pure. ``.ci/run``
also runs ``lint-imports``; running the contracts here makes ``scripts/test`` hold them too."""

from __future__ import annotations

from pathlib import Path

from importlinter.cli import lint_imports

PYPROJECT = Path(__file__).resolve().parents[3] / "pyproject.toml"


def test_every_import_contract_is_kept() -> None:
    assert lint_imports(config_filename=str(PYPROJECT), no_cache=True, no_logo=True) == 0
