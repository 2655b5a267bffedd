import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "refairn.settings")
application = get_wsgi_application()


def _settle() -> None:
    from django.urls import get_resolver

    from refairn.core.heap import heap_settle

    # The URLs (and every view and API schema they import) load now rather than on the first
    # request, so they are settled with the rest.
    get_resolver().url_patterns  # noqa: B018 - loading them is the point
    heap_settle()


_settle()
