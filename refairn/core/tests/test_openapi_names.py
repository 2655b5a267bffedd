"""Issue 18: OpenAPI names each schema once. Django Ninja names a component after its class,
so two classes of one name (``BadgeOut`` in two apps) silently share one component, and the
operations of one of them are documented with the other's shape."""

from __future__ import annotations

from collections import defaultdict

import pydantic

from refairn.api import api


def _classes(cls: type) -> list[type]:
    found = []
    for sub in cls.__subclasses__():
        found.append(sub)
        found += _classes(sub)
    return found


def test_every_component_names_one_class() -> None:
    components = set(api.get_openapi_schema()["components"]["schemas"])
    by_name: dict[str, set[str]] = defaultdict(set)
    for cls in _classes(pydantic.BaseModel):
        if cls.__module__.startswith("refairn.") and cls.__name__ in components:
            by_name[cls.__name__].add(f"{cls.__module__}.{cls.__qualname__}")
    assert {name: where for name, where in by_name.items() if len(where) > 1} == {}
