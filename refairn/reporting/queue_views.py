"""The work queue's count in the business navigation (issue 12 item 3), fetched by htmx after
the page loads so that no page pays the queue's queries before it shows."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from refairn.programs.edge import staff_actor
from refairn.reporting.selectors.work_queue import work_queue_for, work_queue_total


@login_required
@require_GET
def work_queue_badge(request: HttpRequest, business_id: str) -> HttpResponse:
    actor = staff_actor(request, business_id)
    total = work_queue_total(work_queue_for(actor, listed=False))
    return render(request, "reporting/_work_queue_badge.html", {"total": total})
