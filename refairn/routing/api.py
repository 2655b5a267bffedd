from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Body, Router

from refairn.core.schemas import JsonObjects
from refairn.programs.edge import api_actor
from refairn.routing import selectors, services
from refairn.routing.schemas import RoutingRuleOut, RoutingTemplateIn

router = Router(tags=["routing"])


@router.put("/businesses/{b}/routing-rules", response=list[RoutingRuleOut])
def replace_rules(
    request: HttpRequest, b: str, payload: Body[JsonObjects]
) -> list[dict[str, object]]:
    """The ordered rules, replaced whole; each rule has the shape of a returned rule. 422
    ``invalid_routing_rules`` with ``errors`` naming every offending path."""
    return services.routing_rules_replace(actor=api_actor(request, b), rules=payload)


@router.get("/businesses/{b}/routing-rules", response=list[RoutingRuleOut])
def get_rules(request: HttpRequest, b: str) -> list[dict[str, Any]]:
    """Whole: the rules are one document, replaced whole by PUT, of at most
    ``domain.MAX_RULES`` (100) rules."""
    return selectors.routing_rules_get_for(api_actor(request, b))


@router.post("/businesses/{b}/routing-rules/template", response=list[RoutingRuleOut])
def apply_template(
    request: HttpRequest, b: str, payload: RoutingTemplateIn
) -> list[dict[str, object]]:
    """``support-standard``: the third seed's rules over the tracks of the same names. 409
    ``tracks_missing`` (``missing_tracks``) when the business lacks one of them."""
    return services.routing_rules_from_template(
        actor=api_actor(request, b), template=payload.template
    )
