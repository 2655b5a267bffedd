"""The program home (``/b/<id>/``) shows each member what concerns their roles (issue 12 items 3
and 4): the staff's work queue, an agent's path and workload, a customer's tickets. Those reads
belong to the apps above programs, so each app registers its panel in its ``AppConfig.ready``
(as with ``settings_sections``) and the home composes them without importing upward.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from refairn.core.tenancy import Actor


@dataclass(frozen=True)
class HomePanel:
    """``shows(actor)`` decides whether the member sees it; ``context(actor)`` reads what the
    ``template`` renders (as ``panel``), with the page's ``business`` and ``actor``."""

    name: str
    order: int
    template: str
    shows: Callable[[Actor], bool]
    context: Callable[[Actor], Mapping[str, Any]]


@dataclass(frozen=True)
class RenderedPanel:
    name: str
    template: str
    context: Mapping[str, Any]


_PANELS: dict[str, HomePanel] = {}


def register(panel: HomePanel) -> None:
    _PANELS[panel.name] = panel


def panels_for(actor: Actor) -> list[RenderedPanel]:
    return [
        RenderedPanel(panel.name, panel.template, panel.context(actor))
        for panel in sorted(_PANELS.values(), key=lambda p: p.order)
        if panel.shows(actor)
    ]
