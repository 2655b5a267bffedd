from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

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
        if isinstance(exception, NotFound):
            raise Http404(exception.detail) from exception
        if isinstance(exception, Forbidden):
            raise PermissionDenied(exception.detail) from exception
        if isinstance(exception, DomainError):
            raise PermissionDenied(exception.detail) from exception
        return None
