"""The official Open Badges 3.0 JSON schema, kept outside the repository (it is 1EdTech's, not
ours): ``<repo>/../shared/schemas/openbadges/`` (for a git worktree nested one level deeper, the
nearest ``shared/`` above it). Tests that need it skip, saying why, when it is absent."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[3]
FILE = Path("shared", "schemas", "openbadges", "ob_v3p0_achievementcredential_schema.json")


def achievement_credential_schema() -> dict[str, Any]:
    found = next((p / FILE for p in REPO.parents if (p / FILE).is_file()), None)
    if found is None:
        pytest.skip(
            f"The Open Badges 3.0 schema is not at {REPO.parent / FILE}: fetch "
            "docs/schema/achievementcredential.json from the gh-pages branch of "
            "github.com/1EdTech/openbadges-specification and store it there."
        )
    return json.loads(found.read_text())


def validate_open_badge(document: dict[str, Any]) -> None:
    from jsonschema import Draft201909Validator

    schema = achievement_credential_schema()
    Draft201909Validator.check_schema(schema)
    errors = sorted(Draft201909Validator(schema).iter_errors(document), key=str)
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors)
