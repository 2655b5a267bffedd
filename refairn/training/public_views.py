"""A business's public program page (issue 12): what an agent would train and certify in, and
how to apply. Public by design: track names and requirements are the program's advertisement."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from refairn.programs.selectors import business_by_slug
from refairn.training.selectors.tracks import tracks_public


@require_GET
def program(request: HttpRequest, slug: str) -> HttpResponse:
    business = business_by_slug(slug)
    return render(
        request,
        "training/program_public.html",
        {"program": business, "tracks": tracks_public(business.id)},
    )
