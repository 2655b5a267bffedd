from collections.abc import Iterator
from typing import Any

import pytest

from refairn.notifications.tests.smtp import Inbox, smtp_server


@pytest.fixture
def smtp(settings: Any) -> Iterator[Inbox]:
    """Mail goes through Django's SMTP backend to a real server on loopback."""
    with smtp_server() as inbox:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = inbox.host
        settings.EMAIL_PORT = inbox.port
        settings.EMAIL_USE_TLS = False
        settings.EMAIL_TIMEOUT = 10
        settings.REFAIRN_PUBLIC_URL = "https://refairn.test"
        yield inbox
