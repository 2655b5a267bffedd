from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.views.defaults import page_not_found, permission_denied

from refairn.core.errors import DomainError, Forbidden, NotFound


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
