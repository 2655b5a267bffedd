import logging
import time
from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.views.defaults import page_not_found, permission_denied

from refairn.core.errors import DomainError, Forbidden, NotFound
from refairn.core.metrics import request_observe, route_of


class DomainErrorPagesMiddleware:
    """Pages get Django's 404/403 for the same domain errors the API maps to problem+json.

    Views handle the errors they can explain in a form; this covers the rest (an object outside
    the caller's reach, a role they lack).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        """Rendered here rather than raised as Http404/PermissionDenied: Django would log a
        refusal with its traceback, and a 403 is the platform working, not an error."""
        if not isinstance(exception, DomainError):
            return None
        if isinstance(exception, NotFound):
            return page_not_found(request, Http404(exception.detail))
        # Forbidden, and any refusal a view did not turn into a form error, is "not allowed"
        # with the refusal's own status and words.
        response = permission_denied(request, PermissionDenied(exception.detail))
        if not isinstance(exception, Forbidden):
            response.status_code = exception.status
        return response


request_log = logging.getLogger("refairn.request")


class RequestObservationMiddleware:
    """One log line and one latency sample per request, outermost so the time covers every
    other middleware. The line carries its fields as ``extra``, so the JSON log format
    (``REFAIRN_LOG_FORMAT=json``) gives each its own key."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        began = time.perf_counter()
        response = self.get_response(request)
        seconds = time.perf_counter() - began
        request_observe(request, response.status_code, seconds)
        user = getattr(request, "user", None)
        request_log.info(
            "%s %s %s %.1fms",
            request.method,
            request.path,
            response.status_code,
            seconds * 1000,
            extra={
                "method": request.method,
                "path": request.path,
                "route": route_of(request),
                "status": response.status_code,
                "duration_ms": round(seconds * 1000, 1),
                "user_id": str(user.pk) if user is not None and user.is_authenticated else None,
            },
        )
        return response
