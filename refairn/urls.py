from importlib.util import find_spec

from django.apps import apps
from django.http import HttpRequest, HttpResponse
from django.urls import URLResolver, include, path
from django.views.defaults import page_not_found

from refairn.api import api
from refairn.core.errors import problem
from refairn.core.metrics import metrics_view
from refairn.programs.views import home


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Unknown URLs under the API answer problem+json; pages keep the HTML 404."""
    if request.path.startswith("/api/"):
        return problem(404, "not_found", "No such endpoint.")
    return page_not_found(request, exception or Exception("not found"))


handler404 = not_found


def _app_pages() -> list[URLResolver]:
    """Every refairn app with a ``urls.py`` contributes its pages (namespaced by app_name), so
    adding an app's pages needs no edit here."""
    pages = []
    for config in apps.get_app_configs():
        if config.name.startswith("refairn.") and find_spec(f"{config.name}.urls"):
            pages.append(path("", include(f"{config.name}.urls")))
    return pages


urlpatterns = [
    path("api/v1/", api.urls),
    path("metrics", metrics_view, name="metrics"),
    *_app_pages(),
    path("", home, name="home"),
]
